import { describe, expect, it } from "vitest";
import { estimateCost, findPrice, money } from "../../src/cost/estimate.ts";
import { DEFAULT_ASSUMPTIONS, HOURS_PER_MONTH } from "../../src/cost/types.ts";
import { scheduledCounts } from "../../src/cost/usage.ts";
import { firewall, natGateway, registry, scaleSet, TEST_TABLE, vnet } from "./fixtures.ts";

const options = {
  table: TEST_TABLE,
  location: "westeurope",
  assumptions: DEFAULT_ASSUMPTIONS,
  riskThreshold: null,
  period: null,
};

// Tue/Thu 08:30–12:30: 8 h a week; a 730 h month has 730/168 weeks.
const CLASS_HOURS = (8 * HOURS_PER_MONTH) / 168;
const IDLE_HOURS = HOURS_PER_MONTH - CLASS_HOURS;

describe("scheduledCounts", () => {
  it("reads the weekly window and the floors of azlab's autoscale profiles", () => {
    expect(scheduledCounts(scaleSet("alice")[1]!.inputs)).toEqual({
      weeklyHours: 8,
      classMinimum: 2,
      idleMinimum: 1,
    });
  });

  it("counts a window that runs past midnight", () => {
    const profiles = [
      { name: "default", capacity: { minimum: "0" } },
      {
        name: "night",
        capacity: { minimum: "3" },
        recurrence: { schedule: { days: ["Monday"], hours: [22], minutes: [0] } },
      },
      {
        name: "night-end",
        capacity: { minimum: "0" },
        recurrence: { schedule: { days: ["Monday"], hours: [2], minutes: [0] } },
      },
    ];
    expect(scheduledCounts({ profiles })).toEqual({ weeklyHours: 4, classMinimum: 3, idleMinimum: 0 });
  });
});

