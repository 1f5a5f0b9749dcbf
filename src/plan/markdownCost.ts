/**
 * The plan's cost section: the totals first (class, shared, per student), a Mermaid pie of monthly
 * cost by category that GitHub renders, then the meters, folded so that 100 students add no rows, and
 * every unpriced meter, which is never counted as zero.
 */
import type { CostCategory, CostEstimate, CostLine, CostTotals } from "../cost/types.ts";
import type { PlanDocument } from "./document.ts";
import { usd } from "./diffCost.ts";
import { cellCode, mdText } from "./markdownText.ts";

const CATEGORIES: readonly CostCategory[] = ["compute", "network", "storage", "containers"];

function row(label: string, t: CostTotals, period: boolean, across = ""): string {
  // A group with no priced meter has no figure at all: a dash, never $0.00.
  const money = (v: number) => (t.priced === 0 ? "—" : usd(v));
  const cells = [t.hourly, t.monthly, t.classHours, t.idle, ...(period ? [t.classPeriod] : [])].map(money);
  return `| ${label} | ${cells.join(" | ")} | ${t.unpriced > 0 ? `${t.unpriced} unpriced${across}` : "none"} |`;
}

/** Price per unit with enough digits for sub-cent meters (per GB, per hour). */
function unitPrice(value: number): string {
  return `$${Number(value.toPrecision(6))}`;
}

interface MeterGroup {
  first: CostLine;
  lines: number;
  quantity: number;
  monthly: number;
}

/** Lines folded by meter, region and whether they belong to students, so the table never grows with the roster. */
function groupLines(lines: readonly CostLine[]): MeterGroup[] {
  const groups = new Map<string, MeterGroup>();
  for (const line of lines) {
    const key = `${line.scope}|${line.meter.id}|${line.region}|${line.resourceType}`;
    const g = groups.get(key) ?? { first: line, lines: 0, quantity: 0, monthly: 0 };
    g.lines++;
    g.quantity += line.quantity.classHours + line.quantity.idle;
    g.monthly += line.monthly ?? 0;
    groups.set(key, g);
  }
  return [...groups.values()];
}

export function pieChart(cost: CostEstimate): string[] {
  const slices = CATEGORIES.filter((c) => cost.byCategory[c] > 0);
  if (slices.length === 0)
    return ["No priced meter has a monthly cost above zero, so there is no chart.", ""];
  return [
    "```mermaid",
    "pie showData title Monthly cost by category (USD)",
    ...slices.map((c) => `  "${c}" : ${cost.byCategory[c].toFixed(2)}`),
    "```",
    "",
  ];
}

/** The cost section of the plan comment; empty for a plan without an estimate. */
export function costSection(doc: PlanDocument): string[] {
  const cost = doc.cost;
  if (!cost) return [];
  const period = cost.period !== null;
  const studentCount = Object.keys(cost.students).length;
  const lines = [
    "### Cost estimate",
    "",
    `USD at the prices of the table dated ${mdText(cost.pricesUpdated)}; a month is ${cost.hoursPerMonth} h, of which ${cost.classHoursPerMonth.toFixed(1)} h are class hours (from the scale sets' schedules).${period ? ` The class period runs ${mdText(cost.period?.from.slice(0, 10) ?? "")} to ${mdText(cost.period?.to.slice(0, 10) ?? "")}, ${cost.period?.hours ?? 0} h.` : ""} Usage-based meters use the assumptions in \`azlab:cost.assumptions\` (docs/costs.md).`,
    "",
    `| | Hourly | Monthly | Class hours | Idle |${period ? " Class period |" : ""} Unpriced |`,
    `| --- | ---: | ---: | ---: | ---: |${period ? " ---: |" : ""} --- |`,
    row("**Total**", cost.total, period),
    row("Hub", cost.hub, period),
    row("Shared (not in the hub or a student's environment)", cost.shared, period),
    ...(cost.perStudent
      ? [row(`Per student (mean of ${studentCount})`, cost.perStudent, period, " across all students")]
      : []),
    "",
  ];
  if (cost.total.unpriced > 0) {
    lines.push(
      `**${cost.total.unpriced} meters have no price and are not counted** (listed below); the totals are a lower bound. \`azlab prices update\` refreshes the table.`,
      "",
    );
  }
  lines.push(...pieChart(cost));
  const groups = groupLines(cost.lines);
  const priced = groups.filter((g) => g.first.unitPrice !== null);
  const unpriced = groups.filter((g) => g.first.unitPrice === null);
  if (priced.length > 0) {
    lines.push(
      "<details><summary>Priced meters</summary>",
      "",
      "| Meter | Resources | Region | Quantity a month | Unit price | Monthly | Price date |",
      "| --- | ---: | --- | ---: | ---: | ---: | --- |",
      ...priced.map((g) => {
        const l = g.first;
        return `| ${cellCode(`${l.meter.serviceName}: ${l.meter.meterName}`)} (${l.scope}) | ${g.lines} | ${cellCode(l.region)} | ${Number(g.quantity.toFixed(2))} × ${mdText(l.unitOfMeasure)} | ${unitPrice(l.unitPrice ?? 0)} | ${usd(g.monthly)} | ${mdText(l.priceDate ?? "")} |`;
      }),
      "",
      "</details>",
      "",
    );
  }
  if (unpriced.length > 0) {
    lines.push(
      "<details><summary>Unpriced meters</summary>",
      "",
      "| Meter | Resources | Region | Why |",
      "| --- | ---: | --- | --- |",
      ...unpriced.map((g) => {
        const l = g.first;
        return `| ${cellCode(`${l.meter.serviceName || l.resourceType}: ${l.meter.meterName || l.meter.id}`)} (${l.scope}) | ${g.lines} | ${cellCode(l.region)} | ${mdText(l.unpricedReason ?? "")} |`;
      }),
      "",
      "</details>",
      "",
    );
  }
  return lines;
}
