/**
 * The class-demo stack's estimate, from the committed price table: every figure is recomputed here from
 * the table's unit price and the line's quantity, so a changed table changes both sides.
 */
import { describe, expect, it } from "vitest";
import { planDocumentOf } from "../../src/cli/commands/plan.ts";
import { loadStackFile } from "../../src/config/stackFile.ts";
import { findPrice, money } from "../../src/cost/estimate.ts";
import { PRICE_TABLE } from "../../src/cost/table.ts";
import { HOURS_PER_MONTH } from "../../src/cost/types.ts";

describe("class-demo's cost estimate", async () => {
  const doc = await planDocumentOf(loadStackFile("stacks/Pulumi.class-demo.yaml", "class-demo"), {
    asOf: new Date("2026-12-01T00:00:00Z"),
  });
  const cost = doc.cost!;
  // Tuesday and Thursday 08:30–12:30: 8 h a week.
  const classHours = (8 * HOURS_PER_MONTH) / 168;
  // 2026-12-01 00:00 UTC to the end of 2027-01-31 in Europe/Amsterdam (23:00 UTC): 61 days and 23 h.
  const periodHours = 61 * 24 + 23;

  it("takes class hours from the scale sets' schedule and the period up to expiresOn", () => {
    expect(cost.classHoursPerMonth).toBe(money(classHours));
    expect(cost.period).toEqual({
      from: "2026-12-01T00:00:00.000Z",
      to: "2027-01-31T23:00:00.000Z",
      hours: periodHours,
    });
  });

  it("names the meter, region, unit and price date of every line, with the table's figure", () => {
    for (const line of cost.lines) {
      expect(line.meter.serviceName).not.toBe("");
      expect(line.meter.meterName).not.toBe("");
      expect(line.region).toBe("westeurope");
      expect(line.unitOfMeasure).not.toBe("");
      const entry = findPrice(PRICE_TABLE, line.meter.id, line.region)!;
      expect(line.unitPrice).toBe(entry.unitPrice);
      expect(line.priceDate).toBe(entry.unitPrice === null ? null : entry.effectiveDate);
      if (line.unitPrice === null)
        expect([line.monthly, line.unpricedReason]).toEqual([null, entry.unpricedReason]);
    }
  });

  it("prices the registry per day and the Free AKS tier at zero, and sums them into the shared total", () => {
    const registry = cost.lines.find((l) => l.meter.id === "acr:Basic")!;
    const price = findPrice(PRICE_TABLE, "acr:Basic", "westeurope")!.unitPrice!;
    const monthly = money((price * HOURS_PER_MONTH) / 24);
    expect(registry).toMatchObject({
      scope: "shared",
      category: "containers",
      unitOfMeasure: "1/Day",
      priceRegion: null,
      monthly,
      classHours: money((price * classHours) / 24),
      idle: money((price * (HOURS_PER_MONTH - classHours)) / 24),
      classPeriod: money((monthly * periodHours) / HOURS_PER_MONTH),
    });
    const aks = cost.lines.find((l) => l.meter.id === "aks:Free")!;
    expect([aks.unitPrice, aks.monthly]).toEqual([0, 0]);
    const priced = cost.lines.filter((l) => l.monthly !== null);
    expect(priced.map((l) => l.meter.id)).toEqual(["aks:Free", "acr:Basic"]);
    expect(cost.total).toEqual({
      hourly: money(monthly / HOURS_PER_MONTH),
      monthly,
      classHours: registry.classHours,
      idle: registry.idle,
      classPeriod: registry.classPeriod,
      priced: 2,
      unpriced: cost.lines.length - 2,
    });
    expect(cost.shared.monthly).toBe(monthly);
    // The hub's AKS cluster (Free tier, node, node disk), its NAT gateway and the gateway's IP.
    expect(cost.lines.filter((l) => l.scope === "hub").map((l) => l.meter.id)).toEqual([
      "aks:Free",
      "disk:Premium_LRS:P10",
      "vm:Standard_D2s_v5",
      "pip:Standard",
      "nat:Standard:data",
      "nat:Standard:hour",
    ]);
    expect(cost.hub).toEqual({
      hourly: 0,
      monthly: 0,
      classHours: 0,
      idle: 0,
      classPeriod: 0,
      priced: 1,
      unpriced: 5,
    });
  });

  it("lists every student's meters, all unpriced in the committed table, never as zero", () => {
    expect(Object.keys(cost.students)).toEqual(["alice", "bob", "carol"]);
    const perStudent = cost.lines.filter((l) => l.student === "alice").map((l) => l.meter.id);
    expect(perStudent.sort()).toEqual([
      "disk:StandardSSD_LRS:E4",
      "lb:Standard:data",
      "lb:Standard:rules",
      "nat:Standard:data",
      "nat:Standard:hour",
      "pip:Standard",
      "pip:Standard",
      "storage:Hot:LRS:capacity",
      "storage:Hot:LRS:read",
      "storage:Hot:LRS:write",
      "vm:Standard_B1s",
    ]);
    expect(cost.students["alice"]).toEqual({
      hourly: 0,
      monthly: 0,
      classHours: 0,
      idle: 0,
      classPeriod: 0,
      priced: 0,
      unpriced: 11,
    });
    // The scale set bills 2 instances in class hours and none outside them (autoscale min 0).
    const vm = cost.lines.find((l) => l.student === "alice" && l.meter.id === "vm:Standard_B1s")!;
    expect(vm.quantity).toEqual({ classHours: money(2 * classHours), idle: 0 });
  });
});
