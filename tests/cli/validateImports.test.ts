/**
 * Issue #16: `validate`, `lock`, `cidr` and `expired` never load the Pulumi SDK, which costs most of a
 * plan's start-up. Two checks: the running CLI (bin/azlab.js, the compiled build while it is fresh, so
 * esbuild's shared chunks are covered), with a preload that lists every module under @pulumi/ in
 * require.cache at exit (the SDK is CommonJS, so an ESM import of it lands there too); and the import
 * graph esbuild resolves from each command's module, dynamic imports included, so a new import fails
 * here even before anyone runs the command.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, stop } from "esbuild";
import { describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "azlab-imports-"));
const PRELOAD = join(dir, "report-pulumi.cjs");
writeFileSync(
  PRELOAD,
  [
    "process.on('exit', () => {",
    "  const loaded = Object.keys(require.cache).filter((path) => path.includes('/node_modules/@pulumi/'));",
    "  require('node:fs').writeFileSync(process.env.AZLAB_PULUMI_REPORT, JSON.stringify(loaded));",
    "});",
    "",
  ].join("\n"),
);

/** Runs the CLI with the preload; returns its exit code and the @pulumi/ modules it had loaded. */
function pulumiModulesLoadedBy(args: string[]): { code: number | null; stderr: string; loaded: string[] } {
  const report = join(dir, `report-${args[0]}.json`);
  const result = spawnSync(process.execPath, ["bin/azlab.js", ...args], {
    encoding: "utf8",
    env: {
      ...process.env,
      NODE_OPTIONS: `${process.env["NODE_OPTIONS"] ?? ""} --require ${PRELOAD}`.trim(),
      AZLAB_PULUMI_REPORT: report,
    },
  });
  return {
    code: result.status,
    stderr: result.stderr,
    loaded: JSON.parse(readFileSync(report, "utf8")) as string[],
  };
}

describe("commands that must not load the Pulumi SDK", () => {
  it.each([
    ["validate", "--stack", "class-demo", "--as-of", "2026-12-01"],
    ["lock", "--stack", "class-demo", "--check"],
    ["cidr", "subnet", "10.0.0.0/16", "8", "2"],
    ["expired", "--as-of", "2026-12-01"],
  ])("azlab %s … loads no module under node_modules/@pulumi/", (...args) => {
    const run = pulumiModulesLoadedBy(args);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.loaded).toEqual([]);
  });

  // The control: the preload does see the SDK when a command loads it.
  it("azlab plan loads @pulumi/pulumi, and the preload reports it", () => {
    const run = pulumiModulesLoadedBy(["plan", "--stack", "dev", "--as-of", "2026-12-01"]);
    expect(run.code).toBe(0);
    expect(run.loaded.some((path) => path.includes("/node_modules/@pulumi/pulumi/"))).toBe(true);
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
