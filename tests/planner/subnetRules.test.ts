import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePrefix } from "../../src/cidr/address.ts";
import type { Prefix } from "../../src/cidr/address.ts";
import {
  addressSpaceProblems,
  hostsToPrefixLength,
  isSpecialSubnet,
  layoutProblems,
  reservedCidrProblems,
  resolvePrefixLength,
  subnetNameProblems,
  subnetRequestProblems,
  usableHosts,
} from "../../src/planner/subnetRules.ts";
import type { SubnetRequest } from "../../src/planner/types.ts";

const VNET16 = parsePrefix("10.0.0.0/16") as Prefix;
const P = "azlab:network.subnets";

describe("hostsToPrefixLength", () => {
  it.each([
    [1, 29],
    [3, 29],
    [4, 28],
    [11, 28],
    [12, 27],
    [59, 26],
    [60, 25],
    [251, 24],
    [252, 23],
    [65531, 16],
    [65532, 15],
    [2 ** 32 - 5, 0],
  ])("%i hosts → /%i", (hosts, length) => {
    expect(hostsToPrefixLength(hosts)).toBe(length);
  });

  it.each([0, -1, 2.5, Number.NaN, 2 ** 32 - 4])("rejects %s", (hosts) => {
    expect(hostsToPrefixLength(hosts)).toBeUndefined();
  });

  it("gives the smallest block whose usable addresses hold the hosts", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 24 }), (hosts) => {
        const length = hostsToPrefixLength(hosts) as number;
        expect(usableHosts(length)).toBeGreaterThanOrEqual(hosts);
        if (length < 29) expect(usableHosts(length + 1)).toBeLessThan(hosts);
      }),
    );
  });

  it("resolvePrefixLength covers all three forms", () => {
    expect(resolvePrefixLength({ hosts: 252 })).toBe(23);
    expect(resolvePrefixLength({ prefixLength: 26 })).toBe(26);
    expect(resolvePrefixLength({ cidr: "10.0.0.0/27" })).toBe(27);
    expect(resolvePrefixLength({ cidr: "nope" })).toBeUndefined();
  });
});

describe("subnetNameProblems", () => {
  it.each(["a", "web", "Web_1", "a.b-c", "x_", "9", "a".repeat(80)])("accepts %s", (name) => {
    expect(subnetNameProblems(name, `${P}.x`)).toEqual([]);
  });

  it.each(["", "-web", "_web", ".web", "web-", "web.", "we b", "wéb", "a".repeat(81)])(
    "rejects %j",
    (name) => {
      expect(subnetNameProblems(name, `${P}.x`)).toEqual([
        {
          path: `${P}.x`,
          message: "subnet name is not valid in Azure",
          value: name,
          allowed:
            "1 to 80 letters, digits, underscores, periods and hyphens, starting with a letter or digit and ending with a letter, digit or underscore",
        },
      ]);
    },
  );
});

