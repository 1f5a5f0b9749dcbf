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
  const priceOf = (meter: string) => findPrice(PRICE_TABLE, meter, "westeurope")!.unitPrice!;
  const price730 = (meter: string) => priceOf(meter) * HOURS_PER_MONTH;

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
    expect(cost.shared.monthly).toBe(monthly);
    // The hub's AKS cluster (Free tier, node, node disk), its NAT gateway and the gateway's IP: the node
    // subnet has no load balancer of azlab's, so the hub keeps a NAT gateway (src/stack/egress.ts).
    expect(cost.lines.filter((l) => l.scope === "hub").map((l) => l.meter.id)).toEqual([
      "aks:Free",
      "disk:Premium_LRS:P10",
      "vm:Standard_D2s_v5",
      "pip:Standard",
      "nat:Standard:data",
      "nat:Standard:hour",
    ]);
    const hubMonthly = money(
      price730("pip:Standard") + price730("nat:Standard:hour") + priceOf("nat:Standard:data") * 10,
    );
    expect(cost.hub).toMatchObject({ monthly: hubMonthly, priced: 4, unpriced: 2 });
    expect(cost.total).toMatchObject({
      monthly: money(monthly + hubMonthly + 3 * studentMonthly()),
      // The registry, the hub's four and each student's four.
      priced: 1 + 4 + 3 * 4,
      unpriced: 2 + 3 * 4,
    });
  });

  it("lists every student's meters: no NAT gateway, the load balancer carries the egress, unpriced never zero", () => {
    expect(Object.keys(cost.students)).toEqual(["alice", "bob", "carol"]);
    const perStudent = cost.lines.filter((l) => l.student === "alice").map((l) => l.meter.id);
    expect(perStudent.sort()).toEqual([
      "disk:StandardSSD_LRS:E4",
      "lb:Standard:data",
      "lb:Standard:rules",
      "pip:Standard",
      "storage:Hot:LRS:capacity",
      "storage:Hot:LRS:read",
      "storage:Hot:LRS:write",
      "vm:Standard_B1s",
    ]);
    expect(cost.students["alice"]).toMatchObject({ monthly: studentMonthly(), priced: 4, unpriced: 4 });
    const data = cost.lines.find((l) => l.student === "alice" && l.meter.id === "lb:Standard:data")!;
    // The outbound rule moves the NAT gateway's assumed egress onto the load balancer: 10 + 10 GB.
    expect([data.assumption, data.quantity.classHours + data.quantity.idle]).toEqual([
      "loadBalancerDataGb + natGatewayDataGb",
      20,
    ]);
    for (const id of ["vm:Standard_B1s", "storage:Hot:LRS:capacity"]) {
      const line = cost.lines.find((l) => l.student === "alice" && l.meter.id === id)!;
      expect([line.unitPrice, line.monthly]).toEqual([null, null]);
    }
    // The scale set bills 2 instances in class hours and none outside them (autoscale min 0).
    const vm = cost.lines.find((l) => l.student === "alice" && l.meter.id === "vm:Standard_B1s")!;
    expect(vm.quantity).toEqual({ classHours: money(2 * classHours), idle: 0 });
  });

  /** A student's priced lines: two E4 disks in class hours, the LB's hour and 20 GB, the frontend IP. */
  function studentMonthly(): number {
    return money(
      money((priceOf("disk:StandardSSD_LRS:E4") * 2 * classHours) / HOURS_PER_MONTH) +
        money(priceOf("lb:Standard:data") * 20) +
        money(price730("lb:Standard:rules")) +
        money(price730("pip:Standard")),
    );
  }
});
