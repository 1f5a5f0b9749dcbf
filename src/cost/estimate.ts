/**
 * The cost estimate of a plan: one line per resource and meter, and totals for the class, the shared
 * resources and each student. Pure: the price table, the assumptions and the class period come in as
 * plain data, so the same plan always gives the same estimate. docs/costs.md states every assumption.
 */
import { METER_BY_ID } from "./meters.ts";
import {
  FREE_TYPES,
  rec,
  scheduledCounts,
  usagesOf,
  type CostedResource,
  type ScheduledCounts,
} from "./usage.ts";
import {
  HOURS_PER_MONTH,
  type CostAssumptions,
  type CostCategory,
  type CostEstimate,
  type CostLine,
  type CostTotals,
  type PriceEntry,
  type PriceTable,
} from "./types.ts";

/** Weeks in a 730-hour month (730 / 168 ≈ 4.345). */
const WEEKS_PER_MONTH = HOURS_PER_MONTH / 168;

export interface EstimateOptions {
  readonly table: PriceTable;
  /** The stack's `azlab:location`, for resources whose inputs carry no location. */
  readonly location: string;
  readonly assumptions: CostAssumptions;
  readonly riskThreshold: number | null;
  /** The class period: from the plan's as-of instant to the class's expiry; null outside class stacks. */
  readonly period: { readonly from: Date; readonly to: Date } | null;
  /**
   * `azlab:class.stopClusterOutsideClassHours`: the class-hours workflow stops AKS clusters outside class
   * hours, so their nodes bill in class hours only. Absent: around the clock.
   */
  readonly clusterStops?: boolean;
}

