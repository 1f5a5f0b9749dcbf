/**
 * The offline engine defers two SDK modules that an offline plan never uses (src/engine/lazySdkModules.ts).
 * The stand-ins must cover every function the SDK copies off those modules while it loads, or the
 * real module would load anyway.
 */
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
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
  // That a whole `azlab plan` leaves them unloaded is checked with the other commands' module loads,
  // in one process, by tests/cli/validateImports.test.ts.
});
