#!/usr/bin/env node
// Runs the compiled CLI when its build is fresh (scripts/build.mjs, made by `npm ci`), and the
// TypeScript source through tsx otherwise, so `npx azlab` works with or without a build and an
// edited source file never runs stale.
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { freshEntry } from "./dist.js";

/** Exit codes of src/cli/output.ts's EXIT, for what happens outside main(). */
const USER_ERROR = 1;
const INTERNAL_ERROR = 4;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// `azlab plan | head` closes the pipe early: that is the reader's choice, not an error. Any other
// failure to write the output (a full disk) is reported in one line, never as a stack trace, with the
// code a failed `--out` write gets.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  process.stderr.write(`azlab: cannot write to standard output (${error.code ?? error.message})\n`);
  process.exit(USER_ERROR);
});
try {
  const compiled = process.env["AZLAB_FROM_SOURCE"] === "1" ? undefined : freshEntry(root);
  let entry;
  if (compiled) entry = pathToFileURL(compiled).href;
  else {
    const { register } = await import("tsx/esm/api");
    register();
    entry = pathToFileURL(join(root, "src", "cli", "main.ts")).href;
  }
  const { main } = await import(entry);
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // A module that fails to load is a bug in azlab, not the user's input: one line, no stack trace.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `azlab: internal error: ${message}\nThis is a bug in azlab; please report it with the command you ran.\n`,
  );
  process.exitCode = INTERNAL_ERROR;
}
