/**
 * Defaults and validation for the KubernetesCluster component. Network sizing and overlap checks are
 * delegated to the planner's checkAksNetwork so that `azlab plan` and the component agree; node pools
 * are checked in nodePool.ts.
 */
import type { Problem } from "../../errors.ts";
import { contains, parsePrefix, type Prefix } from "../../cidr/address.ts";
import { checkAksNetwork } from "../../planner/aks.ts";
import { GUID, isIntIn, relative, ROOT } from "../checks.ts";
import { resolveAzureName, resolveNameParts } from "../names.ts";
import { normalizePool } from "./nodePool.ts";
import type {
  KubernetesClusterOptions,
  NormalizedAutoscalerProfile,
  NormalizedKubernetesCluster,
  NormalizedNodePool,
} from "./types.ts";
import { defaultDnsPrefix } from "../../naming/azureNames.ts";

export type * from "./types.ts";

const POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;
const NETWORK_POLICIES: readonly string[] = ["cilium", "azure", "calico", "none"];

/**
 * Image Cleaner's interval: a week by default, at least 24 hours and at most three months ("Use Image Cleaner",
 * azure-aks-docs image-cleaner.md, `--image-cleaner-interval-hours`).
 */
export const IMAGE_CLEANER_INTERVAL_HOURS = { default: 168, min: 24, max: 2160 } as const;

/**
 * Source ranges that never reach the API server's public endpoint, so an authorized range inside one never
 * matches anything: the filter sees only public source addresses ("Secure access to the API server using
 * authorized IP address ranges in AKS", azure-aks-docs api-server-authorized-ip-ranges.md). The ranges are
 * IANA's special-purpose registry entries: RFC 1918, RFC 6598, RFC 1122, RFC 3927, RFC 4193 and RFC 4291.
 */
export const NON_PUBLIC_SOURCE_RANGES: Readonly<Record<string, string>> = {
  "10.0.0.0/8": "a private (RFC 1918) range",
  "172.16.0.0/12": "a private (RFC 1918) range",
  "192.168.0.0/16": "a private (RFC 1918) range",
  "100.64.0.0/10": "shared address space (CGNAT, RFC 6598)",
  "127.0.0.0/8": "a loopback range",
  "169.254.0.0/16": "a link-local range",
  "fc00::/7": "a unique local (private IPv6) range",
  "::1/128": "the IPv6 loopback address",
  "fe80::/10": "a link-local range",
};
const NON_PUBLIC_PREFIXES: readonly [Prefix, string][] = Object.entries(NON_PUBLIC_SOURCE_RANGES).map(
  ([range, kind]) => [parsePrefix(range) as Prefix, kind],
);

