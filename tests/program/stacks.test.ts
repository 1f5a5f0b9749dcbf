/**
 * The three shipped stacks, planned with their real config and committed locks under Pulumi's mocks:
 * exact resource counts per type and the inputs that matter.
 */
import { describe, expect, it } from "vitest";
import { TAGGABLE_TYPES } from "../../src/naming/tags.ts";
import { countByType, ofType, planShipped, resource } from "../support/offline.ts";

const common = {
  "azlab:containers:Registry": 1,
  "azure-native:containerregistry:Registry": 1,
  "pulumi:providers:kubernetes": 1,
};

/** What dev and prod both register: one environment with every module, and the shared registry group. */
const singleEnvironment = {
  "azlab:compute:ScaleSet": 1,
  "azlab:containers:KubernetesCluster": 1,
  "azlab:kubernetes:ClusterBasics": 1,
  "azlab:lab:Environment": 1,
  "azlab:network:NetworkSecurityGroup": 1,
  "azlab:network:PublicIp": 2,
  "azlab:network:VirtualNetwork": 1,
  "azlab:storage:StorageAccount": 1,
  // AcrPull for the scale set and the kubelet; Network Contributor for the AKS identity on subnet and NAT gateway;
  // Storage Account Contributor for the Azure Files CSI controller on the account (dev and prod add their own).
  "azure-native:authorization:RoleAssignment": 5,
  "azure-native:compute:VirtualMachineScaleSet": 1,
  "azure-native:containerservice:AgentPool": 1,
  "azure-native:containerservice:ManagedCluster": 1,
  "azure-native:managedidentity:UserAssignedIdentity": 1,
  "azure-native:monitor:AutoscaleSetting": 1,
  "azure-native:network:LoadBalancer": 1,
  "azure-native:network:NatGateway": 1,
  "azure-native:network:NetworkSecurityGroup": 1,
  "azure-native:network:PublicIPAddress": 2,
  "azure-native:network:VirtualNetwork": 1,
  "azure-native:resources:ResourceGroup": 2,
  "azure-native:storage:BlobServiceProperties": 1,
  "azure-native:storage:FileServiceProperties": 1,
  "azure-native:storage:FileShare": 1,
  "azure-native:storage:StorageAccount": 1,
};

