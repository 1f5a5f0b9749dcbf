/**
 * Tags: which resource types carry them and which keys every one of them must have.
 * The program applies them in one stack-level transformation; the guardrails check them.
 */

/** azure-native resource types that accept `tags` and that azlab creates. */
export const TAGGABLE_TYPES: readonly string[] = [
  "azure-native:resources:ResourceGroup",
  "azure-native:network:VirtualNetwork",
  "azure-native:network:NetworkSecurityGroup",
  "azure-native:network:ApplicationSecurityGroup",
  "azure-native:network:PublicIPAddress",
  "azure-native:network:NatGateway",
  "azure-native:network:LoadBalancer",
  "azure-native:compute:VirtualMachineScaleSet",
  "azure-native:monitor:AutoscaleSetting",
  "azure-native:storage:StorageAccount",
  "azure-native:containerregistry:Registry",
  "azure-native:containerservice:ManagedCluster",
  "azure-native:containerservice:AgentPool",
];

/** Tag keys every taggable resource must carry in a stack of this kind. */
export function requiredTagKeys(environment: "dev" | "prod" | "class"): string[] {
  const base = ["managed-by", "environment", "owner"];
  return environment === "class" ? [...base, "course", "expires-on"] : base;
}
