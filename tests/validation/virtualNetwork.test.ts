import { describe, expect, it } from "vitest";
import { formatProblem, type Problem } from "../../src/errors.ts";
import { normalizeVirtualNetwork, type VirtualNetworkOptions } from "../../src/validation/virtualNetwork.ts";

const lines = (result: { problems: readonly Problem[] }) => result.problems.map((p) => formatProblem(p));

const base: VirtualNetworkOptions = {
  addressSpace: ["10.1.0.0/16"],
  outbound: "natGateway",
  subnets: { web: { cidr: "10.1.1.0/24" } },
};

describe("normalizeVirtualNetwork", () => {
  it("sorts subnets, applies NAT gateway defaults and names the VNet, NAT gateway and its IP", () => {
    const result = normalizeVirtualNetwork(
      {
        ...base,
        nameParts: ["azlab", "dev", "main"],
        subnets: {
          web: { cidr: "10.1.1.0/24", nsgId: "nsg" },
          GatewaySubnet: { cidr: "10.1.0.0/27" },
          app: { cidr: "10.1.2.0/24", natGatewayEnabled: false },
        },
      },
      "main-net",
    );
    expect(result.value).toEqual({
      vnetName: "vnet-azlab-dev-main",
      natGateway: { natGatewayName: "ng-azlab-dev-main", publicIpName: "pip-azlab-dev-main-ng" },
      addressSpace: ["10.1.0.0/16"],
      ipv6AddressSpace: [],
      outbound: "natGateway",
      subnets: [
        {
          key: "GatewaySubnet",
          cidr: "10.1.0.0/27",
          serviceEndpoints: [],
          natGatewayEnabled: false,
          special: true,
        },
        { key: "app", cidr: "10.1.2.0/24", serviceEndpoints: [], natGatewayEnabled: false, special: false },
        {
          key: "web",
          cidr: "10.1.1.0/24",
          nsgId: "nsg",
          serviceEndpoints: [],
          natGatewayEnabled: true,
          special: false,
        },
      ],
    });
  });

  it("reports every invalid argument at its own path, all at once", () => {
    const result = normalizeVirtualNetwork(
      {
        addressSpace: ["10.1.0.0/16"],
        outbound: "none",
        subnets: {
          AzureBastionSubnet: { cidr: "10.1.0.0/27", nsgId: "/nsg/x" },
          web: { cidr: "10.2.0.0/24", natGatewayEnabled: true },
          app: { cidr: "10.1.0.16/28", ipv6Cidr: "fd00::/64" },
        },
      },
      "bad",
    );
    expect(result.value).toBeUndefined();
    expect(lines(result)).toEqual([
      'subnets.AzureBastionSubnet.cidr: AzureBastionSubnet must be /26 or larger (got "10.1.0.0/27"; allowed: /26 or larger (Azure Bastion\'s minimum))',
      "subnets.AzureBastionSubnet.nsgId: must not be set: azlab associates no NSG with AzureBastionSubnet (allowed: no nsgId on special subnets)",
      'subnets.app.ipv6Cidr: needs an IPv6 address space on the VNet (got "fd00::/64"; allowed: set ipv6AddressSpace, or leave ipv6Cidr out)',
      'subnets.web.natGatewayEnabled: needs outbound to be "natGateway" (got true; allowed: false or unset while outbound is "none")',
      'subnets.app: subnet 10.1.0.16/28 overlaps subnet AzureBastionSubnet (10.1.0.0/27) of the same VNet (got "10.1.0.16/28"; allowed: a block that overlaps no other subnet of the stack)',
      'subnets.web: subnet 10.2.0.0/24 lies outside the VNet\'s address space (got "10.2.0.0/24"; allowed: a block inside 10.1.0.0/16)',
    ]);
  });

  it("applies the planner's subnet rules and checks the IPv6 fields", () => {
    const result = normalizeVirtualNetwork(
      {
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
      },
      "bad",
    );
    expect(lines(result)).toEqual([
      'subnets.-web: subnet name is not valid in Azure (got "-web"; allowed: 1 to 80 letters, digits, underscores, periods and hyphens, starting with a letter or digit and ending with a letter, digit or underscore)',
      'subnets.-web.cidr: cidr is not aligned to its /24 (host bits are set) (got "10.1.1.1/24"; allowed: 10.1.1.0/24)',
      'subnets.RouteServerSubnet.cidr: RouteServerSubnet must be /27 or larger (got "10.1.0.0/28"; allowed: /27 or larger (Azure Route Server\'s minimum))',
      "subnets.RouteServerSubnet.nsgId: must not be set: azlab associates no NSG with RouteServerSubnet (allowed: no nsgId on special subnets)",
      "subnets.RouteServerSubnet.natGatewayEnabled: must not be true on RouteServerSubnet (got true; allowed: false or unset)",
      'subnets.a.ipv6Cidr: IPv6 subnets must be exactly /64 (got "fd00:db8:0:200::/56"; allowed: a /64)',
      'subnets.b.ipv6Cidr: is not an IPv6 CIDR (got "10.1.3.0/24"; allowed: an IPv6 /64)',
      'subnets.six.cidr: is an IPv6 CIDR (got "fd00:db8:0:1::/64"; allowed: a planned IPv4 CIDR such as 10.1.0.0/24; put the IPv6 /64 in ipv6Cidr)',
      'subnets.c.ipv6Cidr: subnet fd00:db9:0:1::/64 lies outside the VNet\'s address space (got "fd00:db9:0:1::/64"; allowed: a block inside fd00:db8::/48)',
    ]);
  });

  it("keeps IPv4 and IPv6 address spaces apart", () => {
    const result = normalizeVirtualNetwork(
      {
        ...base,
        addressSpace: ["10.1.0.0/16", "fd00:1::/48"],
        ipv6AddressSpace: ["10.9.0.0/16"],
        subnets: { web: { cidr: "10.1.0.0/24" } },
      },
      "bad",
    );
    expect(lines(result)).toEqual([
      'addressSpace[1]: is not an IPv4 CIDR (got "fd00:1::/48"; allowed: IPv4 CIDRs; IPv6 ranges go in ipv6AddressSpace)',
      'ipv6AddressSpace[0]: is not an IPv6 CIDR (got "10.9.0.0/16"; allowed: IPv6 CIDRs such as fd00:db8::/48)',
    ]);
  });
});
