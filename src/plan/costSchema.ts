/**
 * The `cost` member of a plan document, checked before `azlab diff` and `azlab render` read it: a
 * plan from a pull request is untrusted. Linear and non-recursive (the plan's depth is capped first).
 */
import type { Problem } from "../errors.ts";

const CATEGORIES: readonly string[] = ["compute", "network", "storage", "containers"];
const TOTALS = ["hourly", "monthly", "classHours", "idle", "classPeriod", "priced", "unpriced"] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Every problem of `cost` (at `cost.…` paths); an empty list when it is an estimate azlab can read. */
export function costProblems(cost: unknown): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string, allowed: string) => problems.push({ path, message, allowed });
  if (!isRecord(cost)) {
    add("cost", "must be an object", "a cost estimate written by azlab plan");
    return problems;
  }
  const totals = (value: unknown, path: string) => {
    if (!isRecord(value)) {
      add(path, "must be an object", "cost totals");
      return;
    }
    for (const key of TOTALS)
      if (!isNumber(value[key])) add(`${path}.${key}`, "must be a number", "a number");
  };
  if (cost["currency"] !== "USD") add("cost.currency", "is not a supported currency", "USD");
  if (!(cost["riskThreshold"] === null || isNumber(cost["riskThreshold"])))
    add("cost.riskThreshold", "must be a number or null", "a number or null");
  if (!(cost["period"] === null || (isRecord(cost["period"]) && isNumber(cost["period"]["hours"]))))
    add("cost.period", "must be null or an object with hours", "null or { from, to, hours }");
  totals(cost["total"], "cost.total");
  totals(cost["hub"], "cost.hub");
  totals(cost["shared"], "cost.shared");
  if (cost["perStudent"] !== null) totals(cost["perStudent"], "cost.perStudent");
  if (isRecord(cost["students"])) {
    for (const [key, value] of Object.entries(cost["students"])) totals(value, `cost.students.${key}`);
  } else add("cost.students", "must be an object", "student key → totals");
  if (isRecord(cost["byCategory"])) {
    for (const key of CATEGORIES)
      if (!isNumber(cost["byCategory"][key])) add(`cost.byCategory.${key}`, "must be a number", "a number");
  } else add("cost.byCategory", "must be an object", "category → monthly USD");
  if (!Array.isArray(cost["lines"])) {
    add("cost.lines", "must be an array", "cost lines");
    return problems;
  }
  (cost["lines"] as unknown[]).forEach((line, i) => {
    const path = `cost.lines[${i}]`;
    if (!isRecord(line)) {
      add(path, "must be an object", "a cost line");
      return;
    }
    for (const key of ["urn", "resourceType", "region", "unitOfMeasure"])
      if (typeof line[key] !== "string") add(`${path}.${key}`, "must be a string", "a string");
    if (!["student", "hub", "shared"].includes(line["scope"] as string))
      add(`${path}.scope`, "is not a cost scope", "student, hub, shared");
    if (!(line["student"] === null || typeof line["student"] === "string"))
      add(`${path}.student`, "must be a string or null", "a student key or null");
    if (!CATEGORIES.includes(line["category"] as string))
      add(`${path}.category`, "is not a cost category", CATEGORIES.join(", "));
    const meter = line["meter"];
    if (!isRecord(meter) || typeof meter["id"] !== "string" || typeof meter["meterName"] !== "string")
      add(`${path}.meter`, "must name its meter", "{ id, serviceName, armSkuName, productName, meterName }");
    for (const key of ["unitPrice", "monthly", "classHours", "idle", "classPeriod"])
      if (!(line[key] === null || isNumber(line[key])))
        add(`${path}.${key}`, "must be a number or null", "a number or null");
    if (!(line["priceDate"] === null || typeof line["priceDate"] === "string"))
      add(`${path}.priceDate`, "must be a date or null", "YYYY-MM-DD or null");
  });
  return problems;
}
