/**
 * Defaults and validation for the KubernetesCluster component. Network sizing and overlap checks are
 * delegated to the planner's checkAksNetwork so that `azlab plan` and the component agree.
 */
import type { Problem } from "../errors.ts";
import { parsePrefix } from "../cidr/address.ts";
import { checkAksNetwork } from "../planner/aks.ts";
import { GUID, isIntIn } from "./checks.ts";

export type ClusterNetworkPlugin = "azure-cni-overlay" | "azure-cni";
export type ClusterNetworkPolicy = "azure" | "calico" | "cilium";
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

/** The plain (non-Output) settings of a KubernetesCluster. */
export interface KubernetesClusterOptions {
  /** Azure name of the cluster, 1 to 63 letters, digits, "-" and "_". Defaults to the component name. */
  readonly clusterName?: string;
  /** DNS prefix of the API server FQDN, 1 to 54 letters, digits and "-". Defaults to the cluster name without "_". */
  readonly dnsPrefix?: string;
  /** Control plane tier. Defaults to "Free" (no uptime SLA; fine for labs). */
  readonly skuTier?: "Free" | "Standard";
  /** AKS name of the system pool, 1 to 12 lowercase letters and digits. Defaults to "system". */
  readonly systemPoolName?: string;
  /** The system pool, declared inline in the cluster. Defaults to one Standard_D2s_v5 node. */
  readonly systemPool?: NodePoolOptions;
  /** User pools keyed by AKS pool name (1 to 12 lowercase letters and digits). Defaults to none. */
  readonly userPools?: Readonly<Record<string, NodePoolOptions>>;
  /** How pods get addresses. Defaults to "azure-cni-overlay" (pods outside the VNet; the subnet holds nodes only). */
  readonly networkPlugin?: ClusterNetworkPlugin;
  /** Network policy engine. Defaults to "azure". "cilium" also selects the Cilium dataplane and needs overlay. */
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
   * Entra group object ids that become cluster admins. When given, the cluster uses Entra ID with Azure RBAC
   * and local accounts are disabled (kubeconfigs then need kubelogin). Defaults to none: Kubernetes RBAC with
   * local accounts.
   */
  readonly entraAdminGroupObjectIds?: readonly string[];
  /** Public CIDRs allowed to reach the API server. Defaults to none (open). Conflicts with `privateClusterEnabled`. */
  readonly apiServerAuthorizedIpRanges?: readonly string[];
  /** Private API server endpoint only. Defaults to false. Conflicts with `apiServerAuthorizedIpRanges`. */
  readonly privateClusterEnabled?: boolean;
  /** Kubernetes version auto-upgrade channel. Defaults to "patch". */
  readonly upgradeChannel?: ClusterUpgradeChannel;
  /** Node OS image upgrade channel. Defaults to "NodeImage". */
  readonly nodeOsUpgradeChannel?: NodeOsUpgradeChannel;
  /** Cluster autoscaler settings. Defaults as documented on each field. */
  readonly autoscalerProfile?: AutoscalerProfileOptions;
  /** Key path shown in error messages. Defaults to the component name. */
  readonly configPath?: string;
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
  readonly entraAdminGroupObjectIds: readonly string[];
  readonly apiServerAuthorizedIpRanges: readonly string[];
  readonly privateClusterEnabled: boolean;
  readonly upgradeChannel: ClusterUpgradeChannel;
  readonly nodeOsUpgradeChannel: NodeOsUpgradeChannel;
  readonly autoscalerProfile: NormalizedAutoscalerProfile;
}

const POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;
const CLUSTER_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?$/;
const DNS_PREFIX = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,52}[a-zA-Z0-9])?$/;
const TAINT = /^[A-Za-z0-9][-A-Za-z0-9_./]*=[-A-Za-z0-9_.]*:(NoSchedule|PreferNoSchedule|NoExecute)$/;
const MAX_POOL_NODES = 1000;

