/**
 * Vitest global setup: each test run gets a temporary folder of its own, removed when the run ends.
 * Tests, the CLI they start and its child processes make temporary files through os.tmpdir(), and a
 * run used to leave about 200 folders in /tmp. Thousands of them slowed everything that lists /tmp: an
 * esbuild build took 0.11 s instead of 3 ms, because it reads every folder above the project.
 * Test workers inherit the variables, and so do the processes started with the test's environment;
 * a run that is killed leaves its one folder.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join, resolve } from "node:path";

/** Set once the run's folder exists: vitest runs a global setup for every project. */
const RUN_TMPDIR = "AZLAB_TEST_RUN_TMPDIR";
/** os.tmpdir() reads TMPDIR on POSIX systems, TEMP and TMP on Windows. */
const TMP_VARIABLES = ["TMPDIR", "TEMP", "TMP", RUN_TMPDIR] as const;

export default function setup(): (() => void) | undefined {
  if (process.env[RUN_TMPDIR]) return undefined;
  const machineTmp = resolve(tmpdir());
  const runTmp = mkdtempSync(join(machineTmp, "azlab-test-run-"));
  // tsx keeps its transform cache in <tmpdir>/tsx-<uid>: the processes that run TypeScript from source
  // (Pulumi's policy-pack runner, AZLAB_FROM_SOURCE) keep using the machine's instead of starting cold.
  const tsxCache = `tsx-${process.geteuid?.() ?? userInfo().username}`;
  mkdirSync(join(machineTmp, tsxCache), { recursive: true });
  symlinkSync(join(machineTmp, tsxCache), join(runTmp, tsxCache), "junction");
  const previous = TMP_VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const name of TMP_VARIABLES) process.env[name] = runTmp;
  return () => {
    // Vitest in watch mode sets the run up again in this process after a config change.
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    // The link goes, not the cache it points to: rmSync does not follow links.
    rmSync(runTmp, { recursive: true, force: true });
  };
}
