/**
 * Sorts the test files into vitest projects by what they import, so nobody has to keep a list:
 *  - unit: never loads the Pulumi SDK (pure core). Cheap to run; its files share worker processes.
 *  - pulumi: loads @pulumi/* directly or through any chain of relative imports (static, lazy
 *    `import()` or `require()`). The SDK takes seconds to load, so these files share a worker instead of each
 *    loading it again; runOffline resets Pulumi's process-global mock state on every run.
 *  - isolated: replaces a module with vi.mock/vi.doMock. A shared module graph would leak the
 *    replacement into later files, so each of these gets a fresh module graph.
 * Only `import type` is skipped: with verbatimModuleSyntax every other import is kept at runtime.
 * Read by vitest.config.ts; plain Node, no Pulumi.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

export interface TestProjects {
  readonly unit: string[];
  readonly pulumi: string[];
  readonly isolated: string[];
}

const IMPORT =
  /\bimport\s+(type\s+)?[^;"'`]*?\bfrom\s*["']([^"']+)["']|\bexport\s+[^;"'`]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\bimport\s+["']([^"']+)["']|\brequire\s*\(\s*["']([^"']+)["']\s*\)/g;
const MOCKS_MODULES = /\bvi\.(mock|doMock)\s*\(/;

/** The modules a source file loads at runtime, as written (type-only imports left out). */
export function runtimeImports(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(IMPORT)) {
    if (match[1]) continue;
    const spec = match[2] ?? match[3] ?? match[4] ?? match[5] ?? match[6];
    if (spec) found.push(spec);
  }
  return found;
}

/** Whether a file loads the Pulumi SDK, following relative imports. */
export function loadsPulumi(
  file: string,
  cache = new Map<string, string[]>(),
  seen = new Set<string>(),
): boolean {
  if (seen.has(file)) return false; // an import cycle adds nothing new
  seen.add(file);
  let imports = cache.get(file);
  if (!imports) {
    imports = runtimeImports(readFileSync(file, "utf8"));
    cache.set(file, imports);
  }
  return imports.some((spec) => {
    if (spec.startsWith("@pulumi/")) return true;
    if (!spec.startsWith(".")) return false;
    const target = resolve(dirname(file), spec);
    return existsSync(target) && loadsPulumi(target, cache, seen);
  });
}

/** Every `*.test.ts` under `dir`, relative to `root`, sorted, in its project. */
export function testProjects(root: string, dir = "tests"): TestProjects {
  const cache = new Map<string, string[]>();
  const projects: TestProjects = { unit: [], pulumi: [], isolated: [] };
  const files = (readdirSync(join(root, dir), { recursive: true }) as string[])
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => join(root, dir, f))
    .sort();
  for (const file of files) {
    const path = relative(root, file).split("\\").join("/");
    if (MOCKS_MODULES.test(readFileSync(file, "utf8"))) projects.isolated.push(path);
    else if (loadsPulumi(file, cache)) projects.pulumi.push(path);
    else projects.unit.push(path);
  }
  return projects;
}
