/** Argument and settings types of the KubernetesCluster component. */
import type { AzureNaming } from "../names.ts";
import type { ClusterAddonOptions } from "./addons.ts";

export type ClusterNetworkPlugin = "azure-cni-overlay" | "azure-cni";
export type ClusterNetworkPolicy = "cilium" | "azure" | "calico" | "none";
export type ClusterOutboundType = "loadBalancer" | "userAssignedNATGateway" | "userDefinedRouting";
export type ClusterUpgradeChannel = "patch" | "stable" | "rapid" | "node-image" | "none";
export type NodeOsUpgradeChannel = "NodeImage" | "SecurityPatch" | "Unmanaged" | "None";
export type AutoscalerExpander = "random" | "least-waste" | "most-pods" | "priority";
export type OsDiskType = "Managed" | "Ephemeral";

/** One node pool. User pools are keyed by their AKS pool name in `userPools`. */
export interface NodePoolOptions {
  /** VM size. Defaults to "Standard_D2s_v5" (2 vCPU, 8 GiB). B-series sizes are refused for the system pool. */
  readonly vmSize?: string;
  /** OS disk type. Defaults to "Managed"; "Ephemeral" needs a VM size whose cache or temp disk fits the OS disk. */
  readonly osDiskType?: OsDiskType;
  /**
   * Lets the cluster autoscaler size the pool between `minCount` and `maxCount`. Defaults to false.
   * When true, `minCount` and `maxCount` are required, `nodeCount` must be left out, and Pulumi ignores
   * changes to the node count so it does not fight the autoscaler.
   */
  readonly autoScalingEnabled?: boolean;
  /** Fixed node count when autoscaling is off: system pool 1 to 1000, user pool 0 to 1000. Defaults to 1. */
  readonly nodeCount?: number;
  /** Fewest nodes when autoscaling: system pool 1 to 1000, user pool 0 to 1000, at most `maxCount`. */
  readonly minCount?: number;
  /** Most nodes when autoscaling, up to 1000. */
  readonly maxCount?: number;
  /** Pods per node, 10 to 250. Defaults to 250 for azure-cni-overlay and 30 for azure-cni. */
  readonly maxPods?: number;
  /** Extra nodes added during an upgrade. Defaults to 1. Counts toward the node subnet size. */
  readonly maxSurge?: number;
  /** Availability zones, each "1", "2" or "3". Defaults to none (regional). */
  readonly zones?: readonly string[];
  /** Kubernetes labels on every node. Defaults to none. */
  readonly nodeLabels?: Readonly<Record<string, string>>;
  /** Taints as `key=value:Effect` (NoSchedule, PreferNoSchedule, NoExecute). Defaults to none. */
  readonly nodeTaints?: readonly string[];
}

/** Cluster autoscaler settings, shared by every autoscaled pool. */
export interface AutoscalerProfileOptions {
  /** How often the autoscaler re-evaluates, in seconds such as "10s". Defaults to "10s". */
  readonly scanInterval?: string;
  /** Wait after a scale-up before scale-down is considered, in minutes such as "10m". Defaults to "10m". */
  readonly scaleDownDelayAfterAdd?: string;
  /** How long a node must be unneeded before removal, in minutes. Defaults to "10m". */
  readonly scaleDownUnneededTime?: string;
  /** Node utilization below which a node may be removed, above 0 and at most 1. Defaults to 0.5. */
  readonly scaleDownUtilizationThreshold?: number;
  /** Longest wait for a new node, in minutes. Defaults to "15m". */
  readonly maxNodeProvisionTime?: string;
  /** Which pool grows on scale-up. Defaults to "random" (AKS's default). */
  readonly expander?: AutoscalerExpander;
}

/**
 * The NAT gateway a cluster with `outboundType: "userAssignedNATGateway"` sends its egress through.
 * `T` is `string` for plain data and `pulumi.Input<string>` in the component's arguments.
 */
export interface ClusterNatGateway<T = string> {
  /** Resource id of the NAT gateway on the node subnet. */
  readonly id: T;
  /** The NAT gateway's public IPv4 address: the cluster's egress address. */
  readonly publicIpAddress: T;
}

