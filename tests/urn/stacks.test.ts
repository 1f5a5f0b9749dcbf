/**
 * Freezes the URN of every resource in every shipped stack (each stacks/Pulumi.<name>.yaml).
 * A renamed resource, component or parent changes URNs, and Pulumi would replace the resource.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_STACKS_DIR, listStackFiles, loadStackFile } from "../../src/config/stackFile.ts";
import { planStackOffline } from "../../src/program/offline.ts";
import {
  compareUrns,
  hasChanges,
  missingSnapshotMessage,
  orphanSnapshotMessage,
  parseUrns,
  SNAPSHOT_DIR,
  snapshotPath,
  UPDATE_ENV,
  urnChangeMessage,
  writeSnapshot,
} from "./urnSnapshot.ts";

const updating = process.env[UPDATE_ENV] === "1";
const stacks = listStackFiles(DEFAULT_STACKS_DIR);

describe("URN snapshot", () => {
  it("finds the shipped stacks", () => {
    expect(stacks.length).toBeGreaterThan(0);
  });

  for (const { path, stack } of stacks) {
    it(`keeps every URN of stack ${stack}`, async () => {
      const run = await planStackOffline(loadStackFile(path, stack));
      const urns = run.resources.map((r) => r.urn);
      const aliases = Object.fromEntries(run.resources.map((r) => [r.urn, r.aliases ?? []]));
      const file = snapshotPath(stack);
      if (updating) {
        writeSnapshot(file, urns);
        return;
      }
      if (!existsSync(file)) expect.fail(missingSnapshotMessage(stack));
      const change = compareUrns(parseUrns(readFileSync(file, "utf8")), urns, aliases);
      if (hasChanges(change)) expect.fail(urnChangeMessage(stack, change));
    });
  }

  it("has no snapshot for a stack that is no longer shipped", () => {
    const shipped = new Set(stacks.map((s) => s.stack));
    const orphans = readdirSync(SNAPSHOT_DIR)
      .filter((f) => f.endsWith(".urns.txt"))
      .map((f) => f.slice(0, -".urns.txt".length))
      .filter((stack) => !shipped.has(stack));
    if (updating) {
      for (const stack of orphans) rmSync(snapshotPath(stack));
      return;
    }
    expect(orphans.map(orphanSnapshotMessage)).toEqual([]);
  });
});
