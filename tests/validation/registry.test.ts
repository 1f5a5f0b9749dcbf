import { describe, expect, it } from "vitest";
import { formatProblem, type Problem } from "../../src/errors.ts";
import { normalizeRegistry } from "../../src/validation/registry.ts";

const lines = (result: { problems: readonly Problem[] }) => result.problems.map((p) => formatProblem(p));

describe("normalizeRegistry", () => {
  it("fills every default and derives a global name after `cr`", () => {
    expect(normalizeRegistry({}, "registry", "seed")).toEqual({
      value: {
        registryName: "crregistry19b25856",
        sku: "Basic",
        publicNetworkAccessEnabled: true,
        quarantineEnabled: false,
        dataEndpointEnabled: false,
        exportsEnabled: true,
      },
      problems: [],
    });
    expect(
      normalizeRegistry({ nameParts: ["azlab", "class-demo"], nameSeed: "seed" }, "registry", "other").value
        ?.registryName,
    ).toBe("crazlabclassdemo19b25856");
  });

  it("checks retention on Premium", () => {
    expect(lines(normalizeRegistry({ sku: "Premium", retentionDays: 400 }, "registry", "seed"))).toEqual([
      "retentionDays: is out of range (got 400; allowed: an integer from 0 to 365)",
    ]);
  });

  it("refuses Premium features on Basic, each with its own message", () => {
    const result = normalizeRegistry(
      {
        retentionDays: 7,
        quarantineEnabled: true,
        zoneRedundancyEnabled: true,
        dataEndpointEnabled: true,
        publicNetworkAccessEnabled: false,
      },
      "registry",
      "seed",
    );
    expect(lines(result)).toEqual([
      'retentionDays: needs the Premium SKU (retention policy), but sku is Basic (got 7; allowed: sku "Premium", or leave retentionDays unset)',
      'quarantineEnabled: needs the Premium SKU (quarantine policy), but sku is Basic (got true; allowed: sku "Premium", or leave quarantineEnabled unset)',
      'zoneRedundancyEnabled: can only be set on the Premium SKU, but sku is Basic; Azure already makes Basic registries zone-redundant in regions with availability zones (got true; allowed: sku "Premium", or leave zoneRedundancyEnabled unset)',
      'dataEndpointEnabled: needs the Premium SKU (dedicated data endpoints), but sku is Basic (got true; allowed: sku "Premium", or leave dataEndpointEnabled unset)',
      'publicNetworkAccessEnabled: needs the Premium SKU (private endpoints; without them a closed registry is unreachable), but sku is Basic (got false; allowed: sku "Premium", or leave publicNetworkAccessEnabled unset)',
    ]);
  });

  describe("zone redundancy and the export policy", () => {
    // Every tier is zone-redundant by default in regions with zones, so only Premium may set the property:
    // "Enable zone redundancy in Azure Container Registry" (container-registry/zone-redundancy.md).
    it("refuses zoneRedundancyEnabled below Premium, even false, and keeps Azure's default when unset", () => {
      expect(
        lines(normalizeRegistry({ sku: "Standard", zoneRedundancyEnabled: false }, "r", "seed")),
      ).toEqual([
        'zoneRedundancyEnabled: can only be set on the Premium SKU, but sku is Standard; Azure already makes Standard registries zone-redundant in regions with availability zones (got false; allowed: sku "Premium", or leave zoneRedundancyEnabled unset)',
      ]);
      expect(normalizeRegistry({ sku: "Premium" }, "r", "seed").value?.zoneRedundancyEnabled).toBeUndefined();
      expect(
        normalizeRegistry({ sku: "Premium", zoneRedundancyEnabled: false }, "r", "seed").value
          ?.zoneRedundancyEnabled,
      ).toBe(false);
    });

    // Exports can be disabled only on a Premium registry whose public network access is off: "Disable export of
    // artifacts from an Azure container registry" (container-registry/data-loss-prevention.md) and the built-in
    // Azure Policy "Container registries should have exports disabled" (ACR_ExportPolicy_AuditDeny.json).
    it("turns exports off by default exactly where Azure allows it", () => {
      const exports = (options: Parameters<typeof normalizeRegistry>[0]) =>
        normalizeRegistry(options, "r", "seed").value?.exportsEnabled;
      expect(exports({ sku: "Premium", publicNetworkAccessEnabled: false })).toBe(false);
      expect(exports({ sku: "Premium" })).toBe(true);
      expect(exports({ sku: "Basic" })).toBe(true);
      expect(exports({ sku: "Premium", publicNetworkAccessEnabled: false, exportsEnabled: true })).toBe(true);
    });

    it("refuses exportsEnabled: false on a public or non-Premium registry", () => {
      expect(lines(normalizeRegistry({ sku: "Premium", exportsEnabled: false }, "r", "seed"))).toEqual([
        'exportsEnabled: can only be false when publicNetworkAccessEnabled is false: Azure refuses to disable exports on a public registry (got false; allowed: sku "Premium" with publicNetworkAccessEnabled: false, or leave exportsEnabled unset)',
      ]);
      expect(lines(normalizeRegistry({ sku: "Standard", exportsEnabled: false }, "r", "seed"))).toEqual([
        'exportsEnabled: needs the Premium SKU (export policy), but sku is Standard (got false; allowed: sku "Premium" with publicNetworkAccessEnabled: false, or leave exportsEnabled unset)',
      ]);
    });
  });

  it("refuses a bad registry name and a bad consumer key", () => {
    // Registry names: 5-50 alphanumerics, globally unique (Azure resource name rules, Microsoft.ContainerRegistry).
    expect(lines(normalizeRegistry({ registryName: "ab-c" }, "registry", "seed", ["-bad"]))).toEqual([
      'registryName: is not a valid containerRegistry name (got "ab-c"; allowed: 5 to 50 characters: lowercase letters and digits)',
      'pullers.-bad: is not a valid consumer name (got "-bad"; allowed: letters, digits, ".", "_" and "-", starting with a letter or digit, at most 63 characters)',
    ]);
  });
});
