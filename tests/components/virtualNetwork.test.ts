import { describe, expect, it } from "vitest";
import { VirtualNetwork } from "../../components/network/virtualNetwork.ts";
import type { VirtualNetworkArgs } from "../../components/network/virtualNetwork.ts";
import { ResourceType } from "../../src/azure/catalog.ts";
import { countByType, named, registeredBeforeError, resource, run, URN } from "../support/offline.ts";

const base: VirtualNetworkArgs = {
  resourceGroupName: "rg",
  location: "westeurope",
  nameParts: ["azlab", "dev", "main"],
  addressSpace: ["10.1.0.0/16"],
  outbound: "natGateway",
  subnets: {
    web: { cidr: "10.1.1.0/24", nsgId: "/nsg/web" },
    app: { cidr: "10.1.2.0/24", serviceEndpoints: ["Microsoft.Storage"], natGatewayEnabled: false },
    aci: { cidr: "10.1.3.0/24", delegation: "Microsoft.ContainerInstance/containerGroups" },
    AzureBastionSubnet: { cidr: "10.1.4.0/26" },
  },
  tags: { course: "net101" },
};

const subnetUrn = (name: string) => `${URN}azlab:network:VirtualNetwork$azure-native:network:Subnet::${name}`;

describe("VirtualNetwork", () => {
  it("creates the VNet without inline subnets, standalone subnets with secure defaults, and a NAT gateway", async () => {
    let outbound: string | undefined;
    const result = await run(() => {
      const vnet = new VirtualNetwork("lab", base);
      outbound = vnet.outbound;
      return { subnetIds: vnet.subnetIds, natGatewayId: vnet.natGatewayId, vnetId: vnet.vnetId };
    });
    expect(countByType(result)).toEqual({
      "azlab:network:PublicIp": 1,
      "azlab:network:VirtualNetwork": 1,
      [ResourceType.NatGateway]: 1,
      [ResourceType.PublicIPAddress]: 1,
      [ResourceType.Subnet]: 4,
      [ResourceType.VirtualNetwork]: 1,
    });

    // The main child takes the component's own name.
    const vnet = resource(result, ResourceType.VirtualNetwork, "lab");
    // Inline subnets would fight the standalone ones (pulumi-azure-native #74).
    expect(Object.keys(vnet.inputs)).not.toContain("subnets");
    expect(vnet.inputs).toEqual({
      virtualNetworkName: "vnet-azlab-dev-main",
      addressSpace: { addressPrefixes: ["10.1.0.0/16"] },
      enableDdosProtection: false,
      enableVmProtection: false,
      location: "westeurope",
      resourceGroupName: "rg",
      tags: { course: "net101" },
    });

    expect(named(result, "lab-web").inputs).toEqual({
      addressPrefix: "10.1.1.0/24",
      defaultOutboundAccess: false,
      natGateway: { id: "lab-natgw-id" },
      networkSecurityGroup: { id: "/nsg/web" },
      privateEndpointNetworkPolicies: "Enabled",
      privateLinkServiceNetworkPolicies: "Enabled",
      resourceGroupName: "rg",
      subnetName: "web",
      virtualNetworkName: "vnet-azlab-dev-main",
    });
    expect(named(result, "lab-app").inputs).toEqual({
      addressPrefix: "10.1.2.0/24",
      defaultOutboundAccess: false,
      privateEndpointNetworkPolicies: "Enabled",
      privateLinkServiceNetworkPolicies: "Enabled",
      resourceGroupName: "rg",
      serviceEndpoints: [{ service: "Microsoft.Storage" }],
      subnetName: "app",
      virtualNetworkName: "vnet-azlab-dev-main",
    });
    expect(named(result, "lab-aci").inputs["delegations"]).toEqual([
      { name: "delegation", serviceName: "Microsoft.ContainerInstance/containerGroups" },
    ]);
    // Special subnets keep their exact name and get neither NSG nor NAT gateway.
    expect(named(result, "lab-AzureBastionSubnet").inputs).toEqual({
      addressPrefix: "10.1.4.0/26",
      defaultOutboundAccess: false,
      privateEndpointNetworkPolicies: "Enabled",
      privateLinkServiceNetworkPolicies: "Enabled",
      resourceGroupName: "rg",
      subnetName: "AzureBastionSubnet",
      virtualNetworkName: "vnet-azlab-dev-main",
    });
    for (const subnet of result.resources.filter((r) => r.type === ResourceType.Subnet)) {
      expect(subnet.inputs["defaultOutboundAccess"]).toBe(false);
    }

    expect(named(result, "lab-natgw").inputs).toEqual({
      natGatewayName: "ng-azlab-dev-main",
      idleTimeoutInMinutes: 4,
      location: "westeurope",
      publicIpAddresses: [{ id: "lab-natgw-ip-id" }],
      resourceGroupName: "rg",
      sku: { name: "Standard" },
      tags: { course: "net101" },
    });
    const natIp = resource(result, ResourceType.PublicIPAddress, "lab-natgw-ip");
    expect(natIp.inputs["sku"]).toEqual({ name: "Standard", tier: "Regional" });
    expect(natIp.inputs["publicIpAddressName"]).toBe("pip-azlab-dev-main-ng");

    expect(outbound).toBe("natGateway");
    expect(result.outputs).toEqual({
      subnetIds: {
        AzureBastionSubnet: "lab-AzureBastionSubnet-id",
        aci: "lab-aci-id",
        app: "lab-app-id",
        web: "lab-web-id",
      },
      natGatewayId: "lab-natgw-id",
      vnetId: "lab-id",
    });
  });

  it("chains the subnets of one VNet with dependsOn in sorted key order", async () => {
    const result = await run(() => {
      new VirtualNetwork("lab", base);
    });
    const vnetUrn = `${URN}azlab:network:VirtualNetwork$azure-native:network:VirtualNetwork::lab`;
    const natUrn = `${URN}azlab:network:VirtualNetwork$azure-native:network:NatGateway::lab-natgw`;
    expect(named(result, "lab-AzureBastionSubnet").dependencies).toEqual([vnetUrn]);
    expect(named(result, "lab-aci").dependencies).toEqual([
      natUrn,
      subnetUrn("lab-AzureBastionSubnet"),
      vnetUrn,
    ]);
    expect(named(result, "lab-app").dependencies).toEqual([subnetUrn("lab-aci"), vnetUrn]);
    expect(named(result, "lab-web").dependencies).toEqual([natUrn, subnetUrn("lab-app"), vnetUrn]);
    expect(named(result, "lab-web").parent).toBe(`${URN}azlab:network:VirtualNetwork::lab`);
  });

  it("exposes the last subnet of the chain as networkReady, and the NAT gateway's egress address", async () => {
    // Consumers (AKS, scale sets) wait for networkReady so that no subnet write of the VNet is still running
    // when they start (AnotherOperationInProgress, azure-quickstart-templates #2786).
    const result = await run(() => {
      const vnet = new VirtualNetwork("lab", base);
      return { ready: vnet.networkReady.urn, egress: vnet.natGatewayPublicIpAddress };
    });
    // Subnets are chained in sorted key order: AzureBastionSubnet, aci, app, web.
    expect(result.outputs).toEqual({ ready: subnetUrn("lab-web"), egress: "203.0.113.10" });
    const none = await run(() => {
      const vnet = new VirtualNetwork("lab", { ...base, outbound: "none" });
      return { egress: vnet.natGatewayPublicIpAddress ?? "absent" };
    });
    expect(none.outputs).toEqual({ egress: "absent" });
  });

  it("keeps subnet names when another subnet is added", async () => {
    const names = async (subnets: VirtualNetworkArgs["subnets"]) =>
      (await run(() => void new VirtualNetwork("lab", { ...base, outbound: "none", subnets }))).resources
        .filter((r) => r.type === ResourceType.Subnet)
        .map((r) => r.name)
        .sort();
    expect(await names({ a: { cidr: "10.1.1.0/24" }, c: { cidr: "10.1.3.0/24" } })).toEqual([
      "lab-a",
      "lab-c",
    ]);
    expect(
      await names({ a: { cidr: "10.1.1.0/24" }, b: { cidr: "10.1.2.0/24" }, c: { cidr: "10.1.3.0/24" } }),
    ).toEqual(["lab-a", "lab-b", "lab-c"]);
  });

  it("supports dual stack and creates no NAT gateway when outbound is none", async () => {
    let vnet: VirtualNetwork | undefined;
    const result = await run(() => {
      vnet = new VirtualNetwork("ds", {
        resourceGroupName: "rg",
        location: "westeurope",
        addressSpace: ["10.2.0.0/16"],
        ipv6AddressSpace: ["fd00:db8::/48"],
        outbound: "none",
        subnets: { web: { cidr: "10.2.0.0/24", ipv6Cidr: "fd00:db8:0:1::/64" } },
      });
    });
    expect(countByType(result)).toEqual({
      "azlab:network:VirtualNetwork": 1,
      [ResourceType.Subnet]: 1,
      [ResourceType.VirtualNetwork]: 1,
    });
    expect(resource(result, ResourceType.VirtualNetwork, "ds").inputs["addressSpace"]).toEqual({
      addressPrefixes: ["10.2.0.0/16", "fd00:db8::/48"],
    });
    expect(named(result, "ds-web").inputs).toEqual({
      addressPrefixes: ["10.2.0.0/24", "fd00:db8:0:1::/64"],
      defaultOutboundAccess: false,
      privateEndpointNetworkPolicies: "Enabled",
      privateLinkServiceNetworkPolicies: "Enabled",
      resourceGroupName: "rg",
      subnetName: "web",
      virtualNetworkName: "vnet-ds",
    });
    expect(vnet?.outbound).toBe("none");
    expect(vnet?.natGatewayId).toBeUndefined();
  });

  it("registers nothing, not even the component, when the input is invalid", async () => {
    const { types, error } = await registeredBeforeError(
      () =>
        void new VirtualNetwork("bad", {
          ...base,
          outbound: "none",
          subnets: { web: { cidr: "10.2.0.0/24" } },
        }),
    );
    expect(types).toEqual(["pulumi:pulumi:Stack"]);
    expect(error).toMatchObject({
      name: "UserError",
      message:
        'VirtualNetwork "bad" has invalid arguments:\n  - subnets.web: subnet 10.2.0.0/24 lies outside the VNet\'s address space (got "10.2.0.0/24"; allowed: a block inside 10.1.0.0/16)',
    });
  });
});
