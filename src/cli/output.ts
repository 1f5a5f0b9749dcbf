import { writeFileAtomic } from "./files.ts";

/**
 * Exit codes shared by every command (docs/cli.md has the table). An internal error has its own
 * code, so CI never mistakes a crash for `diff`'s "changes" (2) or "risky changes" (3).
 */
export const EXIT = {
  ok: 0,
  /** Bad input: a stack file, a lock, a plan or an argument; or `lock --check` found the lock out of date. */
  userError: 1,
  /** `diff` and `render`: the plans differ. */
  changes: 2,
  /** `diff` and `render`: at least one risky change. */
  risky: 3,
  /** A bug in azlab: nothing was decided about the input. */
  internal: 4,
} as const;

/** Writes command output to `out` (a file, atomically; see files.ts) or stdout. */
export function writeOutput(text: string, out: string | undefined): void {
  if (out === undefined) {
    process.stdout.write(text);
    return;
  }
  writeFileAtomic(out, text, "output file");
}
