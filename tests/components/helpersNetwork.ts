import { runOffline } from "../../src/engine/mockEngine.ts";
import type { OfflineRun, RecordedResource } from "../../src/model/recorded.ts";

/** Runs `build` under the offline mock engine with an empty config. */
export function run(build: () => Record<string, unknown> | void): Promise<OfflineRun> {
  return runOffline({ project: "azlab", stack: "t", config: {}, program: async () => build() ?? {} });
}

/** Number of recorded resources per type, sorted by type. */
export function countByType(result: OfflineRun): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of [...result.resources].sort((a, b) => a.type.localeCompare(b.type))) {
    counts[r.type] = (counts[r.type] ?? 0) + 1;
  }
  return counts;
}

/** The one resource with this Pulumi name; fails the test when there is not exactly one. */
export function named(result: OfflineRun, name: string): RecordedResource {
  const found = result.resources.filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}`);
  return found[0]!;
}

export const URN = "urn:pulumi:t::azlab::";
