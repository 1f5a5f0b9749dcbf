#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so `npx azlab` needs no build step.
import { register } from "tsx/esm/api";

/** Exit codes of src/cli/output.ts's EXIT, for what happens outside main(). */
const USER_ERROR = 1;
const INTERNAL_ERROR = 4;

register();
// `azlab plan | head` closes the pipe early: that is the reader's choice, not an error. Any other
// failure to write the output (a full disk) is reported in one line, never as a stack trace, with the
// code a failed `--out` write gets.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  process.stderr.write(`azlab: cannot write to standard output (${error.code ?? error.message})\n`);
  process.exit(USER_ERROR);
});
try {
  const { main } = await import("../src/cli/main.ts");
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // A module that fails to load is a bug in azlab, not the user's input: one line, no stack trace.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `azlab: internal error: ${message}\nThis is a bug in azlab; please report it with the command you ran.\n`,
  );
  process.exitCode = INTERNAL_ERROR;
}
