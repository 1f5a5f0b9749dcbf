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

/** Formats a value for a message; secrets must already be replaced by the caller. */
export function showValue(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
}

/** Formats a problem as one line. */
export function formatProblem(problem: Problem, file?: string): string {
  const where = file ? `${file}: ${problem.path}` : problem.path;
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
