import { describe, expect, it } from "vitest";
import { PublicIp } from "../../components/network/publicIp.ts";
import { countByType, named, run } from "./helpersNetwork.ts";

describe("PublicIp", () => {
  it("creates a static Standard address with zones and a DNS label", async () => {
    const result = await run(() => {
      const ip = new PublicIp("web", {
        resourceGroupName: "rg",
        location: "westeurope",
        zones: ["1", "2", "3"],
        dnsLabel: "net101-web",
        tags: { course: "net101" },
      });
      return { publicIpId: ip.publicIpId, ipAddress: ip.ipAddress, hasFqdn: ip.fqdn !== undefined };
    });
    expect(countByType(result)).toEqual({
      "azlab:network:PublicIp": 1,
      "azure-native:network:PublicIPAddress": 1,
      "pulumi:pulumi:Stack": 1,
    });
    expect(named(result, "web-pip").inputs).toEqual({
      dnsSettings: { domainNameLabel: "net101-web" },
      idleTimeoutInMinutes: 4,
      location: "westeurope",
      publicIPAddressVersion: "IPv4",
      publicIPAllocationMethod: "Static",
      resourceGroupName: "rg",
      sku: { name: "Standard", tier: "Regional" },
      tags: { course: "net101" },
      zones: ["1", "2", "3"],
    });
    expect(result.outputs).toEqual({ publicIpId: "web-pip-id", ipAddress: "203.0.113.10", hasFqdn: true });
  });

  it("sets no zones and no DNS name by default", async () => {
    let fqdn: unknown = "unset";
    const result = await run(() => {
      fqdn = new PublicIp("plain", { resourceGroupName: "rg", location: "westeurope" }).fqdn;
    });
    expect(named(result, "plain-pip").inputs).toEqual({
      idleTimeoutInMinutes: 4,
      location: "westeurope",
      publicIPAddressVersion: "IPv4",
      publicIPAllocationMethod: "Static",
      resourceGroupName: "rg",
      sku: { name: "Standard", tier: "Regional" },
    });
    expect(fqdn).toBeUndefined();
  });

  it("refuses the Basic SKU, other SKUs and a bad DNS label with exact messages", async () => {
    const attempt = (sku: string, dnsLabel: string) =>
      run(() => void new PublicIp("bad", { resourceGroupName: "rg", location: "westeurope", sku, dnsLabel }));
    await expect(attempt("Basic", "1-web")).rejects.toMatchObject({
      name: "UserError",
      problems: [
        'azlab:publicIp.sku: the Basic public IP SKU was retired on 30 September 2025 and can no longer be created (got "Basic"; allowed: "Standard")',
        'azlab:publicIp.dnsLabel: is not a valid DNS label (got "1-web"; allowed: 3 to 63 lowercase letters, digits or hyphens, starting with a letter and ending with a letter or digit)',
      ],
    });
    await expect(attempt("Premium", "Web")).rejects.toMatchObject({
      problems: [
        'azlab:publicIp.sku: is not a public IP SKU azlab supports (got "Premium"; allowed: "Standard")',
        'azlab:publicIp.dnsLabel: is not a valid DNS label (got "Web"; allowed: 3 to 63 lowercase letters, digits or hyphens, starting with a letter and ending with a letter or digit)',
      ],
    });
    await expect(attempt("Standard", "web-")).rejects.toThrow(
      'PublicIp "bad" has invalid arguments:\n  - azlab:publicIp.dnsLabel: is not a valid DNS label (got "web-";',
    );
  });
});
