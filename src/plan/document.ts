/**
 * The offline plan document: what `azlab plan --format json` writes and `azlab diff` compares.
 *
 * Built from an OfflineRun only (no Azure, no engine), with sorted keys everywhere and no timestamp
 * unless asked, so the JSON of two runs with the same config is byte-identical and a committed plan
 * diffs cleanly. Secrets are already "[secret]" in the run; nothing here can see their values.
 */
import { ResourceType } from "../azure/catalog.ts";
import { compareFindings, type Finding } from "../policy/evaluate.ts";
import type { OfflineRun, RecordedResource } from "../model/recorded.ts";
import type { EstimateOptions } from "../cost/estimate.ts";
import type { CostEstimate } from "../cost/types.ts";
import { planCost } from "./cost.ts";
import { buildAccessMatrix, type AccessRow } from "../access/accessMatrix.ts";
import { buildNetwork, buildNsgRules } from "./planNetwork.ts";
import { canonical, compareText } from "./read.ts";

export { azureName, canonical, compareText, studentTag } from "./read.ts";
export { STUDENT_PLACEHOLDER, studentKeys, templateName } from "./students.ts";

export const PLAN_VERSION = "azlab.plan/v1";

/**
 * A recorded resource as the plan keeps it: lists and input keys sorted, and `parent` null for
 * top-level resources (whose parent is the omitted root stack).
 */
export interface PlanResource extends Omit<RecordedResource, "parent"> {
  readonly parent: string | null;
}

export interface PlanSubnet {
  /** URN of the Subnet resource; the VNet's URN for a subnet declared inline in the VNet. */
  readonly urn: string;
  /** Azure name: `subnetName` (or the inline `name`), else the Pulumi name. */
  readonly name: string;
  /** First prefix of the subnet; the figures below are for this block. */
  readonly cidr: string;
  /** Every prefix (`addressPrefix` or `addressPrefixes`). */
  readonly cidrs: readonly string[];
  readonly total: number;
  readonly reserved: number;
  readonly usable: number;
  /**
   * Addresses of this subnet the plan itself takes at its maximum scale: scale set instances (the
   * autoscale maximum), AKS nodes plus surge (times maxPods + 1 for flat Azure CNI) and internal
   * load balancer frontends. Nothing outside the plan is known offline.
   */
  readonly plannedUse: number;
  /** `usable − plannedUse`; negative when the plan does not fit at full scale. */
  readonly free: number;
  /** What makes up `plannedUse`, one line per resource or node pool, sorted. */
  readonly consumers: readonly string[];
  /** Name of the attached NSG, or null. */
  readonly nsg: string | null;
  readonly natGateway: boolean;
}

export interface PlanVnet {
  /** URN of the VNet; null for subnets of a VNet this stack does not declare. */
  readonly urn: string | null;
  /** Azure name: `virtualNetworkName`, else the Pulumi name. */
  readonly name: string;
  /** The `student` tag of the VNet, when there is one. */
  readonly student: string | null;
  readonly addressSpace: readonly string[];
  readonly utilization: { total: number; allocated: number; free: number; utilization: number };
  /** Sorted by name. */
  readonly subnets: readonly PlanSubnet[];
}

export interface PlanNsgRule {
  /** Azure name of the NSG the rule belongs to. */
  readonly nsg: string;
  readonly name: string;
  readonly priority: number | null;
  readonly direction: string;
  readonly access: string;
  readonly protocol: string;
  /** Source prefixes (or application security group ids). */
  readonly source: readonly string[];
  readonly destination: readonly string[];
  /** Destination port ranges. */
  readonly ports: readonly string[];
}

export interface PlanDocument {
  readonly version: typeof PLAN_VERSION;
  readonly stack: string;
  /** The stack file the plan was made from, as given. */
  readonly file: string;
  /** ISO time; only with `--timestamp`. */
  readonly generatedAt?: string;
  readonly summary: { readonly resourceCounts: Record<string, number>; readonly total: number };
  /** Sorted by URN; the root pulumi:pulumi:Stack is left out. */
  readonly resources: readonly PlanResource[];
  /** Sorted by VNet name, then URN. */
  readonly network: readonly PlanVnet[];
  /** Sorted by NSG, direction, priority, name. */
  readonly nsgRules: readonly PlanNsgRule[];
  /** Sorted: errors, warnings, info; then id, resource, message. */
  readonly findings: readonly Finding[];
  /** Stack outputs with sorted keys; secrets are "[secret]". */
  readonly outputs: Record<string, unknown>;
  /**
   * Who may do what where: every role assignment and RoleBinding as principal, role and scope
   * (src/access/accessMatrix.ts). Absent in plans made by older azlab.
   */
  readonly access?: readonly AccessRow[];
  /** The cost estimate (docs/costs.md); absent in plans made without one, such as older azlab's. */
  readonly cost?: CostEstimate;
}

export interface PlanMeta {
  readonly stack: string;
  readonly file: string;
  readonly findings: readonly Finding[];
  readonly generatedAt?: string;
  /** Prices, assumptions and class period for the estimate; without them the plan has no `cost`. */
  readonly cost?: EstimateOptions;
}

function toPlanResource(resource: RecordedResource, rootUrns: ReadonlySet<string>): PlanResource {
  return {
    urn: resource.urn,
    type: resource.type,
    name: resource.name,
    custom: resource.custom,
    parent: resource.parent && !rootUrns.has(resource.parent) ? resource.parent : null,
    dependencies: [...resource.dependencies].filter((urn) => !rootUrns.has(urn)).sort(compareText),
    protect: resource.protect,
    retainOnDelete: resource.retainOnDelete,
    ignoreChanges: [...resource.ignoreChanges].sort(compareText),
    inputs: canonical(resource.inputs) as Record<string, unknown>,
    secretInputs: [...resource.secretInputs].sort(compareText),
    // Only when declared, so plans of stacks without aliases read as before.
    ...(resource.aliases?.length ? { aliases: [...new Set(resource.aliases)].sort(compareText) } : {}),
  };
}

/** Builds the plan document of one offline run. Pure: same run and meta, same document. */
export function buildPlanDocument(run: OfflineRun, meta: PlanMeta): PlanDocument {
  const rootUrns = new Set(run.resources.filter((r) => r.type === ResourceType.Stack).map((r) => r.urn));
  const kept = run.resources.filter((r) => !rootUrns.has(r.urn));
  const resources = kept.map((r) => toPlanResource(r, rootUrns)).sort((a, b) => compareText(a.urn, b.urn));
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return {
    version: PLAN_VERSION,
    stack: meta.stack,
    file: meta.file,
    ...(meta.generatedAt !== undefined ? { generatedAt: meta.generatedAt } : {}),
    summary: {
      resourceCounts: Object.fromEntries([...counts].sort(([a], [b]) => compareText(a, b))),
      total: resources.length,
    },
    resources,
    network: buildNetwork(kept),
    nsgRules: buildNsgRules(kept),
    findings: [...meta.findings].map((f) => canonical(f) as Finding).sort(compareFindings),
    outputs: canonical(run.outputs) as Record<string, unknown>,
    access: buildAccessMatrix(kept, run.outputs),
    ...(meta.cost ? { cost: planCost(kept, meta.cost) } : {}),
  };
}

/** The JSON text of a plan: two-space indent and a final newline. */
export function serializePlan(doc: PlanDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