describe("estimateCost", () => {
  it("bills a scheduled scale set at its class-hours floor in class and its default floor outside", () => {
    const estimate = estimateCost(scaleSet("alice"), options);
    expect(estimate.classHoursPerMonth).toBe(money(CLASS_HOURS));
    const vm = estimate.lines.find((l) => l.meter.id === "vm:Standard_B1s")!;
    expect(vm.quantity).toEqual({ classHours: money(2 * CLASS_HOURS), idle: money(IDLE_HOURS) });
    expect(vm.classHours).toBe(money(0.01 * 2 * CLASS_HOURS));
    expect(vm.idle).toBe(money(0.01 * IDLE_HOURS));
    expect(vm.monthly).toBe(money(0.01 * (2 * CLASS_HOURS + IDLE_HOURS)));
    expect(vm).toMatchObject({
      scope: "student",
      student: "alice",
      category: "compute",
      region: "westeurope",
      priceRegion: "westeurope",
      unitOfMeasure: "1 Hour",
      unitPrice: 0.01,
      priceDate: "2026-11-01",
      source: "https://example.test/vm:Standard_B1s",
      meter: { serviceName: "Virtual Machines", armSkuName: "Standard_B1s", meterName: "B1s" },
    });
    // The OS disk follows the instance count, billed by the month.
    const disk = estimate.lines.find((l) => l.meter.id === "disk:StandardSSD_LRS:E4")!;
    expect(disk.monthly).toBe(money(2 * ((2 * CLASS_HOURS + IDLE_HOURS) / HOURS_PER_MONTH)));
    expect(estimate.students["alice"]).toEqual({
      hourly: money((vm.monthly! + disk.monthly!) / HOURS_PER_MONTH),
      monthly: money(vm.monthly! + disk.monthly!),
      classHours: money(vm.classHours! + disk.classHours!),
      idle: money(vm.idle! + disk.idle!),
      classPeriod: 0,
      priced: 2,
      unpriced: 0,
    });
  });

  it("bills usage meters from the assumptions, and overrides change them", () => {
    const lines = (natGatewayDataGb: number) =>
      estimateCost([natGateway], { ...options, assumptions: { ...DEFAULT_ASSUMPTIONS, natGatewayDataGb } })
        .lines;
    const [data, hour] = lines(10);
    expect(hour).toMatchObject({ meter: { id: "nat:Standard:hour" }, monthly: money(0.05 * 730) });
    expect(data).toMatchObject({
      meter: { id: "nat:Standard:data" },
      monthly: 0.4,
      assumption: "natGatewayDataGb",
    });
    expect(lines(250)[0]!.monthly).toBe(10);
  });

  it("uses a figure the source gives without a region, and says so on the line", () => {
    const [line] = estimateCost([registry], options).lines;
    expect(line).toMatchObject({
      region: "koreacentral",
      priceRegion: null,
      unitOfMeasure: "1/Day",
      unitPrice: 0.2,
    });
    expect(line!.monthly).toBe(money((0.2 * 730) / 24));
  });

  it("lists resources without a price as unpriced, never as zero, and leaves free types out (shared first, then students)", () => {
    const estimate = estimateCost([vnet, firewall, ...scaleSet("bob")], {
      ...options,
      table: { ...TEST_TABLE, prices: [] },
    });
    expect(estimate.lines.map((l) => [l.meter.id, l.monthly, l.unpricedReason])).toEqual([
      [
        "unknown:azure-native:network:AzureFirewall",
        null,
        "azlab has no meter for resource type azure-native:network:AzureFirewall",
      ],
      [
        "disk:StandardSSD_LRS:E4",
        null,
        "the price table has no entry for disk:StandardSSD_LRS:E4 in westeurope; run azlab prices update --regions westeurope",
      ],
      [
        "vm:Standard_B1s",
        null,
        "the price table has no entry for vm:Standard_B1s in westeurope; run azlab prices update --regions westeurope",
      ],
    ]);
    expect(estimate.total).toEqual({
      hourly: 0,
      monthly: 0,
      classHours: 0,
      idle: 0,
      classPeriod: 0,
      priced: 0,
      unpriced: 3,
    });
    expect(estimate.perStudent?.unpriced).toBe(2);
  });

  it("bills the class period at the average hourly rate, in whole hours up to expiry", () => {
    const period = { from: new Date("2026-12-01T00:00:00Z"), to: new Date("2026-12-11T00:00:00Z") };
    const estimate = estimateCost([natGateway], { ...options, period });
    expect(estimate.period).toEqual({
      from: "2026-12-01T00:00:00.000Z",
      to: "2026-12-11T00:00:00.000Z",
      hours: 240,
    });
    const hour = estimate.lines.find((l) => l.meter.id === "nat:Standard:hour")!;
    expect(hour.classPeriod).toBe(money((hour.monthly! * 240) / 730));
    expect(estimate.total.classPeriod).toBe(money(estimate.lines.reduce((s, l) => s + l.classPeriod!, 0)));
  });

  it("sums shared, per-student and category totals from the lines", () => {
    const estimate = estimateCost([...scaleSet("alice"), ...scaleSet("bob"), natGateway, registry], options);
    expect(Object.keys(estimate.students)).toEqual(["alice", "bob"]);
    const sum = (who: string) =>
      money(estimate.lines.filter((l) => (l.student ?? l.scope) === who).reduce((s, l) => s + l.monthly!, 0));
    expect(estimate.shared.monthly).toBe(sum("shared"));
    expect(estimate.perStudent?.monthly).toBe(money((sum("alice") + sum("bob")) / 2));
    expect(estimate.total.monthly).toBe(money(sum("shared") + sum("alice") + sum("bob")));
    expect(estimate.byCategory).toEqual({
      compute: money(2 * money(0.01 * (2 * CLASS_HOURS + IDLE_HOURS))),
      storage: money(2 * money(2 * ((2 * CLASS_HOURS + IDLE_HOURS) / HOURS_PER_MONTH))),
      network: money(0.05 * 730 + 0.4),
      containers: money((0.2 * 730) / 24),
    });
  });
});

describe("findPrice", () => {
  it("prefers the region's own entry over a region-less one", () => {
    const table = {
      ...TEST_TABLE,
      prices: [
        ...TEST_TABLE.prices,
        { ...TEST_TABLE.prices[4]!, armRegionName: "koreacentral", unitPrice: 0.3 },
      ],
    };
    expect(findPrice(table, "acr:Basic", "koreacentral")?.unitPrice).toBe(0.3);
    expect(findPrice(table, "acr:Basic", "westeurope")?.unitPrice).toBe(0.2);
    expect(findPrice(table, "vm:Standard_B1s", "koreacentral")).toBeUndefined();
    // An unpriced regional entry does not hide a priced region-less one.
    const unpricedHere = {
      ...TEST_TABLE,
      prices: [
        ...TEST_TABLE.prices,
        { ...TEST_TABLE.prices[4]!, armRegionName: "westeurope", unitPrice: null },
      ],
    };
    expect(findPrice(unpricedHere, "acr:Basic", "westeurope")?.unitPrice).toBe(0.2);
  });
});
