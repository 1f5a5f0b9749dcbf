import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { readFileSync } from "node:fs";
import { loadStackFile, stackNameOf } from "../../src/config/stackFile.ts";
import { planStackOffline } from "../../src/program/offline.ts";
import type { OfflineRun, RecordedResource } from "../../src/model/recorded.ts";

/** Plans a shipped stack with its committed lock. */
export function planShipped(stack: string): Promise<OfflineRun> {
  return planStackOffline(loadStackFile(`stacks/Pulumi.${stack}.yaml`, stack));
}

/** Writes a stack file (and optionally a lock next to it) to a temp dir and plans it. */
export function planVariant(
  stack: string,
  edit: (config: Record<string, unknown>) => void,
  lockFrom?: string,
): Promise<OfflineRun> {
  const doc = parse(readFileSync(`stacks/Pulumi.${stack}.yaml`, "utf8")) as {
    config: Record<string, unknown>;
  };
  edit(doc.config);
  const dir = mkdtempSync(join(tmpdir(), "azlab-variant-"));
  const file = join(dir, `Pulumi.${stack}.yaml`);
  writeFileSync(file, stringify(doc));
  if (lockFrom) writeFileSync(join(dir, `Pulumi.${stack}.lock.json`), readFileSync(lockFrom, "utf8"));
  return planStackOffline(loadStackFile(file, stackNameOf(file)));
}

/** Resource count per type, sorted by type. */
export function countByType(resources: readonly RecordedResource[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of [...resources].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))) {
    counts[r.type] = (counts[r.type] ?? 0) + 1;
  }
  return counts;
}

export function byName(run: OfflineRun, type: string, name: string): RecordedResource {
  const found = run.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found;
}

export function ofType(run: OfflineRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}
