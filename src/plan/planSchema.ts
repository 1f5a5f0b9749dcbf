/**
 * The schema of a plan document (`azlab.plan/v1`), checked before anything reads a plan that came
 * from outside this process: `azlab diff` and `azlab render` take JSON from a pull request's
 * artifact, which anyone who can open a pull request controls.
 *
 * A hostile plan must neither crash nor stall the reader, so the walk is iterative (JSON.parse accepts
 * a million nested arrays; JSON.stringify and any recursive reader overflow the stack on them), every
 * check is linear, and every problem is reported at once, up to a cap, at the path where it is.
 */
import { formatProblem, type Problem } from "../errors.ts";
import { PLAN_VERSION, type PlanDocument } from "./document.ts";
import { costProblems } from "./costSchema.ts";

/** Deepest nesting a plan may have. azlab's own plans stay below 20 (scale set profiles are the deepest). */
export const MAX_PLAN_DEPTH = 64;

/** Problems listed before the rest are only counted, so one broken 40,000-resource plan stays readable. */
export const MAX_PLAN_PROBLEMS = 50;

const FROM_PLAN = "a file written by azlab plan --format json";

/** `urn:pulumi:<stack>::<project>::<type chain>::<name>`; the name may itself contain `::`. */
const URN = /^urn:pulumi:[^:]*::[^:]*::([^:$]+(?::[^:$]+){2}(?:\$[^:$]+(?::[^:$]+){2})*)::(.*)$/s;
/** A Pulumi type token, `package:module:Type`, as the plan records it. */
const TYPE_TOKEN = /^[A-Za-z][\w.-]*:[\w./-]*:[\w.-]+$/;

export interface PlanValidation {
  /** The plan, typed, when there are no problems. */
  readonly plan?: PlanDocument;
  readonly problems: readonly Problem[];
  /** `problems` formatted against the file label, one line each, with a final line for any left out. */
  readonly messages: readonly string[];
}

type Kind = "string" | "number" | "boolean" | "object" | "array" | "null";

function kindOf(value: unknown): Kind | "other" {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  const t = typeof value;
  return t === "string" || t === "number" || t === "boolean" || t === "object" ? t : "other";
}

/** A short description of a value for a message, safe on any depth (it never serialises containers). */
function shown(value: unknown): unknown {
  const kind = kindOf(value);
  if (kind === "array") return `an array of ${(value as unknown[]).length}`;
  if (kind === "object") return "an object";
  return value;
}

class Checker {
  readonly problems: Problem[] = [];
  private dropped = 0;

  add(path: string, message: string, value?: unknown, allowed?: string): void {
    if (this.problems.length >= MAX_PLAN_PROBLEMS) {
      this.dropped++;
      return;
    }
    this.problems.push({
      path,
      message,
      ...(value === undefined ? {} : { value: shown(value) }),
      ...(allowed === undefined ? {} : { allowed }),
    });
  }

  get omitted(): number {
    return this.dropped;
  }

  /** Checks the JSON kind; returns true when it fits. */
  is(value: unknown, kinds: readonly Kind[], path: string): boolean {
    const kind = kindOf(value);
    if ((kinds as readonly string[]).includes(kind)) return true;
    this.add(
      path,
      value === undefined ? "missing" : `must be ${kinds.join(" or ")}`,
      value,
      kinds.join(" or "),
    );
    return false;
  }

  strings(value: unknown, path: string): value is string[] {
    if (!this.is(value, ["array"], path)) return false;
    let ok = true;
    (value as unknown[]).forEach((item, i) => {
      if (typeof item !== "string") {
        this.add(`${path}[${i}]`, "must be a string", item, "a string");
        ok = false;
      }
    });
    return ok;
  }

  count(value: unknown, path: string): void {
    if (typeof value !== "number" || !Number.isFinite(value))
      this.add(path, "must be a number", value, "a number");
  }

  fields(entry: unknown, path: string, spec: Readonly<Record<string, readonly Kind[] | "strings">>): boolean {
    if (!this.is(entry, ["object"], path)) return false;
    const record = entry as Record<string, unknown>;
    let ok = true;
    for (const [key, kinds] of Object.entries(spec)) {
      const value = Object.hasOwn(record, key) ? record[key] : undefined;
      const fits =
        kinds === "strings" ? this.strings(value, `${path}.${key}`) : this.is(value, kinds, `${path}.${key}`);
      ok &&= fits;
    }
    return ok;
  }
}

