/**
 * The pull-request comment for many stacks, rendered by `azlab render` from the base branch's own
 * code. The head plans come from a pull request's run and may be forged by a fork, so:
 * - every string taken from a plan is neutralized before it reaches Markdown (no mentions, links,
 *   images, HTML, code-fence or table breakouts, bidi tricks);
 * - the comment opens with a table of every stack's result, so nothing can hide below the fold;
 * - sections come riskiest first, so the size cap drops the least important ones.
 */
import { diffExitCode, diffPlans, renderDiffMarkdown, type PlanDiff } from "./diff.ts";
import { PLAN_VERSION, type PlanDocument } from "./document.ts";
import { capMarkdown, code, count, renderPlanMarkdown } from "./markdown.ts";

/** GitHub refuses comments over 65,536 characters; leave room for the workflow's marker line. */
export const COMMENT_LIMIT = 65_000;

/** Longest string kept from a plan; longer ones are cut with "…". */
const MAX_TEXT = 1_000;

/**
 * Characters that Markdown or GitHub turn into structure or actions, and the look-alikes shown
 * instead. Visible replacements rather than invisible joiners, so a copied name shows it was changed.
 */
const REPLACEMENTS: Record<string, string> = {
  "`": "ˋ", // would close or open a code span
  "<": "‹", // HTML tags and comments (including a forged comment marker)
  ">": "›",
  "[": "⁅", // links, images, reference definitions
  "]": "⁆",
  "|": "¦", // table cells
  "\\": "∖", // escapes of our own syntax
  "@": "＠", // @-mentions and e-mail autolinks
  "#": "＃", // issue and pull-request references
  "&": "＆", // entities such as &#64; that decode to the characters above
  $: "＄", // math blocks
  '"': "＂", // the end of a label in the plan's mermaid diagram
};

/**
 * Control characters, line breaks, zero-width characters and bidirectional overrides: they break a
 * line out of its table or list, or make text read differently from what it is (CVE-2021-42574).
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;

/**
 * A string from an untrusted plan, made inert in any Markdown context (plain text, table cell,
 * inline code): see REPLACEMENTS and INVISIBLE. Bare URLs are broken up so GitHub does not link them.
 */
