/**
 * The ScaleSet's autoscale profiles: CPU rules, plus a start and an end profile per schedule. A recurring
 * profile lasts until the next one starts, so each schedule's end brings the default counts back
 * ("Autoscale with multiple profiles", learn.microsoft.com/azure/azure-monitor/autoscale).
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as inputs from "@pulumi/azure-native/types/input.js";
import type { NormalizedCpuRule, NormalizedScaleSet } from "../../src/validation/scaleSet/index.ts";

/** The default profile and the schedule profiles of the set whose id is `vmssId`. */
export function autoscaleProfiles(
  s: NormalizedScaleSet,
  vmssId: pulumi.Input<string>,
): inputs.monitor.AutoscaleProfileArgs[] {
  const cpu = (rule: NormalizedCpuRule, out: boolean): inputs.monitor.ScaleRuleArgs => ({
    metricTrigger: {
      metricName: "Percentage CPU",
      metricNamespace: "microsoft.compute/virtualmachinescalesets",
      metricResourceUri: vmssId,
      timeGrain: rule.timeGrain,
      statistic: "Average",
      timeWindow: rule.timeWindow,
      timeAggregation: "Average",
      operator: out ? "GreaterThan" : "LessThan",
      threshold: rule.cpuThresholdPercent,
    },
    scaleAction: {
      direction: out ? "Increase" : "Decrease",
      type: "ChangeCount",
      value: String(rule.changeCount),
      cooldown: rule.cooldown,
    },
  });
  const rules = [cpu(s.autoscale.scaleOut, true), cpu(s.autoscale.scaleIn, false)];
  const capacity = (c: { minimum: number; default: number; maximum: number }) => ({
    minimum: String(c.minimum),
    default: String(c.default),
    maximum: String(c.maximum),
  });
  // Azure Monitor takes Windows zone ids; the validator converted the IANA name from CLDR windowsZones.
  const weekly = (days: readonly string[], hour: number, minute: number, timeZone: string) => ({
    frequency: "Week" as const,
    schedule: { days: [...days], hours: [hour], minutes: [minute], timeZone },
  });
  const profiles: inputs.monitor.AutoscaleProfileArgs[] = [
    { name: "default", capacity: capacity(s.autoscale), rules },
  ];
  for (const schedule of s.autoscale.schedules) {
    profiles.push({
      name: schedule.name,
      capacity: capacity(schedule),
      rules,
      recurrence: weekly(schedule.days, schedule.startHour, schedule.startMinute, schedule.windowsTimeZone),
    });
    // A recurring profile lasts until the next one starts, so the default counts come back at the end.
    profiles.push({
      name: `${schedule.name}-end`,
      capacity: capacity(s.autoscale),
      rules,
      recurrence: weekly(schedule.days, schedule.endHour, schedule.endMinute, schedule.windowsTimeZone),
    });
  }
  return profiles;
}
