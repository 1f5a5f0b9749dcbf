/**
 * Hub and spoke from the stack file through the real program under mocks: class-demo (three students on
 * a shared cluster) with `azlab:hubAndSpoke` on, a route through an appliance in the hub, and Bastion.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { loadStackFile } from "../../src/config/stackFile.ts";
import { planStackOffline } from "../../src/program/offline.ts";
import { evaluateResources } from "../../src/policy/evaluate.ts";
import { applianceRouteToNowhere } from "../../src/policy/routeRules.ts";
import type { PolicyContext } from "../../src/policy/rules.ts";
import { describe, expect, it } from "vitest";
import { checkResource, type AzureTypeSchema } from "../conformance/azureSchema.ts";
import type { OfflineRun } from "../../src/model/recorded.ts";
import { ofType, planShipped, planVariant, resource } from "../support/offline.ts";

const T = {
  peering: "azure-native:network:VirtualNetworkPeering",
  routeTable: "azure-native:network:RouteTable",
  subnet: "azure-native:network:Subnet",
  bastion: "azure-native:network:BastionHost",
  pip: "azure-native:network:PublicIPAddress",
  nsg: "azure-native:network:NetworkSecurityGroup",
};
const STUDENTS = ["alice", "bob", "carol"];
const URN = "urn:pulumi:class-demo::azlab::";
const TAGS = {
  course: "cloud-101",
  environment: "class",
  "expires-on": "2027-01-31",
  "managed-by": "azlab",
  owner: "instructor@example.edu",
};

function hubAndSpokeClass(settings: Record<string, unknown>): Promise<OfflineRun> {
  return planVariant(
    "class-demo",
    (config) => void (config["azlab:hubAndSpoke"] = settings),
    "stacks/Pulumi.class-demo.lock.json",
  );
}

const FULL = {
  enabled: true,
  // 10.128.0.4 is inside the hub's block (10.128.0.0/22 in class-demo's lock).
  routes: {
    "via-hub": {
      addressPrefix: "0.0.0.0/0",
      nextHopType: "VirtualAppliance",
      nextHopIpAddress: "10.128.0.4",
    },
  },
  bastion: { enabled: true },
};

let full: Promise<OfflineRun> | undefined;
/** The FULL variant, planned once for the tests that read it. */
const planFull = () => (full ??= hubAndSpokeClass(FULL));

