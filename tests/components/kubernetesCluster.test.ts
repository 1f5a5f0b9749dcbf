import { describe, expect, it } from "vitest";
import { FunctionToken, ResourceType } from "../../src/azure/catalog.ts";
import {
  KubernetesCluster,
  type KubernetesClusterArgs,
} from "../../components/containers/kubernetesCluster.ts";
import { Registry } from "../../components/containers/registry.ts";
import { VirtualNetwork } from "../../components/network/virtualNetwork.ts";
import { fakeGuid } from "../../src/engine/mockResponses.ts";
import { stableGuid } from "../../src/naming/globalNames.ts";
import { countByType, registeredBeforeError, resource, run, URN, urnName } from "../support/offline.ts";

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
    expect(countByType(result)).toEqual({
      "azlab:containers:KubernetesCluster": 1,
      [CLUSTER]: 1,
      [ResourceType.UserAssignedIdentity]: 1,
      [ResourceType.RoleAssignment]: 1,
    });
    const cluster = resource(result, CLUSTER, "aks");
    expect(cluster.inputs).toEqual({
      resourceName: "aks-azlab-dev-main",
      resourceGroupName: "rg",
      dnsPrefix: "aks-azlab-dev-main",
      sku: { name: "Base", tier: "Free" },
      nodeResourceGroup: "rg-azlab-dev-main-aks-nodes",
      identity: { type: "UserAssigned", userAssignedIdentities: ["aks-identity-id"] },
      agentPoolProfiles: [systemProfile],
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        podCidr: "10.244.0.0/16",
        networkPolicy: "cilium",
        networkDataplane: "cilium",
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
      securityProfile: {
        workloadIdentity: { enabled: true },
        imageCleaner: { enabled: true, intervalHours: 168 },
      },
      workloadAutoScalerProfile: { verticalPodAutoscaler: { enabled: false } },
      ingressProfile: { webAppRouting: { enabled: false } },
      apiServerAccessProfile: { enablePrivateCluster: false, disableRunCommand: true },
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
      { token: FunctionToken.getClientConfig, inputs: {} },
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
    expect(countByType(result)).toEqual({
      "azlab:containers:KubernetesCluster": 1,
      [CLUSTER]: 1,
      [POOL]: 2,
      [ResourceType.UserAssignedIdentity]: 1,
      [ResourceType.RoleAssignment]: 1,
    });
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
        entraEnabled: true,
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
      { token: FunctionToken.getClientConfig, inputs: {} },
      {
        token: FunctionToken.listManagedClusterUserCredentials,
        inputs: { resourceGroupName: "rg", resourceName: "aks-azlab-dev-main", format: "exec" },
      },
    ]);
  });

  it("uses Entra ID without admin groups when entraEnabled is set, and the exec kubeconfig with it", async () => {
    const result = await run(() => {
      new KubernetesCluster("aks", { ...base, entraEnabled: true });
    });
    const cluster = resource(result, CLUSTER, "aks");
    // AKS accepts managed Entra with Azure RBAC and no admin group (azure-aks-docs, manage-azure-rbac.md).
    expect(cluster.inputs["aadProfile"]).toEqual({
      managed: true,
      enableAzureRBAC: true,
      adminGroupObjectIDs: [],
    });
    expect(cluster.inputs["disableLocalAccounts"]).toBe(true);
    expect(result.calls).toEqual([
      { token: FunctionToken.getClientConfig, inputs: {} },
      {
        token: FunctionToken.listManagedClusterUserCredentials,
        inputs: { resourceGroupName: "rg", resourceName: "aks-azlab-dev-main", format: "exec" },
      },
    ]);
  });

  describe("secure defaults the stack can override (issue #12)", () => {
    const clusterInputs = async (args: Partial<KubernetesClusterArgs>) => {
      const result = await run(() => void new KubernetesCluster("aks", { ...base, ...args }));
      return resource(result, CLUSTER, "aks").inputs;
    };

    // Azure NPM on Linux retires 2028-09-30 (Azure Updates 500268); policy "cilium" needs the Cilium dataplane
    // (ManagedCluster API NetworkPolicy enum: "This requires networkDataplane to be 'cilium'").
    it("keeps an explicit azure, calico or none policy on Azure's dataplane", async () => {
      for (const networkPolicy of ["azure", "calico", "none"] as const) {
        expect((await clusterInputs({ networkPolicy }))["networkProfile"]).toMatchObject({
          networkPluginMode: "overlay",
          networkPolicy,
          networkDataplane: "azure",
        });
      }
    });

    it("sends the Standard tier, the stack's node resource group, run command and the image cleaner interval", async () => {
      const inputs = await clusterInputs({
        skuTier: "Standard",
        nodeResourceGroupName: "rg-nodes",
        privateClusterEnabled: true,
        imageCleanerIntervalHours: 24,
      });
      expect(inputs["sku"]).toEqual({ name: "Base", tier: "Standard" });
      expect(inputs["nodeResourceGroup"]).toBe("rg-nodes");
      // A private cluster keeps run command: from outside its VNet it is the documented way in.
      expect(inputs["apiServerAccessProfile"]).toEqual({
        enablePrivateCluster: true,
        disableRunCommand: false,
      });
      expect(inputs["securityProfile"]).toEqual({
        workloadIdentity: { enabled: true },
        imageCleaner: { enabled: true, intervalHours: 24 },
      });
      const off = await clusterInputs({
        privateClusterEnabled: true,
        runCommandEnabled: false,
        imageCleanerEnabled: false,
      });
      expect(off["apiServerAccessProfile"]).toEqual({ enablePrivateCluster: true, disableRunCommand: true });
      expect(off["securityProfile"]).toEqual({
        workloadIdentity: { enabled: true },
        imageCleaner: { enabled: false },
      });
    });

    it("refuses the default cilium policy on flat azure-cni before registering anything", async () => {
      const { types, error } = await registeredBeforeError(
        () => void new KubernetesCluster("aks", { ...base, networkPlugin: "azure-cni", podCidr: undefined }),
      );
      expect(types).toEqual(["pulumi:pulumi:Stack"]);
      expect(error).toMatchObject({ name: "UserError" });
      expect((error as Error).message).toContain(
        "networkPolicy: defaults to cilium, which needs networkPlugin azure-cni-overlay",
      );
    });
  });

  it("sizes the node subnet for flat azure-cni with 30 pods per node by default", async () => {
    const result = await run(() => {
      // Cilium, the default policy, needs overlay; flat Azure CNI takes another engine explicitly.
      new KubernetesCluster("aks", {
        ...base,
        networkPlugin: "azure-cni",
        networkPolicy: "calico",
        podCidr: undefined,
      });
    });
    const cluster = resource(result, CLUSTER, "aks");
    expect(cluster.inputs["networkProfile"]).toEqual({
      networkPlugin: "azure",
      // No networkPluginMode. The azure-native SDK fills in its default podCidr; flat Azure CNI ignores it.
      podCidr: "10.244.0.0/16",
      networkPolicy: "calico",
      networkDataplane: "azure",
      serviceCidr: "10.96.0.0/16",
      dnsServiceIP: "10.96.0.10",
      loadBalancerSku: "standard",
      outboundType: "loadBalancer",
    });
    expect((cluster.inputs["agentPoolProfiles"] as { maxPods: number }[])[0]?.maxPods).toBe(30);
  });

  describe("on a bring-your-own subnet behind a NAT gateway", () => {
    // The control plane needs Network Contributor on its own subnet before the cluster is created, and only
    // the Azure CLI grants it to a system-assigned identity, so azlab brings a user-assigned one ("Use a
    // managed identity in AKS", azure-aks-docs use-managed-identity.md; configure-kubenet.md; nat-gateway.md,
    // "Create an AKS cluster with a userAssignedNatGateway").
    const NETWORK_CONTRIBUTOR =
      "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/4d97b98b-1d4f-4787-a291-c67834d212e7";
    const PRINCIPAL = fakeGuid("aks-identity/principal");
    const component = `${URN}azlab:containers:KubernetesCluster`;
    const inVnet = (type: string, name: string) => `${URN}azlab:network:VirtualNetwork$${type}::${name}`;

    const natCluster = (ranges: string[]) =>
      run(() => {
        const vnet = new VirtualNetwork("net", {
          resourceGroupName: "rg",
          location: "westeurope",
          nameParts: ["azlab", "dev"],
          addressSpace: ["10.10.0.0/16"],
          outbound: "natGateway",
          subnets: { aks: { cidr: "10.10.0.0/24" }, web: { cidr: "10.10.1.0/24" } },
        });
        new KubernetesCluster("aks", {
          ...base,
          nodeSubnetId: vnet.subnetIds["aks"]!,
          outboundType: "userAssignedNATGateway",
          natGateway: {
            id: vnet.natGatewayId!,
            publicIpAddress: vnet.natGatewayPublicIpAddress!.apply((ip) => ip ?? ""),
          },
          apiServerAuthorizedIpRanges: ranges,
          networkReady: vnet.networkReady,
        });
      });

    it("gives the control plane a user-assigned identity with Network Contributor on its subnet, before the cluster", async () => {
      const result = await run(() => void new KubernetesCluster("aks", { ...base, location: "westeurope" }));
      expect(resource(result, ResourceType.UserAssignedIdentity, "aks-identity").inputs).toEqual({
        resourceName: "id-azlab-dev-main-aks",
        resourceGroupName: "rg",
        location: "westeurope",
      });
      const grant = resource(result, ResourceType.RoleAssignment, "aks-subnet-network");
      expect(grant.inputs).toEqual({
        // Stable across runs: a GUID of scope, principal and role, like ARM's guid().
        roleAssignmentName: stableGuid(`${SUBNET_ID}|${PRINCIPAL}|4d97b98b-1d4f-4787-a291-c67834d212e7`),
        scope: SUBNET_ID,
        principalId: PRINCIPAL,
        principalType: "ServicePrincipal",
        roleDefinitionId: NETWORK_CONTRIBUTOR,
        description: "AKS control plane on its node subnet, granted by azlab",
      });
      expect(grant.parent).toBe(`${component}::aks`);
      const cluster = resource(result, CLUSTER, "aks");
      expect(cluster.inputs["identity"]).toEqual({
        type: "UserAssigned",
        userAssignedIdentities: ["aks-identity-id"],
      });
      // Created after the grant, so AKS finds its subnet permission on the first try.
      expect(cluster.dependencies).toEqual([
        `${component}$azure-native:authorization:RoleAssignment::aks-subnet-network`,
        `${component}$azure-native:managedidentity:UserAssignedIdentity::aks-identity`,
      ]);
    });

    it("grants the NAT gateway too, waits for the whole VNet and authorizes the egress /32", async () => {
      const result = await natCluster(["145.100.0.0/16"]);
      const natGrant = resource(result, ResourceType.RoleAssignment, "aks-natgw-network");
      expect(natGrant.inputs).toEqual({
        roleAssignmentName: stableGuid(`net-natgw-id|${PRINCIPAL}|4d97b98b-1d4f-4787-a291-c67834d212e7`),
        scope: "net-natgw-id",
        principalId: PRINCIPAL,
        principalType: "ServicePrincipal",
        roleDefinitionId: NETWORK_CONTRIBUTOR,
        description: "AKS control plane on its egress NAT gateway, granted by azlab",
      });
      expect(resource(result, ResourceType.RoleAssignment, "aks-subnet-network").inputs["scope"]).toBe(
        "net-aks-id",
      );
      const cluster = resource(result, CLUSTER, "aks");
      // Nodes egress through the NAT gateway, so its address (the offline engine's 203.0.113.10) must be in
      // the list or they cannot reach the API server (api-server-authorized-ip-ranges.md; azure-docs #111834,
      // #97437). AKS adds only its own load balancer's outbound IP.
      expect(cluster.inputs["apiServerAccessProfile"]).toEqual({
        enablePrivateCluster: false,
        disableRunCommand: true,
        authorizedIPRanges: ["145.100.0.0/16", "203.0.113.10/32"],
      });
      expect(cluster.inputs["networkProfile"]).toMatchObject({ outboundType: "userAssignedNATGateway" });
      // The last subnet of the VNet's chain ("web"), not only the cluster's own ("aks").
      expect(cluster.dependencies).toEqual([
        `${component}$azure-native:authorization:RoleAssignment::aks-natgw-network`,
        `${component}$azure-native:authorization:RoleAssignment::aks-subnet-network`,
        `${component}$azure-native:managedidentity:UserAssignedIdentity::aks-identity`,
        // Through the egress address in the authorized ranges.
        `${URN}azlab:network:PublicIp$azure-native:network:PublicIPAddress::net-natgw-ip`,
        inVnet("azure-native:network:Subnet", "net-aks"),
        inVnet("azure-native:network:Subnet", "net-web"),
      ]);
    });

    it("leaves an open API server open, and does not repeat an egress address the user listed", async () => {
      const open = resource(await natCluster([]), CLUSTER, "aks");
      expect(open.inputs["apiServerAccessProfile"]).toEqual({
        enablePrivateCluster: false,
        disableRunCommand: true,
      });
      const listed = resource(await natCluster(["203.0.113.10/32", "145.100.0.0/16"]), CLUSTER, "aks");
      expect(listed.inputs["apiServerAccessProfile"]).toEqual({
        enablePrivateCluster: false,
        disableRunCommand: true,
        authorizedIPRanges: ["203.0.113.10/32", "145.100.0.0/16"],
      });
    });

    it("refuses a private authorized range before registering anything", async () => {
      const { types, error } = await registeredBeforeError(
        () => void new KubernetesCluster("aks", { ...base, apiServerAuthorizedIpRanges: ["10.0.0.0/16"] }),
      );
      expect(types).toEqual(["pulumi:pulumi:Stack"]);
      expect(error).toMatchObject({
        name: "UserError",
        message:
          'KubernetesCluster "aks" has invalid arguments:\n  - apiServerAuthorizedIpRanges[0]: is a private (RFC 1918) range, which never matches: the API server only sees public source addresses (got "10.0.0.0/16"; allowed: a public prefix that holds the addresses of the admins and of the machine running `pulumi up`)',
      });
    });
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
