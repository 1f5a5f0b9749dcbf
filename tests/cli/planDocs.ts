/**
 * Small hand-made plan documents for the comment and render tests: the shape `azlab plan --format
 * json` writes, with only the fields that matter to the diff filled in.
 */
import { PLAN_VERSION, type PlanDocument, type PlanResource } from "../../src/plan/document.ts";

export const STORAGE = "azure-native:storage:StorageAccount";
export const GROUP = "azure-native:resources:ResourceGroup";

export function resource(
  stack: string,
  type: string,
  name: string,
  inputs: Record<string, unknown> = {},
): PlanResource {
  return {
    urn: `urn:pulumi:${stack}::azlab::${type}::${name}`,
    type,
    name,
    custom: true,
    parent: null,
    dependencies: [],
    protect: false,
    retainOnDelete: false,
    ignoreChanges: [],
    inputs,
    secretInputs: [],
  };
}

export function planOf(stack: string, resources: readonly PlanResource[]): PlanDocument {
  const resourceCounts: Record<string, number> = {};
  for (const r of resources) resourceCounts[r.type] = (resourceCounts[r.type] ?? 0) + 1;
  return {
    version: PLAN_VERSION,
    stack,
    file: `stacks/Pulumi.${stack}.yaml`,
    summary: { resourceCounts, total: resources.length },
    resources: [...resources].sort((a, b) => (a.urn < b.urn ? -1 : 1)),
    network: [],
    nsgRules: [],
    findings: [],
    outputs: {},
  };
}

/** A stack with a resource group and a storage account, tagged `note`. */
export function basicPlan(stack: string, note = "v1"): PlanDocument {
  return planOf(stack, [
    resource(stack, GROUP, "rg", { location: "westeurope", tags: { note } }),
    resource(stack, STORAGE, "data", { location: "westeurope", tags: { note } }),
  ]);
}

/** basicPlan without its storage account: a stateful resource deleted, the one risk. */
export function withoutStorage(stack: string): PlanDocument {
  return planOf(stack, [resource(stack, GROUP, "rg", { location: "westeurope", tags: { note: "v1" } })]);
}
