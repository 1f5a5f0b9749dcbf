import { describe, expect, it } from "vitest";
import {
  checkAksNetwork,
  requiredNodeSubnetAddresses,
  smallestPrefixFor,
  type AksNetworkInput,
} from "../../src/planner/aks.ts";

/** A valid overlay cluster in 10.0.0.0/16; each test changes what it is about. */
const valid: AksNetworkInput = {
  path: "azlab:aks",
  plugin: "azure-cni-overlay",
  nodeSubnetCidr: "10.0.0.0/24",
  maxNodes: 50,
  maxSurge: 1,
  maxPods: 250,
  podCidr: "192.168.0.0/16",
  serviceCidr: "172.16.0.0/16",
  dnsServiceIp: "172.16.0.10",
  vnetAddressSpace: ["10.0.0.0/16"],
  reservedCidrs: ["10.50.0.0/16"],
};

const check = (changes: Partial<AksNetworkInput>) => checkAksNetwork({ ...valid, ...changes });

const OUTSIDE_ALL = "a range outside the VNet address space, the reserved ranges and the service CIDR";
const OUTSIDE_VNET = "a range outside the VNet address space and the reserved ranges";

describe("requiredNodeSubnetAddresses", () => {
  it.each([
    // The field-notes example: 50 nodes at 30 pods on flat Azure CNI, with one surge node.
    ["azure-cni", 50, 1, 30, 1581],
    ["azure-cni", 3, 1, 110, 444],
    ["azure-cni", 10, 0, 250, 2510],
    ["azure-cni-overlay", 50, 1, 250, 51],
    ["kubenet", 3, 1, 110, 4],
  ] as const)(
    "%s with %i nodes, %i surge, %i pods needs %i",
    (plugin, maxNodes, maxSurge, maxPods, expected) => {
      expect(requiredNodeSubnetAddresses({ plugin, maxNodes, maxSurge, maxPods })).toBe(expected);
    },
  );
});

describe("smallestPrefixFor", () => {
  it.each([
    [1581, 4, 21],
    [2043, 4, 21],
    [2044, 4, 20],
    [251, 4, 24],
    [252, 4, 23],
    [3, 4, 29],
    [4, 4, 28],
    [0, 4, 29],
    [1581, 6, 117],
    [2 ** 32 - 5, 4, 0],
  ] as const)("%i addresses fit in an IPv%i /%i", (addresses, version, expected) => {
    expect(smallestPrefixFor(addresses, version)).toBe(expected);
  });

  it("refuses a count no subnet holds", () => {
    expect(() => smallestPrefixFor(2 ** 32 - 4, 4)).toThrow(
      new RangeError("no IPv4 subnet holds 4294967292 addresses"),
    );
  });
});

