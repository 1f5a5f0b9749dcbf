/**
 * The parts of a normalized AKS cluster in Azure's ManagedCluster and AgentPool shapes that depend on
 * the user's settings: node pools, API server access and the SKU. The KubernetesCluster component sends
 * these, and `azlab validate` hands the same records to the guardrails (AZL-AKS-004/006) and the cost
 * estimate without running Pulumi. Pure: ids and tags are whatever the caller has.
 */
import type { NormalizedKubernetesCluster, NormalizedNodePool } from "./types.ts";

/** One node pool's properties, the same for the inline system pool and a separate AgentPool. */
export function nodePoolProps<Id, Tags>(pool: NormalizedNodePool, nodeSubnetId: Id, tags: Tags) {
  return {
    vmSize: pool.vmSize,
    osType: "Linux",
    osDiskType: pool.osDiskType,
    count: pool.count,
    enableAutoScaling: pool.autoScalingEnabled,
    ...(pool.autoScalingEnabled ? { minCount: pool.minCount, maxCount: pool.maxCount } : {}),
    maxPods: pool.maxPods,
    availabilityZones: [...pool.zones],
    nodeLabels: { ...pool.nodeLabels },
    nodeTaints: [...pool.nodeTaints],
    upgradeSettings: { maxSurge: String(pool.maxSurge) },
    vnetSubnetID: nodeSubnetId,
    type: "VirtualMachineScaleSets",
    enableNodePublicIP: false,
    tags,
  };
}

/**
 * The API server's authorized ranges: the user's, plus the NAT gateway's egress address when the cluster
 * leaves through one. Nodes reach the API server from the egress address, so it must be authorized when the
 * list is not empty; AKS adds only its own load balancer's outbound IP (api-server-authorized-ip-ranges.md;
 * azure-docs issues #111834 and #97437). An empty list stays empty: it means open, and a lone /32 would
 * lock out everyone else. Undefined: the property is not sent.
 */
export function authorizedIpRanges(
  userRanges: readonly string[],
  egressAddress: string | undefined,
): string[] | undefined {
  if (userRanges.length === 0) return undefined;
  return egressAddress === undefined ? [...userRanges] : [...new Set([...userRanges, `${egressAddress}/32`])];
}

/** `apiServerAccessProfile`; `ranges` is `authorizedIpRanges`' result, or a promise of it. */
export function apiServerAccessProfileProps<Ranges>(
  c: NormalizedKubernetesCluster,
  ranges: Ranges | undefined,
) {
  return {
    enablePrivateCluster: c.privateClusterEnabled,
    disableRunCommand: !c.runCommandEnabled,
    ...(ranges !== undefined ? { authorizedIPRanges: ranges } : {}),
  };
}

/** The cluster's `sku`: the control plane's tier, which the cost estimate bills. */
export function clusterSkuProps(c: NormalizedKubernetesCluster) {
  return { name: "Base", tier: c.skuTier };
}
