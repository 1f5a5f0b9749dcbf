import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../src/config/parse.ts";
import { planStack } from "../../src/stack/planStack.ts";

/** A dev stack's raw config, as the stack file or the engine holds it. */
function devConfig(edit: (raw: Record<string, unknown>) => void = () => {}): Record<string, unknown> {
  const raw: Record<string, unknown> = {
    "azlab:environment": "dev",
    "azlab:location": "westeurope",
    "azlab:owner": "platform-team@example.edu",
    "azlab:network": {
      addressSpace: "10.20.0.0/16",
      reservedCidrs: ["10.0.0.0/16", "fd00::/48"],
      subnets: { web: { hosts: 50 }, pinned: { cidr: "10.20.5.0/24" }, "aks-nodes": { prefixLength: 24 } },
    },
    "azlab:nsg": { sshSourceCidrs: ["203.0.113.0/24"] },
    "azlab:aks": { subnet: "aks-nodes", serviceCidr: "172.16.0.0/16" },
  };
  edit(raw);
  return raw;
}

/** The prefix value of an aligned block: address and network are the same. */
const v4 = (network: bigint, length: number) => ({ version: 4, address: network, network, length });

describe("config parsing: CIDR text becomes prefix values once", () => {
  it("holds every CIDR key as a prefix value, defaults included", () => {
    const { config, problems } = parseStackConfig(devConfig(), []);
    expect(problems).toEqual([]);
    // 10.20.0.0 = 0x0a140000, 10.0.0.0 = 0x0a000000, 10.20.5.0 = 0x0a140500.
    expect(config?.network.addressSpace).toEqual([v4(0x0a140000n, 16)]);
    expect(config?.network.reservedCidrs).toEqual([
      v4(0x0a000000n, 16),
      { version: 6, address: 0xfd00n << 112n, network: 0xfd00n << 112n, length: 48 },
    ]);
    expect(config?.network.subnets["pinned"]?.cidr).toEqual(v4(0x0a140500n, 24));
    expect(config?.network.subnets["web"]?.cidr).toBeUndefined();
    // 203.0.113.0 = 0xcb007100.
    expect(config?.nsg.sshSourceCidrs).toEqual([v4(0xcb007100n, 24)]);
    // The pod CIDR's default goes through the same parser: 192.168.0.0/16 = 0xc0a80000.
    expect(config?.aks?.podCidr).toEqual(v4(0xc0a80000n, 16));
    expect(config?.aks?.serviceCidr).toEqual(v4(0xac100000n, 16));
    expect(config?.aks?.authorizedIpRanges).toEqual([]);
  });

  it("parses the class supernet and source ranges", () => {
    const { config, problems } = parseStackConfig(
      devConfig((raw) => {
        raw["azlab:environment"] = "class";
        raw["azlab:network"] = { subnets: { lab: { prefixLength: 26 } } };
        raw["azlab:class"] = {
          courseId: "net101",
          instructor: "ada@example.edu",
          expiresOn: "2027-01-31",
          sourceCidrs: ["198.51.100.0/24"],
          supernet: "10.100.0.0/16",
          students: { alice: null },
        };
      }),
      [],
    );
    expect(problems).toEqual([]);
    // 10.100.0.0 = 0x0a640000, 198.51.100.0 = 0xc6336400.
    expect(config?.class?.supernet).toEqual(v4(0x0a640000n, 16));
    expect(config?.class?.sourceCidrs).toEqual([v4(0xc6336400n, 24)]);
  });

  it("refuses a CIDR with host bits set at the key the user wrote, naming the aligned block", () => {
    const { config, problems } = parseStackConfig(
      devConfig((raw) => {
        raw["azlab:network"] = {
          addressSpace: "10.20.0.5/16",
          reservedCidrs: ["10.0.0.0/16", "192.168.1.1/16"],
          subnets: { web: { cidr: "10.20.1.1/24" } },
        };
        raw["azlab:nsg"] = { sshSourceCidrs: ["203.0.113.7/24"] };
        raw["azlab:aks"] = { subnet: "web", podCidr: "192.168.0.1/16" };
      }),
      [],
    );
    expect(config).toBeUndefined();
    expect(problems).toEqual([
      {
        path: "azlab:network.addressSpace",
        message: "is not aligned to its /16 (host bits are set)",
        value: "10.20.0.5/16",
        allowed: "10.20.0.0/16",
      },
      {
        path: "azlab:network.reservedCidrs.1",
        message: "is not aligned to its /16 (host bits are set)",
        value: "192.168.1.1/16",
        allowed: "192.168.0.0/16",
      },
      {
        path: "azlab:network.subnets.web.cidr",
        message: "is not aligned to its /24 (host bits are set)",
        value: "10.20.1.1/24",
        allowed: "10.20.1.0/24",
      },
      {
        path: "azlab:nsg.sshSourceCidrs.0",
        message: "is not aligned to its /24 (host bits are set)",
        value: "203.0.113.7/24",
        allowed: "203.0.113.0/24",
      },
      {
        path: "azlab:aks.podCidr",
        message: "is not aligned to its /16 (host bits are set)",
        value: "192.168.0.1/16",
        allowed: "192.168.0.0/16",
      },
    ]);
  });

  it("refuses text that is no CIDR, or of the wrong IP version, with what is allowed", () => {
    const { problems } = parseStackConfig(
      devConfig((raw) => {
        raw["azlab:network"] = {
          addressSpace: ["10.20.0.0/33", "fd00::/48"],
          reservedCidrs: ["campus"],
          subnets: { web: { hosts: 50 } },
        };
      }),
      [],
    );
    expect(problems).toEqual([
      {
        path: "azlab:network.addressSpace.0",
        message: "is not an IPv4 CIDR block",
        value: "10.20.0.0/33",
        allowed: "an IPv4 prefix such as 10.20.0.0/16",
      },
      {
        path: "azlab:network.addressSpace.1",
        message: "is not an IPv4 CIDR block",
        value: "fd00::/48",
        allowed: "an IPv4 prefix such as 10.20.0.0/16",
      },
      {
        path: "azlab:network.reservedCidrs.0",
        message: "is not a CIDR block",
        value: "campus",
        allowed: "an IPv4 or IPv6 prefix such as 10.20.0.0/16",
      },
    ]);
  });
});

