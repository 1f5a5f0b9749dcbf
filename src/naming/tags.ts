/**
 * Tags: which resource types carry them, which keys every one of them must have, and how a layer of
 * tags is added. The program adds them with resource transforms (src/program/tags.ts); the
 * guardrails check them.
 */
import { ResourceType } from "../azure/catalog.ts";

/** azure-native resource types that accept `tags` and that azlab creates. */
export const TAGGABLE_TYPES: readonly string[] = [
  ResourceType.ResourceGroup,
  ResourceType.VirtualNetwork,
  ResourceType.NetworkSecurityGroup,
  ResourceType.ApplicationSecurityGroup,
  ResourceType.PublicIPAddress,
  ResourceType.NatGateway,
  ResourceType.LoadBalancer,
  ResourceType.RouteTable,
  ResourceType.BastionHost,
  ResourceType.VirtualMachineScaleSet,
  ResourceType.VirtualMachine,
  ResourceType.NetworkInterface,
  ResourceType.GlobalSchedule,
  ResourceType.AutoscaleSetting,
  ResourceType.StorageAccount,
  ResourceType.Registry,
  ResourceType.ManagedCluster,
  ResourceType.AgentPool,
];

export function isTaggable(type: string): boolean {
  return TAGGABLE_TYPES.includes(type);
}

/** Tag keys every taggable resource must carry in a stack of this kind. */
export function requiredTagKeys(environment: "dev" | "prod" | "class"): string[] {
  const base = ["managed-by", "environment", "owner"];
  return environment === "class" ? [...base, "course", "expires-on"] : base;
}

/**
 * A resource's tags with one more layer over them: on a shared key the added value wins. Existing
 * tags that are not a plain map (none, or a map still unknown during a preview) are replaced.
 */
export function addTags(existing: unknown, added: Readonly<Record<string, string>>): Record<string, unknown> {
  const own = existing && typeof existing === "object" && !Array.isArray(existing) ? existing : {};
  return { ...(own as Record<string, unknown>), ...added };
}