function normalizePool(
  pool: NodePoolOptions,
  system: boolean,
  plugin: ClusterNetworkPlugin,
  at: (key: string) => string,
  problems: Problem[],
): NormalizedNodePool {
  const kind = system ? "system" : "user";
  const lowest = system ? 1 : 0;
  const range = `an integer from ${lowest} to ${MAX_POOL_NODES}`;
  const vmSize = pool.vmSize ?? "Standard_D2s_v5";
  if (system && /^standard_b/i.test(vmSize)) {
    problems.push({
      path: at("vmSize"),
      message: "is a B-series (burstable) size, which AKS does not support for system pools",
      value: vmSize,
      allowed: "a non-B-series size with at least 2 vCPUs and 4 GiB, such as Standard_D2s_v5",
    });
  }
  const osDiskType = pool.osDiskType ?? "Managed";
  if (osDiskType !== "Managed" && osDiskType !== "Ephemeral") {
    problems.push({
      path: at("osDiskType"),
      message: "is not an OS disk type",
      value: osDiskType,
      allowed: "Managed, Ephemeral",
    });
  }

  const autoScalingEnabled = pool.autoScalingEnabled ?? false;
  let count = pool.nodeCount ?? 1;
  if (autoScalingEnabled) {
    if (pool.nodeCount !== undefined) {
      problems.push({
        path: at("nodeCount"),
        message:
          "conflicts with autoScalingEnabled; the autoscaler sets the count between minCount and maxCount",
        value: pool.nodeCount,
      });
    }
    for (const key of ["minCount", "maxCount"] as const) {
      const value = pool[key];
      if (value === undefined) {
        problems.push({
          path: at(key),
          message: "is required when autoScalingEnabled is true",
          allowed: range,
        });
      } else if (!isIntIn(value, lowest, MAX_POOL_NODES)) {
        problems.push({
          path: at(key),
          message: `is out of range for a ${kind} pool`,
          value,
          allowed: range,
        });
      }
    }
    if (pool.minCount !== undefined && pool.maxCount !== undefined && pool.minCount > pool.maxCount) {
      problems.push({
        path: at("minCount"),
        message: "is greater than maxCount",
        value: pool.minCount,
        allowed: `at most maxCount (${pool.maxCount})`,
      });
    }
    count = pool.minCount ?? lowest;
  } else {
    for (const key of ["minCount", "maxCount"] as const) {
      if (pool[key] !== undefined) {
        problems.push({ path: at(key), message: "needs autoScalingEnabled: true", value: pool[key] });
      }
    }
    if (!isIntIn(count, lowest, MAX_POOL_NODES)) {
      problems.push({
        path: at("nodeCount"),
        message: `is out of range for a ${kind} pool`,
        value: count,
        allowed: range,
      });
    }
  }

  const maxPods = pool.maxPods ?? (plugin === "azure-cni-overlay" ? 250 : 30);
  if (!isIntIn(maxPods, 10, 250)) {
    problems.push({
      path: at("maxPods"),
      message: "is outside the range AKS accepts",
      value: maxPods,
      allowed: "an integer from 10 to 250",
    });
  }
  const maxSurge = pool.maxSurge ?? 1;
  if (!isIntIn(maxSurge, 1, MAX_POOL_NODES)) {
    problems.push({
      path: at("maxSurge"),
      message: "is out of range",
      value: maxSurge,
      allowed: `an integer from 1 to ${MAX_POOL_NODES}`,
    });
  }
  const zones = pool.zones ?? [];
  for (const zone of zones) {
    if (!["1", "2", "3"].includes(zone)) {
      problems.push({
        path: at("zones"),
        message: "names an availability zone that does not exist",
        value: zone,
        allowed: '"1", "2", "3"',
      });
    }
  }
  for (const taint of pool.nodeTaints ?? []) {
    if (!TAINT.test(taint)) {
      problems.push({
        path: at("nodeTaints"),
        message: "is not a taint",
        value: taint,
        allowed: "key=value:Effect with Effect NoSchedule, PreferNoSchedule or NoExecute",
      });
    }
  }
  return {
    vmSize,
    osDiskType,
    autoScalingEnabled,
    count,
    ...(autoScalingEnabled ? { minCount: pool.minCount ?? lowest, maxCount: pool.maxCount ?? lowest } : {}),
    maxPods,
    maxSurge,
    zones: [...zones],
    nodeLabels: { ...(pool.nodeLabels ?? {}) },
    nodeTaints: [...(pool.nodeTaints ?? [])],
  };
}

function checkDuration(value: string, unit: "s" | "m", path: string, problems: Problem[]): void {
  if (!new RegExp(`^[1-9][0-9]*${unit}$`).test(value)) {
    problems.push({
      path,
      message: "is not a duration AKS accepts here",
      value,
      allowed: unit === "s" ? 'whole seconds such as "10s"' : 'whole minutes such as "10m"',
    });
  }
}