/** Rounds money to 1/10,000 of a dollar, so sums of lines are stable in JSON. */
export function money(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function student(inputs: Record<string, unknown>): string | null {
  const tag = rec(inputs["tags"])["student"];
  const label = rec(rec(inputs["metadata"])["labels"])["azlab.io/student"];
  return typeof tag === "string" && tag ? tag : typeof label === "string" && label ? label : null;
}

/** The class hub: the lab environment the program names "hub" (src/program/compose.ts). */
const HUB_URN_SUFFIX = "azlab:lab:Environment::hub";

/** URNs of every resource under the hub environment, through the parent chain. */
function hubUrns(resources: readonly CostedResource[]): Set<string> {
  const parentOf = new Map(resources.map((r) => [r.urn, r.parent ?? undefined]));
  const inHub = new Set<string>();
  for (const r of resources) {
    const seen = new Set<string>();
    for (let at: string | undefined = r.parent ?? undefined; at && !seen.has(at); at = parentOf.get(at)) {
      seen.add(at);
      if (at.endsWith(`::${HUB_URN_SUFFIX}`) || at.endsWith(`$${HUB_URN_SUFFIX}`)) {
        inHub.add(r.urn);
        break;
      }
    }
  }
  return inHub;
}

const SCOPE_ORDER = { hub: 0, shared: 1, student: 2 } as const;

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The figure for `meter` in `region`: the region's own entry first, then one the source gives for
 * every region.
 */
export function findPrice(table: PriceTable, meter: string, region: string): PriceEntry | undefined {
  const entries = table.prices.filter((p) => p.meter === meter);
  const own = entries.find((p) => p.armRegionName === region);
  const any = entries.find((p) => p.armRegionName === null);
  // A region the API could not price must not hide a figure published for every region.
  return own?.unitPrice === null && any?.unitPrice !== null && any !== undefined ? any : (own ?? any);
}

/** Schedules of the plan's autoscale settings, keyed by the parent they share with their scale set. */
function schedulesByParent(resources: readonly CostedResource[]): Map<string, ScheduledCounts> {
  const out = new Map<string, ScheduledCounts>();
  for (const r of resources) {
    if (r.type !== "azure-native:monitor:AutoscaleSetting" || !r.parent) continue;
    const counts = scheduledCounts(r.inputs);
    if (counts) out.set(r.parent, counts);
  }
  return out;
}

function totals(lines: readonly CostLine[]): CostTotals {
  let monthly = 0;
  let classHours = 0;
  let idle = 0;
  let classPeriod = 0;
  let unpriced = 0;
  for (const line of lines) {
    if (line.monthly === null) {
      unpriced++;
      continue;
    }
    monthly += line.monthly;
    classHours += line.classHours ?? 0;
    idle += line.idle ?? 0;
    classPeriod += line.classPeriod ?? 0;
  }
  return {
    hourly: money(monthly / HOURS_PER_MONTH),
    monthly: money(monthly),
    classHours: money(classHours),
    idle: money(idle),
    classPeriod: money(classPeriod),
    priced: lines.length - unpriced,
    unpriced,
  };
}

function mean(groups: readonly CostTotals[]): CostTotals | null {
  if (groups.length === 0) return null;
  const avg = (pick: (t: CostTotals) => number) =>
    money(groups.reduce((s, t) => s + pick(t), 0) / groups.length);
  return {
    hourly: avg((t) => t.hourly),
    monthly: avg((t) => t.monthly),
    classHours: avg((t) => t.classHours),
    idle: avg((t) => t.idle),
    classPeriod: avg((t) => t.classPeriod),
    priced: groups.reduce((s, t) => s + t.priced, 0),
    unpriced: groups.reduce((s, t) => s + t.unpriced, 0),
  };
}

/**
 * Estimates what the planned resources cost. Class hours per month come from the autoscale schedules
 * (the longest weekly window of any scale set, × 730/168); a scale set bills its class-hours floor
 * then and its default floor outside; everything else bills around the clock (NAT gateways, public
 * IPs and load balancers cannot be paused). The class period is billed at the average hourly rate.
 */
export function estimateCost(resources: readonly CostedResource[], options: EstimateOptions): CostEstimate {
  const schedules = schedulesByParent(resources);
  const hub = hubUrns(resources);
  const weekly = Math.max(0, ...[...schedules.values()].map((s) => s.weeklyHours));
  const classHoursPerMonth = Math.min(HOURS_PER_MONTH, weekly * WEEKS_PER_MONTH);
  const idleHoursPerMonth = HOURS_PER_MONTH - classHoursPerMonth;
  const periodHours = options.period
    ? Math.max(0, Math.ceil((options.period.to.getTime() - options.period.from.getTime()) / 3_600_000))
    : 0;
  const lines: CostLine[] = [];
  for (const resource of resources) {
    if (FREE_TYPES.has(resource.type)) continue;
    const usages = usagesOf(
      resource,
      options.assumptions,
      resource.parent ? schedules.get(resource.parent) : undefined,
      // Only with class hours to start the cluster for: without them the workflow never stops it.
      options.clusterStops === true && classHoursPerMonth > 0,
    );
    if (usages === "free") continue;
    const location = rec(resource.inputs)["location"];
    const region = typeof location === "string" && location ? location : options.location;
    const key = student(resource.inputs);
    const scope = key !== null ? "student" : hub.has(resource.urn) ? "hub" : "shared";
    const list =
      usages === "unknown"
        ? [{ meter: `unknown:${resource.type}`, category: "network" as CostCategory, units: null }]
        : usages;
    for (const { meter: meterId, category, units } of list) {
      const spec = METER_BY_ID.get(meterId);
      // Units per month in class hours and outside them.
      let quantity = { classHours: 0, idle: 0 };
      if (units?.kind === "count" && spec) {
        const perHour = spec.basis === "day" ? 1 / 24 : spec.basis === "month" ? 1 / HOURS_PER_MONTH : 1;
        quantity = {
          classHours: units.classCount * classHoursPerMonth * perHour,
          idle: units.idleCount * idleHoursPerMonth * perHour,
        };
      } else if (units?.kind === "usage") {
        quantity = {
          classHours: (units.monthly * classHoursPerMonth) / HOURS_PER_MONTH,
          idle: (units.monthly * idleHoursPerMonth) / HOURS_PER_MONTH,
        };
      }
      const entry = spec ? findPrice(options.table, meterId, region) : undefined;
      const price = entry?.unitPrice ?? null;
      const reason = !spec
        ? `azlab has no meter for ${meterId.startsWith("unknown:") ? `resource type ${resource.type}` : meterId}`
        : !entry
          ? `the price table has no entry for ${meterId} in ${region}; run azlab prices update --regions ${region}`
          : (entry.unpricedReason ?? "the price table has no figure for this meter");
      const classCost = price === null ? null : money(price * quantity.classHours);
      const idleCost = price === null ? null : money(price * quantity.idle);
      const monthly = price === null ? null : money(price * (quantity.classHours + quantity.idle));
      lines.push({
        urn: resource.urn,
        resourceType: resource.type,
        scope,
        student: key,
        category,
        meter: {
          id: meterId,
          serviceName: spec?.serviceName ?? "",
          armSkuName: spec?.armSkuName ?? "",
          productName: spec?.productName ?? "",
          meterName: spec?.meterName ?? "",
        },
        region,
        priceRegion: entry?.armRegionName ?? null,
        unitOfMeasure: spec?.unitOfMeasure ?? "",
        quantity: { classHours: money(quantity.classHours), idle: money(quantity.idle) },
        unitPrice: price,
        priceDate: price === null ? null : (entry?.effectiveDate ?? null),
        source: price === null ? null : (entry?.source.url ?? null),
        ...(units?.kind === "usage" ? { assumption: units.assumption } : {}),
        ...(price === null ? { unpricedReason: reason } : {}),
        monthly,
        classHours: classCost,
        idle: idleCost,
        classPeriod: monthly === null ? null : money((monthly * periodHours) / HOURS_PER_MONTH),
      });
    }
  }
  lines.sort(
    (a, b) =>
      SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope] ||
      compare(a.student ?? "", b.student ?? "") ||
      compare(a.urn, b.urn) ||
      compare(a.meter.id, b.meter.id),
  );
  const studentKeys = [...new Set(lines.flatMap((l) => (l.student === null ? [] : [l.student])))].sort(
    compare,
  );
  const students = Object.fromEntries(
    studentKeys.map((k) => [k, totals(lines.filter((l) => l.student === k))]),
  );
  const byCategory: Record<CostCategory, number> = { compute: 0, network: 0, storage: 0, containers: 0 };
  for (const line of lines)
    byCategory[line.category] = money(byCategory[line.category] + (line.monthly ?? 0));
  return {
    currency: "USD",
    pricesUpdated: options.table.updated,
    hoursPerMonth: HOURS_PER_MONTH,
    classHoursPerMonth: money(classHoursPerMonth),
    period: options.period
      ? { from: options.period.from.toISOString(), to: options.period.to.toISOString(), hours: periodHours }
      : null,
    assumptions: options.assumptions,
    riskThreshold: options.riskThreshold,
    total: totals(lines),
    hub: totals(lines.filter((l) => l.scope === "hub")),
    shared: totals(lines.filter((l) => l.scope === "shared")),
    students,
    perStudent: mean(Object.values(students)),
    byCategory,
    lines,
  };
}