describe("subnetRequestProblems", () => {
  it.each<[string, SubnetRequest]>([
    ["web", { hosts: 251 }],
    ["web", { prefixLength: 16 }],
    ["web", { prefixLength: 29 }],
    ["web", { cidr: "10.0.0.0/29" }],
    ["web", { cidr: "fd00:0:0:1::/64" }],
    ["GatewaySubnet", { prefixLength: 27 }],
    ["GatewaySubnet", { hosts: 27 }],
    ["AzureBastionSubnet", { cidr: "10.0.1.0/25" }],
    ["AzureFirewallSubnet", { prefixLength: 26 }],
    ["AzureFirewallManagementSubnet", { hosts: 59 }],
    ["RouteServerSubnet", { cidr: "10.0.2.0/27" }],
    ["RouteServerSubnet", { prefixLength: 24 }],
  ])("accepts %s %j", (name, request) => {
    expect(subnetRequestProblems(name, request, `${P}.${name}`, VNET16)).toEqual([]);
  });

  it.each<[string, SubnetRequest, Prefix | undefined, object]>([
    [
      "web",
      { hosts: 3, prefixLength: 24 } as unknown as SubnetRequest,
      VNET16,
      {
        path: `${P}.web`,
        message: "subnet must set exactly one of prefixLength, hosts and cidr",
        value: ["prefixLength", "hosts"],
        allowed: "one of { prefixLength }, { hosts }, { cidr }",
      },
    ],
    [
      "web",
      {} as unknown as SubnetRequest,
      VNET16,
      {
        path: `${P}.web`,
        message: "subnet must set exactly one of prefixLength, hosts and cidr",
        value: [],
        allowed: "one of { prefixLength }, { hosts }, { cidr }",
      },
    ],
    [
      "web",
      null as unknown as SubnetRequest,
      VNET16,
      {
        path: `${P}.web`,
        message: "subnet must set exactly one of prefixLength, hosts and cidr",
        value: [],
        allowed: "one of { prefixLength }, { hosts }, { cidr }",
      },
    ],
    [
      "web",
      { hosts: 0 },
      VNET16,
      {
        path: `${P}.web.hosts`,
        message: "hosts must be a whole number of at least 1",
        value: 0,
        allowed: "an integer from 1 to 65531",
      },
    ],
    [
      "web",
      { hosts: 2.5 },
      VNET16,
      {
        path: `${P}.web.hosts`,
        message: "hosts must be a whole number of at least 1",
        value: 2.5,
        allowed: "an integer from 1 to 65531",
      },
    ],
    [
      "web",
      { hosts: 65532 },
      VNET16,
      {
        path: `${P}.web.hosts`,
        message: "65532 hosts do not fit in the VNet's largest IPv4 range 10.0.0.0/16",
        value: 65532,
        allowed: "an integer from 1 to 65531",
      },
    ],
    [
      "web",
      { hosts: 0 },
      undefined,
      {
        path: `${P}.web.hosts`,
        message: "hosts must be a whole number of at least 1",
        value: 0,
        allowed: "an integer of at least 1, once the VNet has an IPv4 address range",
      },
    ],
    [
      "web",
      { prefixLength: 30 },
      VNET16,
      {
        path: `${P}.web.prefixLength`,
        message: "prefixLength is smaller than Azure's smallest IPv4 subnet, /29",
        value: 30,
        allowed: "an integer from 16 to 29",
      },
    ],
    [
      "web",
      { prefixLength: 15 },
      VNET16,
      {
        path: `${P}.web.prefixLength`,
        message: "a /15 does not fit in the VNet's largest IPv4 range 10.0.0.0/16",
        value: 15,
        allowed: "an integer from 16 to 29",
      },
    ],
    [
      "web",
      { prefixLength: 24.5 },
      VNET16,
      {
        path: `${P}.web.prefixLength`,
        message: "prefixLength must be a whole number",
        value: 24.5,
        allowed: "an integer from 16 to 29",
      },
    ],
    [
      "web",
      { cidr: "10.0.0.0/33" },
      VNET16,
      {
        path: `${P}.web.cidr`,
        message: "cidr is not a valid CIDR block",
        value: "10.0.0.0/33",
        allowed: "a CIDR such as 10.0.1.0/24",
      },
    ],
    [
      "web",
      { cidr: "10.0.1.7/24" },
      VNET16,
      {
        path: `${P}.web.cidr`,
        message: "cidr is not aligned to its /24 (host bits are set)",
        value: "10.0.1.7/24",
        allowed: "10.0.1.0/24",
      },
    ],
    [
      "web",
      { cidr: "10.0.0.0/30" },
      VNET16,
      {
        path: `${P}.web.cidr`,
        message: "cidr is smaller than Azure's smallest IPv4 subnet, /29",
        value: "10.0.0.0/30",
        allowed: "a prefix length of 29 or less",
      },
    ],
    [
      "web",
      { cidr: "fd00::/56" },
      VNET16,
      {
        path: `${P}.web.cidr`,
        message: "IPv6 subnets must be exactly /64",
        value: "fd00::/56",
        allowed: "a /64",
      },
    ],
    [
      "GatewaySubnet",
      { prefixLength: 28 },
      VNET16,
      {
        path: `${P}.GatewaySubnet.prefixLength`,
        message: "GatewaySubnet must be /27 or larger",
        value: 28,
        allowed: "/27 or larger (Azure's recommended minimum; /29 is the hard floor)",
      },
    ],
    [
      "GatewaySubnet",
      { hosts: 10 },
      VNET16,
      {
        path: `${P}.GatewaySubnet.hosts`,
        message: "GatewaySubnet must be /27 or larger (10 hosts resolve to /28)",
        value: 10,
        allowed: "/27 or larger (Azure's recommended minimum; /29 is the hard floor)",
      },
    ],
    [
      "AzureBastionSubnet",
      { cidr: "10.0.1.0/27" },
      VNET16,
      {
        path: `${P}.AzureBastionSubnet.cidr`,
        message: "AzureBastionSubnet must be /26 or larger",
        value: "10.0.1.0/27",
        allowed: "/26 or larger (Azure Bastion's minimum)",
      },
    ],
    [
      "AzureFirewallSubnet",
      { prefixLength: 25 },
      VNET16,
      {
        path: `${P}.AzureFirewallSubnet.prefixLength`,
        message: "AzureFirewallSubnet must be exactly /26",
        value: 25,
        allowed: "/26 (the size Azure Firewall requires)",
      },
    ],
    [
      "AzureFirewallManagementSubnet",
      { hosts: 60 },
      VNET16,
      {
        path: `${P}.AzureFirewallManagementSubnet.hosts`,
        message: "AzureFirewallManagementSubnet must be exactly /26 (60 hosts resolve to /25)",
        value: 60,
        allowed: "/26 (the size Azure Firewall requires)",
      },
    ],
    [
      "RouteServerSubnet",
      { cidr: "10.0.2.0/28" },
      VNET16,
      {
        path: `${P}.RouteServerSubnet.cidr`,
        message: "RouteServerSubnet must be /27 or larger",
        value: "10.0.2.0/28",
        allowed: "/27 or larger (Azure Route Server's minimum)",
      },
    ],
  ])("rejects %s %j", (name, request, largest, problem) => {
    expect(subnetRequestProblems(name, request, `${P}.${name}`, largest)).toEqual([problem]);
  });
});

