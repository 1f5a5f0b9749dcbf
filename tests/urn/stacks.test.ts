/**
 * Freezes the URN of every resource in each stack that has a snapshot (the shipped demos): a renamed
 * resource, component or parent changes URNs, and Pulumi would replace the resource. A stack without a
 * snapshot (an instructor's new class) is not checked, so adding a class never breaks the tests; to
 * freeze one, create an empty tests/urn/__snapshots__/<stack>.urns.txt and run the update command.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_STACKS_DIR, listStackFiles } from "../../src/config/stackFile.ts";
import { planShipped } from "../support/offline.ts";
import {
  compareUrns,
  hasChanges,
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
const frozen = stacks.filter(({ stack }) => existsSync(snapshotPath(stack)));

describe("URN snapshot", () => {
  it("freezes the shipped demo stacks and every course lab stack (stacks/Pulumi.lab-*.yaml)", () => {
    const labs = stacks.map((s) => s.stack).filter((stack) => stack.startsWith("lab-"));
    expect(labs.length).toBeGreaterThan(0);
    expect(frozen.map((s) => s.stack)).toEqual(["class-demo", "dev", ...labs, "prod"]);
  });

  for (const { stack } of frozen) {
    it(`keeps every URN of stack ${stack}`, async () => {
      const run = await planShipped(stack);
      const urns = run.resources.map((r) => r.urn);
      const aliases = Object.fromEntries(run.resources.map((r) => [r.urn, r.aliases ?? []]));
      const file = snapshotPath(stack);
      if (updating) {
        writeSnapshot(file, urns);
        return;
      }
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
