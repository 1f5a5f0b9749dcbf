import { describe, expect, it } from "vitest";
import { autoscaleScheduleFloor, vmssAutoOsUpgrade } from "../../src/policy/computeRules.ts";
import type { PolicyContext } from "../../src/policy/rules.ts";

const CONTEXT: PolicyContext = {
  environment: "class",
  stack: "class-demo",
  asOf: new Date("2026-11-26T10:00:00Z"),
  requiredTags: [],
  overrides: {},
};

const rules = [{ metricTrigger: { metricName: "Percentage CPU" }, scaleAction: { direction: "Increase" } }];
const capacity = (minimum: number, def: number, maximum: number) => ({
  minimum: String(minimum),
  default: String(def),
  maximum: String(maximum),
});
const weekly = {
  frequency: "Week",
  schedule: { days: ["Tuesday"], hours: [8], minutes: [30], timeZone: "UTC" },
};

function setting(profiles: unknown[]) {
  return { type: "azure-native:monitor:AutoscaleSetting", name: "web-autoscale", props: { profiles } };
}

// "Best practices for autoscale" (learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-best-practices):
// while metrics flow the count stays within minimum..maximum by the rules; `default` applies only when
// metrics are missing. A class-hours profile of min 1, default 2 keeps 1 instance.
describe("AZL-VMSS-004 scheduled autoscale floor", () => {
  it("warns on a schedule whose default exceeds its minimum while metric rules run", () => {
    const violations = autoscaleScheduleFloor.check(
      setting([
        { name: "default", capacity: capacity(1, 1, 2), rules },
        { name: "class-hours", capacity: capacity(1, 2, 2), rules, recurrence: weekly },
        { name: "class-hours-end", capacity: capacity(1, 1, 2), rules, recurrence: weekly },
      ]),
      CONTEXT,
    );
    expect(violations).toEqual([
      {
        message:
          'Profile "class-hours" has default 2 above minimum 1; with metric rules Azure keeps 1 instance(s) while metrics flow',
        fix: "Raise the schedule's min to 2 (the count it should guarantee)",
      },
    ]);
    expect(autoscaleScheduleFloor.severity).toBe("warning");
  });

  it("accepts a schedule whose floor is its minimum, the default profile, and rule-less schedules", () => {
    expect(
      autoscaleScheduleFloor.check(
        setting([
          // The unscheduled profile and the profile that restores it are not schedules.
          { name: "default", capacity: capacity(1, 2, 4), rules },
          { name: "class-hours", capacity: capacity(2, 2, 2), rules, recurrence: weekly },
          { name: "class-hours-end", capacity: capacity(1, 2, 4), rules, recurrence: weekly },
          // Without metric rules the count is the default, so nothing is lost.
          { name: "fixed", capacity: capacity(1, 3, 3), rules: [], recurrence: weekly },
        ]),
        CONTEXT,
      ),
    ).toEqual([]);
  });
});

describe("AZL-VMSS-002 accepts automatic guest patching instead of automatic OS image upgrade", () => {
  const vmss = (patchMode: string) => ({
    type: "azure-native:compute:VirtualMachineScaleSet",
    name: "web",
    props: {
      upgradePolicy: { mode: "Rolling", automaticOSUpgradePolicy: { enableAutomaticOSUpgrade: false } },
      virtualMachineProfile: { osProfile: { linuxConfiguration: { patchSettings: { patchMode } } } },
    },
  });
  it("passes AutomaticByPlatform and flags ImageDefault", () => {
    expect(vmssAutoOsUpgrade.check(vmss("AutomaticByPlatform"), CONTEXT)).toEqual([]);
    expect(vmssAutoOsUpgrade.check(vmss("ImageDefault"), CONTEXT).map((v) => v.message)).toEqual([
      "upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade is not true and guest patching is not AutomaticByPlatform",
    ]);
  });
});
