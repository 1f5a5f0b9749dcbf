import * as compute from "@pulumi/azure-native/compute/index.js";
import * as containerservice from "@pulumi/azure-native/containerservice/index.js";
import * as monitor from "@pulumi/azure-native/monitor/index.js";
import * as network from "@pulumi/azure-native/network/index.js";
import { describe, expect, it } from "vitest";
import { buildPlanDocument, serializePlan, studentKeys, studentTag } from "../../src/plan/document.ts";
import type { Finding } from "../../src/policy/evaluate.ts";
import { classProgram, planEdited, planOf, run } from "./fixtures.ts";

const URN = "urn:pulumi:test::azlab::";

/** One VNet, two subnets (one behind an NSG and a NAT gateway), an NSG with inline and standalone rules. */
async function smallNetwork() {
  const vnet = new network.VirtualNetwork("lab-vnet", {
    resourceGroupName: "rg",
    virtualNetworkName: "lab",
    location: "westeurope",
    addressSpace: { addressPrefixes: ["10.1.0.0/24"] },
  });
  const nsg = new network.NetworkSecurityGroup("lab-nsg", {
    resourceGroupName: "rg",
    location: "westeurope",
    securityRules: [
      {
        name: "deny-all-in",
        priority: 4096,
        direction: "Inbound",
        access: "Deny",
        protocol: "*",
        sourceAddressPrefix: "*",
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: "*",
      },
      {
        name: "http",
        priority: 200,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefixes: ["192.0.2.0/24", "198.51.100.0/24"],
        sourcePortRange: "*",
        destinationAddressPrefix: "VirtualNetwork",
        destinationPortRanges: ["80", "443"],
      },
    ],
  });
  new network.SecurityRule("lab-nsg-out", {
    resourceGroupName: "rg",
    networkSecurityGroupName: nsg.name,
    securityRuleName: "deny-internet-out",
    priority: 100,
    direction: "Outbound",
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "Internet",
    destinationPortRange: "*",
  });
  // Declared before "app" so the document's sorting is what puts "app" first.
  new network.Subnet("lab-data", {
    resourceGroupName: "rg",
    virtualNetworkName: vnet.name,
    subnetName: "data",
    addressPrefix: "10.1.0.64/27",
  });
  new network.Subnet("lab-app", {
    resourceGroupName: "rg",
    virtualNetworkName: vnet.name,
    subnetName: "app",
    addressPrefix: "10.1.0.0/26",
    networkSecurityGroup: { id: nsg.id },
    natGateway: { id: "/subscriptions/x/natGateways/nat" },
  });
  return { vnet: vnet.name };
}

/**
 * One VNet with four subnets and what the plan puts in them: behind an internal load balancer, a scale
 * set that autoscales to 12 and a fixed one; an overlay AKS cluster with a fixed system pool and an
 * autoscaled user pool; a flat Azure CNI cluster whose autoscaled pool reaches `flatMaxCount` nodes.
 */
