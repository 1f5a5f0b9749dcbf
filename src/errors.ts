/**
 * An error caused by the user's input (a stack file, a CLI argument).
 * The CLI prints `message` and exits 1 without a stack trace; anything else is a bug.
 */
export class UserError extends Error {
  /** Every problem found, one line each, so the user can fix them all in one pass. */
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[], heading?: string) {
    const list = typeof problems === "string" ? [problems] : [...problems];
    super(heading ? [heading, ...list.map((p) => `  - ${p}`)].join("\n") : list.join("\n"));
    this.name = "UserError";
    this.problems = list;
  }
}

/** Throws one UserError listing every problem, or returns when there are none. */
export function throwIfProblems(problems: readonly string[], heading: string): void {
  if (problems.length > 0) {
    throw new UserError(problems, heading);
  }
}

/**
 * One problem with user input. The CLI and the program print it as
 * `FILE: KEY: MESSAGE (got VALUE; allowed: ALLOWED)`.
 */
export interface Problem {
  /** Key path as the user wrote it, for example `azlab:network.subnets.web.hosts`. */
  readonly path: string;
  /** What is wrong, as a sentence without a trailing period. */
  readonly message: string;
  /** The offending value. Leave undefined when there is no single value to show. */
  readonly value?: unknown;
  /** What would be accepted instead, for example `an integer from 1 to 65531`. */
  readonly allowed?: string;
}

/** Longest value a message shows; a megabyte-long string is cut, with its length given. */
export const MAX_SHOWN_VALUE_LENGTH = 200;

/**
 * Formats a value for a message. Secrets must already be replaced by the caller; as a last guard, a
 * Pulumi `secure:` mapping anywhere inside the value is shown as "[secure]", never its ciphertext.
 */
export function showValue(value: unknown): string {
  const text =
    JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === "bigint") return v.toString();
      if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.hasOwn(v, "secure")) {
        return "[secure]";
      }
      return v;
    }) ?? String(value);
  if (text.length <= MAX_SHOWN_VALUE_LENGTH) return text;
  return `${text.slice(0, MAX_SHOWN_VALUE_LENGTH)}… (${text.length} characters)`;
}

/** Control and bidi characters in a key would break or disguise the one-line message: escape them. */
function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/** Formats a problem as one line. */
export function formatProblem(problem: Problem, file?: string): string {
  const path = visible(problem.path);
  const where = file ? `${file}: ${path}` : path;
  const details = [
    problem.value === undefined ? undefined : `got ${showValue(problem.value)}`,
    problem.allowed === undefined ? undefined : `allowed: ${problem.allowed}`,
  ].filter((part) => part !== undefined);
  return `${where}: ${problem.message}${details.length > 0 ? ` (${details.join("; ")})` : ""}`;
}

/** Throws one UserError with every problem, formatted against `file`, or returns when there are none. */
export function throwProblems(problems: readonly Problem[], file: string | undefined, heading: string): void {
  throwIfProblems(
    problems.map((problem) => formatProblem(problem, file)),
    heading,
  );
}

/** Drops exact repeats, keeping the first: a template shared by many students fails the same way for each. */
export function dedupeProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = JSON.stringify(problem, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** How many problems of one kind are listed in full before the rest are summarised. */
export const PROBLEMS_SHOWN_PER_KIND = 3;
/** How many of the summarised problems' keys are named. */
const KEYS_NAMED_IN_SUMMARY = 5;

interface ProblemGroup {
  readonly first: Problem;
  readonly segments: readonly string[];
  /** The one path segment in which the members differ; undefined while the group has one member. */
  varying?: number;
  readonly items: Problem[];
}

/** The one position at which two paths of equal length differ, or undefined. */
function oneDifference(a: readonly string[], b: readonly string[]): number | undefined {
  if (a.length !== b.length) return undefined;
  let at: number | undefined;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (at !== undefined) return undefined;
    at = i;
  }
  return at;
}

/**
 * Folds problems that differ only in one key of their path and in their value (a thousand students
 * who do not fit the same supernet) into the first few plus one summary line, so that the one real
 * cause stays readable. Problems keep the order in which each kind first appears.
 */
export function summariseProblems(
  problems: readonly Problem[],
  shown: number = PROBLEMS_SHOWN_PER_KIND,
): Problem[] {
  const groups: ProblemGroup[] = [];
  for (const problem of problems) {
    const segments = problem.path.split(".");
    const group = groups.find((g) => {
      const at = oneDifference(g.segments, segments);
      if (at === undefined || (g.varying !== undefined && g.varying !== at)) return false;
      // Messages often name the key itself ("no block is left for s0252"): compare without it.
      const mine = (text: string | undefined) => text?.replaceAll(segments[at]!, "\u0000");
      const theirs = (text: string | undefined) => text?.replaceAll(g.segments[at]!, "\u0000");
      return (
        mine(problem.message) === theirs(g.first.message) && mine(problem.allowed) === theirs(g.first.allowed)
      );
    });
    if (group) {
      group.varying ??= oneDifference(group.segments, segments);
      group.items.push(problem);
    } else {
      groups.push({ first: problem, segments, items: [problem] });
    }
  }
  return groups.flatMap((group) => {
    const { items } = group;
    if (items.length <= shown + 1) return items;
    const rest = items.slice(shown);
    const named = rest.slice(0, KEYS_NAMED_IN_SUMMARY).map((p) => p.path.split(".")[group.varying ?? 0]);
    const pattern = group.segments.map((s, i) => (i === group.varying ? "*" : s)).join(".");
    return [
      ...items.slice(0, shown),
      {
        path: pattern,
        message: `${rest.length} more with the same problem: ${named.join(", ")}${rest.length > named.length ? ", …" : ""}`,
      },
    ];
  });
}