/** The most authorized ranges AKS accepts on one cluster (same page, "Limitations and considerations"). */
export const MAX_AUTHORIZED_IP_RANGES = 200;
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
export function normalizeKubernetesCluster<T = string>(
  options: KubernetesClusterOptions<T>,
  componentName: string,
): { value: NormalizedKubernetesCluster; problems: [] } | { value?: undefined; problems: Problem[] } {
  const { parts, problems } = resolveNameParts(options, componentName);
  const clusterName = resolveAzureName("managedCluster", options.clusterName, "clusterName", parts, problems);
  const dnsPrefix = options.dnsPrefix ?? defaultDnsPrefix(clusterName);
  if (!DNS_PREFIX.test(dnsPrefix)) {
    problems.push({
      path: "dnsPrefix",
      message: "is not a valid DNS prefix",
      value: dnsPrefix,
      allowed: '1 to 54 letters, digits and "-", starting and ending with a letter or digit',
    });
  }
  // The cluster's control-plane identity, `id-<parts>-aks`; it shares the cluster's name parts.
  const identityName = resolveAzureName(
    "userAssignedIdentity",
    undefined,
    "nameParts",
    parts,
    problems,
    "aks",
  );
  const skuTier = options.skuTier ?? "Free";
  if (skuTier !== "Free" && skuTier !== "Standard") {
    problems.push({
      path: "skuTier",
      message: "is not an AKS tier",
      value: skuTier,
      allowed: "Free, Standard",
    });
  }
  // AKS's default node group, `MC_<group>_<cluster>_<region>`, grows with three names and can pass the limit;
  // a name of our own is short, deterministic and hashed when long (see AZURE_NAME_RULES.nodeResourceGroup).
  const nodeResourceGroupName = resolveAzureName(
    "nodeResourceGroup",
    options.nodeResourceGroupName,
    "nodeResourceGroupName",
    parts,
    problems,
    "aks-nodes",
  );

  const networkPlugin = options.networkPlugin ?? "azure-cni-overlay";
  if (networkPlugin !== "azure-cni-overlay" && networkPlugin !== "azure-cni") {
    problems.push({
      path: "networkPlugin",
      message: "is not supported",
      value: networkPlugin,
      allowed: "azure-cni-overlay, azure-cni",
    });
  }
  // Cilium is the default: Azure Network Policy Manager on Linux retires on 2028-09-30 (Azure Updates 500268) and
  // Microsoft recommends Azure CNI powered by Cilium instead. The Cilium dataplane assigns pod addresses from an
  // overlay or from a pod subnet ("Configure Azure CNI Powered by Cilium", azure-cni-powered-by-cilium.md); on
  // flat node-subnet Azure CNI it needs the preview subscription feature EnableCiliumNodeSubnet, which azlab
  // does not rely on. networkPolicy "cilium" requires networkDataplane "cilium" (ManagedCluster API, NetworkPolicy).
  const networkPolicy = options.networkPolicy ?? "cilium";
  if (!NETWORK_POLICIES.includes(networkPolicy)) {
    problems.push({
      path: "networkPolicy",
      message: "is not supported",
      value: networkPolicy,
      allowed: NETWORK_POLICIES.join(", "),
    });
  } else if (networkPolicy === "cilium" && networkPlugin !== "azure-cni-overlay") {
    problems.push({
      path: "networkPolicy",
      message:
        options.networkPolicy === undefined
          ? "defaults to cilium, which needs networkPlugin azure-cni-overlay: Cilium on flat node-subnet Azure CNI is a preview behind the EnableCiliumNodeSubnet feature flag"
          : "needs networkPlugin azure-cni-overlay: Cilium on flat node-subnet Azure CNI is a preview behind the EnableCiliumNodeSubnet feature flag",
      value: networkPolicy,
      allowed: `networkPlugin azure-cni-overlay, or networkPolicy calico, azure or none with ${networkPlugin}`,
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
  const entraEnabled = options.entraEnabled ?? false;
  // Admin groups are part of the Entra profile (aadProfile.adminGroupObjectIDs); without Entra ID they would be
  // dropped silently and nobody in them could sign in.
  if (!entraEnabled && admins.length > 0) {
    problems.push({
      path: "entraEnabled",
      message: `${options.entraEnabled === undefined ? "is not set, so Entra ID is off" : "is false"}, but entraAdminGroupObjectIds names ${
        admins.length
      } admin group${admins.length === 1 ? "" : "s"}, which only an Entra sign-in can use`,
      value: options.entraEnabled,
      allowed: "true (Entra ID with Azure RBAC, local accounts off), or no entraAdminGroupObjectIds",
    });
  }
  const authorized = options.apiServerAuthorizedIpRanges ?? [];
  const outboundType = options.outboundType ?? "loadBalancer";
  const natGateway = options.natGateway !== undefined;
  for (const [i, range] of authorized.entries()) {
    const prefix = parsePrefix(range);
    const nonPublic = prefix ? NON_PUBLIC_PREFIXES.find(([block]) => contains(block, prefix)) : undefined;
    if (!prefix || nonPublic) {
      problems.push({
        path: `apiServerAuthorizedIpRanges[${i}]`,
        message: nonPublic
          ? `is ${nonPublic[1]}, which never matches: the API server only sees public source addresses`
          : "is not a CIDR prefix",
        value: range,
        allowed:
          "a public prefix that holds the addresses of the admins and of the machine running `pulumi up`",
      });
    }
  }
  // The NAT gateway's /32 is added to the list (see the component), so it takes one of the 200 places.
  const limit = MAX_AUTHORIZED_IP_RANGES - (natGateway && authorized.length > 0 ? 1 : 0);
  if (authorized.length > limit) {
    problems.push({
      path: "apiServerAuthorizedIpRanges",
      message: `has ${authorized.length} ranges; AKS accepts at most ${MAX_AUTHORIZED_IP_RANGES}${limit < MAX_AUTHORIZED_IP_RANGES ? ", and the NAT gateway's address takes one" : ""}`,
      value: authorized.length,
      allowed: `at most ${limit} ranges; merge neighbouring ranges`,
    });
  }
  // AKS uses a user-assigned NAT gateway that is already on the node subnet; the component needs it to
  // grant the cluster identity access and to authorize its address (nat-gateway.md, userAssignedNATGateway).
  if (outboundType === "userAssignedNATGateway" && !natGateway) {
    problems.push({
      path: "natGateway",
      message: "is required when outboundType is userAssignedNATGateway",
      allowed: "the id and public IP address of the NAT gateway on the node subnet",
    });
  } else if (outboundType !== "userAssignedNATGateway" && natGateway) {
    problems.push({
      path: "natGateway",
      message: "is only used when outboundType is userAssignedNATGateway",
      value: outboundType,
      allowed: 'outboundType "userAssignedNATGateway", or leave natGateway out',
    });
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

  // Run command gives cluster-admin kubectl through ARM, around the API server's network rules; a private
  // cluster keeps it by default because it is the documented way in from outside the VNet ("Access a private
  // AKS cluster remotely", access-private-cluster.md; "disable run command" in the same page).
  const runCommandEnabled = options.runCommandEnabled ?? privateClusterEnabled;
  if (typeof runCommandEnabled !== "boolean") {
    problems.push({ path: "runCommandEnabled", message: "is not a boolean", value: runCommandEnabled });
  }
  const imageCleanerEnabled = options.imageCleanerEnabled ?? true;
  const interval = options.imageCleanerIntervalHours ?? IMAGE_CLEANER_INTERVAL_HOURS.default;
  if (!isIntIn(interval, IMAGE_CLEANER_INTERVAL_HOURS.min, IMAGE_CLEANER_INTERVAL_HOURS.max)) {
    problems.push({
      path: "imageCleanerIntervalHours",
      message: "is out of range",
      value: interval,
      allowed: `whole hours from ${IMAGE_CLEANER_INTERVAL_HOURS.min} (a day) to ${IMAGE_CLEANER_INTERVAL_HOURS.max} (90 days)`,
    });
  } else if (!imageCleanerEnabled && options.imageCleanerIntervalHours !== undefined) {
    problems.push({
      path: "imageCleanerIntervalHours",
      message: "is set but imageCleanerEnabled is false",
      value: interval,
      allowed: "imageCleanerEnabled: true, or leave imageCleanerIntervalHours out",
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
      outboundType,
      ...(networkPlugin === "azure-cni-overlay" && options.podCidr !== undefined
        ? { podCidr: options.podCidr }
        : {}),
      serviceCidr: options.serviceCidr,
      dnsServiceIp: options.dnsServiceIp,
      entraEnabled,
      entraAdminGroupObjectIds: [...admins],
      apiServerAuthorizedIpRanges: [...authorized],
      privateClusterEnabled,
      runCommandEnabled,
      imageCleanerEnabled,
      imageCleanerIntervalHours: interval,
      nodeResourceGroupName,
      upgradeChannel: options.upgradeChannel ?? "patch",
      nodeOsUpgradeChannel: options.nodeOsUpgradeChannel ?? "NodeImage",
      autoscalerProfile,
      identityName,
    },
    problems: [],
  };
}
