import { describe, expect, it } from "vitest";
import { PublicIp } from "../../components/network/publicIp.ts";
import { ResourceType } from "../../src/azure/catalog.ts";
import { countByType, registeredBeforeError, resource, run } from "../support/offline.ts";

describe("PublicIp", () => {
  it("creates a static Standard address with zones, a DNS label and a derived Azure name", async () => {
    const result = await run(() => {
      const ip = new PublicIp("web", {
        resourceGroupName: "rg",
        location: "westeurope",
        nameParts: ["azlab", "dev", "main"],
        zones: ["1", "2", "3"],
        dnsLabel: "net101-web",
        tags: { course: "net101" },
      });
      return {
        publicIpId: ip.publicIpId,
        publicIpName: ip.publicIpName,
        ipAddress: ip.ipAddress,
        hasFqdn: ip.fqdn !== undefined,
      };
    });
    expect(countByType(result)).toEqual({
      "azlab:network:PublicIp": 1,
      [ResourceType.PublicIPAddress]: 1,
    });
    // The main child takes the component's own name.
    expect(resource(result, ResourceType.PublicIPAddress, "web").inputs).toEqual({
      publicIpAddressName: "pip-azlab-dev-main",
      // Scoped: Azure adds a hash to the FQDN, so the same label in two adopters' subscriptions never collides.
      dnsSettings: { domainNameLabel: "net101-web", domainNameLabelScope: "ResourceGroupReuse" },
      idleTimeoutInMinutes: 4,
      location: "westeurope",
      publicIPAddressVersion: "IPv4",
      publicIPAllocationMethod: "Static",
      resourceGroupName: "rg",
      sku: { name: "Standard", tier: "Regional" },
      tags: { course: "net101" },
      zones: ["1", "2", "3"],
    });
    expect(result.outputs).toEqual({
      publicIpId: "web-id",
      publicIpName: "pip-azlab-dev-main",
      ipAddress: "203.0.113.10",
      hasFqdn: true,
    });
  });

  it("sets no zones and no DNS name by default, and takes an explicit Azure name", async () => {
    let fqdn: unknown = "unset";
    const result = await run(() => {
      fqdn = new PublicIp("plain", {
        resourceGroupName: "rg",
        location: "westeurope",
        publicIpName: "pip-gate",
      }).fqdn;
    });
    expect(resource(result, ResourceType.PublicIPAddress, "plain").inputs).toEqual({
      publicIpAddressName: "pip-gate",
      idleTimeoutInMinutes: 4,
      location: "westeurope",
      publicIPAddressVersion: "IPv4",
      publicIPAllocationMethod: "Static",
      resourceGroupName: "rg",
      sku: { name: "Standard", tier: "Regional" },
    });
    expect(fqdn).toBeUndefined();
  });

  it("registers nothing, not even the component, when the input is invalid", async () => {
    const { types, error } = await registeredBeforeError(
      () => void new PublicIp("bad", { resourceGroupName: "rg", location: "westeurope", sku: "Basic" }),
    );
    expect(types).toEqual(["pulumi:pulumi:Stack"]);
    expect(error).toMatchObject({
      name: "UserError",
      message:
        'PublicIp "bad" has invalid arguments:\n  - sku: the Basic public IP SKU was retired on 30 September 2025 and can no longer be created (got "Basic"; allowed: "Standard")',
    });
  });
});
