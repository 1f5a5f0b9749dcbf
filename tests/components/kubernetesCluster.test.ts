import { describe, expect, it } from "vitest";
import {
  KubernetesCluster,
  type KubernetesClusterArgs,
} from "../../components/containers/kubernetesCluster.ts";
import { Registry } from "../../components/containers/registry.ts";
import { fakeGuid } from "../../src/engine/mockResponses.ts";
import { countByType, problemsOf, resource, run, urnName } from "./helpersServices.ts";

const CLUSTER = "azure-native:containerservice:ManagedCluster";
const POOL = "azure-native:containerservice:AgentPool";
const SUBNET_ID =
  "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/lab/subnets/aks";
const KUBELET = fakeGuid("aks-cluster/kubelet");

const base: KubernetesClusterArgs = {
  resourceGroupName: "rg",
  nodeSubnetId: SUBNET_ID,
  nodeSubnetCidr: "10.10.0.0/24",
  vnetAddressSpace: ["10.10.0.0/16"],
  podCidr: "10.244.0.0/16",
  serviceCidr: "10.96.0.0/16",
  dnsServiceIp: "10.96.0.10",
};

const systemProfile = {
  name: "system",
  mode: "System",
  vmSize: "Standard_D2s_v5",
  osType: "Linux",
  osDiskType: "Managed",
  count: 1,
  enableAutoScaling: false,
  maxPods: 250,
  availabilityZones: [],
  nodeLabels: {},
  nodeTaints: [],
  upgradeSettings: { maxSurge: "1" },
  vnetSubnetID: SUBNET_ID,
  type: "VirtualMachineScaleSets",
  enableNodePublicIP: false,
};

