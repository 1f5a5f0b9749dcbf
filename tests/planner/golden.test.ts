import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { planClassBlocks, planNetwork } from "../../src/planner/network.ts";
import type { ClassBlocksRequest, NetworkRequest } from "../../src/planner/network.ts";
import type { NetworkLock, VnetUtilization } from "../../src/planner/types.ts";

// The golden file is written by hand and never regenerated here: a mismatch means the planner
// would re-address existing subnets, which must be a deliberate, reviewed change.
interface Golden {
  networks: Record<
    string,
    {
      request: NetworkRequest;
      lock?: NetworkLock;
      expected: { vnets: Record<string, { subnets: Record<string, string>; utilization: VnetUtilization }> };
    }
  >;
  classes: Record<
    string,
    {
      request: ClassBlocksRequest;
      expected: { students: Record<string, string>; shared: Record<string, string> };
    }
  >;
}

const golden = JSON.parse(readFileSync(new URL("../golden/layouts.json", import.meta.url), "utf8")) as Golden;

describe("golden layouts", () => {
  it("has the layouts it is meant to guard", () => {
    expect(Object.keys(golden.networks)).toEqual([
      "dev",
      "dev-after-change",
      "hub",
      "dev-and-hub-with-reserved",
      "hosts-boundaries",
    ]);
    expect(Object.keys(golden.classes)).toEqual(["class-5", "class-5-after-roster-change"]);
  });

  it.each(Object.entries(golden.networks))("network %s", (_name, layout) => {
    const plan = planNetwork(layout.request, layout.lock);
    expect(plan.problems).toEqual([]);
    const actual = Object.fromEntries(
      Object.entries(plan.vnets).map(([key, vnet]) => [
        key,
        {
          subnets: Object.fromEntries(Object.entries(vnet.subnets).map(([name, s]) => [name, s.cidr])),
          utilization: vnet.utilization,
        },
      ]),
    );
    expect(actual).toEqual(layout.expected.vnets);
    for (const [key, vnet] of Object.entries(layout.expected.vnets)) {
      expect(plan.lock.vnets[key]?.subnets).toEqual(vnet.subnets);
    }
  });

  it.each(Object.entries(golden.classes))("class %s", (_name, layout) => {
    const plan = planClassBlocks(layout.request);
    expect(plan.problems).toEqual([]);
    expect(plan.students).toEqual(layout.expected.students);
    expect(plan.shared).toEqual(layout.expected.shared);
    expect(plan.lock).toEqual({ ...layout.expected.students, ...layout.expected.shared });
  });
});
