/**
 * Schedules that stop billing: with azlab:class.stopClusterOutsideClassHours the class-hours workflow
 * stops AKS clusters outside class hours, so the estimate bills their node VMs in class hours only.
 */
import { describe, expect, it } from "vitest";
import { estimateCost } from "../../src/cost/estimate.ts";
import { PRICE_TABLE } from "../../src/cost/table.ts";
import { DEFAULT_ASSUMPTIONS, type PriceTable } from "../../src/cost/types.ts";
import type { CostedResource } from "../../src/cost/usage.ts";

// A table with one made-up figure for the node size, so the arithmetic can be checked; the real table
// has no price for it (docs/costs.md).
const TABLE: PriceTable = {
  ...PRICE_TABLE,
  prices: [
    ...PRICE_TABLE.prices.filter((p) => p.meter !== "vm:Standard_D2s_v5"),
    {
      meter: "vm:Standard_D2s_v5",
      armRegionName: "westeurope",
      currencyCode: "USD",
      unitPrice: 0.1,
      effectiveDate: "2026-12-01",
      source: { url: "test", retrieved: "2026-12-01" },
    },
  ],
};

const PARENT = "urn:pulumi:class-x::azlab::azlab:compute:ScaleSet::web";
const resources: CostedResource[] = [
  {
    urn: "urn:pulumi:class-x::azlab::azure-native:containerservice:ManagedCluster::aks",
    type: "azure-native:containerservice:ManagedCluster",
    custom: true,
    inputs: {
      location: "westeurope",
      sku: { tier: "Free" },
      agentPoolProfiles: [{ vmSize: "Standard_D2s_v5", minCount: 2, osDiskType: "Ephemeral" }],
    },
  },
  // 8 class hours a week: Tuesday and Thursday 08:30–12:30.
  {
    urn: "urn:pulumi:class-x::azlab::azure-native:monitor:AutoscaleSetting::web-autoscale",
    type: "azure-native:monitor:AutoscaleSetting",
    custom: true,
    parent: PARENT,
    inputs: {
      profiles: [
        { name: "default", capacity: { minimum: "0", default: "0", maximum: "2" } },
        {
          name: "class-hours",
          capacity: { minimum: "2", default: "2", maximum: "2" },
          recurrence: { schedule: { days: ["Tuesday", "Thursday"], hours: [8], minutes: [30] } },
        },
        {
          name: "class-hours-end",
          capacity: { minimum: "0", default: "0", maximum: "2" },
          recurrence: { schedule: { days: ["Tuesday", "Thursday"], hours: [12], minutes: [30] } },
        },
      ],
    },
  },
];

function nodeLine(clusterStops: boolean) {
  const estimate = estimateCost(resources, {
    table: TABLE,
    location: "westeurope",
    assumptions: DEFAULT_ASSUMPTIONS,
    riskThreshold: null,
    period: null,
    ...(clusterStops ? { clusterStops } : {}),
  });
  return estimate.lines.find((l) => l.meter.id === "vm:Standard_D2s_v5")!;
}

describe("a cluster stopped outside class hours", () => {
  it("bills its nodes around the clock without the setting", () => {
    const line = nodeLine(false);
    // 8 h a week × 730/168 = 34.7619 class hours a month; 2 nodes.
    expect(line.quantity).toEqual({ classHours: 69.5238, idle: 1390.4762 });
    expect([line.classHours, line.idle, line.monthly]).toEqual([6.9524, 139.0476, 146]);
  });

  it("bills its nodes in class hours only with it", () => {
    const line = nodeLine(true);
    expect(line.quantity).toEqual({ classHours: 69.5238, idle: 0 });
    expect([line.classHours, line.idle, line.monthly]).toEqual([6.9524, 0, 6.9524]);
  });

  it("bills around the clock when there are no class hours to start it for", () => {
    const estimate = estimateCost(resources.slice(0, 1), {
      table: TABLE,
      location: "westeurope",
      assumptions: DEFAULT_ASSUMPTIONS,
      riskThreshold: null,
      period: null,
      clusterStops: true,
    });
    expect(estimate.lines.find((l) => l.meter.id === "vm:Standard_D2s_v5")!.monthly).toBe(146);
  });
});