describe("checkAksNetwork", () => {
  it("accepts a valid overlay cluster, and the default-like ranges of kubenet and flat CNI", () => {
    expect(checkAksNetwork(valid)).toEqual([]);
    expect(check({ plugin: "kubenet", maxPods: 110 })).toEqual([]);
    expect(check({ plugin: "azure-cni", maxPods: 30, maxNodes: 5, nodeSubnetCidr: "10.0.0.0/24" })).toEqual(
      [],
    );
  });

  it("sizes the flat CNI node subnet: 50 nodes at 30 pods need 1581 addresses, a /21", () => {
    expect(check({ plugin: "azure-cni", maxPods: 30 })).toEqual([
      {
        path: "azlab:aks.nodeSubnetCidr",
        message:
          "is too small: azure-cni needs 1581 addresses for (50 nodes + 1 surge) × (30 pods + 1), but a /24 has 251 usable",
        value: "10.0.0.0/24",
        allowed: "a /21 or larger",
      },
    ]);
    expect(check({ plugin: "azure-cni", maxPods: 30, nodeSubnetCidr: "10.0.8.0/21" })).toEqual([]);
  });

  it("sizes the overlay node subnet by nodes only, Azure's five reserved addresses taken off", () => {
    expect(check({ nodeSubnetCidr: "10.0.0.0/29", maxNodes: 3, maxSurge: 1 })).toEqual([
      {
        path: "azlab:aks.nodeSubnetCidr",
        message:
          "is too small: azure-cni-overlay needs 4 addresses for 3 nodes + 1 surge, but a /29 has 3 usable",
        value: "10.0.0.0/29",
        allowed: "a /28 or larger",
      },
    ]);
    expect(check({ nodeSubnetCidr: "10.0.0.0/29", maxNodes: 2, maxSurge: 1 })).toEqual([]);
  });

  it("reports a /31 or /32 node subnet as having no usable addresses", () => {
    expect(check({ nodeSubnetCidr: "10.0.0.4/32", maxNodes: 1, maxSurge: 0 })).toEqual([
      {
        path: "azlab:aks.nodeSubnetCidr",
        message:
          "is too small: azure-cni-overlay needs 1 address for 1 node + 0 surge, but a /32 has 0 usable",
        value: "10.0.0.4/32",
        allowed: "a /29 or larger",
      },
    ]);
  });

  it("requires the node subnet inside the VNet address space", () => {
    expect(
      check({ nodeSubnetCidr: "10.1.0.0/24", vnetAddressSpace: ["10.0.0.0/16", "10.2.0.0/16"] }),
    ).toEqual([
      {
        path: "azlab:aks.nodeSubnetCidr",
        message: "is not inside the VNet address space",
        value: "10.1.0.0/24",
        allowed: "a prefix inside 10.0.0.0/16 or 10.2.0.0/16",
      },
    ]);
  });

  it("keeps maxPods, maxNodes and maxSurge in range and skips sizing while they are wrong", () => {
    expect(check({ maxPods: 9 })).toEqual([
      {
        path: "azlab:aks.maxPods",
        message: "is outside the range AKS accepts",
        value: 9,
        allowed: "an integer from 10 to 250",
      },
    ]);
    expect(check({ plugin: "azure-cni", maxPods: 251, nodeSubnetCidr: "10.0.0.0/29" })).toEqual([
      {
        path: "azlab:aks.maxPods",
        message: "is outside the range AKS accepts",
        value: 251,
        allowed: "an integer from 10 to 250",
      },
    ]);
    expect(check({ maxPods: 10 })).toEqual([]);
    expect(check({ maxNodes: 0, maxSurge: 1.5 })).toEqual([
      {
        path: "azlab:aks.maxNodes",
        message: "is outside the range AKS accepts for one cluster",
        value: 0,
        allowed: "an integer from 1 to 5000",
      },
      {
        path: "azlab:aks.maxSurge",
        message: "must be a whole number of nodes",
        value: 1.5,
        allowed: "an integer from 0 to 5000",
      },
    ]);
  });

  it("keeps the pod CIDR clear of the VNet, reserved ranges, AKS's own ranges and the service CIDR", () => {
    expect(check({ podCidr: "10.0.128.0/17" })).toEqual([
      {
        path: "azlab:aks.podCidr",
        message: "overlaps the VNet address space 10.0.0.0/16",
        value: "10.0.128.0/17",
        allowed: OUTSIDE_ALL,
      },
    ]);
    expect(check({ podCidr: "10.48.0.0/12" })).toEqual([
      {
        path: "azlab:aks.podCidr",
        message: "overlaps the reserved range 10.50.0.0/16",
        value: "10.48.0.0/12",
        allowed: OUTSIDE_ALL,
      },
    ]);
    expect(check({ podCidr: "172.16.0.0/12" })).toEqual([
      {
        path: "azlab:aks.podCidr",
        message: "overlaps the range 172.30.0.0/16 that AKS reserves",
        value: "172.16.0.0/12",
        allowed: OUTSIDE_ALL,
      },
      {
        path: "azlab:aks.podCidr",
        message: "overlaps the range 172.31.0.0/16 that AKS reserves",
        value: "172.16.0.0/12",
        allowed: OUTSIDE_ALL,
      },
      {
        path: "azlab:aks.podCidr",
        message: "overlaps the service CIDR 172.16.0.0/16",
        value: "172.16.0.0/12",
        allowed: OUTSIDE_ALL,
      },
    ]);
  });

  it("reports a range listed twice once", () => {
    expect(
      check({ podCidr: "10.0.0.0/8", vnetAddressSpace: ["10.0.0.0/16", "10.0.0.0/16"], reservedCidrs: [] }),
    ).toEqual([
      {
        path: "azlab:aks.podCidr",
        message: "overlaps the VNet address space 10.0.0.0/16",
        value: "10.0.0.0/8",
        allowed: OUTSIDE_ALL,
      },
    ]);
  });

  it("needs a /24 of the pod CIDR per node, surge included, for overlay and kubenet", () => {
    expect(check({ podCidr: "192.168.0.0/19", maxNodes: 32, maxSurge: 1 })).toEqual([
      {
        path: "azlab:aks.podCidr",
        message:
          "is too small: azure-cni-overlay gives a /24 to each of 33 nodes (32 + 1 surge), but a /19 holds 32",
        value: "192.168.0.0/19",
        allowed: "a /18 or larger",
      },
    ]);
    expect(
      check({ plugin: "kubenet", maxPods: 110, podCidr: "192.168.0.0/25", maxNodes: 1, maxSurge: 0 }),
    ).toEqual([
      {
        path: "azlab:aks.podCidr",
        message: "is too small: kubenet gives a /24 to each of 1 node (1 + 0 surge), but a /25 holds 0",
        value: "192.168.0.0/25",
        allowed: "a /24 or larger",
      },
    ]);
    expect(check({ podCidr: "192.168.0.0/19", maxNodes: 31, maxSurge: 1 })).toEqual([]);
  });

  it("ignores a pod CIDR for flat Azure CNI, whose pods use the node subnet", () => {
    expect(check({ plugin: "azure-cni", maxPods: 30, maxNodes: 5, podCidr: "10.0.0.0/8" })).toEqual([]);
  });

  it("requires a service CIDR smaller than /12, clear of the VNet and reserved ranges", () => {
    expect(check({ serviceCidr: "172.0.0.0/12", dnsServiceIp: "172.0.0.10" })).toEqual([
      {
        path: "azlab:aks.serviceCidr",
        message: "is too large: AKS needs a service CIDR smaller than a /12",
        value: "172.0.0.0/12",
        allowed: "a prefix length of /13 or longer, such as 10.0.0.0/16",
      },
    ]);
    expect(check({ serviceCidr: "172.0.0.0/13", dnsServiceIp: "172.0.0.10" })).toEqual([]);
    expect(check({ serviceCidr: "10.0.0.0/20", dnsServiceIp: "10.0.0.10" })).toEqual([
      {
        path: "azlab:aks.serviceCidr",
        message: "overlaps the VNet address space 10.0.0.0/16",
        value: "10.0.0.0/20",
        allowed: OUTSIDE_VNET,
      },
    ]);
    expect(check({ serviceCidr: "169.254.0.0/20", dnsServiceIp: "169.254.0.10" })).toEqual([
      {
        path: "azlab:aks.serviceCidr",
        message: "overlaps the range 169.254.0.0/16 that AKS reserves",
        value: "169.254.0.0/20",
        allowed: OUTSIDE_VNET,
      },
    ]);
  });

  it.each([
    ["172.16.0.0", "is the network address of the service CIDR 172.16.0.0/16"],
    [
      "172.16.0.1",
      "is the first address of the service CIDR 172.16.0.0/16, which Kubernetes gives to the kubernetes API service",
    ],
    ["172.16.255.255", "is the broadcast address of the service CIDR 172.16.0.0/16"],
    ["172.17.0.10", "is outside the service CIDR 172.16.0.0/16"],
    ["fd00::10", "is outside the service CIDR 172.16.0.0/16"],
    ["172.16.0.256", "not a valid IP address"],
  ])("refuses the DNS service IP %s", (dnsServiceIp, message) => {
    expect(check({ dnsServiceIp })).toEqual([
      {
        path: "azlab:aks.dnsServiceIp",
        message,
        value: dnsServiceIp,
        allowed: "an address from 172.16.0.2 to 172.16.255.254",
      },
    ]);
  });

  it("accepts the first and last DNS service IPs Kubernetes can hand out", () => {
    expect(check({ dnsServiceIp: "172.16.0.2" })).toEqual([]);
    expect(check({ dnsServiceIp: "172.16.255.254" })).toEqual([]);
  });

  it("reports every problem at once, invalid CIDRs included", () => {
    expect(
      check({
        nodeSubnetCidr: "10.0.0.0/33",
        podCidr: "192.168.0.0",
        serviceCidr: "fd00::/300",
        vnetAddressSpace: ["10.0.0.0/16", "10.1.0.0/16x"],
        maxPods: 300,
      }),
    ).toEqual([
      {
        path: "azlab:aks.vnetAddressSpace[1]",
        message: "not a valid CIDR prefix",
        value: "10.1.0.0/16x",
        allowed: "an IPv4 or IPv6 prefix such as 10.0.0.0/16 or fd00::/48",
      },
      {
        path: "azlab:aks.maxPods",
        message: "is outside the range AKS accepts",
        value: 300,
        allowed: "an integer from 10 to 250",
      },
      {
        path: "azlab:aks.nodeSubnetCidr",
        message: "not a valid CIDR prefix",
        value: "10.0.0.0/33",
        allowed: "an IPv4 or IPv6 prefix such as 10.0.0.0/16 or fd00::/48",
      },
      {
        path: "azlab:aks.podCidr",
        message: "not a valid CIDR prefix",
        value: "192.168.0.0",
        allowed: "an IPv4 or IPv6 prefix such as 10.0.0.0/16 or fd00::/48",
      },
      {
        path: "azlab:aks.serviceCidr",
        message: "not a valid CIDR prefix",
        value: "fd00::/300",
        allowed: "an IPv4 or IPv6 prefix such as 10.0.0.0/16 or fd00::/48",
      },
    ]);
  });
});
