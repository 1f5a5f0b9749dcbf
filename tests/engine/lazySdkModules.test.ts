/**
 * The offline engine defers two SDK modules that an offline plan never uses (src/engine/lazySdkModules.ts).
 * The stand-ins must cover every function the SDK copies off those modules while it loads, or the
 * real module would load anyway; and a whole `azlab plan` must run without either dependency.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFERRED_SDK_MODULES } from "../../src/engine/lazySdkModules.ts";
// The stand-ins sit in the require cache as SDK modules; importing the engine puts this file in the Pulumi project.
import "../../src/engine/mockEngine.ts";

const require = createRequire(import.meta.url);
const sdkRoot = dirname(require.resolve("@pulumi/pulumi/package.json"));

/** Every SDK .js file outside vendor/ and tests, with its text. */
function sdkFiles(dir = sdkRoot): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === "vendor" || entry.name === "node_modules" ? [] : sdkFiles(path);
    return entry.name.endsWith(".js") ? [{ path, text: readFileSync(path, "utf8") }] : [];
  });
}

describe("the deferred SDK modules", () => {
  it("list exactly the functions the SDK copies off them at load time", () => {
    const copied: Record<string, string[]> = {};
    for (const module of Object.keys(DEFERRED_SDK_MODULES)) {
      const base = module.split("/").at(-1)!.replace(/\.js$/, "");
      const found = new Set<string>();
      for (const { text } of sdkFiles()) {
        // A top-level `const x = require(".../<base>")` and, at the top level too, `... = x.name`.
        for (const [, binding] of text.matchAll(
          new RegExp(`^(?:const|var) (\\w+) = (?:__importStar\\()?require\\("[./\\w]*${base}"\\)`, "gm"),
        )) {
          for (const [, name] of text.matchAll(new RegExp(`^\\S.*= ${binding}\\.(\\w+);`, "gm")))
            found.add(name!);
        }
      }
      copied[module] = [...found].sort();
    }
    expect(copied).toEqual(
      Object.fromEntries(Object.entries(DEFERRED_SDK_MODULES).map(([m, names]) => [m, [...names].sort()])),
    );
  });

  it("are left unloaded by a whole `azlab plan` of the dev stack", () => {
    const dir = mkdtempSync(join(tmpdir(), "azlab-lazy-"));
    const preload = join(dir, "report.cjs");
    const report = join(dir, "loaded.json");
    writeFileSync(
      preload,
      "process.on('exit', () => require('node:fs').writeFileSync(process.env.AZLAB_LOADED_REPORT, JSON.stringify(Object.keys(require.cache))));\n",
    );
    const result = spawnSync(
      process.execPath,
      ["bin/azlab.js", "plan", "--stack", "dev", "--format", "json", "--out", join(dir, "dev.json")],
      {
        encoding: "utf8",
        env: {
          ...process.env,
          NODE_OPTIONS: `${process.env["NODE_OPTIONS"] ?? ""} --require ${preload}`.trim(),
          AZLAB_LOADED_REPORT: report,
        },
      },
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const loaded = JSON.parse(readFileSync(report, "utf8")) as string[];
    // The control: the plan did load the SDK itself.
    expect(loaded.some((path) => path.includes("/node_modules/@pulumi/pulumi/"))).toBe(true);
    expect(loaded.filter((path) => /\/node_modules\/(typescript|@npmcli\/arborist)\//.test(path))).toEqual(
      [],
    );
  });
});
