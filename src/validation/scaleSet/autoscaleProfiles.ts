/**
 * The ScaleSet's autoscale profiles: CPU rules, plus a start and an end profile per schedule. A recurring
 * profile lasts until the next one starts, so each schedule's end brings the default counts back
 * ("Autoscale with multiple profiles", learn.microsoft.com/azure/azure-monitor/autoscale).
 * Pure: the ScaleSet component sends these, and `azlab validate` hands them to the cost estimate.
 */
import type { NormalizedCpuRule, NormalizedScaleSet } from "./types.ts";

/** The default profile and the schedule profiles of the set whose id is `vmssId`. */
export function autoscaleProfiles<Id>(s: NormalizedScaleSet, vmssId: Id) {
  const cpu = (rule: NormalizedCpuRule, out: boolean) => ({
    metricTrigger: {
      metricName: "Percentage CPU",
      metricNamespace: "microsoft.compute/virtualmachinescalesets",
      metricResourceUri: vmssId,
      timeGrain: rule.timeGrain,
      statistic: "Average" as const,
      timeWindow: rule.timeWindow,
      timeAggregation: "Average" as const,
      operator: out ? ("GreaterThan" as const) : ("LessThan" as const),
      threshold: rule.cpuThresholdPercent,
    },
    scaleAction: {
      direction: out ? ("Increase" as const) : ("Decrease" as const),
      type: "ChangeCount" as const,
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
  const profiles: {
    name: string;
    capacity: ReturnType<typeof capacity>;
    rules: typeof rules;
    recurrence?: ReturnType<typeof weekly>;
  }[] = [{ name: "default", capacity: capacity(s.autoscale), rules }];
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
