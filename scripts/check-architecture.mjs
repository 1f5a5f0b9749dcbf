#!/usr/bin/env node
/**
 * Enforces the dependency direction written down in docs/architecture.md: every import goes to a
 * unit of a lower layer (or stays inside its own unit), and the pure core never loads the Pulumi SDK.
 * Also holds every source file outside tests/ to MAX_SOURCE_LINES (issue #10), so a module is split
 * along its seams before it grows unreadable. Plain JavaScript so that it runs before anything is
 * compiled. Exit 1 lists every violation.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** Layer of each unit: a unit imports only from units with a smaller number, or from itself. */
export const LAYERS = {
  "src/errors": 0,
  "src/model": 0,
  "src/azure": 0,
  "src/cidr": 1,
  "src/naming": 2,
  "src/network": 2,
  "src/planner": 2,
  "src/schedule": 2,
  "src/config": 3,
  "src/validation": 3,
  "src/cost": 4,
  "src/roster": 4,
  "src/stack": 5,
  "src/bootstrap": 5,
  "src/access": 5,
  "src/policy": 6,
  "src/plan": 7,
  "src/handout": 7,
  components: 8,
  "src/engine": 8,
  "src/program": 9,
  "src/teardown": 9,
  "src/cli": 10,
  bin: 10,
  policy: 11,
  bench: 11,
  scripts: 11,
  tests: 12,
};
/** Units below this layer are the pure core: no Pulumi SDK, not even type imports. */
const FIRST_SDK_LAYER = LAYERS.components;
const ROOTS = ["src", "components", "bin", "policy", "bench", "scripts", "tests"];

/** Longest source file, in lines, outside tests/; split a longer one along its section markers. */
export const MAX_SOURCE_LINES = 400;
const LENGTH_ROOTS = ROOTS.filter((top) => top !== "tests");

function unitOf(rel) {
  const parts = rel.split("/");
  if (parts[0] !== "src") return parts[0];
  return parts.length === 2 ? `src/${parts[1].replace(/\.[cm]?[jt]s$/, "")}` : `src/${parts[1]}`;
}

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|mts|mjs|js|cjs)$/.test(entry) && !entry.endsWith(".d.ts")) yield full;
  }
}

const IMPORT =
  /(?:^|[^.\w])(?:import|export)\s[^"'`;]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm;

/** Every source file under the given top-level folders of `root` that exist, with its path from `root`. */
function* sourcesUnder(root, tops) {
  for (const top of tops) {
    const abs = path.join(root, top);
    try {
      statSync(abs);
    } catch {
      continue;
    }
    for (const file of sourceFiles(abs)) {
      yield { file, rel: path.relative(root, file).split(path.sep).join("/") };
    }
  }
}

export function checkArchitecture(root) {
  const problems = [];
  for (const { file, rel } of sourcesUnder(root, ROOTS)) {
    const unit = unitOf(rel);
    const layer = LAYERS[unit];
    if (layer === undefined) {
      problems.push(
        `${rel}: folder ${unit} has no layer in docs/architecture.md (scripts/check-architecture.mjs)`,
      );
      continue;
    }
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2] ?? match[3];
      if (spec.startsWith("@pulumi/") && layer < FIRST_SDK_LAYER) {
        problems.push(`${rel}: the pure core (${unit}) imports ${spec}; only components and above may`);
        continue;
      }
      if (!spec.startsWith(".")) continue;
      const target = path
        .relative(root, path.resolve(path.dirname(file), spec))
        .split(path.sep)
        .join("/");
      const targetUnit = unitOf(target);
      if (targetUnit === unit) continue;
      const targetLayer = LAYERS[targetUnit];
      if (targetLayer === undefined || targetLayer >= layer) {
        problems.push(
          `${rel}: ${unit} (layer ${layer}) imports ${target} from ${targetUnit} (layer ${targetLayer ?? "none"}); imports must point to a lower layer`,
        );
      }
    }
  }
  return problems;
}

/** Lines as `wc -l` counts them, plus a last line without a newline. */
function lineCount(text) {
  if (text === "") return 0;
  const newlines = text.split("\n").length - 1;
  return text.endsWith("\n") ? newlines : newlines + 1;
}

/** One problem per source file outside tests/ longer than MAX_SOURCE_LINES (data lives in .json files). */
export function checkFileLengths(root) {
  const problems = [];
  for (const { file, rel } of sourcesUnder(root, LENGTH_ROOTS)) {
    const lines = lineCount(readFileSync(file, "utf8"));
    if (lines > MAX_SOURCE_LINES) {
      problems.push(
        `${rel}: ${lines} lines, over the limit of ${MAX_SOURCE_LINES}; split it along its seams (docs/architecture.md)`,
      );
    }
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = [...checkArchitecture(process.cwd()), ...checkFileLengths(process.cwd())];
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`${problems.length} problem(s) against the rules in docs/architecture.md`);
    process.exit(1);
  }
  console.log(
    `architecture: every import points to a lower layer and no source file is over ${MAX_SOURCE_LINES} lines`,
  );
}
