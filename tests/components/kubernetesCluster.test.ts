import { describe, expect, it } from "vitest";
import { FunctionToken, ResourceType } from "../../src/azure/catalog.ts";
import {
  KubernetesCluster,
  type KubernetesClusterArgs,
} from "../../components/containers/kubernetesCluster.ts";
import { Registry } from "../../components/containers/registry.ts";
import { fakeGuid } from "../../src/engine/mockResponses.ts";
import { countByType, registeredBeforeError, resource, run, urnName } from "../support/offline.ts";

const CLUSTER = ResourceType.ManagedCluster;
const POOL = ResourceType.AgentPool;
const SUBNET_ID =
  "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/lab/subnets/aks";
const KUBELET = fakeGuid("aks/kubelet");

const base: KubernetesClusterArgs = {
  resourceGroupName: "rg",
  nameParts: ["azlab", "dev", "main"],
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
    const cluster = resource(result, CLUSTER, "aks");
    expect(cluster.inputs).toEqual({
      resourceName: "aks-azlab-dev-main",
      resourceGroupName: "rg",
      dnsPrefix: "aks-azlab-dev-main",
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
      oidc: "https://oidc.mock/aks/",
      name: "aks-azlab-dev-main",
      id: "aks-id",
    });
    expect(result.calls).toEqual([
      {
        token: FunctionToken.listManagedClusterUserCredentials,
        inputs: { resourceGroupName: "rg", resourceName: "aks-azlab-dev-main" },
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
    expect(text.endsWith("# aks-azlab-dev-main\n")).toBe(true);
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
    const cluster = resource(result, CLUSTER, "aks");
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
      resourceName: "aks-azlab-dev-main",
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
    expect(work.dependencies.map(urnName)).toEqual(["aks"]);
    const gpu = resource(result, POOL, "aks-gpu");
    expect(gpu.ignoreChanges).toEqual([]);
    expect(gpu.inputs).toMatchObject({ count: 1, enableAutoScaling: false, osDiskType: "Ephemeral" });
    expect(gpu.inputs["minCount"]).toBeUndefined();
    // Pools of one cluster change one at a time.
    expect(gpu.dependencies.map(urnName).sort()).toEqual(["aks", "aks-work"]);
  });

  it("grants AcrPull to the kubelet identity on the attached registry", async () => {
    const result = await run(() => {
      const acr = new Registry("acr", { resourceGroupName: "rg" });
      new KubernetesCluster("aks", { ...base, acrId: acr.registryId });
    });
    const assignment = resource(result, ResourceType.RoleAssignment, "aks-acrpull");
    expect(assignment.inputs).toMatchObject({
      principalId: KUBELET,
      principalType: "ServicePrincipal",
      scope: "acr-id",
      roleDefinitionId:
        "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d",
    });
    expect(assignment.parent).toBe("urn:pulumi:dev::azlab::azlab:containers:KubernetesCluster::aks");
    expect(assignment.dependencies.map(urnName).sort()).toEqual(["acr", "aks"]);
  });

  it("wires the kubelet identity into Registry pullers", async () => {
    const result = await run(() => {
      const aks = new KubernetesCluster("aks", base);
      new Registry("acr", { resourceGroupName: "rg", pullers: { aks: aks.kubeletObjectId } });
    });
    expect(resource(result, ResourceType.RoleAssignment, "acr-acrpull-aks").inputs).toMatchObject({
      principalId: KUBELET,
      scope: "acr-id",
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
    const cluster = resource(result, CLUSTER, "aks");
    expect(cluster.inputs).toMatchObject({
      aadProfile: { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: admins },
      disableLocalAccounts: true,
      apiServerAccessProfile: { enablePrivateCluster: false, authorizedIPRanges: ["203.0.113.0/24"] },
      networkProfile: { networkPolicy: "cilium", networkDataplane: "cilium" },
    });
    expect(cluster.protect).toBe(true);
    expect(result.calls).toEqual([
      {
        token: FunctionToken.listManagedClusterUserCredentials,
        inputs: { resourceGroupName: "rg", resourceName: "aks-azlab-dev-main", format: "exec" },
      },
    ]);
  });

  it("sizes the node subnet for flat azure-cni with 30 pods per node by default", async () => {
    const result = await run(() => {
      new KubernetesCluster("aks", { ...base, networkPlugin: "azure-cni", podCidr: undefined });
    });
    const cluster = resource(result, CLUSTER, "aks");
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
  });

  it("registers nothing, not even the component, when the input is invalid", async () => {
    const { types, error } = await registeredBeforeError(
      () =>
        void new KubernetesCluster("aks", { ...base, podCidr: "10.96.0.0/12", serviceCidr: "10.96.0.0/16" }),
    );
    expect(types).toEqual(["pulumi:pulumi:Stack"]);
    expect(error).toMatchObject({
      name: "UserError",
      message:
        'KubernetesCluster "aks" has invalid arguments:\n  - podCidr: overlaps the service CIDR 10.96.0.0/16 (got "10.96.0.0/12"; allowed: a range outside the VNet address space, the reserved ranges and the service CIDR)',
    });
  });
});
