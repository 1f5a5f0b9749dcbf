/** The ScaleSet's CPU autoscale: capacity, scale rules, class-hour schedules and the instance count. */
import type { Problem } from "../../errors.ts";
import { NETWORK_NAME } from "../../network/nsgRules.ts";
import { timeZoneProblem, windowsTimeZone } from "../../schedule/timeZones.ts";
import { integerProblems, isIntIn } from "../checks.ts";
import { MAX_SCHEDULES, WEEKDAYS } from "./defaults.ts";
import type { CpuRuleOptions, NormalizedCpuRule, NormalizedScaleSet, ScaleSetOptions } from "./types.ts";

export type NormalizedAutoscale = Pick<NormalizedScaleSet, "autoscale" | "instanceCount" | "maxInstances">;

/**
 * Applies the autoscale defaults and collects their problems into `problems`. Azure uses a profile's
 * `default` count only when metrics are missing, so schedules raise `minimum` to add instances
 * ("Best practices for autoscale", learn.microsoft.com/azure/azure-monitor/autoscale).
 */
export function normalizeAutoscale(options: ScaleSetOptions, problems: Problem[]): NormalizedAutoscale {
  const auto = options.autoscale ?? {};
  const minimum = auto.minimum ?? 1;
  const defaultCount = auto.default ?? 2;
  const maximum = auto.maximum ?? 4;
  capacityProblems(minimum, defaultCount, maximum, "autoscale", problems);
  const scaleOut = cpuRule(
    auto.scaleOut,
    { cpuThresholdPercent: 75, timeWindow: "PT5M" },
    "autoscale.scaleOut",
    problems,
  );
  const scaleIn = cpuRule(
    auto.scaleIn,
    { cpuThresholdPercent: 25, timeWindow: "PT10M" },
    "autoscale.scaleIn",
    problems,
  );
  const inRange = (t: number) => t >= 0 && t <= 100;
  if (
    inRange(scaleIn.cpuThresholdPercent) &&
    inRange(scaleOut.cpuThresholdPercent) &&
    scaleIn.cpuThresholdPercent >= scaleOut.cpuThresholdPercent
  ) {
    problems.push({
      path: "autoscale.scaleIn.cpuThresholdPercent",
      message: `must be below the scale-out threshold ${scaleOut.cpuThresholdPercent}, or the set keeps scaling out and in`,
      value: scaleIn.cpuThresholdPercent,
      allowed: `less than ${scaleOut.cpuThresholdPercent}`,
    });
  }
  const scheduleEntries = Object.entries(auto.schedules ?? {});
  if (scheduleEntries.length > MAX_SCHEDULES) {
    problems.push({
      path: "autoscale.schedules",
      message: `has ${scheduleEntries.length} schedules`,
      allowed: `at most ${MAX_SCHEDULES} (Azure allows 20 profiles: a start and an end per schedule, plus the default)`,
    });
  }
  const schedules = scheduleEntries.map(([key, s]) => {
    const path = `autoscale.schedules.${key}`;
    if (!NETWORK_NAME.test(key) || key.length > 76) {
      problems.push({
        path,
        message: "is not a valid schedule name",
        value: key,
        allowed: "1 to 76 letters, digits, underscores, periods or hyphens",
      });
    }
    if (!Array.isArray(s.days) || s.days.length === 0) {
      problems.push({ path: `${path}.days`, message: "is empty", allowed: WEEKDAYS.join(", ") });
    }
    for (const day of s.days ?? []) {
      if (!WEEKDAYS.includes(day))
        problems.push({
          path: `${path}.days`,
          message: "has an unknown day",
          value: day,
          allowed: WEEKDAYS.join(", "),
        });
    }
    const startMinute = s.startMinute ?? 0;
    const endMinute = s.endMinute ?? 0;
    problems.push(...integerProblems(s.startHour, 0, 23, `${path}.startHour`));
    problems.push(...integerProblems(startMinute, 0, 59, `${path}.startMinute`));
    problems.push(...integerProblems(s.endHour, 0, 23, `${path}.endHour`));
    problems.push(...integerProblems(endMinute, 0, 59, `${path}.endMinute`));
    if (s.endHour * 60 + endMinute <= s.startHour * 60 + startMinute) {
      problems.push({
        path: `${path}.endHour`,
        message: "must be later the same day than the start",
        value: `${pad(s.endHour)}:${pad(endMinute)}`,
        allowed: `a time after ${pad(s.startHour)}:${pad(startMinute)}`,
      });
    }
    capacityProblems(s.minimum, s.default, s.maximum, path, problems);
    const timeZone = s.timeZone ?? "UTC";
    const zoneProblem = timeZoneProblem(timeZone);
    if (zoneProblem) problems.push({ path: `${path}.timeZone`, value: timeZone, ...zoneProblem });
    return {
      name: key,
      days: [...(s.days ?? [])],
      startHour: s.startHour,
      startMinute,
      endHour: s.endHour,
      endMinute,
      timeZone,
      windowsTimeZone: windowsTimeZone(timeZone) ?? "UTC",
      minimum: s.minimum,
      default: s.default,
      maximum: s.maximum,
    };
  });
  const autoscaleEnabled = auto.enabled ?? true;
  const instanceCount = options.instanceCount ?? defaultCount;
  problems.push(...integerProblems(instanceCount, 0, 1000, "instanceCount"));
  if (
    autoscaleEnabled &&
    Number.isInteger(instanceCount) &&
    minimum <= maximum &&
    (instanceCount < minimum || instanceCount > maximum)
  ) {
    problems.push({
      path: "instanceCount",
      message: "lies outside the autoscale range",
      value: instanceCount,
      allowed: `an integer from ${minimum} to ${maximum}`,
    });
  }
  const maxInstances = autoscaleEnabled
    ? Math.max(maximum, instanceCount, ...schedules.map((s) => s.maximum))
    : instanceCount;

  return {
    autoscale: {
      enabled: autoscaleEnabled,
      minimum,
      default: defaultCount,
      maximum,
      scaleOut,
      scaleIn,
      schedules,
    },
    instanceCount,
    maxInstances,
  };
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function capacityProblems(
  minimum: number,
  def: number,
  maximum: number,
  path: string,
  problems: Problem[],
): void {
  const counts = { minimum, default: def, maximum };
  for (const [key, value] of Object.entries(counts)) {
    // 0 is allowed: a scale set may autoscale to no instances, which is how a class stops billing its VMs
    // outside class hours (the portal's instance limits are 0–1000: "Configure autoscale", Microsoft Learn
    // module configure-virtual-machine-availability). With no instances there are no metrics, so the
    // profile's `default` applies then and must be 0 too.
    if (!isIntIn(value, 0, 1000)) {
      problems.push({
        path: `${path}.${key}`,
        message: "is out of range",
        value,
        allowed: "an integer from 0 to 1000",
      });
      return;
    }
  }
  if (minimum > def || def > maximum) {
    problems.push({
      path,
      message: "instance counts must satisfy minimum <= default <= maximum",
      value: counts,
    });
  }
}

/** ISO-8601 duration (`PT5M`, `P1D`) to seconds; undefined when it is not one. */
export function durationSeconds(text: string): number | undefined {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  if (!match || text === "P" || text.endsWith("T")) return undefined;
  const [, d, h, m, s] = match.map((part) => Number(part ?? 0));
  return (d ?? 0) * 86400 + (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
}

function cpuRule(
  spec: CpuRuleOptions | undefined,
  defaults: { cpuThresholdPercent: number; timeWindow: string },
  path: string,
  problems: Problem[],
): NormalizedCpuRule {
  const rule: NormalizedCpuRule = {
    cpuThresholdPercent: spec?.cpuThresholdPercent ?? defaults.cpuThresholdPercent,
    timeGrain: spec?.timeGrain ?? "PT1M",
    timeWindow: spec?.timeWindow ?? defaults.timeWindow,
    cooldown: spec?.cooldown ?? "PT5M",
    changeCount: spec?.changeCount ?? 1,
  };
  if (
    typeof rule.cpuThresholdPercent !== "number" ||
    !(rule.cpuThresholdPercent >= 0 && rule.cpuThresholdPercent <= 100)
  ) {
    problems.push({
      path: `${path}.cpuThresholdPercent`,
      message: "is out of range",
      value: rule.cpuThresholdPercent,
      allowed: "a percentage from 0 to 100",
    });
  }
  if (!Number.isInteger(rule.changeCount) || rule.changeCount < 1) {
    problems.push({
      path: `${path}.changeCount`,
      message: "is out of range",
      value: rule.changeCount,
      allowed: "an integer of at least 1",
    });
  }
  const limits: [keyof NormalizedCpuRule, number, number, string][] = [
    ["timeGrain", 60, 43200, "from PT1M to PT12H"],
    ["timeWindow", 300, 43200, "from PT5M to PT12H"],
    ["cooldown", 60, 604800, "from PT1M to P7D"],
  ];
  const seconds: Partial<Record<keyof NormalizedCpuRule, number>> = {};
  for (const [key, lo, hi, allowed] of limits) {
    const value = String(rule[key]);
    const s = durationSeconds(value);
    if (s === undefined || s < lo || s > hi) {
      problems.push({
        path: `${path}.${key}`,
        message: "is not an ISO-8601 duration in range",
        value,
        allowed: `a duration ${allowed}`,
      });
    } else {
      seconds[key] = s;
    }
  }
  if (
    seconds.timeGrain !== undefined &&
    seconds.timeWindow !== undefined &&
    seconds.timeWindow < seconds.timeGrain
  ) {
    problems.push({
      path: `${path}.timeWindow`,
      message: "is shorter than the time grain",
      value: rule.timeWindow,
      allowed: `at least ${rule.timeGrain}`,
    });
  }
  return rule;
}