describe("hub and spoke in a class stack", () => {
  it("is off by default: the shipped class-demo has no peering, route table or Bastion", async () => {
    const result = await planShipped("class-demo");
    expect([T.peering, T.routeTable, T.bastion].map((t) => ofType(result, t).length)).toEqual([0, 0, 0]);
  });

  it("peers every student's VNet with the hub both ways, every flag explicit", async () => {
    const result = await planFull();
    expect(
      ofType(result, T.peering)
        .map((r) => r.name)
        .sort(),
    ).toEqual([
      "peering-alice-to-hub",
      "peering-bob-to-hub",
      "peering-carol-to-hub",
      "peering-hub-to-alice",
      "peering-hub-to-bob",
      "peering-hub-to-carol",
    ]);
    for (const s of STUDENTS) {
      const hubSide = resource(result, T.peering, `peering-hub-to-${s}`);
      expect(hubSide.inputs).toEqual({
        virtualNetworkPeeringName: `peer-lab-class-demo-hub-to-${s}`,
        resourceGroupName: "rg-lab-class-demo-hub",
        virtualNetworkName: "vnet-lab-class-demo-hub",
        remoteVirtualNetwork: { id: `${s}-net-id` },
        allowVirtualNetworkAccess: true,
        allowForwardedTraffic: false,
        allowGatewayTransit: false,
        useRemoteGateways: false,
      });
      const spokeSide = resource(result, T.peering, `peering-${s}-to-hub`);
      expect(spokeSide.inputs).toEqual({
        virtualNetworkPeeringName: `peer-lab-class-demo-${s}-to-hub`,
        resourceGroupName: `rg-lab-class-demo-${s}`,
        virtualNetworkName: `vnet-lab-class-demo-${s}`,
        remoteVirtualNetwork: { id: "hub-net-id" },
        allowVirtualNetworkAccess: true,
        // The route sends traffic through an appliance in the hub, which forwards it back to the spokes.
        allowForwardedTraffic: true,
        allowGatewayTransit: false,
        useRemoteGateways: false,
      });
      // Each side waits for both VNets' last subnet; the spoke side also for the hub side.
      const net = `${URN}azlab:network:VirtualNetwork$azure-native:network:`;
      expect(hubSide.dependencies).toEqual([
        `${URN}azlab:lab:Environment$azure-native:resources:ResourceGroup::hub-rg`,
        `${net}Subnet::${s}-net-web`,
        `${net}Subnet::hub-net-aks-nodes`,
        `${net}VirtualNetwork::${s}-net`,
        `${net}VirtualNetwork::hub-net`,
      ]);
      expect(spokeSide.dependencies).toEqual([
        `${URN}azlab:lab:Environment$azure-native:resources:ResourceGroup::${s}-rg`,
        `${URN}azlab:network:HubAndSpoke$azure-native:network:VirtualNetworkPeering::peering-hub-to-${s}`,
        `${net}Subnet::${s}-net-web`,
        `${net}Subnet::hub-net-aks-nodes`,
        `${net}VirtualNetwork::${s}-net`,
        `${net}VirtualNetwork::hub-net`,
      ]);
    }
  });

  it("gives every student a route table, associated with each of their subnets in the existing chain", async () => {
    const result = await planFull();
    expect(ofType(result, T.routeTable).map((r) => r.name)).toEqual(["alice-rt", "bob-rt", "carol-rt"]);
    for (const s of STUDENTS) {
      expect(resource(result, T.routeTable, `${s}-rt`).inputs).toEqual({
        routeTableName: `rt-lab-class-demo-${s}`,
        resourceGroupName: `rg-lab-class-demo-${s}`,
        location: "westeurope",
        disableBgpRoutePropagation: false,
        routes: [
          {
            name: "via-hub",
            addressPrefix: "0.0.0.0/0",
            nextHopType: "VirtualAppliance",
            nextHopIpAddress: "10.128.0.4",
          },
        ],
        tags: { ...TAGS, student: s },
      });
      const app = resource(result, T.subnet, `${s}-net-app`);
      const web = resource(result, T.subnet, `${s}-net-web`);
      expect([app.inputs["routeTable"], web.inputs["routeTable"]]).toEqual([
        { id: `${s}-rt-id` },
        { id: `${s}-rt-id` },
      ]);
      // One subnet write at a time per VNet (AnotherOperationInProgress): web still waits for app.
      expect(web.dependencies).toContain(
        `${URN}azlab:network:VirtualNetwork$azure-native:network:Subnet::${s}-net-app`,
      );
    }
    for (const hubSubnet of ["hub-net-aks-nodes", "hub-net-AzureBastionSubnet"]) {
      expect(resource(result, T.subnet, hubSubnet).inputs["routeTable"]).toBeUndefined();
    }
  });

  it("puts a Basic Bastion with a Standard static IP in the hub's own /26, and lets it reach the students", async () => {
    const result = await planFull();
    expect(resource(result, T.subnet, "hub-net-AzureBastionSubnet").inputs).toEqual({
      resourceGroupName: "rg-lab-class-demo-hub",
      virtualNetworkName: "vnet-lab-class-demo-hub",
      subnetName: "AzureBastionSubnet",
      // The next free /26 after the locked blocks: nothing else moved.
      addressPrefix: "10.128.7.0/26",
      defaultOutboundAccess: false,
      privateEndpointNetworkPolicies: "Enabled",
      privateLinkServiceNetworkPolicies: "Enabled",
    });
    expect(resource(result, "azure-native:network:VirtualNetwork", "hub-net").inputs["addressSpace"]).toEqual(
      {
        addressPrefixes: ["10.128.0.0/22", "10.128.7.0/26"],
      },
    );
    expect(resource(result, T.pip, "hub-bas-ip").inputs).toEqual({
      publicIpAddressName: "pip-lab-class-demo-hub-bas",
      resourceGroupName: "rg-lab-class-demo-hub",
      location: "westeurope",
      sku: { name: "Standard", tier: "Regional" },
      publicIPAllocationMethod: "Static",
      publicIPAddressVersion: "IPv4",
      idleTimeoutInMinutes: 4,
      tags: TAGS,
    });
    const bastion = resource(result, T.bastion, "hub-bas");
    expect(bastion.inputs).toEqual({
      bastionHostName: "bas-lab-class-demo-hub",
      resourceGroupName: "rg-lab-class-demo-hub",
      location: "westeurope",
      sku: { name: "Basic" },
      ipConfigurations: [
        {
          name: "ipconfig",
          subnet: { id: "hub-net-AzureBastionSubnet-id" },
          publicIPAddress: { id: "hub-bas-ip-id" },
          privateIPAllocationMethod: "Dynamic",
        },
      ],
      // The provider's own defaults for the Basic SKU's optional features.
      disableCopyPaste: false,
      enableFileCopy: false,
      enableIpConnect: false,
      enableKerberos: false,
      enablePrivateOnlyBastion: false,
      enableSessionRecording: false,
      enableShareableLink: false,
      enableTunneling: false,
      tags: TAGS,
    });
    expect(bastion.dependencies).toContain(
      `${URN}azlab:network:VirtualNetwork$azure-native:network:Subnet::hub-net-aks-nodes`,
    );
    for (const s of STUDENTS) {
      const rules = resource(result, T.nsg, `${s}-nsg`).inputs["securityRules"] as Record<string, unknown>[];
      expect(rules.find((r) => r["name"] === "allow-bastion")).toEqual({
        name: "allow-bastion",
        priority: 3980,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefix: "10.128.7.0/26",
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRanges: ["22", "3389"],
      });
    }
  });

  it("leaves out Bastion, its subnet and its rule when only peering is on", async () => {
    const result = await hubAndSpokeClass({ enabled: true });
    expect([T.peering, T.routeTable, T.bastion].map((t) => ofType(result, t).length)).toEqual([6, 3, 0]);
    expect(resource(result, T.routeTable, "alice-rt").inputs["routes"]).toEqual([]);
    expect(resource(result, T.peering, "peering-alice-to-hub").inputs["allowForwardedTraffic"]).toBe(false);
    expect(ofType(result, T.subnet).map((r) => r.name)).not.toContain("hub-net-AzureBastionSubnet");
    const rules = resource(result, T.nsg, "alice-nsg").inputs["securityRules"] as { name: string }[];
    expect(rules.map((r) => r.name)).not.toContain("allow-bastion");
  });

  it("gives the new types inputs their REST API schemas accept (conformance tier)", async () => {
    const result = await planFull();
    const findings = [T.peering, T.routeTable, T.bastion, T.subnet].flatMap((type) => {
      const file = `tests/conformance/data/azure/${type.split(":").slice(1).join(".")}.json`;
      const schema = JSON.parse(readFileSync(file, "utf8")) as AzureTypeSchema;
      return ofType(result, type).flatMap((r) =>
        checkResource(schema, r.inputs).map((p) => `${r.name}: ${p}`),
      );
    });
    expect(findings).toEqual([]);
  });

  it("plans the same with the large-class fast path as with every student registered", async () => {
    const doc = parse(readFileSync("stacks/Pulumi.class-demo.yaml", "utf8")) as {
      config: Record<string, Record<string, unknown>>;
    };
    doc.config["azlab:hubAndSpoke"] = FULL;
    const students = doc.config["azlab:class"]!["students"] as Record<string, unknown>;
    for (const id of ["dan", "eve", "fay", "gus"]) students[id] = {};
    const dir = mkdtempSync(join(tmpdir(), "azlab-hub-fast-"));
    writeFileSync(join(dir, "Pulumi.class-demo.yaml"), stringify(doc));
    writeFileSync(
      join(dir, "Pulumi.class-demo.lock.json"),
      readFileSync("stacks/Pulumi.class-demo.lock.json"),
    );
    const loaded = () => loadStackFile(join(dir, "Pulumi.class-demo.yaml"), "class-demo");
    const full = await planStackOffline(loaded(), { registration: "full" });
    let derived = 0;
    const fast = await planStackOffline(loaded(), {
      registration: "fast",
      onDerived: (stats) => void (derived = stats.derivedStudents),
      onFallback: (reason) => {
        throw new Error(`fell back: ${reason}`);
      },
    });
    // Two of each shape are registered (alice and carol have object ids; the others none): 3 derived.
    expect(derived).toBe(3);
    expect(ofType(fast, T.peering)).toHaveLength(14);
    const byUrn = (run: OfflineRun) => [...run.resources].sort((a, b) => (a.urn < b.urn ? -1 : 1));
    expect(byUrn(fast)).toEqual(byUrn(full));
  });

  it("warns (AZL-NET-004) when an appliance route points into a hub without a subnet there", async () => {
    const context: PolicyContext = {
      environment: "class",
      stack: "class-demo",
      asOf: new Date("2026-12-01T00:00:00Z"),
      requiredTags: [],
      overrides: {},
    };
    // class-demo with the hub's cluster: 10.128.0.4 is in its node subnet.
    expect(
      evaluateResources((await planFull()).resources, context, undefined, [applianceRouteToNowhere]),
    ).toEqual([]);
    // Without a cluster the hub's own block has no subnet, so nothing can answer at its addresses.
    const noCluster = await planVariant(
      "class-demo",
      (config) => {
        const cls = config["azlab:class"] as { modules: Record<string, boolean> };
        cls.modules["aks"] = false;
        config["azlab:hubAndSpoke"] = {
          ...FULL,
          routes: { "via-hub": { ...FULL.routes["via-hub"], nextHopIpAddress: "10.128.7.4" } },
        };
      },
      "stacks/Pulumi.class-demo.lock.json",
    );
    expect(
      evaluateResources(noCluster.resources, context, undefined, [applianceRouteToNowhere]).map((f) => [
        f.id,
        f.severity,
        f.resource,
        f.message,
      ]),
    ).toEqual(
      STUDENTS.map((s) => [
        "AZL-NET-004",
        "warning",
        `${URN}azlab:network:RouteTable$azure-native:network:RouteTable::${s}-rt`,
        `Route "via-hub" of route table "${s}-rt" sends traffic to 10.128.7.4, which is in no subnet of this stack`,
      ]),
    );
  });
});
