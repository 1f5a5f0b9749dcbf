import { describe, expect, it } from "vitest";
import { formatProblem } from "../../src/errors.ts";
import { normalizePublicIp, standardSkuProblems, zoneProblems } from "../../src/validation/publicIp.ts";

const lines = (result: { problems: readonly Parameters<typeof formatProblem>[0][] }) =>
  result.problems.map((problem) => formatProblem(problem));

describe("normalizePublicIp", () => {
  it("applies defaults and derives the Azure name from the component name", () => {
    expect(normalizePublicIp({}, "gate")).toEqual({
      value: { publicIpName: "pip-gate", sku: "Standard", zones: [], ipVersion: "IPv4" },
      problems: [],
    });
  });

  it("refuses the retired Basic SKU, other SKUs and bad DNS labels, each at its argument's path", () => {
    // Basic public IPs were retired on 30 September 2025 (learn.microsoft.com, "Upgrade to Standard SKU public IP addresses").
    expect(lines(normalizePublicIp({ sku: "Basic", dnsLabel: "1-web" }, "bad"))).toEqual([
      'sku: the Basic public IP SKU was retired on 30 September 2025 and can no longer be created (got "Basic"; allowed: "Standard")',
      'dnsLabel: is not a valid DNS label (got "1-web"; allowed: 3 to 63 lowercase letters, digits or hyphens, starting with a letter and ending with a letter or digit)',
    ]);
    expect(lines(normalizePublicIp({ sku: "Premium", dnsLabel: "web-" }, "bad"))).toEqual([
      'sku: is not a public IP SKU azlab supports (got "Premium"; allowed: "Standard")',
      'dnsLabel: is not a valid DNS label (got "web-"; allowed: 3 to 63 lowercase letters, digits or hyphens, starting with a letter and ending with a letter or digit)',
    ]);
  });

  it("refuses unknown zones, a bad IP version, a bad explicit name and empty name parts", () => {
    const result = normalizePublicIp(
      {
        zones: ["1", "4"],
        ipVersion: "IPv5" as "IPv4",
        publicIpName: "-gate",
        nameParts: ["azlab", "--"],
      },
      "bad",
    );
    expect(lines(result)).toEqual([
      'nameParts[1]: has no letter or digit to put in an Azure name (got "--"; allowed: text with at least one letter or digit)',
      'publicIpName: is not a valid publicIp name (got "-gate"; allowed: 1 to 80 characters: letters, digits, hyphens, underscores and periods)',
      'zones: has an unknown zone (got "4"; allowed: "1", "2", "3")',
      'ipVersion: is not supported (got "IPv5"; allowed: "IPv4", "IPv6")',
    ]);
  });

  it("shares its SKU and zone checks with the load balancer", () => {
    expect(standardSkuProblems("basic", "loadBalancer.sku", "load balancer")).toEqual([
      {
        path: "loadBalancer.sku",
        message: "the Basic load balancer SKU was retired on 30 September 2025 and can no longer be created",
        value: "basic",
        allowed: '"Standard"',
      },
    ]);
    expect(standardSkuProblems(undefined, "sku", "public IP")).toEqual([]);
    expect(zoneProblems(["1", "2", "3"], "zones")).toEqual([]);
  });
});