/** The plain (non-Output) settings of a KubernetesCluster. */
export interface KubernetesClusterOptions<T = string> extends AzureNaming, ClusterAddonOptions {
  /** Azure name of the cluster, 1 to 63 letters, digits, "-" and "_". Defaults to `aks-<nameParts>`. */
  readonly clusterName?: string;
  /** DNS prefix of the API server FQDN, 1 to 54 letters, digits and "-". Defaults to the cluster name without "_". */
  readonly dnsPrefix?: string;
  /**
   * Control plane tier. Defaults to "Free" (no uptime SLA; fine for labs and dev). Production stacks should use
   * "Standard", the tier with the uptime SLA ("Free, Standard and Premium pricing tiers", free-standard-pricing-tiers.md).
   */
  readonly skuTier?: "Free" | "Standard";
  /**
   * Azure name of the resource group AKS creates for the nodes, at most 63 characters (a node label carries it). Defaults to
   * `rg-<nameParts>-aks-nodes` (hashed when longer), so that it never depends on AKS's `MC_<group>_<cluster>_<region>`.
   * Changing it replaces the cluster.
   */
  readonly nodeResourceGroupName?: string;
  /** AKS name of the system pool, 1 to 12 lowercase letters and digits. Defaults to "system". */
  readonly systemPoolName?: string;
  /** The system pool, declared inline in the cluster. Defaults to one Standard_D2s_v5 node. */
  readonly systemPool?: NodePoolOptions;
  /** User pools keyed by AKS pool name (1 to 12 lowercase letters and digits). Defaults to none. */
  readonly userPools?: Readonly<Record<string, NodePoolOptions>>;
  /** How pods get addresses. Defaults to "azure-cni-overlay" (pods outside the VNet; the subnet holds nodes only). */
  readonly networkPlugin?: ClusterNetworkPlugin;
  /**
   * Network policy engine. Defaults to "cilium", which also selects the Cilium dataplane (Azure CNI powered by
   * Cilium) and needs "azure-cni-overlay". "azure" is Azure Network Policy Manager, retiring on Linux on
   * 2028-09-30; "calico" works with both plugins; "none" enforces no NetworkPolicy at all.
   */
  readonly networkPolicy?: ClusterNetworkPolicy;
  /**
   * Egress path. Defaults to "loadBalancer". Use "userAssignedNATGateway" when the node subnet has a NAT gateway,
   * "userDefinedRouting" when a route table sends egress to a firewall.
   */
  readonly outboundType?: ClusterOutboundType;
  /** Pod CIDR. Required for azure-cni-overlay; ignored for azure-cni. Usually from the network planner. */
  readonly podCidr?: string;
  /** Service CIDR, smaller than a /12. Required. */
  readonly serviceCidr: string;
  /** kube-dns cluster IP inside `serviceCidr`, not its first address. Required. */
  readonly dnsServiceIp: string;
  /** CIDR of the node subnet, for sizing checks (the id goes in `nodeSubnetId`). Required. */
  readonly nodeSubnetCidr: string;
  /** Address space of the node subnet's VNet, for overlap checks. Required. */
  readonly vnetAddressSpace: readonly string[];
  /** Other ranges pods and services must not shadow (peerings, on-premises). Defaults to none. */
  readonly reservedCidrs?: readonly string[];
  /**
   * Entra ID sign-in: managed Entra integration with Azure RBAC for Kubernetes authorization, local accounts
   * disabled (kubeconfigs then need kubelogin, and every user needs an AKS RBAC role or an admin group).
   * Defaults to false: Kubernetes RBAC with local accounts.
   */
  readonly entraEnabled?: boolean;
  /**
   * Entra group object ids that become cluster admins; needs `entraEnabled`. Defaults to none: Entra ID works
   * without admin groups, and access then comes from Azure RBAC role assignments alone.
   */
  readonly entraAdminGroupObjectIds?: readonly string[];
  /**
   * Public CIDRs allowed to reach the API server, at most 200 (199 with a NAT gateway). Defaults to none (open).
   * The machine that runs `pulumi up` must be inside them. With `natGateway`, its public IP is added as a /32
   * so that the nodes can reach the API server. Private, shared (CGNAT), loopback and link-local ranges are
   * refused: the filter only sees public source addresses. Conflicts with `privateClusterEnabled`.
   */
  readonly apiServerAuthorizedIpRanges?: readonly string[];
  /**
   * The NAT gateway on the node subnet. Defaults to none; required when `outboundType` is
   * "userAssignedNATGateway" and refused otherwise. The control-plane identity gets Network Contributor on
   * it, and its address joins the authorized ranges.
   */
  readonly natGateway?: ClusterNatGateway<T>;
  /** Private API server endpoint only. Defaults to false. Conflicts with `apiServerAuthorizedIpRanges`. */
  readonly privateClusterEnabled?: boolean;
  /**
   * Keeps AKS run command (`az aks command invoke`), which runs kubectl in a pod with cluster-admin rights through
   * ARM, bypassing the API server's network rules. Defaults to `privateClusterEnabled`: it is the documented way
   * into a private cluster from outside its VNet, and needless attack surface on a public one.
   */
  readonly runCommandEnabled?: boolean;
  /** Image Cleaner (Eraser) removes unused images from the nodes. Defaults to true. */
  readonly imageCleanerEnabled?: boolean;
  /** How often Image Cleaner runs, in hours, 24 to 2160 (90 days). Defaults to 168 (a week). */
  readonly imageCleanerIntervalHours?: number;
  /** Kubernetes version auto-upgrade channel. Defaults to "patch". */
  readonly upgradeChannel?: ClusterUpgradeChannel;
  /** Node OS image upgrade channel. Defaults to "NodeImage". */
  readonly nodeOsUpgradeChannel?: NodeOsUpgradeChannel;
  /** Cluster autoscaler settings. Defaults as documented on each field. */
  readonly autoscalerProfile?: AutoscalerProfileOptions;
}

