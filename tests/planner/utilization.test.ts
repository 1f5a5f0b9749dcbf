import { describe, expect, it } from "vitest";
import { subnetUtilization, vnetUtilization } from "../../src/planner/utilization.ts";

describe("subnetUtilization", () => {
  it.each([
    ["10.0.0.0/24", "10.0.0.0/24", 256, 251],
    ["10.0.1.7/29", "10.0.1.0/29", 8, 3],
    ["10.0.0.0/16", "10.0.0.0/16", 65536, 65531],
    ["10.0.0.0/31", "10.0.0.0/31", 2, 0],
  ])("%s", (cidr, canonical, total, usable) => {
    expect(subnetUtilization(cidr)).toEqual({
      cidr: canonical,
      total,
      reserved: 5,
      usable,
      exactTotal: String(total),
      exactUsable: String(usable),
    });
  });

  it("keeps IPv6 counts exact in the string fields", () => {
    expect(subnetUtilization("fd00:0:0:1::/64")).toEqual({
      cidr: "fd00:0:0:1::/64",
      total: 2 ** 64,
      reserved: 5,
      usable: 2 ** 64,
      exactTotal: "18446744073709551616",
      exactUsable: "18446744073709551611",
    });
  });

  it("throws on a string that is not a CIDR", () => {
    expect(() => subnetUtilization("nope")).toThrow('subnetUtilization: not a CIDR: "nope"');
  });
});

describe("vnetUtilization", () => {
  it("counts subnet addresses against the address space", () => {
    expect(vnetUtilization(["10.0.0.0/16"], ["10.0.0.0/24", "10.0.1.0/24"])).toEqual({
      total: 65536,
      allocated: 512,
      free: 65024,
      utilization: 0.0078125,
    });
  });

  it("counts overlaps once, clips subnets to the space and ignores IPv6", () => {
    expect(
      vnetUtilization(
        ["10.0.0.0/24", "10.0.0.0/25", "10.1.0.0/24", "fd00::/48"],
        ["10.0.0.0/25", "10.0.0.64/26", "10.0.0.192/26", "10.0.255.0/24", "fd00::/64", "10.1.0.0/23"],
      ),
    ).toEqual({ total: 512, allocated: 448, free: 64, utilization: 0.875 });
  });

  it("is zero for a VNet without IPv4 space", () => {
    expect(vnetUtilization(["fd00::/48"], ["fd00::/64"])).toEqual({
      total: 0,
      allocated: 0,
      free: 0,
      utilization: 0,
    });
  });
});
