import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contains, formatPrefix, overlaps, parsePrefix } from "../../src/cidr/address.ts";
import type { Prefix } from "../../src/cidr/address.ts";
import { planClassBlocks, planNetwork } from "../../src/planner/network.ts";
import type { NetworkRequest, VnetRequest } from "../../src/planner/network.ts";
import type { NetworkLock, SubnetRequest } from "../../src/planner/types.ts";

const DEV_PATH = "azlab:network.vnets.dev";

function dev(subnets: Record<string, SubnetRequest>, addressSpace = ["10.10.0.0/16"]): NetworkRequest {
  return {
    vnets: { dev: { addressSpace, subnets, path: DEV_PATH } },
    reservedCidrs: [],
    reservedPath: "azlab:network.reservedCidrs",
  };
}

const cidrs = (plan: ReturnType<typeof planNetwork>, vnet: string) =>
  Object.fromEntries(Object.entries(plan.vnets[vnet]?.subnets ?? {}).map(([name, s]) => [name, s.cidr]));

describe("planNetwork", () => {
  const request = dev({
    web: { hosts: 200 },
    app: { prefixLength: 24 },
    data: { hosts: 50 },
    aks: { prefixLength: 20 },
  });

  it("plans every subnet with its address counts, utilization and lock", () => {
    const plan = planNetwork(request);
    expect(plan.problems).toEqual([]);
    expect(cidrs(plan, "dev")).toEqual({
      aks: "10.10.0.0/20",
      app: "10.10.16.0/24",
      data: "10.10.18.0/26",
      web: "10.10.17.0/24",
    });
    expect(plan.vnets.dev?.subnets.web).toEqual({
      name: "web",
      // 10.10.17.0 = 0x0a0a1100: the value for further checks, `cidr` its text.
      prefix: { version: 4, address: 0x0a0a1100n, network: 0x0a0a1100n, length: 24 },
      cidr: "10.10.17.0/24",
      total: 256,
      reserved: 5,
      usable: 251,
      exactTotal: "256",
      exactUsable: "251",
      requested: { hosts: 200 },
    });
    expect(plan.vnets.dev?.key).toBe("dev");
    expect(plan.vnets.dev?.addressSpace).toEqual(["10.10.0.0/16"]);
    expect(plan.vnets.dev?.prefixes).toEqual([
      { version: 4, address: 0x0a0a0000n, network: 0x0a0a0000n, length: 16 },
    ]);
    expect(plan.vnets.dev?.utilization).toEqual({
      total: 65536,
      allocated: 4672,
      free: 60864,
      // 4096 + 256 + 256 + 64 = 4672 of 65536.
      utilization: 0.0712890625,
    });
    expect(plan.lock).toEqual({
      version: 1,
      vnets: {
        dev: {
          addressSpace: ["10.10.0.0/16"],
          subnets: { aks: "10.10.0.0/20", app: "10.10.16.0/24", data: "10.10.18.0/26", web: "10.10.17.0/24" },
        },
      },
    });
  });

  it("keeps locked subnets when others are added, removed or resized, and passes class blocks through", () => {
    const first = planNetwork(request);
    const lock: NetworkLock = { ...first.lock, blocks: { class: { alice: "10.100.4.0/24" } } };
    // web shrinks but still fits its /24; app is removed; cache (/27) is new.
    const next = planNetwork(
      dev({ web: { hosts: 100 }, data: { hosts: 50 }, aks: { prefixLength: 20 }, cache: { hosts: 20 } }),
      lock,
    );
    expect(next.problems).toEqual([]);
    expect(cidrs(next, "dev")).toEqual({
      aks: "10.10.0.0/20",
      cache: "10.10.18.64/27",
      data: "10.10.18.0/26",
      web: "10.10.17.0/24",
    });
    expect(next.lock.blocks).toEqual({ class: { alice: "10.100.4.0/24" } });
    // Growing past the locked block re-allocates only that subnet.
    const grown = planNetwork(
      dev({ web: { hosts: 300 }, data: { hosts: 50 }, aks: { prefixLength: 20 } }),
      next.lock,
    );
    // The freed app and web blocks form an aligned /23, the best fit.
    expect(cidrs(grown, "dev")).toEqual({ aks: "10.10.0.0/20", data: "10.10.18.0/26", web: "10.10.16.0/23" });
  });

  it("ignores the order of VNets and subnets", () => {
    const two: NetworkRequest = {
      vnets: {
        dev: request.vnets.dev as VnetRequest,
        hub: {
          addressSpace: ["10.0.0.0/22"],
          subnets: { GatewaySubnet: { prefixLength: 27 }, AzureBastionSubnet: { prefixLength: 26 } },
          path: "azlab:network.vnets.hub",
        },
      },
      reservedCidrs: ["10.10.16.0/24"],
      reservedPath: "r",
    };
    const flipped: NetworkRequest = {
      ...two,
      vnets: Object.fromEntries(
        Object.entries(two.vnets)
          .reverse()
          .map(([key, vnet]) => [
            key,
            { ...vnet, subnets: Object.fromEntries(Object.entries(vnet.subnets).reverse()) },
          ]),
      ),
    };
    expect(planNetwork(flipped)).toEqual(planNetwork(two));
    expect(cidrs(planNetwork(two), "hub")).toEqual({
      AzureBastionSubnet: "10.0.0.0/26",
      GatewaySubnet: "10.0.0.64/27",
    });
  });

  it("collects every problem without throwing, and holds the space of a subnet whose request is wrong", () => {
    const lock: NetworkLock = { version: 1, vnets: { dev: { subnets: { web: "10.10.0.0/24" } } } };
    const plan = planNetwork(
      {
        ...dev({
          web: { hosts: 0 },
          other: { prefixLength: 24 },
          "bad name-": { prefixLength: 24 },
          GatewaySubnet: { prefixLength: 28 },
          v6: { cidr: "fd00:0:0:1::/64" },
          clash: { cidr: "10.10.255.0/25" },
        }),
        reservedCidrs: ["10.10.255.0/24", "nope"],
      },
      lock,
    );
    expect(plan.problems).toEqual([
      {
        path: "azlab:network.reservedCidrs[1]",
        message: "reserved range is not a valid CIDR block",
        value: "nope",
        allowed: "a CIDR such as 192.168.0.0/16",
      },
      {
        path: `${DEV_PATH}.subnets.GatewaySubnet.prefixLength`,
        message: "GatewaySubnet must be /27 or larger",
        value: 28,
        allowed: "/27 or larger (Azure's recommended minimum; /29 is the hard floor)",
      },
      {
        path: `${DEV_PATH}.subnets.bad name-`,
        message: "subnet name is not valid in Azure",
        value: "bad name-",
        allowed:
          "1 to 80 letters, digits, underscores, periods and hyphens, starting with a letter or digit and ending with a letter, digit or underscore",
      },
      {
        path: `${DEV_PATH}.subnets.web.hosts`,
        message: "hosts must be a whole number of at least 1",
        value: 0,
        allowed: "an integer from 1 to 65531",
      },
      {
        path: `${DEV_PATH}.subnets.clash.cidr`,
        message: "cidr overlaps the reserved range 10.10.255.0/24",
        value: "10.10.255.0/25",
        allowed: "a block that avoids 10.10.255.0/24",
      },
      {
        path: `${DEV_PATH}.subnets.v6.cidr`,
        message: "cidr lies outside 10.10.0.0/16",
        value: "fd00:0:0:1::/64",
        allowed: "a block inside 10.10.0.0/16",
      },
    ]);
    expect(cidrs(plan, "dev")).toEqual({ other: "10.10.1.0/24" });
    expect(plan.lock.vnets.dev?.subnets).toEqual({ other: "10.10.1.0/24", web: "10.10.0.0/24" });
  });

  it("places pinned IPv6 subnets of a dual-stack VNet", () => {
    const plan = planNetwork(
      dev({ web: { prefixLength: 24 }, web6: { cidr: "fd00:0:0:1::/64" } }, ["10.10.0.0/16", "fd00::/48"]),
    );
    expect(plan.problems).toEqual([]);
    expect(cidrs(plan, "dev")).toEqual({ web: "10.10.0.0/24", web6: "fd00:0:0:1::/64" });
    // IPv6 is left out of the counts: only the /24 of the /16 is counted.
    expect(plan.vnets.dev?.utilization).toEqual({
      total: 65536,
      allocated: 256,
      free: 65280,
      utilization: 0.00390625,
    });
  });

  it("reports overlapping address spaces once, and plans nothing for a VNet without valid space", () => {
    const plan = planNetwork({
      vnets: {
        a: { addressSpace: ["10.0.0.0/16"], subnets: { s: { prefixLength: 24 } }, path: "v.a" },
        b: { addressSpace: ["10.0.0.0/17"], subnets: { s: { prefixLength: 24 } }, path: "v.b" },
        c: { addressSpace: ["bad"], subnets: { s: { prefixLength: 24 } }, path: "v.c" },
      },
      reservedCidrs: [],
      reservedPath: "r",
    });
    expect(plan.problems).toEqual([
      {
        path: "v.b.addressSpace[0]",
        message: "address range overlaps 10.0.0.0/16 of VNet a",
        value: "10.0.0.0/17",
        allowed: "a range that overlaps no other address range of the stack",
      },
      {
        path: "v.c.addressSpace[0]",
        message: "address range is not a valid CIDR block",
        value: "bad",
        allowed: "a CIDR such as 10.0.0.0/16",
      },
    ]);
    expect(plan.vnets.c).toEqual({
      key: "c",
      addressSpace: [],
      prefixes: [],
      subnets: {},
      utilization: { total: 0, allocated: 0, free: 0, utilization: 0 },
    });
  });

  it("reports a pin outside its own VNet even when it lies in another VNet", () => {
    const plan = planNetwork({
      vnets: {
        a: { addressSpace: ["10.0.0.0/24"], subnets: { s: { prefixLength: 24 } }, path: "v.a" },
        b: { addressSpace: ["10.0.1.0/24"], subnets: { s: { cidr: "10.0.0.0/24" } }, path: "v.b" },
      },
      reservedCidrs: [],
      reservedPath: "r",
    });
    expect(plan.problems).toEqual([
      {
        path: "v.b.subnets.s.cidr",
        message: "cidr lies outside 10.0.1.0/24",
        value: "10.0.0.0/24",
        allowed: "a block inside 10.0.1.0/24",
      },
    ]);
  });
});