describe("planStack on prefix values", () => {
  it("plans with values and makes text only for output and the lock", () => {
    const { config } = parseStackConfig(devConfig(), []);
    const result = planStack("dev", config!, undefined);
    expect(result.problems).toEqual([]);
    const vnet = result.plan?.environments["dev"]?.vnet;
    expect(vnet?.prefixes).toEqual([v4(0x0a140000n, 16)]);
    expect(vnet?.addressSpace).toEqual(["10.20.0.0/16"]);
    // The pinned block keeps its place; the others take the smallest free block that holds them:
    // 10.20.4.0/24 just below the pin, then 10.20.6.0/23 split for the /26.
    expect(
      Object.fromEntries(Object.entries(vnet?.subnets ?? {}).map(([name, s]) => [name, [s.cidr, s.prefix]])),
    ).toEqual({
      "aks-nodes": ["10.20.4.0/24", v4(0x0a140400n, 24)],
      pinned: ["10.20.5.0/24", v4(0x0a140500n, 24)],
      web: ["10.20.6.0/26", v4(0x0a140600n, 26)],
    });
    expect(result.lock).toEqual({
      version: 1,
      vnets: {
        dev: {
          addressSpace: ["10.20.0.0/16"],
          subnets: { "aks-nodes": "10.20.4.0/24", pinned: "10.20.5.0/24", web: "10.20.6.0/26" },
        },
      },
    });
    // NSG rules are rendered into Azure resources, so their sources are text again.
    expect(result.plan?.environments["dev"]?.nsgRules["allow-ssh"]?.source).toEqual(["203.0.113.0/24"]);
  });

  it("reports planner problems with the values' text", () => {
    const { config } = parseStackConfig(
      devConfig((raw) => {
        raw["azlab:network"] = {
          addressSpace: "10.20.0.0/16",
          reservedCidrs: ["10.20.5.0/24"],
          subnets: { pinned: { cidr: "10.20.5.0/24" }, "aks-nodes": { prefixLength: 24 } },
        };
      }),
      [],
    );
    const result = planStack("dev", config!, undefined);
    expect(result.problems).toEqual([
      {
        path: "azlab:network.subnets.pinned.cidr",
        message: "cidr overlaps the reserved range 10.20.5.0/24",
        value: "10.20.5.0/24",
        allowed: "a block that avoids 10.20.5.0/24",
      },
    ]);
  });
});
