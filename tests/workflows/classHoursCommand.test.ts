import { describe, expect, it } from "vitest";
import { classHoursActions } from "../../src/cli/commands/classHours.ts";
import { parseAsOf } from "../../src/cli/commands/expired.ts";

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

describe("azlab class-hours after the class ends", () => {
  it("stops, never starts, the cluster of a class past its expires-on date", async () => {
    // Tuesday 2 March 2027, 09:00 in Amsterdam: class hours, but class-demo expired on 2027-01-31.
    const late = await classHoursActions("stacks", new Date("2027-03-02T08:00:00Z"));
    expect(late.entries.map((e) => [e.stack, e.action])).toEqual([["class-demo", "stop"]]);
  });

  it("names --at, the flag the user wrote, when its value is not a date-time", () => {
    expect(() => parseAsOf("2026-12-15T07:40:00", "--at")).toThrow(
      '--at: not a date (got "2026-12-15T07:40:00"; allowed:',
    );
  });
});