describe("planClassBlocks", () => {
  const roster = ["erin", "alice", "dave", "bob", "carol"];
  const base = {
    supernet: "10.100.0.0/16",
    studentPrefixLength: 24,
    sharedBlocks: { hub: 22 },
    reservedCidrs: [],
    path: "azlab:class.students",
  };

  it("carves the shared blocks and one block per student", () => {
    const plan = planClassBlocks({ ...base, studentKeys: roster });
    expect(plan).toEqual({
      students: {
        alice: "10.100.4.0/24",
        bob: "10.100.5.0/24",
        carol: "10.100.6.0/24",
        dave: "10.100.7.0/24",
        erin: "10.100.8.0/24",
      },
      shared: { hub: "10.100.0.0/22" },
      lock: {
        alice: "10.100.4.0/24",
        bob: "10.100.5.0/24",
        carol: "10.100.6.0/24",
        dave: "10.100.7.0/24",
        erin: "10.100.8.0/24",
        hub: "10.100.0.0/22",
      },
      problems: [],
    });
  });

  it("keeps every remaining student's block when the roster changes", () => {
    const first = planClassBlocks({ ...base, studentKeys: roster });
    const next = planClassBlocks({
      ...base,
      studentKeys: ["frank", "alice", "carol", "dave", "erin", "amy"],
      lock: first.lock,
    });
    expect(next.students).toEqual({
      alice: "10.100.4.0/24",
      amy: "10.100.5.0/24",
      carol: "10.100.6.0/24",
      dave: "10.100.7.0/24",
      erin: "10.100.8.0/24",
      frank: "10.100.9.0/24",
    });
    expect(next.shared).toEqual({ hub: "10.100.0.0/22" });
  });

  it("fits 100 /24 students in a /16 distinctly, whatever the roster order", () => {
    const ids = Array.from({ length: 100 }, (_, i) => `student-${String(i).padStart(3, "0")}`);
    const inKeyOrder = planClassBlocks({ ...base, sharedBlocks: {}, studentKeys: ids });
    fc.assert(
      fc.property(fc.shuffledSubarray(ids, { minLength: 100, maxLength: 100 }), (order) => {
        const plan = planClassBlocks({ ...base, sharedBlocks: {}, studentKeys: order });
        expect(plan.problems).toEqual([]);
        expect(plan).toEqual(inKeyOrder);
      }),
      { numRuns: 20 },
    );
    const plan = planClassBlocks({ ...base, studentKeys: ids });
    // The hub /22 takes 10.100.0.0-10.100.3.255; students follow in key order, one /24 each.
    expect(plan.shared).toEqual({ hub: "10.100.0.0/22" });
    expect(plan.students).toEqual(Object.fromEntries(ids.map((id, i) => [id, `10.100.${4 + i}.0/24`])));
    const blocks = Object.values(plan.students).map((c) => parsePrefix(c) as Prefix);
    expect(blocks).toHaveLength(100);
    const supernet = parsePrefix("10.100.0.0/16") as Prefix;
    // One expect over the list of faults, not one per pair of blocks (4,950 pairs).
    const faults = blocks.flatMap((block, i) => [
      ...(contains(supernet, block) ? [] : [`${formatPrefix(block)} outside the supernet`]),
      ...(block.length === 24 ? [] : [`${formatPrefix(block)} is not a /24`]),
      ...blocks
        .slice(i + 1)
        .filter((other) => overlaps(block, other))
        .map((other) => `${formatPrefix(block)} overlaps ${formatPrefix(other)}`),
    ]);
    expect(faults).toEqual([]);
  });

  it("honours pins and reserved ranges", () => {
    const plan = planClassBlocks({
      ...base,
      studentKeys: ["alice", "bob"],
      pinned: { alice: "10.100.200.0/24" },
      reservedCidrs: ["10.100.0.0/22"],
    });
    expect(plan.problems).toEqual([]);
    // Best fit: bob takes the /24 hole beside alice's pin and keeps the large blocks whole.
    expect(plan.students).toEqual({ alice: "10.100.200.0/24", bob: "10.100.201.0/24" });
    expect(plan.shared).toEqual({ hub: "10.100.4.0/22" });
  });

  it("reports every problem with the student's path", () => {
    const plan = planClassBlocks({
      ...base,
      studentPrefixLength: 18,
      sharedBlocks: { bob: 20, hub: 12 },
      studentKeys: ["alice", "bob", "carol", "dave", "erin", "alice"],
      pinned: { zoe: "10.100.0.0/24" },
    });
    expect(plan.problems).toEqual([
      {
        path: "azlab:class.students",
        message: "student id is listed more than once",
        value: "alice",
        allowed: "each student id once",
      },
      {
        path: "azlab:class.students.bob",
        message: "shared block key is also a student id",
        value: "bob",
        allowed: "a key that is not a student id",
      },
      {
        path: "azlab:class.students.zoe",
        message: "pinned block names neither a student with a valid block size nor a shared block",
        value: "10.100.0.0/24",
      },
      {
        path: "azlab:class.students.hub",
        message: "a /12 block does not fit in 10.100.0.0/16",
        value: 12,
        allowed: "a prefix length from 16 to 32",
      },
      {
        path: "azlab:class.students.erin",
        message: "no free /18 block (16384 addresses) is left for erin",
        value: 18,
        allowed: "a larger parent range: no free addresses are left in 10.100.0.0/16",
      },
    ]);
    expect(Object.keys(plan.students)).toEqual(["alice", "bob", "carol", "dave"]);
  });

  it("reports a bad supernet and block size, and keeps the lock entries", () => {
    const plan = planClassBlocks({
      ...base,
      supernet: "10.100.0.1/16",
      studentPrefixLength: 15,
      studentKeys: ["alice"],
      lock: { alice: "10.100.4.0/24" },
    });
    expect(plan.problems).toEqual([
      {
        path: "azlab:class.students",
        message: "class supernet is not aligned to its /16 (host bits are set)",
        value: "10.100.0.1/16",
        allowed: "10.100.0.0/16",
      },
      {
        path: "azlab:class.students",
        message: "a /15 student block does not fit in the class supernet 10.100.0.1/16",
        value: 15,
        allowed: "a student prefix length from 16 to 32",
      },
    ]);
    expect(plan.lock).toEqual({ alice: "10.100.4.0/24" });
  });
});