/** Applies defaults and validates, including checkAksNetwork. Returns the settings, or every problem found. */
export function normalizeKubernetesCluster(
  options: KubernetesClusterOptions,
  componentName: string,
): { value: NormalizedKubernetesCluster; problems: [] } | { value?: undefined; problems: Problem[] } {
  const root = options.configPath ?? componentName;
  const at = (key: string) => `${root}.${key}`;
  const problems: Problem[] = [];

  const clusterName = options.clusterName ?? componentName;
  if (!CLUSTER_NAME.test(clusterName)) {
    problems.push({
      path: at("clusterName"),
      message: "is not a valid AKS cluster name",
      value: clusterName,
      allowed: '1 to 63 letters, digits, "-" and "_", starting and ending with a letter or digit',
    });
  }
  const dnsPrefix = options.dnsPrefix ?? clusterName.replace(/_/g, "-").slice(0, 54);
  if (!DNS_PREFIX.test(dnsPrefix)) {
    problems.push({
      path: at("dnsPrefix"),
      message: "is not a valid DNS prefix",
      value: dnsPrefix,
      allowed: '1 to 54 letters, digits and "-", starting and ending with a letter or digit',
    });
  }
  const skuTier = options.skuTier ?? "Free";

  const networkPlugin = options.networkPlugin ?? "azure-cni-overlay";
  if (networkPlugin !== "azure-cni-overlay" && networkPlugin !== "azure-cni") {
    problems.push({
      path: at("networkPlugin"),
      message: "is not supported",
      value: networkPlugin,
      allowed: "azure-cni-overlay, azure-cni",
    });
  }
  const networkPolicy = options.networkPolicy ?? "azure";
  if (!["azure", "calico", "cilium"].includes(networkPolicy)) {
    problems.push({
      path: at("networkPolicy"),
      message: "is not supported",
      value: networkPolicy,
      allowed: "azure, calico, cilium",
    });
  } else if (networkPolicy === "cilium" && networkPlugin !== "azure-cni-overlay") {
    problems.push({
      path: at("networkPolicy"),
      message:
        "needs networkPlugin azure-cni-overlay: the Cilium dataplane does not run on flat node-subnet Azure CNI here",
      value: networkPolicy,
    });
  }
  if (networkPlugin === "azure-cni-overlay" && options.podCidr === undefined) {
    problems.push({
      path: at("podCidr"),
      message: "is required for azure-cni-overlay",
      allowed: "a private IPv4 prefix such as 10.244.0.0/16",
    });
  }

  const systemPoolName = options.systemPoolName ?? "system";
  const poolNameProblem = (name: string, path: string): void => {
    if (!POOL_NAME.test(name)) {
      problems.push({
        path,
        message: "is not a valid AKS node pool name",
        value: name,
        allowed: "1 to 12 lowercase letters and digits, starting with a letter",
      });
    }
  };
  poolNameProblem(systemPoolName, at("systemPoolName"));

  const before = problems.length;
  const systemPool = normalizePool(
    options.systemPool ?? {},
    true,
    networkPlugin,
    (k) => at(`systemPool.${k}`),
    problems,
  );
  const userPools: Record<string, NormalizedNodePool> = {};
  for (const [key, pool] of Object.entries(options.userPools ?? {})) {
    poolNameProblem(key, at(`userPools.${key}`));
    if (key === systemPoolName) {
      problems.push({
        path: at(`userPools.${key}`),
        message: "has the same name as the system pool",
        value: key,
      });
    }
    userPools[key] = normalizePool(pool, false, networkPlugin, (k) => at(`userPools.${key}.${k}`), problems);
  }
  const poolProblems = problems.length > before;

  const pools = [systemPool, ...Object.values(userPools)];
  const network = checkAksNetwork({
    path: root,
    plugin: networkPlugin,
    nodeSubnetCidr: options.nodeSubnetCidr,
    maxNodes: pools.reduce((sum, p) => sum + (p.autoScalingEnabled ? (p.maxCount ?? 0) : p.count), 0),
    maxSurge: pools.reduce((sum, p) => sum + p.maxSurge, 0),
    maxPods: Math.max(...pools.map((p) => p.maxPods)),
    ...(options.podCidr !== undefined ? { podCidr: options.podCidr } : {}),
    serviceCidr: options.serviceCidr,
    dnsServiceIp: options.dnsServiceIp,
    vnetAddressSpace: [...options.vnetAddressSpace],
    reservedCidrs: [...(options.reservedCidrs ?? [])],
  });
  // Bad pool numbers are already reported per pool; the cluster-wide echo of them would only repeat it.
  const echoed = new Set([at("maxPods"), at("maxNodes"), at("maxSurge")]);
  problems.push(...network.filter((p) => !(poolProblems && echoed.has(p.path))));

  const admins = options.entraAdminGroupObjectIds ?? [];
  for (const id of admins) {
    if (!GUID.test(id)) {
      problems.push({
        path: at("entraAdminGroupObjectIds"),
        message: "is not an Entra object id",
        value: id,
        allowed: "a GUID",
      });
    }
  }
  const authorized = options.apiServerAuthorizedIpRanges ?? [];
  for (const range of authorized) {
    if (!parsePrefix(range)) {
      problems.push({
        path: at("apiServerAuthorizedIpRanges"),
        message: "is not a CIDR prefix",
        value: range,
        allowed: "a public prefix such as 203.0.113.0/24",
      });
    }
  }
  const privateClusterEnabled = options.privateClusterEnabled ?? false;
  if (privateClusterEnabled && authorized.length > 0) {
    problems.push({
      path: at("apiServerAuthorizedIpRanges"),
      message:
        "conflicts with privateClusterEnabled: a private API server has no public endpoint to restrict",
      value: authorized,
      allowed: "either apiServerAuthorizedIpRanges or privateClusterEnabled: true, not both",
    });
  }

  const profile = options.autoscalerProfile ?? {};
  const autoscalerProfile: NormalizedAutoscalerProfile = {
    scanInterval: profile.scanInterval ?? "10s",
    scaleDownDelayAfterAdd: profile.scaleDownDelayAfterAdd ?? "10m",
    scaleDownUnneededTime: profile.scaleDownUnneededTime ?? "10m",
    scaleDownUtilizationThreshold: String(profile.scaleDownUtilizationThreshold ?? 0.5),
    maxNodeProvisionTime: profile.maxNodeProvisionTime ?? "15m",
    expander: profile.expander ?? "random",
  };
  checkDuration(autoscalerProfile.scanInterval, "s", at("autoscalerProfile.scanInterval"), problems);
  for (const key of ["scaleDownDelayAfterAdd", "scaleDownUnneededTime", "maxNodeProvisionTime"] as const) {
    checkDuration(autoscalerProfile[key], "m", at(`autoscalerProfile.${key}`), problems);
  }
  const threshold = profile.scaleDownUtilizationThreshold ?? 0.5;
  if (!(typeof threshold === "number" && threshold > 0 && threshold <= 1)) {
    problems.push({
      path: at("autoscalerProfile.scaleDownUtilizationThreshold"),
      message: "is out of range",
      value: threshold,
      allowed: "a number above 0 and at most 1",
    });
  }
  if (!["random", "least-waste", "most-pods", "priority"].includes(autoscalerProfile.expander)) {
    problems.push({
      path: at("autoscalerProfile.expander"),
      message: "is not an autoscaler expander",
      value: autoscalerProfile.expander,
      allowed: "random, least-waste, most-pods, priority",
    });
  }

  if (problems.length > 0) return { problems };
  return {
    value: {
      clusterName,
      dnsPrefix,
      skuTier,
      systemPoolName,
      systemPool,
      userPools,
      networkPlugin,
      networkPolicy,
      outboundType: options.outboundType ?? "loadBalancer",
      ...(networkPlugin === "azure-cni-overlay" && options.podCidr !== undefined
        ? { podCidr: options.podCidr }
        : {}),
      serviceCidr: options.serviceCidr,
      dnsServiceIp: options.dnsServiceIp,
      entraAdminGroupObjectIds: [...admins],
      apiServerAuthorizedIpRanges: [...authorized],
      privateClusterEnabled,
      upgradeChannel: options.upgradeChannel ?? "patch",
      nodeOsUpgradeChannel: options.nodeOsUpgradeChannel ?? "NodeImage",
      autoscalerProfile,
    },
    problems: [],
  };
}
