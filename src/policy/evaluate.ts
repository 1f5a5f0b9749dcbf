/**
 * Runs azlab's guardrail rules over a recorded (offline) stack and applies the stack's overrides.
 * `azlab plan` reports the result as findings; the policy pack in /policy runs the same rules in Pulumi.
 */
import { formatPrefix, type PrefixInput } from "../cidr/address.ts";
import type { RecordedResource } from "../model/recorded.ts";
import { requiredTagKeys } from "../naming/tags.ts";
import { rules as allRules } from "./rules.ts";
import { studentsWithoutIdentity, type StudentIdentityFields } from "../roster/identity.ts";
import type {
  Enforcement,
  PolicyContext,
  PolicyResource,
  PolicyStack,
  Rule,
  RuleOverride,
  Severity,
} from "./types.ts";

export type { PolicyContext } from "./types.ts";

export interface Finding {
  readonly id: string;
  readonly severity: Severity;
  readonly enforcement: Enforcement;
  /** URN of the offending resource, or "stack" for whole-stack problems. */
  readonly resource: string;
  readonly message: string;
  readonly fix: string;
}

/**
 * The parts of a loaded stack file that policy needs. src/config/stackFile.ts's LoadedStack satisfies
 * it; keeping it structural lets tests build a context without a stack file.
 */
export interface PolicyConfigSource {
  readonly stack: string;
  readonly config: {
    readonly environment: PolicyContext["environment"];
    readonly class?:
      | {
          readonly expiresOn: string;
          readonly timeZone?: string;
          readonly students?: Readonly<Record<string, StudentIdentityFields>>;
          readonly budget?: BudgetSource | undefined;
          readonly stopClusterOutsideClassHours?: boolean | undefined;
        }
      | undefined;
    readonly policy?: { readonly overrides?: Readonly<Record<string, RuleOverride>> } | undefined;
    readonly nsg?:
      | {
          readonly waivers?: Readonly<Record<string, { readonly reason: string }>>;
          readonly subnets?: Readonly<
            Record<string, { readonly waivers?: Readonly<Record<string, { readonly reason: string }>> }>
          >;
        }
      | undefined;
    readonly network?: { readonly reservedCidrs?: readonly PrefixInput[] } | undefined;
    readonly location?: string;
    readonly budget?: BudgetSource | undefined;
    readonly cost?: { readonly assumptions?: Readonly<Record<string, number | undefined>> } | undefined;
  };
}

interface BudgetSource {
  readonly amount: number;
  readonly perStudent?: number | undefined;
}

/** The budget a stack sets (a class's under azlab:class.budget) for AZL-COST-001; undefined without one. */
function budgetContext(config: PolicyConfigSource["config"]): PolicyContext["budget"] {
  const classBudget = config.class?.budget;
  const budget = classBudget ?? config.budget;
  if (!budget || config.location === undefined) return undefined;
  return {
    key: classBudget ? "azlab:class.budget" : "azlab:budget",
    amount: budget.amount,
    ...(budget.perStudent !== undefined ? { perStudent: budget.perStudent } : {}),
    location: config.location,
    assumptions: config.cost?.assumptions ?? {},
    ...(config.class?.stopClusterOutsideClassHours ? { stopClusterOutsideClassHours: true } : {}),
  };
}

export function policyContextFromConfig(loaded: PolicyConfigSource, asOf: Date = new Date()): PolicyContext {
  const { config } = loaded;
  const budget = budgetContext(config);
  return {
    environment: config.environment,
    stack: loaded.stack,
    asOf,
    requiredTags: requiredTagKeys(config.environment),
    ...(config.class ? { expiresOn: config.class.expiresOn, timeZone: config.class.timeZone ?? "UTC" } : {}),
    overrides: config.policy?.overrides ?? {},
    // A subnet's own NSG (azlab:nsg.subnets) carries its own waivers; pre-flight already matched each to its NSG.
    nsgWaivers: Object.assign(
      {},
      ...Object.values(config.nsg?.subnets ?? {}).map((subnet) => subnet.waivers ?? {}),
      config.nsg?.waivers ?? {},
    ) as Readonly<Record<string, { readonly reason: string }>>,
    ...(config.class
      ? { studentsWithoutIdentity: studentsWithoutIdentity(config.class.students ?? {}) }
      : {}),
    ...(budget ? { budget } : {}),
    ...(config.network
      ? {
          connectedCidrs: (config.network.reservedCidrs ?? []).map((c) =>
            typeof c === "string" ? c : formatPrefix(c),
          ),
        }
      : {}),
  };
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then by rule id, resource and message, so a committed plan diffs cleanly. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    cmp(a.id, b.id) ||
    cmp(a.resource, b.resource) ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Applies a stack override: "disabled" drops the finding; "advisory" keeps it, marks it advisory and
 * records the stack's reason in the message so a reviewer sees why it was lowered.
 */
export function applyOverride(
  rule: Pick<Rule, "id" | "defaultEnforcement">,
  overrides: PolicyContext["overrides"],
): { enforcement: Enforcement; note: string } | undefined {
  const override = Object.hasOwn(overrides, rule.id) ? overrides[rule.id] : undefined;
  if (override?.enforcement === "disabled") return undefined;
  if (override?.enforcement === "advisory") {
    return { enforcement: "advisory", note: ` [advisory in this stack: ${override.reason}]` };
  }
  return { enforcement: rule.defaultEnforcement, note: "" };
}

export function toPolicyResource(resource: RecordedResource): PolicyResource {
  return {
    type: resource.type,
    name: resource.name,
    urn: resource.urn,
    props: resource.inputs,
    ...(resource.parent ? { parent: resource.parent } : {}),
    dependencies: resource.dependencies,
  };
}

/**
 * Evaluates every rule against the custom resources of an offline run. `outputs` are the stack outputs
 * (secrets as "[secret]"); stack rules that need them are skipped when they are not given.
 */
export function evaluateResources(
  resources: readonly RecordedResource[],
  context: PolicyContext,
  outputs?: Record<string, unknown>,
  rules: readonly Rule[] = allRules,
): Finding[] {
  const cloud = resources.filter((r) => r.custom).map(toPolicyResource);
  const stack: PolicyStack = outputs === undefined ? { resources: cloud } : { resources: cloud, outputs };
  const findings: Finding[] = [];
  for (const rule of rules) {
    const level = applyOverride(rule, context.overrides);
    if (!level) continue;
    const base = { id: rule.id, severity: rule.severity, enforcement: level.enforcement };
    if (rule.kind === "resource") {
      for (const resource of cloud) {
        if (!rule.resourceTypes.includes(resource.type)) continue;
        for (const v of rule.check(resource, context)) {
          findings.push({
            ...base,
            resource: resource.urn ?? resource.name,
            message: v.message + level.note,
            fix: v.fix,
          });
        }
      }
    } else {
      for (const v of rule.check(stack, context)) {
        findings.push({ ...base, resource: v.resource, message: v.message + level.note, fix: v.fix });
      }
    }
  }
  return findings.sort(compareFindings);
}
