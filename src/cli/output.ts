import { writeFileSync } from "node:fs";
import { UserError } from "../errors.ts";

/** Writes command output to `out` (a file) or stdout; an unwritable path is the user's to fix. */
export function writeOutput(text: string, out: string | undefined): void {
  if (out === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(out, text);
  } catch (error) {
    const reason = error instanceof Error && "code" in error ? String(error.code) : "write failed";
    throw new UserError(
      `${out}: cannot write the output file (${reason}; allowed: a path in an existing, writable folder)`,
    );
  }
}