describe("stack dev", async () => {
  const run = await planShipped("dev");

  it("registers exactly the cheapest complete environment", () => {
    expect(countByType(run)).toEqual({
      ...common,
      ...singleEnvironment,
      "azure-native:network:Subnet": 4,
      "kubernetes:apps/v1:Deployment": 1,
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": 1,
      "kubernetes:core/v1:LimitRange": 1,
      "kubernetes:core/v1:Namespace": 1,
      // The sample workload's 1 GiB claim on the Azure Files class.
      "kubernetes:core/v1:PersistentVolumeClaim": 1,
      "kubernetes:core/v1:ResourceQuota": 1,
      "kubernetes:core/v1:Service": 1,
      "kubernetes:networking.k8s.io/v1:NetworkPolicy": 1,
      "kubernetes:storage.k8s.io/v1:StorageClass": 1,
    });
  });

  it("addresses the VNet and subnets from the lock", () => {
    expect(resource(run, "azure-native:network:VirtualNetwork", "dev-net").inputs["addressSpace"]).toEqual({
      addressPrefixes: ["10.20.0.0/16"],
    });
    const subnets = Object.fromEntries(
      ofType(run, "azure-native:network:Subnet").map((s) => [
        s.inputs["subnetName"],
        s.inputs["addressPrefix"],
      ]),
    );
    expect(subnets).toEqual({
      "aks-nodes": "10.20.0.0/24",
      app: "10.20.1.0/24",
      data: "10.20.2.64/27",
      web: "10.20.2.0/26",
    });
  });

  it("uses the cheap SKUs: Basic ACR, LRS storage, a B-series scale set of 1 to 3", () => {
    expect(ofType(run, "azure-native:containerregistry:Registry")[0]?.inputs["sku"]).toEqual({
      name: "Basic",
    });
    expect(ofType(run, "azure-native:storage:StorageAccount")[0]?.inputs["sku"]).toEqual({
      name: "Standard_LRS",
    });
    expect(ofType(run, "azure-native:compute:VirtualMachineScaleSet")[0]?.inputs["sku"]).toEqual({
      capacity: 1,
      name: "Standard_B1s",
      tier: "Standard",
    });
    const profile = (
      ofType(run, "azure-native:monitor:AutoscaleSetting")[0]?.inputs["profiles"] as unknown[]
    )[0];
    expect((profile as { capacity: unknown }).capacity).toEqual({ default: "1", maximum: "3", minimum: "1" });
    const pool = resource(run, "azure-native:containerservice:AgentPool", "dev-aks-work").inputs;
    expect([pool["enableAutoScaling"], pool["minCount"], pool["maxCount"]]).toEqual([true, 1, 3]);
  });

  it("sends all egress, AKS nodes included, through the NAT gateway", () => {
    const aks = ofType(run, "azure-native:containerservice:ManagedCluster")[0]!.inputs;
    expect((aks["networkProfile"] as { outboundType: string }).outboundType).toBe("userAssignedNATGateway");
    const natIds = ofType(run, "azure-native:network:Subnet").map((s) => s.inputs["natGateway"]);
    expect(natIds).toEqual([
      { id: "dev-net-natgw-id" },
      { id: "dev-net-natgw-id" },
      { id: "dev-net-natgw-id" },
      { id: "dev-net-natgw-id" },
    ]);
  });

  it("protects nothing: dev is disposable", () => {
    expect(run.resources.filter((r) => r.protect).map((r) => r.name)).toEqual([]);
  });
});

describe("stack prod", async () => {
  const run = await planShipped("prod");

  it("registers the dev shape plus a blob container and a lifecycle policy", () => {
    expect(countByType(run)).toEqual({
      ...common,
      ...singleEnvironment,
      "azure-native:network:Subnet": 5,
      "azure-native:storage:BlobContainer": 1,
      "azure-native:storage:ManagementPolicy": 1,
      "kubernetes:storage.k8s.io/v1:StorageClass": 1,
      // Shared keys stay off: the kubelet identity mounts, with Storage File Data SMB MI Admin on the account;
      // and the deployer gets AKS RBAC Cluster Admin for the StorageClass (tests/program/deployerAccess.test.ts).
      "azure-native:authorization:RoleAssignment": 7,
    });
  });

  it("sets protect and retainOnDelete on storage, ACR and AKS", () => {
    const stateful = run.resources
      .filter((r) => r.protect)
      .map((r) => [r.type, r.retainOnDelete])
      .sort();
    expect(stateful).toEqual([
      ["azure-native:containerregistry:Registry", true],
      ["azure-native:containerservice:ManagedCluster", true],
      ["azure-native:storage:StorageAccount", true],
    ]);
  });

  it("hardens: GRS storage, zone-redundant Premium ACR, private API server, zonal pools, 3 to 12 instances", () => {
    expect(ofType(run, "azure-native:storage:StorageAccount")[0]?.inputs["sku"]).toEqual({
      name: "Standard_GRS",
    });
    const acr = ofType(run, "azure-native:containerregistry:Registry")[0]!.inputs;
    expect([acr["sku"], acr["zoneRedundancy"]]).toEqual([{ name: "Premium" }, "Enabled"]);
    const aks = ofType(run, "azure-native:containerservice:ManagedCluster")[0]!.inputs;
    expect((aks["apiServerAccessProfile"] as { enablePrivateCluster: boolean }).enablePrivateCluster).toBe(
      true,
    );
    const pool = resource(run, "azure-native:containerservice:AgentPool", "prod-aks-work").inputs;
    expect([pool["availabilityZones"], pool["minCount"], pool["maxCount"]]).toEqual([["1", "2", "3"], 2, 20]);
    expect(ofType(run, "azure-native:compute:VirtualMachineScaleSet")[0]?.inputs["zones"]).toEqual([
      "1",
      "2",
      "3",
    ]);
    const profile = (
      ofType(run, "azure-native:monitor:AutoscaleSetting")[0]?.inputs["profiles"] as unknown[]
    )[0];
    expect((profile as { capacity: unknown }).capacity).toEqual({
      default: "3",
      maximum: "12",
      minimum: "3",
    });
  });
});