export interface NormalizedNodePool {
  readonly vmSize: string;
  readonly osDiskType: OsDiskType;
  readonly autoScalingEnabled: boolean;
  /** Initial node count: `minCount` when autoscaling (then ignored after creation), else the fixed count. */
  readonly count: number;
  readonly minCount?: number;
  readonly maxCount?: number;
  readonly maxPods: number;
  readonly maxSurge: number;
  readonly zones: readonly string[];
  readonly nodeLabels: Readonly<Record<string, string>>;
  readonly nodeTaints: readonly string[];
}

export interface NormalizedAutoscalerProfile {
  readonly scanInterval: string;
  readonly scaleDownDelayAfterAdd: string;
  readonly scaleDownUnneededTime: string;
  readonly scaleDownUtilizationThreshold: string;
  readonly maxNodeProvisionTime: string;
  readonly expander: AutoscalerExpander;
}

export interface NormalizedKubernetesCluster {
  readonly clusterName: string;
  readonly dnsPrefix: string;
  readonly skuTier: "Free" | "Standard";
  readonly systemPoolName: string;
  readonly systemPool: NormalizedNodePool;
  readonly userPools: Readonly<Record<string, NormalizedNodePool>>;
  readonly networkPlugin: ClusterNetworkPlugin;
  readonly networkPolicy: ClusterNetworkPolicy;
  readonly outboundType: ClusterOutboundType;
  readonly podCidr?: string;
  readonly serviceCidr: string;
  readonly dnsServiceIp: string;
  readonly entraEnabled: boolean;
  readonly entraAdminGroupObjectIds: readonly string[];
  readonly apiServerAuthorizedIpRanges: readonly string[];
  readonly privateClusterEnabled: boolean;
  readonly runCommandEnabled: boolean;
  readonly imageCleanerEnabled: boolean;
  readonly imageCleanerIntervalHours: number;
  /** Azure name of the node resource group. */
  readonly nodeResourceGroupName: string;
  readonly upgradeChannel: ClusterUpgradeChannel;
  readonly nodeOsUpgradeChannel: NodeOsUpgradeChannel;
  readonly autoscalerProfile: NormalizedAutoscalerProfile;
  /** Azure name of the user-assigned control-plane identity. */
  readonly identityName: string;
}
