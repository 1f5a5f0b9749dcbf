import { describe, expect, it } from "vitest";
import { VirtualNetwork } from "../../components/network/virtualNetwork.ts";
import type { VirtualNetworkArgs } from "../../components/network/virtualNetwork.ts";
import { countByType, named, run, URN } from "./helpersNetwork.ts";

const base: VirtualNetworkArgs = {
  resourceGroupName: "rg",
  location: "westeurope",
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
      "azure-native:network:NatGateway": 1,
      "azure-native:network:PublicIPAddress": 1,
      "azure-native:network:Subnet": 4,
      "azure-native:network:VirtualNetwork": 1,
      "pulumi:pulumi:Stack": 1,
    });

    const vnet = named(result, "lab-vnet");
    // Inline subnets would fight the standalone ones (pulumi-azure-native #74).
    expect(Object.keys(vnet.inputs)).not.toContain("subnets");
    expect(vnet.inputs).toEqual({
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
      virtualNetworkName: "lab-vnet",
    });
    expect(named(result, "lab-app").inputs).toEqual({
      addressPrefix: "10.1.2.0/24",
      defaultOutboundAccess: false,
      privateEndpointNetworkPolicies: "Enabled",
      privateLinkServiceNetworkPolicies: "Enabled",
      resourceGroupName: "rg",
      serviceEndpoints: [{ service: "Microsoft.Storage" }],
      subnetName: "app",
      virtualNetworkName: "lab-vnet",
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
      virtualNetworkName: "lab-vnet",
    });
    for (const subnet of result.resources.filter((r) => r.type === "azure-native:network:Subnet")) {
      expect(subnet.inputs["defaultOutboundAccess"]).toBe(false);
    }

    expect(named(result, "lab-natgw").inputs).toEqual({
      idleTimeoutInMinutes: 4,
      location: "westeurope",
      publicIpAddresses: [{ id: "lab-natgw-ip-pip-id" }],
      resourceGroupName: "rg",
      sku: { name: "Standard" },
      tags: { course: "net101" },
    });
    expect(named(result, "lab-natgw-ip-pip").inputs["sku"]).toEqual({ name: "Standard", tier: "Regional" });

    expect(outbound).toBe("natGateway");
    expect(result.outputs).toEqual({
      subnetIds: {
        AzureBastionSubnet: "lab-AzureBastionSubnet-id",
        aci: "lab-aci-id",
        app: "lab-app-id",
        web: "lab-web-id",
      },
      natGatewayId: "lab-natgw-id",
      vnetId: "lab-vnet-id",
    });
  });

  it("chains the subnets of one VNet with dependsOn in sorted key order", async () => {
    const result = await run(() => {
      new VirtualNetwork("lab", base);
    });
    const vnetUrn = `${URN}azlab:network:VirtualNetwork$azure-native:network:VirtualNetwork::lab-vnet`;
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

  it("keeps subnet names when another subnet is added", async () => {
    const names = async (subnets: VirtualNetworkArgs["subnets"]) =>
      (await run(() => void new VirtualNetwork("lab", { ...base, outbound: "none", subnets }))).resources
        .filter((r) => r.type === "azure-native:network:Subnet")
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
      "azure-native:network:Subnet": 1,
      "azure-native:network:VirtualNetwork": 1,
      "pulumi:pulumi:Stack": 1,
    });
    expect(named(result, "ds-vnet").inputs["addressSpace"]).toEqual({
      addressPrefixes: ["10.2.0.0/16", "fd00:db8::/48"],
    });
    expect(named(result, "ds-web").inputs).toEqual({
      addressPrefixes: ["10.2.0.0/24", "fd00:db8:0:1::/64"],
      defaultOutboundAccess: false,
      privateEndpointNetworkPolicies: "Enabled",
      privateLinkServiceNetworkPolicies: "Enabled",
      resourceGroupName: "rg",
      subnetName: "web",
      virtualNetworkName: "ds-vnet",
    });
    expect(vnet?.outbound).toBe("none");
    expect(vnet?.natGatewayId).toBeUndefined();
  });

  it("reports every invalid argument in one UserError", async () => {
    const attempt = run(() => {
      new VirtualNetwork("bad", {
        resourceGroupName: "rg",
        location: "westeurope",
        addressSpace: ["10.1.0.0/16"],
        outbound: "none",
        subnets: {
          AzureBastionSubnet: { cidr: "10.1.0.0/27", nsgId: "/nsg/x" },
          web: { cidr: "10.2.0.0/24", natGatewayEnabled: true },
          app: { cidr: "10.1.0.16/28", ipv6Cidr: "fd00::/64" },
        },
        configPath: "azlab:network",
      });
    });
    await expect(attempt).rejects.toMatchObject({
      name: "UserError",
      problems: [
        'azlab:network.subnets.AzureBastionSubnet.cidr: AzureBastionSubnet must be /26 or larger (got "10.1.0.0/27"; allowed: /26 or larger (Azure Bastion\'s minimum))',
        "azlab:network.subnets.AzureBastionSubnet.nsgId: must not be set: azlab associates no NSG with AzureBastionSubnet (allowed: no nsgId on special subnets)",
        'azlab:network.subnets.app.ipv6Cidr: needs an IPv6 address space on the VNet (got "fd00::/64"; allowed: set azlab:network.ipv6AddressSpace, or leave ipv6Cidr out)',
        'azlab:network.subnets.web.natGatewayEnabled: needs azlab:network.outbound to be "natGateway" (got true; allowed: false or unset while outbound is "none")',
        'azlab:network.subnets.app: subnet 10.1.0.16/28 overlaps subnet AzureBastionSubnet (10.1.0.0/27) of the same VNet (got "10.1.0.16/28"; allowed: a block that overlaps no other subnet of the stack)',
        'azlab:network.subnets.web: subnet 10.2.0.0/24 lies outside the VNet\'s address space (got "10.2.0.0/24"; allowed: a block inside 10.1.0.0/16)',
      ],
    });
    await expect(attempt).rejects.toThrow('VirtualNetwork "bad" has invalid arguments:');
  });

  it("applies the planner's subnet rules and checks the IPv6 fields", async () => {
    const attempt = run(() => {
      new VirtualNetwork("bad", {
        ...base,
        ipv6AddressSpace: ["fd00:db8::/48"],
        subnets: {
          RouteServerSubnet: { cidr: "10.1.0.0/28", nsgId: "/nsg/x", natGatewayEnabled: true },
          "-web": { cidr: "10.1.1.1/24" },
          six: { cidr: "fd00:db8:0:1::/64" },
          a: { cidr: "10.1.2.0/24", ipv6Cidr: "fd00:db8:0:200::/56" },
          b: { cidr: "10.1.3.0/24", ipv6Cidr: "10.1.3.0/24" },
          c: { cidr: "10.1.4.0/24", ipv6Cidr: "fd00:db9:0:1::/64" },
        },
      });
    });
    await expect(attempt).rejects.toMatchObject({
      problems: [
        'azlab:network.subnets.-web: subnet name is not valid in Azure (got "-web"; allowed: 1 to 80 letters, digits, underscores, periods and hyphens, starting with a letter or digit and ending with a letter, digit or underscore)',
        'azlab:network.subnets.-web.cidr: cidr is not aligned to its /24 (host bits are set) (got "10.1.1.1/24"; allowed: 10.1.1.0/24)',
        'azlab:network.subnets.RouteServerSubnet.cidr: RouteServerSubnet must be /27 or larger (got "10.1.0.0/28"; allowed: /27 or larger (Azure Route Server\'s minimum))',
        "azlab:network.subnets.RouteServerSubnet.nsgId: must not be set: azlab associates no NSG with RouteServerSubnet (allowed: no nsgId on special subnets)",
        "azlab:network.subnets.RouteServerSubnet.natGatewayEnabled: must not be true on RouteServerSubnet (got true; allowed: false or unset)",
        'azlab:network.subnets.a.ipv6Cidr: IPv6 subnets must be exactly /64 (got "fd00:db8:0:200::/56"; allowed: a /64)',
        'azlab:network.subnets.b.ipv6Cidr: is not an IPv6 CIDR (got "10.1.3.0/24"; allowed: an IPv6 /64)',
        'azlab:network.subnets.six.cidr: is an IPv6 CIDR (got "fd00:db8:0:1::/64"; allowed: a planned IPv4 CIDR such as 10.1.0.0/24; put the IPv6 /64 in ipv6Cidr)',
        'azlab:network.subnets.c.ipv6Cidr: subnet fd00:db9:0:1::/64 lies outside the VNet\'s address space (got "fd00:db9:0:1::/64"; allowed: a block inside fd00:db8::/48)',
      ],
    });
  });

  it("keeps IPv4 and IPv6 address spaces apart", async () => {
    const attempt = run(() => {
      new VirtualNetwork("bad", {
        ...base,
        addressSpace: ["10.1.0.0/16", "fd00:1::/48"],
        ipv6AddressSpace: ["10.9.0.0/16"],
        subnets: { web: { cidr: "10.1.0.0/24" } },
      });
    });
    await expect(attempt).rejects.toMatchObject({
      problems: [
        'azlab:network.addressSpace[1]: is not an IPv4 CIDR (got "fd00:1::/48"; allowed: IPv4 CIDRs; IPv6 ranges go in ipv6AddressSpace)',
        'azlab:network.ipv6AddressSpace[0]: is not an IPv6 CIDR (got "10.9.0.0/16"; allowed: IPv6 CIDRs such as fd00:db8::/48)',
      ],
    });
  });
});