describe("isSpecialSubnet", () => {
  it.each<[string, boolean]>([
    ["GatewaySubnet", true],
    ["AzureBastionSubnet", true],
    ["AzureFirewallSubnet", true],
    ["AzureFirewallManagementSubnet", true],
    ["RouteServerSubnet", true],
    ["routeserversubnet", false],
    ["web", false],
    ["toString", false],
  ])("%s → %s", (name, special) => {
    expect(isSpecialSubnet(name)).toBe(special);
  });
});

describe("addressSpaceProblems", () => {
  it("accepts disjoint dual-stack VNets", () => {
    expect(
      addressSpaceProblems({
        dev: { path: "v.dev", addressSpace: ["10.0.0.0/16", "fd00::/48"] },
        hub: { path: "v.hub", addressSpace: ["10.1.0.0/16"] },
      }),
    ).toEqual([]);
  });

  it("reports every problem, blaming the later range of an overlap", () => {
    expect(
      addressSpaceProblems({
        hub: { path: "v.hub", addressSpace: ["10.0.0.0/8"] },
        dev: {
          path: "v.dev",
          addressSpace: ["10.1.0.0/16", "bad", "10.2.0.1/16", "192.168.0.0/16", "192.168.1.0/24"],
        },
        none: { path: "v.none", addressSpace: [] },
        six: { path: "v.six", addressSpace: ["fd00::/48"] },
      }),
    ).toEqual([
      {
        path: "v.dev.addressSpace[1]",
        message: "address range is not a valid CIDR block",
        value: "bad",
        allowed: "a CIDR such as 10.0.0.0/16",
      },
      {
        path: "v.dev.addressSpace[2]",
        message: "address range is not aligned to its /16 (host bits are set)",
        value: "10.2.0.1/16",
        allowed: "10.2.0.0/16",
      },
      {
        path: "v.dev.addressSpace[4]",
        message: "address range overlaps 192.168.0.0/16 of the same VNet",
        value: "192.168.1.0/24",
        allowed: "a range that overlaps no other address range of the stack",
      },
      {
        path: "v.hub.addressSpace[0]",
        message: "address range overlaps 10.1.0.0/16 of VNet dev",
        value: "10.0.0.0/8",
        allowed: "a range that overlaps no other address range of the stack",
      },
      {
        path: "v.none.addressSpace",
        message: "VNet has no address space",
        allowed: "at least one IPv4 CIDR such as 10.0.0.0/16",
      },
      {
        path: "v.six.addressSpace",
        message: "VNet has no IPv4 address range",
        value: ["fd00::/48"],
        allowed: "at least one IPv4 CIDR (Azure does not support IPv6-only VNets)",
      },
    ]);
  });
  it.each([
    ["127.0.0.0/16", "127.0.0.0/8", "loopback"],
    ["168.63.0.0/16", "168.63.129.16/32", "Azure's internal DNS and health-probe address"],
    ["224.0.0.0/24", "224.0.0.0/4", "multicast"],
  ])("refuses %s, which Azure forbids", (range, forbidden, why) => {
    expect(addressSpaceProblems({ dev: { path: "v.dev", addressSpace: ["10.0.0.0/16", range] } })).toEqual([
      {
        path: "v.dev.addressSpace[1]",
        message: `address range overlaps ${forbidden} (${why}), which Azure does not allow in a VNet`,
        value: range,
        allowed:
          "a range outside 224.0.0.0/4, 255.255.255.255/32, 127.0.0.0/8, 169.254.0.0/16, 168.63.129.16/32",
      },
    ]);
  });
});