/** True when `root` nests deeper than `limit`; iterative, and no paths are built on the way. */
function deeperThan(root: unknown, limit: number): boolean {
  const values: unknown[] = [root];
  const depths: number[] = [0];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (child !== null && typeof child === "object") {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/** The path of the first value (depth first) that nests deeper than `limit`; only run on a plan that does. */
function tooDeep(root: unknown, limit: number): string | undefined {
  if (!deeperThan(root, limit)) return undefined;
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: "", depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (depth >= limit) return path || "(top)";
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], path: `${path}[${i}]`, depth: depth + 1 });
    } else {
      const entries = Object.entries(value as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        stack.push({ value: child, path: path ? `${path}.${key}` : key, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

const RESOURCE_FIELDS = {
  urn: ["string"],
  type: ["string"],
  name: ["string"],
  custom: ["boolean"],
  parent: ["string", "null"],
  dependencies: "strings",
  protect: ["boolean"],
  retainOnDelete: ["boolean"],
  ignoreChanges: "strings",
  inputs: ["object"],
  secretInputs: "strings",
} as const;

const VNET_FIELDS = {
  urn: ["string", "null"],
  name: ["string"],
  student: ["string", "null"],
  addressSpace: "strings",
  utilization: ["object"],
  subnets: ["array"],
} as const;

const SUBNET_FIELDS = {
  urn: ["string"],
  name: ["string"],
  cidr: ["string"],
  cidrs: "strings",
  total: ["number"],
  reserved: ["number"],
  usable: ["number"],
  plannedUse: ["number"],
  free: ["number"],
  consumers: "strings",
  nsg: ["string", "null"],
  natGateway: ["boolean"],
} as const;

const RULE_FIELDS = {
  nsg: ["string"],
  name: ["string"],
  priority: ["number", "null"],
  direction: ["string"],
  access: ["string"],
  protocol: ["string"],
  source: "strings",
  destination: "strings",
  ports: "strings",
} as const;

/** One row of the access matrix (src/access/accessMatrix.ts). */
const ACCESS_FIELDS = {
  principal: ["string"],
  principalName: ["string"],
  student: ["string", "null"],
  plane: ["string"],
  role: ["string"],
  roleId: ["string"],
  scope: ["string"],
  scopeUrn: ["string", "null"],
  scopeStudent: ["string", "null"],
  urn: ["string"],
} as const;

const FINDING_FIELDS = {
  id: ["string"],
  severity: ["string"],
  enforcement: ["string"],
  resource: ["string"],
  message: ["string"],
  fix: ["string"],
} as const;

const SEVERITIES: readonly string[] = ["error", "warning", "info"];
const ENFORCEMENTS: readonly string[] = ["mandatory", "advisory", "disabled"];

function checkResources(resources: readonly unknown[], check: Checker): void {
  const firstAt = new Map<string, number>();
  const parents: [string, string, number][] = [];
  resources.forEach((entry, i) => {
    const path = `resources[${i}]`;
    if (!check.fields(entry, path, RESOURCE_FIELDS)) return;
    const r = entry as Record<string, unknown> & {
      urn: string;
      type: string;
      name: string;
      parent: string | null;
    };
    const match = URN.exec(r.urn);
    if (!match) {
      check.add(`${path}.urn`, "is not a Pulumi URN", r.urn, "urn:pulumi:<stack>::<project>::<type>::<name>");
    } else if (match[2] !== r.name || !`$${match[1]}`.endsWith(`$${r.type}`)) {
      check.add(`${path}.urn`, `does not end in this resource's type and name (${r.type}::${r.name})`, r.urn);
    }
    if (!TYPE_TOKEN.test(r.type))
      check.add(`${path}.type`, "is not a type token", r.type, "package:module:Type");
    const seen = firstAt.get(r.urn);
    if (seen !== undefined) {
      check.add(
        `${path}.urn`,
        `is duplicated (also resources[${seen}].urn); a URN names one resource`,
        r.urn,
      );
    } else firstAt.set(r.urn, i);
    if (r.parent !== null) parents.push([r.urn, r.parent, i]);
    if (Object.hasOwn(r, "aliases") && check.strings(r["aliases"], `${path}.aliases`)) {
      (r["aliases"] as string[]).forEach((alias, j) => {
        if (!URN.test(alias)) check.add(`${path}.aliases[${j}]`, "is not a Pulumi URN", alias);
      });
    }
  });
  // Parents name resources of this plan and never loop; the renderers walk these chains.
  const parentOf = new Map<string, string>();
  for (const [urn, parent, i] of parents) {
    if (!firstAt.has(parent)) check.add(`resources[${i}].parent`, "names no resource of this plan", parent);
    else parentOf.set(urn, parent);
  }
  const settled = new Set<string>();
  for (const [start, , i] of parents) {
    const chain = new Set<string>();
    let at: string | undefined = start;
    while (at !== undefined && !settled.has(at)) {
      if (chain.has(at)) {
        check.add(`resources[${i}].parent`, "is part of a parent cycle", parentOf.get(start));
        break;
      }
      chain.add(at);
      at = parentOf.get(at);
    }
    for (const urn of chain) settled.add(urn);
  }
}

/**
 * Checks that `json` (already parsed) is a plan document azlab can read, and returns it typed, or
 * every problem located by its JSON path (`resources[3].urn`). `fileLabel` names the file in `messages`.
 */
export function validatePlanDocument(json: unknown, fileLabel: string): PlanValidation {
  const check = new Checker();
  const deep = tooDeep(json, MAX_PLAN_DEPTH);
  if (deep !== undefined) {
    check.add(
      deep,
      `nests deeper than ${MAX_PLAN_DEPTH} levels`,
      undefined,
      `at most ${MAX_PLAN_DEPTH} levels (${FROM_PLAN})`,
    );
    return result(check, fileLabel);
  }
  if (!check.is(json, ["object"], "(top)")) return result(check, fileLabel);
  const doc = json as Record<string, unknown>;
  if (doc["version"] !== PLAN_VERSION) {
    check.add("version", "is not an azlab plan version", doc["version"], `"${PLAN_VERSION}" (${FROM_PLAN})`);
    return result(check, fileLabel);
  }
  check.is(doc["stack"], ["string"], "stack");
  check.is(doc["file"], ["string"], "file");
  if (Object.hasOwn(doc, "generatedAt")) check.is(doc["generatedAt"], ["string"], "generatedAt");
  if (check.fields(doc["summary"], "summary", { resourceCounts: ["object"], total: ["number"] })) {
    const summary = doc["summary"] as { resourceCounts: Record<string, unknown>; total: unknown };
    for (const [type, n] of Object.entries(summary.resourceCounts))
      check.count(n, `summary.resourceCounts.${type}`);
    check.count(summary.total, "summary.total");
  }
  check.is(doc["outputs"], ["object"], "outputs");
  if (check.is(doc["resources"], ["array"], "resources"))
    checkResources(doc["resources"] as unknown[], check);
  if (check.is(doc["network"], ["array"], "network")) {
    (doc["network"] as unknown[]).forEach((vnet, i) => {
      if (!check.fields(vnet, `network[${i}]`, VNET_FIELDS)) return;
      const { utilization, subnets } = vnet as { utilization: Record<string, unknown>; subnets: unknown[] };
      for (const key of ["total", "allocated", "free", "utilization"])
        check.count(utilization[key], `network[${i}].utilization.${key}`);
      subnets.forEach((subnet, j) => check.fields(subnet, `network[${i}].subnets[${j}]`, SUBNET_FIELDS));
    });
  }
  if (check.is(doc["nsgRules"], ["array"], "nsgRules")) {
    (doc["nsgRules"] as unknown[]).forEach((rule, i) => check.fields(rule, `nsgRules[${i}]`, RULE_FIELDS));
  }
  if (check.is(doc["findings"], ["array"], "findings")) {
    (doc["findings"] as unknown[]).forEach((finding, i) => {
      if (!check.fields(finding, `findings[${i}]`, FINDING_FIELDS)) return;
      const f = finding as { severity: string; enforcement: string };
      if (!SEVERITIES.includes(f.severity))
        check.add(`findings[${i}].severity`, "is not a severity", f.severity, SEVERITIES.join(", "));
      if (!ENFORCEMENTS.includes(f.enforcement))
        check.add(
          `findings[${i}].enforcement`,
          "is not an enforcement",
          f.enforcement,
          ENFORCEMENTS.join(", "),
        );
    });
  }
  // Optional: plans made before the access matrix existed have none.
  if (Object.hasOwn(doc, "access") && check.is(doc["access"], ["array"], "access")) {
    (doc["access"] as unknown[]).forEach((row, i) => check.fields(row, `access[${i}]`, ACCESS_FIELDS));
  }
  // Optional: plans made before estimates existed have none.
  if (Object.hasOwn(doc, "cost")) {
    for (const p of costProblems(doc["cost"])) check.add(p.path, p.message, undefined, p.allowed);
  }
  return result(check, fileLabel, json as PlanDocument);
}

function result(check: Checker, fileLabel: string, plan?: PlanDocument): PlanValidation {
  const messages = check.problems.map((p) => formatProblem(p, fileLabel));
  if (check.omitted > 0) messages.push(`${fileLabel}: … and ${check.omitted} more problems`);
  return check.problems.length === 0 && plan
    ? { plan, problems: [], messages }
    : { problems: check.problems, messages };
}
