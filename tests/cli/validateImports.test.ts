/**
 * Issue #16: `validate`, `lock`, `cidr` and `expired` never load the Pulumi SDK, which costs most of a
 * plan's start-up; and a whole `plan` loads it without the two SDK dependencies the offline engine defers
 * (src/engine/lazySdkModules.ts). Two checks: the compiled CLI (the build bin/azlab.js runs while it is
 * fresh, so esbuild's shared chunks are covered), run in one process that lists every module in
 * require.cache after each command (the SDK is CommonJS, so an ESM import of it lands there too; loading
 * only ever adds modules, so a command that loaded the SDK shows in its own list); and the import graph
 * esbuild resolves from each command's module, dynamic imports included, so a new import fails here even
 * before anyone runs the command.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, stop } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { freshEntry } from "../../bin/dist.js";

const dir = mkdtempSync(join(tmpdir(), "azlab-imports-"));

/** The commands, in the order one process runs them: the SDK-free ones first, then `plan`. */
const COMMANDS = [
  ["validate", "--stack", "class-demo", "--as-of", "2026-12-01"],
  ["lock", "--stack", "class-demo", "--check"],
  ["cidr", "subnet", "10.0.0.0/16", "8", "2"],
  ["expired", "--as-of", "2026-12-01"],
  ["plan", "--stack", "dev", "--as-of", "2026-12-01", "--format", "json", "--out", join(dir, "dev.json")],
];

interface CommandRun {
  readonly args: readonly string[];
  readonly code: number;
  /** node_modules paths in require.cache once the command returned. */
  readonly loaded: readonly string[];
}

/**
 * Runs COMMANDS one after the other through the compiled CLI's `main` in one Node process; what the
 * commands print goes to the process's standard output and error, which the caller reads.
 */
function runInOneProcess(entry: string): { runs: CommandRun[]; stderr: string } {
  const driver = join(dir, "driver.mjs");
  writeFileSync(
    driver,
    [
      "import { createRequire } from 'node:module';",
      "import { writeFileSync } from 'node:fs';",
      "const require = createRequire(import.meta.url);",
      "const [entry, report, commands] = process.argv.slice(2);",
      "const { main } = await import(entry);",
      "const runs = [];",
      "for (const args of JSON.parse(commands)) {",
      "  const code = await main(args);",
      "  const loaded = Object.keys(require.cache).filter((path) => path.includes('/node_modules/'));",
      "  runs.push({ args, code, loaded });",
      "}",
      "writeFileSync(report, JSON.stringify(runs));",
      "",
    ].join("\n"),
  );
  const report = join(dir, "report.json");
  const result = spawnSync(process.execPath, [driver, entry, report, JSON.stringify(COMMANDS)], {
    encoding: "utf8",
  });
  expect(result.status).toBe(0);
  return { runs: JSON.parse(readFileSync(report, "utf8")) as CommandRun[], stderr: result.stderr };
}

let runs: CommandRun[] = [];
let stderr = "";
beforeAll(() => {
  // The test setup built the CLI (tests/support/buildCli.ts).
  const entry = freshEntry(process.cwd());
  expect(entry).toBeDefined();
  ({ runs, stderr } = runInOneProcess(entry!));
}, 60_000);

const pulumiModules = (run: CommandRun | undefined) =>
  run?.loaded.filter((path) => path.includes("/node_modules/@pulumi/")) ?? ["(the command did not run)"];

describe("commands that must not load the Pulumi SDK", () => {
  it("run without an error", () => {
    expect(stderr).toBe("");
    expect(runs.map((run) => [run.args[0], run.code])).toEqual([
      ["validate", 0],
      ["lock", 0],
      ["cidr", 0],
      ["expired", 0],
      ["plan", 0],
    ]);
  });

  it.each(["validate", "lock", "cidr", "expired"])(
    "azlab %s … loads no module under node_modules/@pulumi/",
    (command) => {
      expect(pulumiModules(runs.find((run) => run.args[0] === command))).toEqual([]);
    },
  );

  // The control: the same report does see the SDK once a command loads it.
  it("azlab plan loads @pulumi/pulumi, and the report shows it", () => {
    expect(pulumiModules(runs.at(-1)).some((path) => path.includes("/node_modules/@pulumi/pulumi/"))).toBe(
      true,
    );
  });

  it("azlab plan leaves the deferred SDK dependencies unloaded (src/engine/lazySdkModules.ts)", () => {
    const deferred = runs
      .at(-1)!
      .loaded.filter((path) => /\/node_modules\/(typescript|@npmcli\/arborist)\//.test(path));
    expect(deferred).toEqual([]);
  });

  it("no @pulumi/ import anywhere in the import graph of validate, lock, cidr and expired", async () => {
    const commands = ["validate", "lock", "cidr", "expired", "plan"];
    // Bundled without splitting, so each output holds its command's whole graph, lazy imports included.
    const result = await build({
      entryPoints: commands.map((c) => `src/cli/commands/${c}.ts`),
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      packages: "external",
      write: false,
      metafile: true,
      outdir: join(dir, "graph"),
      logLevel: "silent",
    });
    // esbuild's API keeps a service process for later builds; there are none, and it would outlive the run.
    await stop();
    const graph = Object.fromEntries(
      Object.values(result.metafile.outputs).map((output) => [
        output.entryPoint!.replace(/^src\/cli\/commands\/(\w+)\.ts$/, "$1"),
        {
          pulumi: output.imports.filter((i) => i.path.startsWith("@pulumi/")).map((i) => i.path),
          inputs: Object.keys(output.inputs),
        },
      ]),
    );
    for (const command of ["validate", "lock", "cidr", "expired"]) {
      expect({ command, pulumi: graph[command]!.pulumi }).toEqual({ command, pulumi: [] });
    }
    // The lazily imported pre-flight and projection are part of validate's graph, so they were checked.
    expect(graph["validate"]!.inputs).toContain("src/program/policyProjection.ts");
    expect(graph["validate"]!.inputs).toContain("src/program/preflight.ts");
    expect(graph["lock"]!.inputs).toContain("src/program/preflight.ts");
    // The control: plan's graph reaches the SDK, so the check can see one.
    expect(graph["plan"]!.pulumi).toContain("@pulumi/pulumi");
  });
});