describe("reservedCidrProblems", () => {
  it("reports entries that are not CIDR blocks", () => {
    expect(reservedCidrProblems(["192.168.0.0/16", "x", "172.16.0.1/12"], "r")).toEqual([
      {
        path: "r[1]",
        message: "reserved range is not a valid CIDR block",
        value: "x",
        allowed: "a CIDR such as 192.168.0.0/16",
      },
      {
        path: "r[2]",
        message: "reserved range is not aligned to its /12 (host bits are set)",
        value: "172.16.0.1/12",
        allowed: "172.16.0.0/12",
      },
    ]);
  });
});

describe("layoutProblems", () => {
  it("accepts a valid layout", () => {
    expect(
      layoutProblems(
        {
          dev: {
            path: "v.dev",
            addressSpace: ["10.0.0.0/16"],
            subnets: { a: "10.0.0.0/24", b: "10.0.1.0/24" },
          },
          hub: { path: "v.hub", addressSpace: ["10.1.0.0/16"], subnets: { a: "10.1.0.0/24" } },
        },
        ["192.168.0.0/16"],
      ),
    ).toEqual([]);
  });

  it("reports subnets outside the VNet, on reserved ranges and overlapping within and across VNets", () => {
    expect(
      layoutProblems(
        {
          dev: {
            path: "v.dev",
            addressSpace: ["10.0.0.0/16"],
            subnets: { a: "10.0.0.0/24", b: "10.0.0.128/25", out: "10.9.0.0/24", res: "10.0.200.0/24" },
          },
          hub: { path: "v.hub", addressSpace: ["10.0.0.0/8"], subnets: { x: "10.0.0.0/23" } },
        },
        ["10.0.200.0/22"],
      ),
    ).toEqual([
      {
        path: "v.dev.subnets.b",
        message: "subnet 10.0.0.128/25 overlaps subnet a (10.0.0.0/24) of the same VNet",
        value: "10.0.0.128/25",
        allowed: "a block that overlaps no other subnet of the stack",
      },
      {
        path: "v.dev.subnets.out",
        message: "subnet 10.9.0.0/24 lies outside the VNet's address space",
        value: "10.9.0.0/24",
        allowed: "a block inside 10.0.0.0/16",
      },
      {
        path: "v.dev.subnets.res",
        message: "subnet 10.0.200.0/24 overlaps the reserved range 10.0.200.0/22",
        value: "10.0.200.0/24",
        allowed: "a block that avoids 10.0.200.0/22",
      },
      {
        path: "v.hub.subnets.x",
        message: "subnet 10.0.0.0/23 overlaps subnet a (10.0.0.0/24) of VNet dev",
        value: "10.0.0.0/23",
        allowed: "a block that overlaps no other subnet of the stack",
      },
    ]);
  });
});
