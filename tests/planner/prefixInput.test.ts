import { describe, expect, it } from "vitest";
import { parsePrefix } from "../../src/cidr/address.ts";
import type { Prefix } from "../../src/cidr/address.ts";
import { allocateBlocks, allocatePrefixes } from "../../src/planner/allocate.ts";
import { planClassBlockPrefixes, planClassBlocks, planNetwork } from "../../src/planner/network.ts";
import type { NetworkRequest } from "../../src/planner/network.ts";
import { addressSpaceProblems, subnetRequestProblems } from "../../src/planner/subnetRules.ts";

const p = (text: string) => parsePrefix(text) as Prefix;
const v4 = (network: bigint, length: number) => ({ version: 4, address: network, network, length });

describe("the planner on prefix values", () => {
  it("allocatePrefixes places the same blocks as allocateBlocks, and returns them as values", () => {
    const args = {
      parent: p("10.0.0.0/22"),
      requests: { web: { prefixLength: 24 }, app: { prefixLength: 23 }, pin: { cidr: p("10.0.3.0/24") } },
      reserved: [p("10.0.2.0/24")],
      path: "p",
    };
    const result = allocatePrefixes(args);
    expect(result).toEqual({
      allocations: { app: "10.0.0.0/23", pin: "10.0.3.0/24" },
      lock: { app: "10.0.0.0/23", pin: "10.0.3.0/24" },
      // 10.0.0.0 = 0x0a000000, 10.0.3.0 = 0x0a000300.
      prefixes: { app: v4(0x0a000000n, 23), pin: v4(0x0a000300n, 24) },
      problems: [
        {
          path: "p.web.prefixLength",
          message: "no free /24 block (256 addresses) is left for web",
          value: 24,
          allowed: "a larger parent range: no free addresses are left in 10.0.0.0/22",
        },
      ],
    });
    const { prefixes: _values, ...text } = result;
    expect(allocateBlocks(args)).toEqual(text);
  });

  it("plans the same network from values as from text", () => {
    const text: NetworkRequest = {
      vnets: {
        dev: {
          addressSpace: ["10.20.0.0/16", "fd00:20::/48"],
          subnets: { web: { hosts: 100 }, pin: { cidr: "10.20.9.0/24" }, six: { cidr: "fd00:20:0:1::/64" } },
          path: "azlab:network",
        },
      },
      reservedCidrs: ["10.20.0.0/24"],
      reservedPath: "azlab:network.reservedCidrs",
    };
    const values: NetworkRequest = {
      vnets: {
        dev: {
          addressSpace: [p("10.20.0.0/16"), p("fd00:20::/48")],
          subnets: {
            web: { hosts: 100 },
            pin: { cidr: p("10.20.9.0/24") },
            six: { cidr: p("fd00:20:0:1::/64") },
          },
          path: "azlab:network",
        },
      },
      reservedCidrs: [p("10.20.0.0/24")],
      reservedPath: "azlab:network.reservedCidrs",
    };
    const fromText = planNetwork(text);
    const fromValues = planNetwork(values);
    expect(fromText.problems).toEqual([]);
    expect(fromValues.lock).toEqual(fromText.lock);
    expect(fromValues.lock.vnets["dev"]?.subnets).toEqual({
      pin: "10.20.9.0/24",
      six: "fd00:20:0:1::/64",
      web: "10.20.1.0/25",
    });
    const cidrs = (plan: typeof fromText) =>
      Object.values(plan.vnets["dev"]?.subnets ?? {}).map((s) => [s.cidr, s.prefix, s.usable]);
    expect(cidrs(fromValues)).toEqual(cidrs(fromText));
    expect(fromValues.vnets["dev"]?.prefixes).toEqual([p("10.20.0.0/16"), p("fd00:20::/48")]);
  });

  it("carves the same class blocks from a supernet value, and returns them as values", () => {
    const args = { studentPrefixLength: 24, studentKeys: ["bob", "alice"], reservedCidrs: [], path: "s" };
    const fromValue = planClassBlockPrefixes({
      ...args,
      supernet: p("10.100.0.0/16"),
      sharedBlocks: { hub: 22 },
    });
    expect(fromValue.prefixes).toEqual({
      // 10.100.4.0 = 0x0a640400; the hub /22 takes the bottom of the supernet.
      alice: v4(0x0a640400n, 24),
      bob: v4(0x0a640500n, 24),
      hub: v4(0x0a640000n, 22),
    });
    const { prefixes: _values, ...text } = fromValue;
    expect(planClassBlocks({ ...args, supernet: "10.100.0.0/16", sharedBlocks: { hub: 22 } })).toEqual(text);
  });

  it("shows a value with host bits as written, never as an object, in a problem", () => {
    const unaligned: Prefix = { version: 4, address: 0x0a010105n, network: 0x0a010100n, length: 24 };
    expect(subnetRequestProblems("web", { cidr: unaligned }, "azlab:network.subnets.web", undefined)).toEqual(
      [
        {
          path: "azlab:network.subnets.web.cidr",
          message: "cidr is not aligned to its /24 (host bits are set)",
          value: "10.1.1.5/24",
          allowed: "10.1.1.0/24",
        },
      ],
    );
    expect(addressSpaceProblems({ dev: { path: "azlab:network", addressSpace: [unaligned] } })).toEqual([
      {
        path: "azlab:network.addressSpace[0]",
        message: "address range is not aligned to its /24 (host bits are set)",
        value: "10.1.1.5/24",
        allowed: "10.1.1.0/24",
      },
    ]);
  });
});
