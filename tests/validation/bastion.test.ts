import { describe, expect, it } from "vitest";
import { normalizeBastion } from "../../src/validation/bastion.ts";

describe("normalizeBastion", () => {
  it("defaults to Basic, the cheapest SKU that reaches peered VNets, and derives both names", () => {
    expect(
      normalizeBastion({ nameParts: ["azlab", "net", "hub"], subnetCidr: "10.100.1.0/26" }, "hub-bas"),
    ).toEqual({
      value: { bastionName: "bas-azlab-net-hub", publicIpName: "pip-azlab-net-hub-bas", sku: "Basic" },
      problems: [],
    });
  });

  it.each(["Standard", "Premium"])("accepts %s", (sku) => {
    expect(normalizeBastion({ sku, subnetCidr: "10.100.0.0/25" }, "hub-bas").value?.sku).toBe(sku);
  });

  it("refuses Developer, which cannot reach peered VNets, and a subnet smaller than /26, at once", () => {
    expect(normalizeBastion({ sku: "Developer", subnetCidr: "10.100.1.0/27" }, "hub-bas").problems).toEqual([
      {
        path: "sku",
        message:
          "cannot connect to VMs in peered virtual networks (VNet peering isn't supported for the Developer SKU), so it cannot reach the spokes",
        value: "Developer",
        allowed: "Basic, Standard, Premium",
      },
      {
        path: "subnetCidr",
        message: "is too small for AzureBastionSubnet",
        value: "10.100.1.0/27",
        allowed: "/26 or larger (/25, /24, …)",
      },
    ]);
  });

  it("refuses an unknown SKU, an IPv6 subnet and an explicit name Azure would refuse", () => {
    expect(
      normalizeBastion({ sku: "basic", subnetCidr: "fd00::/64", bastionName: "-bas" }, "hub-bas").problems,
    ).toEqual([
      {
        path: "bastionName",
        message: "is not a valid bastion name",
        value: "-bas",
        allowed: "1 to 80 characters: letters, digits, hyphens, underscores and periods",
      },
      { path: "sku", message: "is not a Bastion SKU", value: "basic", allowed: "Basic, Standard, Premium" },
      {
        path: "subnetCidr",
        message: "is not an IPv4 CIDR block",
        value: "fd00::/64",
        allowed: "an IPv4 CIDR of /26 or larger",
      },
    ]);
  });
});
