import { fileURLToPath } from "node:url";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import { lazySdkIndexes } from "./tests/support/lazySdk.ts";
import { testProjects } from "./tests/support/projects.ts";
import { SlowestFirstSequencer } from "./tests/support/sequencer.ts";

/**
 * Some machines point NODE_EXTRA_CA_CERTS at the system's whole CA bundle, which every Node process then
 * parses at start-up: about 0.1 s of CPU for each of the workers and the many processes the tests start,
 * none of which opens a TLS connection. Workers and child processes inherit this environment.
 */
delete process.env["NODE_EXTRA_CA_CERTS"];

// Which files go where is read from their imports, see tests/support/projects.ts.
const files = testProjects(fileURLToPath(new URL(".", import.meta.url)));

/**
 * V8 flags for every test process (worker threads refuse them, so all projects run in forks):
 *  - a larger young generation from the start: a plan allocates many short-lived objects, and the
 *    default semi-space (small at start, growing) made garbage collection a tenth of the Pulumi workers' time
 *    (about 8% faster measured with the 32 MiB cap, about 3% more with 32 MiB from the start);
 *  - no optimizing compiler: a test worker runs thousands of functions a few times each, and compiling
 *    the hot ones cost more than it saved (about 10% less CPU for the whole suite, docs/benchmarks.md).
 */
const FORK_ARGS = ["--max-semi-space-size=32", "--min-semi-space-size=32", "--no-opt"];

const projects: TestProjectInlineConfiguration[] = [
  // Pure code: shared workers that never load the Pulumi SDK (the setup file checks).
  {
    extends: true,
    test: {
      name: "unit",
      include: files.unit,
      pool: "forks",
      isolate: false,
      execArgv: FORK_ARGS,
      setupFiles: ["tests/support/noPulumi.ts"],
    },
  },
  // The Pulumi SDK is loaded once per worker process and shared by its files: runOffline resets
  // Pulumi's process-global mock state (setMocks, config, a new stack resource) on every run.
  {
    extends: true,
    test: { name: "pulumi", include: files.pulumi, pool: "forks", isolate: false, execArgv: FORK_ARGS },
  },
  // Files that replace modules with vi.mock get a fresh module graph each.
  {
    extends: true,
    test: { name: "isolated", include: files.isolated, pool: "forks", isolate: true, execArgv: FORK_ARGS },
  },
];

export default defineConfig({
  // Only the SDK classes a test uses are loaded, as in the CLI build: see tests/support/lazySdk.ts.
  plugins: [lazySdkIndexes],
  test: {
    testTimeout: 60_000,
    // Tests that start the CLI as a process run the compiled build; make it if a source changed.
    globalSetup: ["tests/support/runTmpdir.ts", "tests/support/buildCli.ts"],
    // Vitest's default (cores - 1) runs one file at a time on a 2-core machine; files spend part of their
    // time in child processes and I/O, so two workers finish the suite about 30% sooner there.
    maxWorkers: 2,
    // Transformed modules are kept on disk between runs, keyed by their content: about 10% of a run.
    experimental: { fsModuleCache: true },
    sequence: { sequencer: SlowestFirstSequencer },
    projects: projects.filter((p) => (p.test?.include?.length ?? 0) > 0),
  },
});
