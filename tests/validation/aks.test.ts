import { describe, expect, it } from "vitest";
import { formatProblem, type Problem } from "../../src/errors.ts";
import { normalizeKubernetesCluster, type KubernetesClusterOptions } from "../../src/validation/aks/index.ts";
import { AZURE_NAME_RULES } from "../../src/naming/azureNames.ts";
import {
  MAX_NAME_PREFIX_LENGTH,
  MAX_STACK_NAME_LENGTH,
  MAX_STUDENT_KEY_LENGTH,
  RESOURCE_GROUP_MAX_LENGTH,
} from "../../src/config/stackName.ts";

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
      networkPolicy: "cilium",
      outboundType: "loadBalancer",
      podCidr: "10.244.0.0/16",
      serviceCidr: "10.96.0.0/16",
      dnsServiceIp: "10.96.0.10",
      entraEnabled: false,
      entraAdminGroupObjectIds: [],
      apiServerAuthorizedIpRanges: [],
      privateClusterEnabled: false,
      runCommandEnabled: false,
      imageCleanerEnabled: true,
      imageCleanerIntervalHours: 168,
      nodeResourceGroupName: "rg-main-aks-nodes",
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
      identityName: "id-main-aks",
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
        entraEnabled: true,
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
          "needs networkPlugin azure-cni-overlay: Cilium on flat node-subnet Azure CNI is a preview behind the EnableCiliumNodeSubnet feature flag",
        value: "cilium",
        allowed: "networkPlugin azure-cni-overlay, or networkPolicy calico, azure or none with azure-cni",
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

  it("turns Entra ID on only when asked, with or without admin groups, and refuses groups without it", () => {
    const admin = "44444444-4444-4444-4444-444444444444";
    const entra = (options: Partial<KubernetesClusterOptions>) => {
      const result = normalizeKubernetesCluster({ ...network, ...options }, "aks");
      return result.value
        ? [result.value.entraEnabled, result.value.entraAdminGroupObjectIds]
        : result.problems.map((p) => formatProblem(p));
    };
    // A managed Entra cluster with Azure RBAC needs no admin group (azure-aks-docs, manage-azure-rbac.md:
    // `az aks create --enable-aad --enable-azure-rbac` shows adminGroupObjectIds null).
    expect(entra({ entraEnabled: true })).toEqual([true, []]);
    expect(entra({ entraEnabled: true, entraAdminGroupObjectIds: [admin] })).toEqual([true, [admin]]);
    expect(entra({})).toEqual([false, []]);
    expect(entra({ entraEnabled: false, entraAdminGroupObjectIds: [admin, admin] })).toEqual([
      "entraEnabled: is false, but entraAdminGroupObjectIds names 2 admin groups, which only an Entra sign-in " +
        "can use (got false; allowed: true (Entra ID with Azure RBAC, local accounts off), or no " +
        "entraAdminGroupObjectIds)",
    ]);
    expect(entra({ entraAdminGroupObjectIds: [admin] })).toEqual([
      "entraEnabled: is not set, so Entra ID is off, but entraAdminGroupObjectIds names 1 admin group, which " +
        "only an Entra sign-in can use (allowed: true (Entra ID with Azure RBAC, local accounts off), or no " +
        "entraAdminGroupObjectIds)",
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
        networkPolicy: "calico",
        userPools: { work: { autoScalingEnabled: true, minCount: 1, maxCount: 10 } },
      },
      "aks",
    );
    expect(lines(result)).toEqual([
      'nodeSubnetCidr: is too small: azure-cni needs 403 addresses for (11 nodes + 2 surge) × (30 pods + 1), but a /24 has 251 usable (got "10.10.0.0/24"; allowed: a /23 or larger)',
    ]);
  });
});