describe("KubernetesCluster", () => {
  it("declares an overlay cluster with workload identity, auto-upgrade and a secret kubeconfig", async () => {
    const result = await run(() => {
      const aks = new KubernetesCluster("aks", base);
      return {
        kubeconfig: aks.kubeconfig,
        kubelet: aks.kubeletObjectId,
        oidc: aks.oidcIssuerUrl,
        name: aks.clusterName,
        id: aks.clusterId,
      };
    });
    expect(countByType(result)).toEqual({ "azlab:containers:KubernetesCluster": 1, [CLUSTER]: 1 });
    const cluster = resource(result, CLUSTER, "aks-cluster");
    expect(cluster.inputs).toEqual({
      resourceName: "aks",
      resourceGroupName: "rg",
      dnsPrefix: "aks",
      sku: { name: "Base", tier: "Free" },
      identity: { type: "SystemAssigned" },
      agentPoolProfiles: [systemProfile],
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        podCidr: "10.244.0.0/16",
        networkPolicy: "azure",
        networkDataplane: "azure",
        serviceCidr: "10.96.0.0/16",
        dnsServiceIP: "10.96.0.10",
        loadBalancerSku: "standard",
        outboundType: "loadBalancer",
      },
      autoScalerProfile: {
        scanInterval: "10s",
        scaleDownDelayAfterAdd: "10m",
        scaleDownUnneededTime: "10m",
        scaleDownUtilizationThreshold: "0.5",
        maxNodeProvisionTime: "15m",
        expander: "random",
      },
      enableRBAC: true,
      disableLocalAccounts: false,
      oidcIssuerProfile: { enabled: true },
      securityProfile: { workloadIdentity: { enabled: true } },
      apiServerAccessProfile: { enablePrivateCluster: false },
      autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" },
    });
    expect(cluster.ignoreChanges).toEqual([]);
    expect(result.outputs).toEqual({
      kubeconfig: "[secret]",
      kubelet: KUBELET,
      oidc: "https://oidc.mock/aks-cluster/",
      name: "aks",
      id: "aks-cluster-id",
    });
    expect(result.calls).toEqual([
      {
        token: "azure-native:containerservice:listManagedClusterUserCredentials",
        inputs: { resourceGroupName: "rg", resourceName: "aks" },
      },
    ]);
    const json = JSON.stringify(result);
    expect(json).not.toContain("kind: Config");
    expect(json).not.toContain("mock-token");
  });

  it("decodes the kubeconfig from base64", async () => {
    let text = "";
    await run(() => {
      new KubernetesCluster("aks", base).kubeconfig.apply((k) => (text = k));
    });
    expect(text.split("\n").slice(0, 2)).toEqual(["apiVersion: v1", "kind: Config"]);
    expect(text.endsWith("# aks\n")).toBe(true);
  });

  it("autoscales pools between bounds, ignores count drift and chains user pools", async () => {
    const result = await run(() => {
      new KubernetesCluster("aks", {
        ...base,
        systemPool: { autoScalingEnabled: true, minCount: 2, maxCount: 4, zones: ["1", "2"] },
        userPools: {
          work: {
            vmSize: "Standard_B4ms",
            autoScalingEnabled: true,
            minCount: 0,
            maxCount: 10,
            maxPods: 110,
            nodeLabels: { workload: "lab" },
            nodeTaints: ["lab=true:NoSchedule"],
          },
          gpu: { vmSize: "Standard_NC4as_T4_v3", nodeCount: 1, osDiskType: "Ephemeral" },
        },
        autoscalerProfile: {
          expander: "least-waste",
          scanInterval: "20s",
          scaleDownUtilizationThreshold: 0.6,
        },
      });
    });
    expect(countByType(result)).toEqual({ "azlab:containers:KubernetesCluster": 1, [CLUSTER]: 1, [POOL]: 2 });
    const cluster = resource(result, CLUSTER, "aks-cluster");
    expect(cluster.ignoreChanges).toEqual(["agentPoolProfiles[0].count"]);
    expect(cluster.inputs["agentPoolProfiles"]).toEqual([
      {
        ...systemProfile,
        count: 2,
        enableAutoScaling: true,
        minCount: 2,
        maxCount: 4,
        availabilityZones: ["1", "2"],
      },
    ]);
    expect(cluster.inputs["autoScalerProfile"]).toEqual({
      scanInterval: "20s",
      scaleDownDelayAfterAdd: "10m",
      scaleDownUnneededTime: "10m",
      scaleDownUtilizationThreshold: "0.6",
      maxNodeProvisionTime: "15m",
      expander: "least-waste",
    });
    const work = resource(result, POOL, "aks-work");
    expect(work.ignoreChanges).toEqual(["count"]);
    expect(work.inputs).toEqual({
      agentPoolName: "work",
      resourceName: "aks",
      resourceGroupName: "rg",
      mode: "User",
      vmSize: "Standard_B4ms",
      osType: "Linux",
      osDiskType: "Managed",
      count: 0,
      enableAutoScaling: true,
      minCount: 0,
      maxCount: 10,
      maxPods: 110,
      availabilityZones: [],
      nodeLabels: { workload: "lab" },
      nodeTaints: ["lab=true:NoSchedule"],
      upgradeSettings: { maxSurge: "1" },
      vnetSubnetID: SUBNET_ID,
      type: "VirtualMachineScaleSets",
      enableNodePublicIP: false,
    });
    expect(work.dependencies.map(urnName)).toEqual(["aks-cluster"]);
    const gpu = resource(result, POOL, "aks-gpu");
    expect(gpu.ignoreChanges).toEqual([]);
    expect(gpu.inputs).toMatchObject({ count: 1, enableAutoScaling: false, osDiskType: "Ephemeral" });
    expect(gpu.inputs["minCount"]).toBeUndefined();
    // Pools of one cluster change one at a time.
    expect(gpu.dependencies.map(urnName).sort()).toEqual(["aks-cluster", "aks-work"]);
  });

  it("grants AcrPull to the kubelet identity on the attached registry", async () => {
    const result = await run(() => {
      const acr = new Registry("acr", { resourceGroupName: "rg" });
      new KubernetesCluster("aks", { ...base, acrId: acr.registryId });
    });
    const assignment = resource(result, "azure-native:authorization:RoleAssignment", "aks-acrpull");
    expect(assignment.inputs).toMatchObject({
      principalId: KUBELET,
      principalType: "ServicePrincipal",
      scope: "acr-registry-id",
      roleDefinitionId:
        "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d",
    });
    expect(assignment.parent).toBe("urn:pulumi:dev::azlab::azlab:containers:KubernetesCluster::aks");
    expect(assignment.dependencies.map(urnName).sort()).toEqual(["acr-registry", "aks-cluster"]);
  });

  it("wires the kubelet identity into Registry pullers", async () => {
    const result = await run(() => {
      const aks = new KubernetesCluster("aks", base);
      new Registry("acr", { resourceGroupName: "rg", pullers: { aks: aks.kubeletObjectId } });
    });
    expect(
      resource(result, "azure-native:authorization:RoleAssignment", "acr-acrpull-aks").inputs,
    ).toMatchObject({
      principalId: KUBELET,
      scope: "acr-registry-id",
    });
  });

  it("uses Entra ID with Azure RBAC and no local accounts when admin groups are given", async () => {
    const admins = ["44444444-4444-4444-4444-444444444444"];
    const result = await run(() => {
      new KubernetesCluster("aks", {
        ...base,
        entraAdminGroupObjectIds: admins,
        apiServerAuthorizedIpRanges: ["203.0.113.0/24"],
        networkPolicy: "cilium",
        statefulOptions: { protect: true },
      });
    });
    const cluster = resource(result, CLUSTER, "aks-cluster");
    expect(cluster.inputs).toMatchObject({
      aadProfile: { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: admins },
      disableLocalAccounts: true,
      apiServerAccessProfile: { enablePrivateCluster: false, authorizedIPRanges: ["203.0.113.0/24"] },
      networkProfile: { networkPolicy: "cilium", networkDataplane: "cilium" },
    });
    expect(cluster.protect).toBe(true);
    expect(result.calls).toEqual([
      {
        token: "azure-native:containerservice:listManagedClusterUserCredentials",
        inputs: { resourceGroupName: "rg", resourceName: "aks", format: "exec" },
      },
    ]);
  });

  it("refuses bad pool bounds, maxPods and a B-series system pool with exact messages", async () => {
    expect(
      await problemsOf(
        () =>
          new KubernetesCluster("aks", {
            ...base,
            configPath: "azlab:aks",
            systemPool: { vmSize: "Standard_B2s", autoScalingEnabled: true, minCount: 0, maxCount: 3 },
            userPools: {
              work: { autoScalingEnabled: true, minCount: 5, maxCount: 3, maxPods: 300 },
              batch: { autoScalingEnabled: true, minCount: -1, maxCount: 2, maxPods: 5 },
            },
          }),
      ),
    ).toEqual([
      'azlab:aks.systemPool.vmSize: is a B-series (burstable) size, which AKS does not support for system pools (got "Standard_B2s"; allowed: a non-B-series size with at least 2 vCPUs and 4 GiB, such as Standard_D2s_v5)',
      "azlab:aks.systemPool.minCount: is out of range for a system pool (got 0; allowed: an integer from 1 to 1000)",
      "azlab:aks.userPools.work.minCount: is greater than maxCount (got 5; allowed: at most maxCount (3))",
      "azlab:aks.userPools.work.maxPods: is outside the range AKS accepts (got 300; allowed: an integer from 10 to 250)",
      "azlab:aks.userPools.batch.minCount: is out of range for a user pool (got -1; allowed: an integer from 0 to 1000)",
      "azlab:aks.userPools.batch.maxPods: is outside the range AKS accepts (got 5; allowed: an integer from 10 to 250)",
    ]);
  });

  it("reports overlapping pod and service CIDRs through checkAksNetwork", async () => {
    expect(
      await problemsOf(
        () => new KubernetesCluster("aks", { ...base, podCidr: "10.96.0.0/12", serviceCidr: "10.96.0.0/16" }),
      ),
    ).toEqual([
      'aks.podCidr: overlaps the service CIDR 10.96.0.0/16 (got "10.96.0.0/12"; allowed: a range outside the VNet address space, the reserved ranges and the service CIDR)',
    ]);
  });

  it("refuses authorized IP ranges on a private cluster and a missing pod CIDR", async () => {
    expect(
      await problemsOf(
        () =>
          new KubernetesCluster("aks", {
            ...base,
            podCidr: undefined,
            privateClusterEnabled: true,
            apiServerAuthorizedIpRanges: ["203.0.113.0/24"],
          }),
      ),
    ).toEqual([
      "aks.podCidr: is required for azure-cni-overlay (allowed: a private IPv4 prefix such as 10.244.0.0/16)",
      'aks.apiServerAuthorizedIpRanges: conflicts with privateClusterEnabled: a private API server has no public endpoint to restrict (got ["203.0.113.0/24"]; allowed: either apiServerAuthorizedIpRanges or privateClusterEnabled: true, not both)',
    ]);
  });

  it("refuses a fixed count together with autoscaling, and bounds without autoscaling", async () => {
    expect(
      await problemsOf(
        () =>
          new KubernetesCluster("aks", {
            ...base,
            userPools: { a: { autoScalingEnabled: true, nodeCount: 2, maxCount: 3 }, b: { minCount: 1 } },
          }),
      ),
    ).toEqual([
      "aks.userPools.a.nodeCount: conflicts with autoScalingEnabled; the autoscaler sets the count between minCount and maxCount (got 2)",
      "aks.userPools.a.minCount: is required when autoScalingEnabled is true (allowed: an integer from 0 to 1000)",
      "aks.userPools.b.minCount: needs autoScalingEnabled: true (got 1)",
    ]);
  });

  it("sizes the node subnet for flat azure-cni with 30 pods per node by default", async () => {
    const result = await run(() => {
      new KubernetesCluster("aks", { ...base, networkPlugin: "azure-cni", podCidr: undefined });
    });
    const cluster = resource(result, CLUSTER, "aks-cluster");
    expect(cluster.inputs["networkProfile"]).toEqual({
      networkPlugin: "azure",
      // No networkPluginMode. The azure-native SDK fills in its default podCidr; flat Azure CNI ignores it.
      podCidr: "10.244.0.0/16",
      networkPolicy: "azure",
      networkDataplane: "azure",
      serviceCidr: "10.96.0.0/16",
      dnsServiceIP: "10.96.0.10",
      loadBalancerSku: "standard",
      outboundType: "loadBalancer",
    });
    expect((cluster.inputs["agentPoolProfiles"] as { maxPods: number }[])[0]?.maxPods).toBe(30);
    expect(
      await problemsOf(
        () =>
          new KubernetesCluster("aks", {
            ...base,
            networkPlugin: "azure-cni",
            userPools: { work: { autoScalingEnabled: true, minCount: 1, maxCount: 10 } },
          }),
      ),
    ).toEqual([
      'aks.nodeSubnetCidr: is too small: azure-cni needs 403 addresses for (11 nodes + 2 surge) × (30 pods + 1), but a /24 has 251 usable (got "10.10.0.0/24"; allowed: a /23 or larger)',
    ]);
  });
});
