/**
 * Defaults and validation for the KubernetesCluster component. Network sizing and overlap checks are
 * delegated to the planner's checkAksNetwork so that `azlab plan` and the component agree; node pools
 * are checked in nodePool.ts.
 */
import type { Problem } from "../../errors.ts";
import { parsePrefix } from "../../cidr/address.ts";
import { checkAksNetwork } from "../../planner/aks.ts";
import { GUID, relative, ROOT } from "../checks.ts";
import { resolveAzureName, resolveNameParts } from "../names.ts";
import { normalizePool } from "./nodePool.ts";
import type {
  KubernetesClusterOptions,
  NormalizedAutoscalerProfile,
  NormalizedKubernetesCluster,
  NormalizedNodePool,
} from "./types.ts";

export type * from "./types.ts";

const POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;
const DNS_PREFIX = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,52}[a-zA-Z0-9])?$/;

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
  const { parts, problems } = resolveNameParts(options, componentName);
  const clusterName = resolveAzureName("managedCluster", options.clusterName, "clusterName", parts, problems);
  const dnsPrefix = options.dnsPrefix ?? clusterName.replace(/_/g, "-").slice(0, 54);
  if (!DNS_PREFIX.test(dnsPrefix)) {
    problems.push({
      path: "dnsPrefix",
      message: "is not a valid DNS prefix",
      value: dnsPrefix,
      allowed: '1 to 54 letters, digits and "-", starting and ending with a letter or digit',
    });
  }
  const skuTier = options.skuTier ?? "Free";

  const networkPlugin = options.networkPlugin ?? "azure-cni-overlay";
  if (networkPlugin !== "azure-cni-overlay" && networkPlugin !== "azure-cni") {
    problems.push({
      path: "networkPlugin",
      message: "is not supported",
      value: networkPlugin,
      allowed: "azure-cni-overlay, azure-cni",
    });
  }
  const networkPolicy = options.networkPolicy ?? "azure";
  if (!["azure", "calico", "cilium"].includes(networkPolicy)) {
    problems.push({
      path: "networkPolicy",
      message: "is not supported",
      value: networkPolicy,
      allowed: "azure, calico, cilium",
    });
  } else if (networkPolicy === "cilium" && networkPlugin !== "azure-cni-overlay") {
    problems.push({
      path: "networkPolicy",
      message:
        "needs networkPlugin azure-cni-overlay: the Cilium dataplane does not run on flat node-subnet Azure CNI here",
      value: networkPolicy,
    });
  }
  if (networkPlugin === "azure-cni-overlay" && options.podCidr === undefined) {
    problems.push({
      path: "podCidr",
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
  poolNameProblem(systemPoolName, "systemPoolName");

  const before = problems.length;
  const systemPool = normalizePool(
    options.systemPool ?? {},
    true,
    networkPlugin,
    (k) => `systemPool.${k}`,
    problems,
  );
  const userPools: Record<string, NormalizedNodePool> = {};
  for (const [key, pool] of Object.entries(options.userPools ?? {})) {
    poolNameProblem(key, `userPools.${key}`);
    if (key === systemPoolName) {
      problems.push({
        path: `userPools.${key}`,
        message: "has the same name as the system pool",
        value: key,
      });
    }
    userPools[key] = normalizePool(pool, false, networkPlugin, (k) => `userPools.${key}.${k}`, problems);
  }
  const poolProblems = problems.length > before;

  const pools = [systemPool, ...Object.values(userPools)];
  const network = checkAksNetwork({
    path: ROOT,
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
  const echoed = new Set(["maxPods", "maxNodes", "maxSurge"]);
  problems.push(...network.map(relative).filter((p) => !(poolProblems && echoed.has(p.path))));

  const admins = options.entraAdminGroupObjectIds ?? [];
  for (const id of admins) {
    if (!GUID.test(id)) {
      problems.push({
        path: "entraAdminGroupObjectIds",
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
        path: "apiServerAuthorizedIpRanges",
        message: "is not a CIDR prefix",
        value: range,
        allowed: "a public prefix such as 203.0.113.0/24",
      });
    }
  }
  const privateClusterEnabled = options.privateClusterEnabled ?? false;
  if (privateClusterEnabled && authorized.length > 0) {
    problems.push({
      path: "apiServerAuthorizedIpRanges",
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
  checkDuration(autoscalerProfile.scanInterval, "s", "autoscalerProfile.scanInterval", problems);
  for (const key of ["scaleDownDelayAfterAdd", "scaleDownUnneededTime", "maxNodeProvisionTime"] as const) {
    checkDuration(autoscalerProfile[key], "m", `autoscalerProfile.${key}`, problems);
  }
  const threshold = profile.scaleDownUtilizationThreshold ?? 0.5;
  if (!(typeof threshold === "number" && threshold > 0 && threshold <= 1)) {
    problems.push({
      path: "autoscalerProfile.scaleDownUtilizationThreshold",
      message: "is out of range",
      value: threshold,
      allowed: "a number above 0 and at most 1",
    });
  }
  if (!["random", "least-waste", "most-pods", "priority"].includes(autoscalerProfile.expander)) {
    problems.push({
      path: "autoscalerProfile.expander",
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