function workloads(flatMaxCount = 3) {
  return async () => {
    const group = { resourceGroupName: "rg", location: "westeurope" };
    const vnet = new network.VirtualNetwork("dev-net-vnet", {
      ...group,
      addressSpace: { addressPrefixes: ["10.20.0.0/16"] },
    });
    const subnet = (key: string, addressPrefix: string) =>
      new network.Subnet(`dev-net-${key}`, {
        resourceGroupName: "rg",
        virtualNetworkName: vnet.name,
        subnetName: key,
        addressPrefix,
      });
    const web = subnet("web", "10.20.0.0/27");
    const aks = subnet("aks", "10.20.1.0/24");
    const flat = subnet("flat", "10.20.2.0/24");
    subnet("data", "10.20.3.0/28");

    new network.LoadBalancer("dev-web-lb", {
      ...group,
      sku: { name: "Standard" },
      frontendIPConfigurations: [
        { name: "frontend", subnet: { id: web.id }, privateIPAllocationMethod: "Dynamic" },
      ],
    });
    const scaleSet = (name: string, capacity: number) =>
      new compute.VirtualMachineScaleSet(name, {
        ...group,
        sku: { name: "Standard_B2s", capacity },
        virtualMachineProfile: {
          networkProfile: {
            networkInterfaceConfigurations: [
              {
                name: "nic",
                primary: true,
                ipConfigurations: [{ name: "ipconfig", primary: true, subnet: { id: web.id } }],
              },
            ],
          },
        },
      });
    const vmss = scaleSet("dev-web-vmss", 2);
    scaleSet("dev-jump-vmss", 1);
    const capacity = (minimum: number, maximum: number) => ({
      minimum: String(minimum),
      default: String(minimum),
      maximum: String(maximum),
    });
    new monitor.AutoscaleSetting("dev-web-autoscale", {
      ...group,
      enabled: true,
      targetResourceUri: vmss.id,
      profiles: [
        { name: "default", capacity: capacity(1, 3), rules: [] },
        { name: "lab-hours", capacity: capacity(4, 12), rules: [] },
      ],
    });

    const cluster = new containerservice.ManagedCluster("dev-aks-cluster", {
      ...group,
      dnsPrefix: "dev",
      networkProfile: { networkPlugin: "azure", networkPluginMode: "overlay", podCidr: "192.168.0.0/16" },
      agentPoolProfiles: [
        {
          name: "system",
          mode: "System",
          vmSize: "Standard_D2s_v5",
          count: 2,
          enableAutoScaling: false,
          maxPods: 110,
          upgradeSettings: { maxSurge: "1" },
          vnetSubnetID: aks.id,
        },
      ],
    });
    new containerservice.AgentPool("dev-aks-user", {
      resourceGroupName: "rg",
      resourceName: cluster.name,
      agentPoolName: "user",
      mode: "User",
      vmSize: "Standard_D2s_v5",
      count: 1,
      enableAutoScaling: true,
      minCount: 1,
      maxCount: 5,
      maxPods: 110,
      // A percentage is not a node count; the plan assumes one surge node.
      upgradeSettings: { maxSurge: "33%" },
      vnetSubnetID: aks.id,
    });
    new containerservice.ManagedCluster("dev-flat-cluster", {
      ...group,
      dnsPrefix: "flat",
      networkProfile: { networkPlugin: "azure" },
      agentPoolProfiles: [
        {
          name: "system",
          mode: "System",
          vmSize: "Standard_D2s_v5",
          count: 1,
          enableAutoScaling: true,
          minCount: 1,
          maxCount: flatMaxCount,
          maxPods: 30,
          upgradeSettings: { maxSurge: "2" },
          vnetSubnetID: flat.id,
        },
      ],
    });
  };
}

