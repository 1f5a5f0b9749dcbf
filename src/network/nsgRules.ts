/**
 * NSG rules as plain data: the model users write, its validation and priority assignment.
 * Pure (no Pulumi), so the plan, the policy pack and the NetworkSecurityGroup component share one
 * reading of a rule set, and every problem is found before a resource is registered.
 */
export * from "./nsgModel.ts";
export * from "./nsgNormalize.ts";
export * from "./nsgHelpers.ts";
export * from "./nsgReach.ts";
