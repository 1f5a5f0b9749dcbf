import * as network from "@pulumi/azure-native/network/index.js";
import { describe, expect, it } from "vitest";
import { buildPlanDocument, serializePlan, studentKeys, studentTag } from "../../src/plan/document.ts";
import type { Finding } from "../../src/policy/evaluate.ts";
import { classProgram, planOf, run } from "./fixtures.ts";

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