describe("stack class-demo", async () => {
  const run = await planShipped("class-demo");

  it("registers three student environments and a hub with the shared cluster", () => {
    expect(countByType(run)).toEqual({
      ...common,
      "azlab:compute:ScaleSet": 3,
      "azlab:containers:KubernetesCluster": 1,
      "azlab:kubernetes:ClusterBasics": 1,
      "azlab:lab:Environment": 4,
      "azlab:network:NetworkSecurityGroup": 4,
      "azlab:network:PublicIp": 4,
      "azlab:network:VirtualNetwork": 4,
      "azlab:storage:StorageAccount": 3,
      // azlab:class.budget: the class's and one per student (perStudent).
      "azlab:cost:Budget": 1,
      "azure-native:consumption:Budget": 4,
      // 6 for azlab's identities, the deployer's cluster admin (Entra is on), and 6 for each of alice and carol
      // (bob has no Entra identity): Reader, VM Contributor, two storage data roles, AcrPush, Cluster User.
      "azure-native:authorization:RoleAssignment": 19,
      "azure-native:compute:VirtualMachineScaleSet": 3,
      "azure-native:containerservice:ManagedCluster": 1,
      "azure-native:managedidentity:UserAssignedIdentity": 1,
      "azure-native:monitor:AutoscaleSetting": 3,
      "azure-native:network:LoadBalancer": 3,
      // Students egress through their load balancer's outbound rule; only the hub keeps a NAT gateway.
      "azure-native:network:NatGateway": 1,
      "azure-native:network:NetworkSecurityGroup": 4,
      "azure-native:network:PublicIPAddress": 4,
      "azure-native:network:Subnet": 7,
      "azure-native:network:VirtualNetwork": 4,
      "azure-native:resources:ResourceGroup": 5,
      "azure-native:storage:BlobServiceProperties": 3,
      "azure-native:storage:FileServiceProperties": 3,
      "azure-native:storage:StorageAccount": 3,
      "kubernetes:core/v1:LimitRange": 3,
      "kubernetes:core/v1:Namespace": 3,
      "kubernetes:core/v1:ResourceQuota": 3,
      "kubernetes:networking.k8s.io/v1:NetworkPolicy": 3,
      "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": 2,
    });
  });

  it("gives each student their own block of the supernet, as locked", () => {
    const vnets = Object.fromEntries(
      ofType(run, "azure-native:network:VirtualNetwork").map((v) => [
        v.name,
        (v.inputs["addressSpace"] as { addressPrefixes: string[] }).addressPrefixes,
      ]),
    );
    expect(vnets).toEqual({
      "alice-net": ["10.128.4.0/24"],
      "bob-net": ["10.128.5.0/24"],
      "carol-net": ["10.128.6.0/24"],
      "hub-net": ["10.128.0.0/22"],
    });
  });

  it("admits only the class's source ranges to student machines and denies lateral traffic", () => {
    const rules = resource(run, "azure-native:network:NetworkSecurityGroup", "alice-nsg").inputs[
      "securityRules"
    ] as { name: string; access: string; sourceAddressPrefix?: string; sourceAddressPrefixes?: string[] }[];
    const inbound = Object.fromEntries(
      rules.map((r) => [r.name, [r.access, r.sourceAddressPrefix ?? r.sourceAddressPrefixes]]),
    );
    expect(inbound).toEqual({
      "allow-ssh": ["Allow", ["145.100.0.0/16", "203.0.113.7/32"]],
      "allow-web": ["Allow", ["145.100.0.0/16", "203.0.113.7/32"]],
      "allow-lb-probe": ["Allow", "AzureLoadBalancer"],
      "allow-own-vnet": ["Allow", "10.128.4.0/24"],
      "deny-lateral": ["Deny", "10.128.0.0/16"],
    });
    expect(ofType(run, "azure-native:network:VirtualNetworkPeering")).toEqual([]);
  });

  it("binds each student with an Entra id to their own namespace", () => {
    const bindings = ofType(run, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding").map((b) => {
      const inputs = b.inputs as { metadata: { namespace: string }; subjects: { name: string }[] };
      return [inputs.metadata.namespace, inputs.subjects.map((s) => s.name)];
    });
    expect(bindings.sort()).toEqual([
      ["student-alice", ["0b6e1f7a-1c2d-4e3f-9a8b-7c6d5e4f3a2b"]],
      ["student-carol", ["9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"]],
    ]);
  });

  it("tags every taggable resource with the required tags, and student resources with their student", () => {
    const taggable = run.resources.filter((r) => TAGGABLE_TYPES.includes(r.type));
    // 38 before students egressed through their load balancers: 3 NAT gateways and their 3 IPs fewer.
    expect(taggable.length).toBe(32);
    for (const r of taggable) {
      const tags = r.inputs["tags"] as Record<string, string>;
      expect(tags, r.urn).toMatchObject({
        "managed-by": "azlab",
        environment: "class",
        owner: "instructor@example.edu",
        course: "cloud-101",
        "expires-on": "2027-01-31",
      });
      const student = /::(alice|bob|carol)-/.exec(r.urn)?.[1];
      expect(tags["student"], r.urn).toBe(student);
    }
  });

  it("gives each student their outputs, with no secret in plain text", () => {
    const students = run.outputs["students"] as Record<string, Record<string, unknown>>;
    expect(Object.keys(students)).toEqual(["alice", "bob", "carol"]);
    expect(students["alice"]).toEqual({
      acrLoginServer: "crlabcloud101classdemo188681e8.azurecr.io",
      cluster: { name: "aks-lab-class-demo-hub", resourceGroup: "rg-lab-class-demo-hub" },
      entraObjectId: "0b6e1f7a-1c2d-4e3f-9a8b-7c6d5e4f3a2b",
      namespace: "student-alice",
      resourceGroup: "rg-lab-class-demo-alice",
      resourceGroupId: "alice-rg-id",
      ssh: { user: "azlabadmin", firstPort: 50000, lastPort: 50001 },
      storageAccount: "stlabclassdemoal58fe63a7",
      vnetCidr: "10.128.4.0/24",
      webIpAddress: "203.0.113.10",
      webFqdn: "lab-class-demo-alice.westeurope.cloudapp.azure.com",
    });
    // The shared cluster's kubeconfig is the instructor's, never among the students (issue #13).
    expect((run.outputs["hub"] as Record<string, unknown>)["kubeconfig"]).toBe("[secret]");
  });
});

describe.each([
  ["dev", { environment: "dev", owner: "platform-team@example.edu", "cost-center": "teaching-lab" }],
  ["prod", { environment: "prod", owner: "platform-team@example.edu", "cost-center": "teaching-platform" }],
])("stack %s tags", async (stack, expected) => {
  const run = await planShipped(stack);

  it("puts the required tags, merged with the stack's own, on every taggable resource", () => {
    const taggable = run.resources.filter((r) => TAGGABLE_TYPES.includes(r.type));
    expect(taggable.length).toBe(14);
    for (const r of taggable) {
      expect(r.inputs["tags"], r.urn).toMatchObject({ "managed-by": "azlab", ...expected });
      expect(Object.keys(r.inputs["tags"] as object), r.urn).not.toContain("student");
    }
  });
});
