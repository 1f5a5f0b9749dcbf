import { describe, expect, it } from "vitest";
import { MAX_ROUTES, normalizeRouteTable, type RouteTableOptions } from "../../src/validation/routeTable.ts";
import { normalizeVirtualNetwork } from "../../src/validation/virtualNetwork.ts";

const HUB = ["10.100.0.0/24", "10.100.1.0/26"];
const problems = (options: RouteTableOptions) => normalizeRouteTable(options, "alice-rt").problems;

describe("normalizeRouteTable", () => {
  it("applies defaults: the name from the parts, routes sorted by name, gateway routes propagated", () => {
    expect(
      normalizeRouteTable(
        {
          nameParts: ["azlab", "net", "alice"],
          routes: {
            "to-nva": {
              addressPrefix: "0.0.0.0/0",
              nextHopType: "VirtualAppliance",
              nextHopIpAddress: "10.100.1.4",
            },
            blackhole: { addressPrefix: "10.50.0.0/16", nextHopType: "None" },
          },
          nextHopRanges: HUB,
        },
        "alice-rt",
      ),
    ).toEqual({
      value: {
        routeTableName: "rt-azlab-net-alice",
        routes: [
          { name: "blackhole", addressPrefix: "10.50.0.0/16", nextHopType: "None" },
          {
            name: "to-nva",
            addressPrefix: "0.0.0.0/0",
            nextHopType: "VirtualAppliance",
            nextHopIpAddress: "10.100.1.4",
          },
        ],
        bgpRoutePropagation: true,
      },
      problems: [],
    });
  });

  it("accepts an empty table and names it after the component", () => {
    expect(normalizeRouteTable({ bgpRoutePropagation: false }, "alice-rt").value).toEqual({
      routeTableName: "rt-alice-rt",
      routes: [],
      bgpRoutePropagation: false,
    });
  });

  it.each([
    [
      "a VirtualAppliance route without a next hop",
      { addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance" },
      {
        path: "routes.r.nextHopIpAddress",
        message: "is required for next hop type VirtualAppliance",
        allowed: "the appliance's private IP address inside 10.100.0.0/24, 10.100.1.0/26",
      },
    ],
    [
      "a next hop on an Internet route",
      { addressPrefix: "0.0.0.0/0", nextHopType: "Internet", nextHopIpAddress: "10.100.0.4" },
      {
        path: "routes.r.nextHopIpAddress",
        message: "is only for next hop type VirtualAppliance (this route's is Internet)",
        value: "10.100.0.4",
        allowed: "no nextHopIpAddress, or nextHopType: VirtualAppliance",
      },
    ],
    [
      "a next hop outside the hub",
      { addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.100.1.64" },
      {
        path: "routes.r.nextHopIpAddress",
        message: "is outside the hub's address space",
        value: "10.100.1.64",
        allowed: "an address inside 10.100.0.0/24, 10.100.1.0/26",
      },
    ],
    [
      "a next hop that is no address",
      { addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.100.0.4/32" },
      {
        path: "routes.r.nextHopIpAddress",
        message: "is not an IP address",
        value: "10.100.0.4/32",
        allowed: "an address such as 10.100.4.4",
      },
    ],
    [
      "an IPv6 next hop on an IPv4 route",
      { addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "fd00::4" },
      {
        path: "routes.r.nextHopIpAddress",
        message: "is an IPv6 address for an IPv4 route",
        value: "fd00::4",
        allowed: "an IPv4 address",
      },
    ],
    [
      "a prefix with host bits set",
      { addressPrefix: "10.50.1.0/16", nextHopType: "None" },
      {
        path: "routes.r.addressPrefix",
        message: "is not aligned to its /16 (host bits are set)",
        value: "10.50.1.0/16",
        allowed: "10.50.0.0/16",
      },
    ],
    [
      "a prefix that is no CIDR",
      { addressPrefix: "10.50.0.0", nextHopType: "None" },
      {
        path: "routes.r.addressPrefix",
        message: "is not a CIDR block",
        value: "10.50.0.0",
        allowed: "a CIDR such as 0.0.0.0/0 or 10.100.0.0/16",
      },
    ],
    [
      "a gateway next hop (azlab deploys no gateway)",
      { addressPrefix: "10.50.0.0/16", nextHopType: "VirtualNetworkGateway" },
      {
        path: "routes.r.nextHopType",
        message: "is not a next hop type azlab supports",
        value: "VirtualNetworkGateway",
        allowed: "VirtualAppliance, VnetLocal, Internet, None",
      },
    ],
  ])("refuses %s", (_, route, problem) => {
    expect(problems({ routes: { r: route }, nextHopRanges: HUB })).toEqual([problem]);
  });

  it("accepts any next hop address when no ranges are given", () => {
    expect(
      problems({
        routes: {
          r: { addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "192.0.2.4" },
        },
      }),
    ).toEqual([]);
  });

  it("refuses a bad route name, a bad range and too many routes, all at once", () => {
    const many = Object.fromEntries(
      Array.from({ length: MAX_ROUTES + 1 }, (_, i) => [
        `r${i}`,
        { addressPrefix: `10.${i >> 8}.${i & 255}.0/24`, nextHopType: "None" },
      ]),
    );
    expect(
      problems({
        routes: { ...many, "-bad": { addressPrefix: "10.9.0.0/16", nextHopType: "None" } },
        nextHopRanges: ["10.1.0.1/24"],
      }),
    ).toEqual([
      {
        path: "nextHopRanges[0]",
        message: "is not a CIDR block with host bits clear",
        value: "10.1.0.1/24",
        allowed: "a CIDR such as 10.100.0.0/24",
      },
      {
        path: "routes",
        message: "has 402 routes; a route table holds at most 400",
        allowed: "at most 400 routes",
      },
      {
        path: "routes.-bad",
        message: "is not a valid route name",
        value: "-bad",
        allowed:
          "1–80 letters, digits, hyphens, underscores and periods, starting with a letter or digit and ending with a letter, digit or underscore",
      },
    ]);
  });
});

describe("routes around a reserved subnet (the hub's AzureBastionSubnet, 10.100.3.0/26)", () => {
  const reserved = { reservedSubnets: { AzureBastionSubnet: "10.100.3.0/26" } };
  it.each([
    [
      "0.0.0.0/0 through an appliance elsewhere in the hub",
      { addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.100.0.4" },
    ],
    [
      "a /24 around it (the subnet's /26 route is more specific)",
      { addressPrefix: "10.100.3.0/24", nextHopType: "None" },
    ],
    ["a /26 next to it", { addressPrefix: "10.100.3.64/26", nextHopType: "None" }],
  ])("accepts %s", (_, route) => {
    expect(problems({ ...reserved, routes: { r: route } })).toEqual([]);
  });

  it("refuses a route as specific as the subnet, and an appliance inside it", () => {
    expect(
      problems({
        ...reserved,
        routes: {
          drop: { addressPrefix: "10.100.3.0/26", nextHopType: "None" },
          via: {
            addressPrefix: "0.0.0.0/0",
            nextHopType: "VirtualAppliance",
            nextHopIpAddress: "10.100.3.4",
          },
        },
      }),
    ).toEqual([
      {
        path: "routes.drop.addressPrefix",
        message:
          "takes the traffic of AzureBastionSubnet (10.100.3.0/26) off the peering: it is at least as specific as that subnet's route",
        value: "10.100.3.0/26",
        allowed: "a prefix outside 10.100.3.0/26, or one shorter than /26",
      },
      {
        path: "routes.via.nextHopIpAddress",
        message: "is inside AzureBastionSubnet (10.100.3.0/26), which holds no appliance",
        value: "10.100.3.4",
        allowed: "the address of an appliance in another subnet of the hub",
      },
    ]);
  });
});

describe("a route table on a VirtualNetwork's subnets", () => {
  it("goes on ordinary subnets and is refused on AzureBastionSubnet, which takes no UDRs", () => {
    const args = (bastionTable: boolean) => ({
      addressSpace: ["10.0.0.0/24"],
      outbound: "none" as const,
      subnets: {
        web: { cidr: "10.0.0.0/26", routeTableId: "rt-id" },
        AzureBastionSubnet: { cidr: "10.0.0.64/26", ...(bastionTable ? { routeTableId: "rt-id" } : {}) },
      },
    });
    expect(
      normalizeVirtualNetwork(args(false), "net").value?.subnets.map((s) => [s.key, s.routeTableId]),
    ).toEqual([
      ["AzureBastionSubnet", undefined],
      ["web", "rt-id"],
    ]);
    expect(normalizeVirtualNetwork(args(true), "net").problems).toEqual([
      {
        path: "subnets.AzureBastionSubnet.routeTableId",
        message: "must not be set: azlab associates no route table with AzureBastionSubnet",
        allowed: "no routeTableId on special subnets",
      },
    ]);
  });
});