describe("buildPlanDocument", () => {
  it("derives the network, the NSG rule matrix and the summary from the recorded resources", async () => {
    const doc = await planOf(smallNetwork);
    expect(Object.keys(doc)).toEqual([
      "version",
      "stack",
      "file",
      "summary",
      "resources",
      "network",
      "nsgRules",
      "findings",
      "outputs",
      "access",
    ]);
    expect(doc.version).toBe("azlab.plan/v1");
    expect(doc.summary).toEqual({
      resourceCounts: {
        "azure-native:network:NetworkSecurityGroup": 1,
        "azure-native:network:SecurityRule": 1,
        "azure-native:network:Subnet": 2,
        "azure-native:network:VirtualNetwork": 1,
      },
      total: 5,
    });
    expect(doc.network).toEqual([
      {
        urn: `${URN}azure-native:network:VirtualNetwork::lab-vnet`,
        name: "lab",
        student: null,
        addressSpace: ["10.1.0.0/24"],
        // 64 + 32 of 256 addresses are in subnets.
        utilization: { total: 256, allocated: 96, free: 160, utilization: 0.375 },
        subnets: [
          {
            urn: `${URN}azure-native:network:Subnet::lab-app`,
            name: "app",
            cidr: "10.1.0.0/26",
            cidrs: ["10.1.0.0/26"],
            total: 64,
            reserved: 5,
            usable: 59,
            plannedUse: 0,
            free: 59,
            consumers: [],
            nsg: "lab-nsg",
            natGateway: true,
          },
          {
            urn: `${URN}azure-native:network:Subnet::lab-data`,
            name: "data",
            cidr: "10.1.0.64/27",
            cidrs: ["10.1.0.64/27"],
            total: 32,
            reserved: 5,
            usable: 27,
            plannedUse: 0,
            free: 27,
            consumers: [],
            nsg: null,
            natGateway: false,
          },
        ],
      },
    ]);
    expect(doc.nsgRules).toEqual([
      {
        nsg: "lab-nsg",
        name: "http",
        priority: 200,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        source: ["192.0.2.0/24", "198.51.100.0/24"],
        destination: ["VirtualNetwork"],
        ports: ["80", "443"],
      },
      {
        nsg: "lab-nsg",
        name: "deny-all-in",
        priority: 4096,
        direction: "Inbound",
        access: "Deny",
        protocol: "*",
        source: ["*"],
        destination: ["*"],
        ports: ["*"],
      },
      {
        nsg: "lab-nsg",
        name: "deny-internet-out",
        priority: 100,
        direction: "Outbound",
        access: "Deny",
        protocol: "*",
        source: ["*"],
        destination: ["Internet"],
        ports: ["*"],
      },
    ]);
    expect(doc.outputs).toEqual({ vnet: "lab" });
  });

  it("counts what the plan puts in each subnet at full scale, and the addresses left", async () => {
    const doc = await planOf(workloads());
    const figures = doc.network[0]!.subnets.map((s) => ({
      name: s.name,
      usable: s.usable,
      plannedUse: s.plannedUse,
      free: s.free,
      consumers: s.consumers,
    }));
    expect(figures).toEqual([
      {
        name: "aks",
        usable: 251,
        // Overlay: one address per node. 2 + 1 surge, and 5 + 1 surge.
        plannedUse: 9,
        free: 242,
        consumers: [
          "dev-aks-cluster/system: 2 nodes + 1 surge",
          "dev-aks-cluster/user: up to 5 nodes + 1 surge",
        ],
      },
      { name: "data", usable: 11, plannedUse: 0, free: 11, consumers: [] },
      {
        name: "flat",
        usable: 251,
        // Flat Azure CNI: (3 + 2) nodes × (30 pods + 1).
        plannedUse: 155,
        free: 96,
        consumers: ["dev-flat-cluster/system: (up to 3 nodes + 2 surge) × (30 pods + 1) = 155 addresses"],
      },
      {
        name: "web",
        usable: 27,
        // The largest autoscale maximum (12), the fixed scale set (1) and the load balancer frontend (1).
        plannedUse: 14,
        free: 13,
        consumers: [
          "dev-jump-vmss: 1 instance",
          "dev-web-lb: 1 frontend IP",
          "dev-web-vmss: up to 12 instances",
        ],
      },
    ]);
  });

  it("reports a negative free count when the plan does not fit at full scale", async () => {
    const doc = await planOf(workloads(10));
    const flat = doc.network[0]!.subnets.find((s) => s.name === "flat")!;
    // (10 + 2) × 31 = 372 addresses in a /24 with 251 usable.
    expect([flat.plannedUse, flat.free]).toEqual([372, -121]);
  });

  it("also finds a subnet by its full Azure id, and ignores subnets the plan does not declare", async () => {
    const recorded = await run(smallNetwork);
    const doc = planEdited(recorded, (resources) => {
      const subnetId = (vnet: string, subnet: string) =>
        `/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/${subnet}`;
      resources.push({
        urn: `${URN}azure-native:network:LoadBalancer::lab-lb`,
        type: "azure-native:network:LoadBalancer",
        name: "lab-lb",
        custom: true,
        dependencies: [],
        protect: false,
        retainOnDelete: false,
        ignoreChanges: [],
        inputs: {
          frontendIPConfigurations: [
            { name: "a", subnet: { id: subnetId("lab", "app") } },
            { name: "b", subnet: { id: subnetId("Lab", "app") } },
            { name: "c", subnet: { id: subnetId("elsewhere", "app") } },
          ],
        },
        secretInputs: [],
      });
    });
    const [app, data] = doc.network[0]!.subnets;
    expect([app!.plannedUse, app!.free, app!.consumers]).toEqual([2, 57, ["lab-lb: 2 frontend IPs"]]);
    expect(data!.plannedUse).toBe(0);
  });

  it("records each resource with its parent, dependencies and sorted inputs, without the root stack", async () => {
    const doc = await planOf(smallNetwork);
    expect(doc.resources.map((r) => r.urn)).toEqual([
      `${URN}azure-native:network:NetworkSecurityGroup::lab-nsg`,
      `${URN}azure-native:network:SecurityRule::lab-nsg-out`,
      `${URN}azure-native:network:Subnet::lab-app`,
      `${URN}azure-native:network:Subnet::lab-data`,
      `${URN}azure-native:network:VirtualNetwork::lab-vnet`,
    ]);
    const app = doc.resources[2]!;
    expect(app).toEqual({
      urn: `${URN}azure-native:network:Subnet::lab-app`,
      type: "azure-native:network:Subnet",
      name: "lab-app",
      custom: true,
      parent: null,
      dependencies: [
        `${URN}azure-native:network:NetworkSecurityGroup::lab-nsg`,
        `${URN}azure-native:network:VirtualNetwork::lab-vnet`,
      ],
      protect: false,
      retainOnDelete: false,
      ignoreChanges: [],
      inputs: {
        addressPrefix: "10.1.0.0/26",
        natGateway: { id: "/subscriptions/x/natGateways/nat" },
        networkSecurityGroup: { id: "lab-nsg-id" },
        privateEndpointNetworkPolicies: "Disabled",
        privateLinkServiceNetworkPolicies: "Enabled",
        resourceGroupName: "rg",
        subnetName: "app",
        virtualNetworkName: "lab",
      },
      secretInputs: [],
    });
    expect(Object.keys(app.inputs)).toEqual([...Object.keys(app.inputs)].sort());
  });

  it("sorts findings by severity then id, and adds generatedAt only when asked", async () => {
    const recorded = await run(smallNetwork);
    const finding = (id: string, severity: Finding["severity"]): Finding => ({
      id,
      severity,
      enforcement: "advisory",
      resource: "stack",
      message: `${id} message`,
      fix: `${id} fix`,
    });
    const findings = [
      finding("b", "info"),
      finding("z", "error"),
      finding("a", "warning"),
      finding("c", "error"),
    ];
    const doc = buildPlanDocument(recorded, {
      stack: "test",
      file: "f",
      findings,
      generatedAt: "2026-01-01T00:00:00Z",
    });
    expect(doc.findings.map((f) => `${f.severity}:${f.id}`)).toEqual([
      "error:c",
      "error:z",
      "warning:a",
      "info:b",
    ]);
    expect(doc.generatedAt).toBe("2026-01-01T00:00:00Z");
    expect(Object.keys(doc).indexOf("generatedAt")).toBe(3);
    expect(buildPlanDocument(recorded, { stack: "test", file: "f", findings: [] })).not.toHaveProperty(
      "generatedAt",
    );
  });

  it("is byte-identical across two runs of the same program", async () => {
    const program = classProgram({ alice: { octet: 1 }, bob: { octet: 2 } });
    expect(serializePlan(await planOf(program))).toBe(serializePlan(await planOf(program)));
  });

  it("assigns every student resource, including untagged subnets and components, to its student", async () => {
    const doc = await planOf(classProgram({ alice: { octet: 1 }, bob: { octet: 2 } }));
    const keys = studentKeys(doc.resources);
    expect(Object.fromEntries(doc.resources.map((r) => [r.name, keys.get(r.urn)]))).toEqual({
      alice: "alice",
      "alice-nsg": "alice",
      "alice-db": "alice",
      "alice-web": "alice",
      "alice-vnet": "alice",
      bob: "bob",
      "bob-nsg": "bob",
      "bob-db": "bob",
      "bob-web": "bob",
      "bob-vnet": "bob",
      shared: null,
      "gateway-ip": null,
    });
  });

  it("reads the student from an Azure tag or a Kubernetes label", () => {
    expect(studentTag({ tags: { student: "alice" } })).toBe("alice");
    expect(studentTag({ metadata: { labels: { "azlab.io/student": "bob" } } })).toBe("bob");
    expect(studentTag({ tags: { owner: "x" }, metadata: { labels: { app: "y" } } })).toBe(null);
  });
});
