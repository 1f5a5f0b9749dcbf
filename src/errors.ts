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