export function neutralize(text: string): string {
  const cut = text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
  return cut
    .replace(INVISIBLE, (c) => (c === "\n" || c === "\r" || c === "\t" ? " " : "\ufffd"))
    .replace(/[`<>[\]|\\@#&$"]/g, (c) => REPLACEMENTS[c] ?? c)
    .replace(/:\/\//g, "∶//") // https://… autolinks (U+2236 RATIO for the colon)
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}․`); // www.… autolinks (U+2024 for the dot)
}

/** Every string in `value`, object keys included, neutralized; other JSON values kept. */
export function neutralizeDeep<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return neutralize(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [neutralize(k), walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/** What happened to one stack, most severe first (this is also the order of the sections). */
export type StackStatus = "failed" | "risky" | "missing" | "added" | "changed" | "unchanged";

const STATUS_RANK: Record<StackStatus, number> = {
  failed: 0,
  risky: 1,
  missing: 2,
  added: 3,
  changed: 4,
  unchanged: 5,
};

const STATUS_LABEL: Record<StackStatus, string> = {
  failed: "❌ plan failed",
  risky: "⚠️ risky changes",
  missing: "⚠️ no plan from the pull request",
  added: "🆕 new stack",
  changed: "changes",
  unchanged: "no changes",
};

/** One stack's inputs. `base` is planned by trusted code; `head` comes from the pull request. */
export interface StackPlans {
  readonly stack: string;
  readonly base?: PlanDocument;
  readonly head?: PlanDocument;
  /** Set when the head plan failed or was not a valid plan; the text is the caller's, not the plan's. */
  readonly failure?: string;
}

export interface StackOutcome {
  readonly stack: string;
  readonly status: StackStatus;
  /** The diff against the base plan (an empty plan for a new stack); absent for failed and missing. */
  readonly diff?: PlanDiff;
  readonly head?: PlanDocument;
  readonly failure?: string;
}

function emptyPlan(stack: string): PlanDocument {
  return {
    version: PLAN_VERSION,
    stack,
    file: "",
    summary: { resourceCounts: {}, total: 0 },
    resources: [],
    network: [],
    nsgRules: [],
    findings: [],
    outputs: {},
  };
}

function riskCount(outcome: StackOutcome): number {
  return outcome.diff?.summary.risks ?? 0;
}

function changeCount(outcome: StackOutcome): number {
  const s = outcome.diff?.summary;
  return s ? s.added + s.removed + s.replaced + s.changed + s.outputsChanged : 0;
}

/** Diffs each stack and orders the results: status, then most risks, then most changes, then name. */
export function assessStacks(stacks: readonly StackPlans[]): StackOutcome[] {
  const outcomes = stacks.map((s): StackOutcome => {
    if (s.failure !== undefined || (s.head === undefined && s.base === undefined)) {
      return { stack: s.stack, status: "failed", failure: s.failure ?? "no plan" };
    }
    if (s.head === undefined) return { stack: s.stack, status: "missing" };
    // A new stack is diffed against nothing, so an NSG open to the internet is still a risk.
    const diff = diffPlans(s.base ?? emptyPlan(s.stack), s.head);
    const code = diffExitCode(diff);
    const status: StackStatus =
      code === 3 ? "risky" : s.base === undefined ? "added" : code === 2 ? "changed" : "unchanged";
    return { stack: s.stack, status, diff, head: s.head };
  });
  return outcomes.sort(
    (a, b) =>
      STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
      riskCount(b) - riskCount(a) ||
      changeCount(b) - changeCount(a) ||
      (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0),
  );
}

/**
 * The gate, in `azlab diff`'s codes: 1 when any stack failed, else 3 when any is risky or lost its
 * plan, else 2 when anything changes, else 0.
 */
export function commentExitCode(outcomes: readonly StackOutcome[]): 0 | 1 | 2 | 3 {
  const statuses = new Set(outcomes.map((o) => o.status));
  if (statuses.has("failed")) return 1;
  if (statuses.has("risky") || statuses.has("missing")) return 3;
  return statuses.has("added") || statuses.has("changed") ? 2 : 0;
}

function summaryRow(o: StackOutcome): string {
  const s = o.diff?.summary;
  const cell = (n: number | undefined) => (n === undefined ? "—" : count(n));
  return `| ${code(neutralize(o.stack))} | ${STATUS_LABEL[o.status]} | ${cell(s?.risks)} | ${cell(s?.added)} | ${cell(s?.removed)} | ${cell(s?.replaced)} | ${cell(s?.changed)} |`;
}

/** The details of one stack; every plan-derived string is neutralized first. */
function stackSection(o: StackOutcome): string {
  const name = code(neutralize(o.stack));
  switch (o.status) {
    case "failed":
      return `### azlab plan: ${name}\n\n**The plan failed:** ${neutralize(o.failure ?? "no plan")}.\n`;
    case "missing":
      return `### azlab plan: ${name}\n\nThe pull request has no plan for this stack: its stack file was deleted or renamed, or its plan is missing from the run. Merging never runs \`pulumi destroy\`; the stack's resources stay until it is torn down.\n`;
    case "added":
      // A new stack without risks reads better as its full plan than as a list of additions. Its
      // headings go one level down, under the comment's own title, like the diff sections.
      return renderPlanMarkdown(neutralizeDeep(o.head as PlanDocument)).replace(/^(#{2,5}) /gm, "#$1 ");
    default:
      return renderDiffMarkdown(neutralizeDeep(o.diff as PlanDiff));
  }
}

export interface CommentOptions {
  /** Trusted lines (commit, run link) placed under the title; never built from plan content. */
  readonly intro?: readonly string[];
  readonly limit?: number;
}

/** Below this much room, a section is listed as left out rather than cut to a stub. */
const MIN_SECTION = 1_500;

/**
 * The whole comment: title, trusted intro, a table of every stack (riskiest first), then one
 * section per stack in the same order while they fit under `limit`; the rest are named at the end.
 */
export function renderComment(outcomes: readonly StackOutcome[], options: CommentOptions = {}): string {
  const limit = options.limit ?? COMMENT_LIMIT;
  const gate = commentExitCode(outcomes);
  const verdict = [
    "No changes.",
    "**❌ At least one plan failed.**",
    "Changes, none of them risky.",
    "**⚠️ Risky changes: review them before merging.**",
  ][gate];
  const rows = outcomes.map(summaryRow);
  // The table itself stays under half the comment; its rows are riskiest first, so only calm ones go.
  const tableBudget = Math.floor(limit / 2);
  let shownRows = rows.length;
  let used = 0;
  for (const [i, row] of rows.entries()) {
    used += row.length + 1;
    if (used > tableBudget) {
      shownRows = i;
      break;
    }
  }
  const head = [
    "## azlab plan",
    "",
    ...(options.intro ?? []),
    ...(options.intro?.length ? [""] : []),
    `${verdict} ${count(outcomes.length)} stack${outcomes.length === 1 ? "" : "s"}, riskiest first:`,
    "",
    "| Stack | Result | Risks | Add | Delete | Replace | Update |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows.slice(0, shownRows),
    ...(shownRows < rows.length
      ? [`| … | ${count(rows.length - shownRows)} more stacks, none riskier than those above | | | | | |`]
      : []),
    "",
    "",
  ].join("\n");

  let body = head;
  const left: string[] = [];
  // Room for the closing note that names the stacks left out.
  const reserve = 200 + outcomes.reduce((n, o) => n + o.stack.length + 4, 0);
  for (const o of outcomes) {
    const room = limit - body.length - Math.min(reserve, limit / 4);
    if (room < MIN_SECTION) {
      left.push(o.stack);
      continue;
    }
    body += `${capMarkdown(stackSection(o), room).trimEnd()}\n\n`;
  }
  if (left.length > 0) {
    const names = left.map((s) => code(neutralize(s))).join(", ");
    body += capMarkdown(
      `> **Not shown** (the comment hit GitHub's size limit; the run's artifact has every plan): ${names}\n`,
      Math.max(limit - body.length, 600),
    );
  }
  return `${body.trimEnd()}\n`;
}
