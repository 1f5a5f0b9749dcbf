import { describe, expect, it } from "vitest";
import { classHoursActions } from "../../src/cli/commands/classHours.ts";

describe("azlab class-hours", () => {
  const hub = { resourceGroup: "rg-lab-class-demo-hub", name: "aks-lab-class-demo-hub" };

  it("lists class-demo's shared cluster, to start an hour before class and stop after it", async () => {
    // Tuesday 15 December 2026; class-demo meets 08:30–12:30 Europe/Amsterdam (07:30–11:30 UTC).
    const before = await classHoursActions("stacks", new Date("2026-12-15T06:40:00Z"));
    expect(before).toEqual({
      entries: [
        { stack: "class-demo", action: "start", clusters: [hub], file: "stacks/Pulumi.class-demo.yaml" },
      ],
      problems: [],
    });
    const after = await classHoursActions("stacks", new Date("2026-12-15T11:40:00Z"));
    expect(after.entries.map((e) => e.action)).toEqual(["stop"]);
  });

  it("refuses a folder that does not exist", async () => {
    await expect(classHoursActions("no-such-stacks", new Date())).rejects.toThrow(
      "no-such-stacks: no such folder (allowed: a folder of Pulumi.<stack>.yaml files)",
    );
  });
});