describe("authorized IP ranges and the NAT gateway", () => {
  // The API server's authorized ranges filter public source addresses only, and a cluster takes at most 200
  // of them: "Secure access to the API server using authorized IP address ranges in AKS"
  // (azure-aks-docs api-server-authorized-ip-ranges.md). dev once listed 10.0.0.0/16, which never matches.
  const allowed =
    "allowed: a public prefix that holds the addresses of the admins and of the machine running `pulumi up`";
  const nat = { id: "natgw-id", publicIpAddress: "198.51.100.20" };

  it("refuses private, CGNAT, loopback and link-local ranges at their list index", () => {
    const ranges = [
      "145.100.0.0/16",
      "10.0.0.0/16",
      "172.20.0.0/16",
      "192.168.1.0/24",
      "100.64.0.0/10",
      "100.100.1.1/32",
      "127.0.0.1/32",
      "169.254.169.254/32",
      "fd12:3456::/48",
      "fe80::1/128",
      "::1/128",
      "campus",
    ];
    const result = normalizeKubernetesCluster({ ...network, apiServerAuthorizedIpRanges: ranges }, "aks");
    const never = "which never matches: the API server only sees public source addresses";
    expect(lines(result)).toEqual([
      `apiServerAuthorizedIpRanges[1]: is a private (RFC 1918) range, ${never} (got "10.0.0.0/16"; ${allowed})`,
      `apiServerAuthorizedIpRanges[2]: is a private (RFC 1918) range, ${never} (got "172.20.0.0/16"; ${allowed})`,
      `apiServerAuthorizedIpRanges[3]: is a private (RFC 1918) range, ${never} (got "192.168.1.0/24"; ${allowed})`,
      `apiServerAuthorizedIpRanges[4]: is shared address space (CGNAT, RFC 6598), ${never} (got "100.64.0.0/10"; ${allowed})`,
      `apiServerAuthorizedIpRanges[5]: is shared address space (CGNAT, RFC 6598), ${never} (got "100.100.1.1/32"; ${allowed})`,
      `apiServerAuthorizedIpRanges[6]: is a loopback range, ${never} (got "127.0.0.1/32"; ${allowed})`,
      `apiServerAuthorizedIpRanges[7]: is a link-local range, ${never} (got "169.254.169.254/32"; ${allowed})`,
      `apiServerAuthorizedIpRanges[8]: is a unique local (private IPv6) range, ${never} (got "fd12:3456::/48"; ${allowed})`,
      `apiServerAuthorizedIpRanges[9]: is a link-local range, ${never} (got "fe80::1/128"; ${allowed})`,
      `apiServerAuthorizedIpRanges[10]: is the IPv6 loopback address, ${never} (got "::1/128"; ${allowed})`,
      `apiServerAuthorizedIpRanges[11]: is not a CIDR prefix (got "campus"; ${allowed})`,
    ]);
  });

  it("accepts public ranges right next to the refused blocks, and wider ranges that only include one", () => {
    const ranges = ["100.128.0.0/16", "100.63.255.0/24", "172.32.0.0/16", "11.0.0.0/8", "8.0.0.0/5"];
    const result = normalizeKubernetesCluster({ ...network, apiServerAuthorizedIpRanges: ranges }, "aks");
    expect(result.problems).toEqual([]);
    expect(result.value?.apiServerAuthorizedIpRanges).toEqual(ranges);
  });

  it("takes at most 200 ranges, 199 when the NAT gateway's address is added", () => {
    const ranges = (n: number) => Array.from({ length: n }, (_, i) => `145.${i}.0.0/16`);
    const plain = (n: number) => ({ ...network, apiServerAuthorizedIpRanges: ranges(n) });
    const natted = (n: number) => ({
      ...plain(n),
      outboundType: "userAssignedNATGateway" as const,
      natGateway: nat,
    });
    expect(normalizeKubernetesCluster(plain(200), "aks").problems).toEqual([]);
    expect(normalizeKubernetesCluster(natted(199), "aks").problems).toEqual([]);
    expect(lines(normalizeKubernetesCluster(plain(201), "aks"))).toEqual([
      "apiServerAuthorizedIpRanges: has 201 ranges; AKS accepts at most 200 (got 201; allowed: at most 200 ranges; merge neighbouring ranges)",
    ]);
    expect(lines(normalizeKubernetesCluster(natted(200), "aks"))).toEqual([
      "apiServerAuthorizedIpRanges: has 200 ranges; AKS accepts at most 200, and the NAT gateway's address takes one (got 200; allowed: at most 199 ranges; merge neighbouring ranges)",
    ]);
  });

  it("needs the NAT gateway exactly when the outbound type is userAssignedNATGateway", () => {
    expect(
      lines(normalizeKubernetesCluster({ ...network, outboundType: "userAssignedNATGateway" }, "aks")),
    ).toEqual([
      "natGateway: is required when outboundType is userAssignedNATGateway (allowed: the id and public IP address of the NAT gateway on the node subnet)",
    ]);
    expect(lines(normalizeKubernetesCluster({ ...network, natGateway: nat }, "aks"))).toEqual([
      'natGateway: is only used when outboundType is userAssignedNATGateway (got "loadBalancer"; allowed: outboundType "userAssignedNATGateway", or leave natGateway out)',
    ]);
    const ok = normalizeKubernetesCluster(
      { ...network, outboundType: "userAssignedNATGateway", natGateway: nat },
      "aks",
    );
    expect([ok.problems, ok.value?.outboundType, ok.value?.identityName]).toEqual([
      [],
      "userAssignedNATGateway",
      "id-aks-aks",
    ]);
  });
});

