import { describe, expect, it } from "vitest";
import { formatProblem, type Problem } from "../../src/errors.ts";
import { normalizeKubernetesCluster, type KubernetesClusterOptions } from "../../src/validation/aks/index.ts";

const lines = (result: { problems: readonly Problem[] }) => result.problems.map((p) => formatProblem(p));

const network: KubernetesClusterOptions = {
  nodeSubnetCidr: "10.10.0.0/24",
  vnetAddressSpace: ["10.10.0.0/16"],
  podCidr: "10.244.0.0/16",
  serviceCidr: "10.96.0.0/16",
  dnsServiceIp: "10.96.0.10",
};

describe("normalizeKubernetesCluster", () => {
  it("fills every default and derives the cluster name from the name parts", () => {
    expect(normalizeKubernetesCluster(network, "main").value).toEqual({
      clusterName: "aks-main",
      dnsPrefix: "aks-main",
      skuTier: "Free",
      systemPoolName: "system",
      systemPool: {
        vmSize: "Standard_D2s_v5",
        osDiskType: "Managed",
        autoScalingEnabled: false,
        count: 1,
        maxPods: 250,
        maxSurge: 1,
        zones: [],
        nodeLabels: {},
        nodeTaints: [],
      },
      userPools: {},
      networkPlugin: "azure-cni-overlay",
      networkPolicy: "azure",
      outboundType: "loadBalancer",
      podCidr: "10.244.0.0/16",
      serviceCidr: "10.96.0.0/16",
      dnsServiceIp: "10.96.0.10",
      entraAdminGroupObjectIds: [],
      apiServerAuthorizedIpRanges: [],
      privateClusterEnabled: false,
      upgradeChannel: "patch",
      nodeOsUpgradeChannel: "NodeImage",
      autoscalerProfile: {
        scanInterval: "10s",
        scaleDownDelayAfterAdd: "10m",
        scaleDownUnneededTime: "10m",
        scaleDownUtilizationThreshold: "0.5",
        maxNodeProvisionTime: "15m",
        expander: "random",
      },
    });
  });

  it("reports names, zones, taints, Entra ids, cilium on flat CNI and autoscaler settings", () => {
    const result = normalizeKubernetesCluster(
      {
        ...network,
        networkPlugin: "azure-cni",
        networkPolicy: "cilium",
        systemPoolName: "System",
        userPools: { system: { zones: ["4"], nodeTaints: ["gpu:NoSchedule"] } },
        entraAdminGroupObjectIds: ["admins"],
        autoscalerProfile: {
          scanInterval: "10m",
          scaleDownUnneededTime: "600s",
          scaleDownUtilizationThreshold: 1.5,
        },
      },
      "aks",
    );
    expect(result.problems).toEqual([
      {
        path: "networkPolicy",
        message:
          "needs networkPlugin azure-cni-overlay: the Cilium dataplane does not run on flat node-subnet Azure CNI here",
        value: "cilium",
      },
      {
        path: "systemPoolName",
        message: "is not a valid AKS node pool name",
        value: "System",
        allowed: "1 to 12 lowercase letters and digits, starting with a letter",
      },
      {
        path: "userPools.system.zones",
        message: "names an availability zone that does not exist",
        value: "4",
        allowed: '"1", "2", "3"',
      },
      {
        path: "userPools.system.nodeTaints",
        message: "is not a taint",
        value: "gpu:NoSchedule",
        allowed: "key=value:Effect with Effect NoSchedule, PreferNoSchedule or NoExecute",
      },
      {
        path: "entraAdminGroupObjectIds",
        message: "is not an Entra object id",
        value: "admins",
        allowed: "a GUID",
      },
      {
        path: "autoscalerProfile.scanInterval",
        message: "is not a duration AKS accepts here",
        value: "10m",
        allowed: 'whole seconds such as "10s"',
      },
      {
        path: "autoscalerProfile.scaleDownUnneededTime",
        message: "is not a duration AKS accepts here",
        value: "600s",
        allowed: 'whole minutes such as "10m"',
      },
      {
        path: "autoscalerProfile.scaleDownUtilizationThreshold",
        message: "is out of range",
        value: 1.5,
        allowed: "a number above 0 and at most 1",
      },
    ]);
  });

  it("counts the autoscaler's max count and surge toward the node subnet", () => {
    const result = normalizeKubernetesCluster(
      {
        ...network,
        nodeSubnetCidr: "10.10.0.0/28",
        userPools: { work: { autoScalingEnabled: true, minCount: 0, maxCount: 10, maxSurge: 2 } },
      },
      "aks",
    );
    expect(result.problems).toEqual([
      {
        path: "nodeSubnetCidr",
        message:
          "is too small: azure-cni-overlay needs 14 addresses for 11 nodes + 3 surge, but a /28 has 11 usable",
        value: "10.10.0.0/28",
        allowed: "a /27 or larger",
      },
    ]);
  });

  it("takes an explicit cluster name, checked with Azure's rules", () => {
    expect(normalizeKubernetesCluster({ ...network, clusterName: "lab_aks" }, "main").value?.dnsPrefix).toBe(
      "lab-aks",
    );
    expect(lines(normalizeKubernetesCluster({ ...network, clusterName: "-aks" }, "main"))).toEqual([
      'clusterName: is not a valid managedCluster name (got "-aks"; allowed: 1 to 63 characters: letters, digits, hyphens and underscores, starting and ending with a letter or digit)',
      'dnsPrefix: is not a valid DNS prefix (got "-aks"; allowed: 1 to 54 letters, digits and "-", starting and ending with a letter or digit)',
    ]);
  });

  it("refuses bad pool bounds, maxPods and a B-series system pool", () => {
    // System pools do not support B-series VMs (azure-aks-docs, use-system-pools.md); maxPods is 10-250.
    const result = normalizeKubernetesCluster(
      {
        ...network,
        systemPool: { vmSize: "Standard_B2s", autoScalingEnabled: true, minCount: 0, maxCount: 3 },
        userPools: {
          work: { autoScalingEnabled: true, minCount: 5, maxCount: 3, maxPods: 300 },
          batch: { autoScalingEnabled: true, minCount: -1, maxCount: 2, maxPods: 5 },
        },
      },
      "aks",
    );
    expect(lines(result)).toEqual([
      'systemPool.vmSize: is a B-series (burstable) size, which AKS does not support for system pools (got "Standard_B2s"; allowed: a non-B-series size with at least 2 vCPUs and 4 GiB, such as Standard_D2s_v5)',
      "systemPool.minCount: is out of range for a system pool (got 0; allowed: an integer from 1 to 1000)",
      "userPools.work.minCount: is greater than maxCount (got 5; allowed: at most maxCount (3))",
      "userPools.work.maxPods: is outside the range AKS accepts (got 300; allowed: an integer from 10 to 250)",
      "userPools.batch.minCount: is out of range for a user pool (got -1; allowed: an integer from 0 to 1000)",
      "userPools.batch.maxPods: is outside the range AKS accepts (got 5; allowed: an integer from 10 to 250)",
    ]);
  });

  it("reports overlapping pod and service CIDRs through checkAksNetwork, at the argument's path", () => {
    const result = normalizeKubernetesCluster(
      { ...network, podCidr: "10.96.0.0/12", serviceCidr: "10.96.0.0/16" },
      "aks",
    );
    expect(lines(result)).toEqual([
      'podCidr: overlaps the service CIDR 10.96.0.0/16 (got "10.96.0.0/12"; allowed: a range outside the VNet address space, the reserved ranges and the service CIDR)',
    ]);
  });

  it("refuses authorized IP ranges on a private cluster and a missing pod CIDR", () => {
    const { podCidr: _podCidr, ...withoutPodCidr } = network;
    const result = normalizeKubernetesCluster(
      { ...withoutPodCidr, privateClusterEnabled: true, apiServerAuthorizedIpRanges: ["203.0.113.0/24"] },
      "aks",
    );
    expect(lines(result)).toEqual([
      "podCidr: is required for azure-cni-overlay (allowed: a private IPv4 prefix such as 10.244.0.0/16)",
      'apiServerAuthorizedIpRanges: conflicts with privateClusterEnabled: a private API server has no public endpoint to restrict (got ["203.0.113.0/24"]; allowed: either apiServerAuthorizedIpRanges or privateClusterEnabled: true, not both)',
    ]);
  });

  it("refuses a fixed count together with autoscaling, and bounds without autoscaling", () => {
    // With autoscaling on, a fixed count fights the autoscaler (pulumi-azure-native #2943).
    const result = normalizeKubernetesCluster(
      {
        ...network,
        userPools: { a: { autoScalingEnabled: true, nodeCount: 2, maxCount: 3 }, b: { minCount: 1 } },
      },
      "aks",
    );
    expect(lines(result)).toEqual([
      "userPools.a.nodeCount: conflicts with autoScalingEnabled; the autoscaler sets the count between minCount and maxCount (got 2)",
      "userPools.a.minCount: is required when autoScalingEnabled is true (allowed: an integer from 0 to 1000)",
      "userPools.b.minCount: needs autoScalingEnabled: true (got 1)",
    ]);
  });

  it("sizes the node subnet for flat azure-cni with 30 pods per node by default", () => {
    // Flat Azure CNI: (nodes + surge) x (maxPods + 1) addresses (field notes; Azure/AKS #456).
    const result = normalizeKubernetesCluster(
      {
        ...network,
        networkPlugin: "azure-cni",
        userPools: { work: { autoScalingEnabled: true, minCount: 1, maxCount: 10 } },
      },
      "aks",
    );
    expect(lines(result)).toEqual([
      'nodeSubnetCidr: is too small: azure-cni needs 403 addresses for (11 nodes + 2 surge) × (30 pods + 1), but a /24 has 251 usable (got "10.10.0.0/24"; allowed: a /23 or larger)',
    ]);
  });
});
