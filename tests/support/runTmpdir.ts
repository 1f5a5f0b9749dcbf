/**
 * Vitest global setup: each test run gets a temporary folder of its own, removed when the run ends.
 * Tests, the CLI they start and its child processes all make temporary files through os.tmpdir(), and a
 * run used to leave about 200 folders in /tmp. Thousands of them slowed everything that lists /tmp: an
 * esbuild build took 0.11 s instead of 3 ms, because it reads every folder above the project.
 * Test workers and the processes they start inherit TMPDIR; a run that is killed leaves its one folder.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

/** Set once the run's folder exists: vitest runs a global setup for every project. */
const RUN_TMPDIR = "AZLAB_TEST_RUN_TMPDIR";

export default function setup(): (() => void) | undefined {
  if (process.env[RUN_TMPDIR]) return undefined;
  const machineTmp = tmpdir();
  const runTmp = mkdtempSync(join(machineTmp, "azlab-test-run-"));
  // tsx keeps its transform cache in <tmpdir>/tsx-<uid>: the processes that run TypeScript from source
  // (Pulumi's policy-pack runner, AZLAB_FROM_SOURCE) keep using the machine's instead of starting cold.
  const tsxCache = `tsx-${process.geteuid?.() ?? userInfo().username}`;
  mkdirSync(join(machineTmp, tsxCache), { recursive: true });
  symlinkSync(join(machineTmp, tsxCache), join(runTmp, tsxCache));
  process.env["TMPDIR"] = runTmp;
  process.env[RUN_TMPDIR] = runTmp;
  // The link goes, not the cache it points to: rmSync does not follow links.
  return () => rmSync(runTmp, { recursive: true, force: true });
}