describe("secure defaults (issue #12)", () => {
  const problemsOf = (options: Partial<KubernetesClusterOptions>) =>
    lines(normalizeKubernetesCluster({ ...network, ...options }, "aks"));

  // Azure Network Policy Manager on Linux retires on 2028-09-30 (Azure Updates 500268), so Cilium is the
  // default. networkPolicy "cilium" requires networkDataplane "cilium" (ManagedCluster API, NetworkPolicy enum),
  // and that dataplane takes pod addresses from an overlay or a pod subnet ("Configure Azure CNI Powered by
  // Cilium", azure-aks-docs azure-cni-powered-by-cilium.md); flat node-subnet mode is a preview behind the
  // EnableCiliumNodeSubnet feature flag.
  it("defaults the network policy to cilium and keeps azure, calico and none as explicit choices", () => {
    const policy = (options: Partial<KubernetesClusterOptions>) =>
      normalizeKubernetesCluster({ ...network, ...options }, "aks").value?.networkPolicy;
    expect(policy({})).toBe("cilium");
    expect(policy({ networkPolicy: "azure" })).toBe("azure");
    expect(policy({ networkPolicy: "calico" })).toBe("calico");
    expect(policy({ networkPolicy: "none" })).toBe("none");
    expect(policy({ networkPlugin: "azure-cni", networkPolicy: "calico" })).toBe("calico");
  });

  it("says the default is cilium when flat azure-cni leaves the policy out", () => {
    expect(problemsOf({ networkPlugin: "azure-cni" })).toEqual([
      'networkPolicy: defaults to cilium, which needs networkPlugin azure-cni-overlay: Cilium on flat node-subnet Azure CNI is a preview behind the EnableCiliumNodeSubnet feature flag (got "cilium"; allowed: networkPlugin azure-cni-overlay, or networkPolicy calico, azure or none with azure-cni)',
    ]);
    expect(problemsOf({ networkPolicy: "weave" as unknown as "none" })).toEqual([
      'networkPolicy: is not supported (got "weave"; allowed: cilium, azure, calico, none)',
    ]);
  });

  it("keeps the Free tier by default and refuses an unknown tier", () => {
    expect(normalizeKubernetesCluster(network, "aks").value?.skuTier).toBe("Free");
    expect(normalizeKubernetesCluster({ ...network, skuTier: "Standard" }, "aks").value?.skuTier).toBe(
      "Standard",
    );
    expect(problemsOf({ skuTier: "Premium" as unknown as "Free" })).toEqual([
      'skuTier: is not an AKS tier (got "Premium"; allowed: Free, Standard)',
    ]);
  });

  // Resource group names are at most 90 characters (resource-name-rules, Microsoft.Resources/resourcegroups); AKS
  // refuses node resource group names over 80 ("The maximum length is 80", rancher/rancher #21264), and the name
  // is also a node label value, at most 63 (Azure/bicep-registry-modules #5109). AKS's default
  // MC_<group>_<cluster>_<region> grows with all three names; ours is capped and hashed when the parts are long.
  it("names the node resource group within the limit for the longest prefix, stack and student key", () => {
    const parts = (student: string) => [
      "p".repeat(MAX_NAME_PREFIX_LENGTH),
      "s".repeat(MAX_STACK_NAME_LENGTH),
      student,
    ];
    const nodeGroup = (student: string) =>
      normalizeKubernetesCluster({ ...network, nameParts: parts(student) }, "aks").value!
        .nodeResourceGroupName;
    const longest = nodeGroup("a".repeat(MAX_STUDENT_KEY_LENGTH));
    const other = nodeGroup(`${"a".repeat(MAX_STUDENT_KEY_LENGTH - 1)}b`);
    const rule = AZURE_NAME_RULES.nodeResourceGroup;
    expect(rule.maxLength).toBe(63);
    expect(longest).toHaveLength(rule.maxLength);
    expect(longest).toMatch(rule.pattern);
    expect(longest.startsWith(`rg-${"p".repeat(15)}-sss`)).toBe(true);
    expect(other).toHaveLength(rule.maxLength);
    expect(other).not.toBe(longest);
    expect(nodeGroup("a".repeat(MAX_STUDENT_KEY_LENGTH))).toBe(longest);
    // What AKS would have made of the same names: the resource group and cluster names alone pass 90.
    const group = `rg-${parts("a".repeat(MAX_STUDENT_KEY_LENGTH)).join("-")}`;
    const cluster = normalizeKubernetesCluster({ ...network, nameParts: parts("a") }, "aks").value!
      .clusterName;
    expect(`MC_${group}_${cluster}_westeurope`.length).toBeGreaterThan(RESOURCE_GROUP_MAX_LENGTH);
  });

  it("uses a short node resource group name for short parts and checks an explicit one", () => {
    expect(
      normalizeKubernetesCluster({ ...network, nameParts: ["azlab", "dev"] }, "aks").value
        ?.nodeResourceGroupName,
    ).toBe("rg-azlab-dev-aks-nodes");
    expect(problemsOf({ nodeResourceGroupName: "nodes." })).toEqual([
      'nodeResourceGroupName: is not a valid nodeResourceGroup name (got "nodes."; allowed: 1 to 63 characters: letters, digits, hyphens, underscores and periods and parentheses)',
    ]);
  });

  // Run command runs kubectl with cluster-admin rights through ARM, past the API server's network rules; it is
  // the documented way into a private cluster from outside its VNet ("Access a private AKS cluster remotely",
  // azure-aks-docs access-private-cluster.md, which also documents disabling it).
  it("disables run command unless the cluster is private, and lets the stack choose", () => {
    const runCommand = (options: Partial<KubernetesClusterOptions>) =>
      normalizeKubernetesCluster({ ...network, ...options }, "aks").value?.runCommandEnabled;
    expect(runCommand({})).toBe(false);
    expect(runCommand({ privateClusterEnabled: true })).toBe(true);
    expect(runCommand({ privateClusterEnabled: true, runCommandEnabled: false })).toBe(false);
    expect(runCommand({ runCommandEnabled: true })).toBe(true);
  });

  // Image Cleaner's interval: default one week, at least 24 hours, at most three months ("Use Image Cleaner on
  // AKS", azure-aks-docs image-cleaner.md, --image-cleaner-interval-hours).
  it("enables the image cleaner weekly and checks the interval", () => {
    const value = normalizeKubernetesCluster({ ...network, imageCleanerIntervalHours: 24 }, "aks").value;
    expect([value?.imageCleanerEnabled, value?.imageCleanerIntervalHours]).toEqual([true, 24]);
    expect(
      normalizeKubernetesCluster({ ...network, imageCleanerIntervalHours: 2160 }, "aks").value
        ?.imageCleanerIntervalHours,
    ).toBe(2160);
    expect(problemsOf({ imageCleanerIntervalHours: 23 })).toEqual([
      "imageCleanerIntervalHours: is out of range (got 23; allowed: whole hours from 24 (a day) to 2160 (90 days))",
    ]);
    expect(problemsOf({ imageCleanerIntervalHours: 2161 })).toEqual([
      "imageCleanerIntervalHours: is out of range (got 2161; allowed: whole hours from 24 (a day) to 2160 (90 days))",
    ]);
    expect(problemsOf({ imageCleanerIntervalHours: 48.5 })).toEqual([
      "imageCleanerIntervalHours: is out of range (got 48.5; allowed: whole hours from 24 (a day) to 2160 (90 days))",
    ]);
    expect(problemsOf({ imageCleanerEnabled: false, imageCleanerIntervalHours: 48 })).toEqual([
      "imageCleanerIntervalHours: is set but imageCleanerEnabled is false (got 48; allowed: imageCleanerEnabled: true, or leave imageCleanerIntervalHours out)",
    ]);
  });
});
