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
        zoneRedundancyEnabled: false,
        dataEndpointEnabled: false,
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
      'zoneRedundancyEnabled: needs the Premium SKU (zone redundancy), but sku is Basic (got true; allowed: sku "Premium", or leave zoneRedundancyEnabled unset)',
      'dataEndpointEnabled: needs the Premium SKU (dedicated data endpoints), but sku is Basic (got true; allowed: sku "Premium", or leave dataEndpointEnabled unset)',
      'publicNetworkAccessEnabled: needs the Premium SKU (private endpoints; without them a closed registry is unreachable), but sku is Basic (got false; allowed: sku "Premium", or leave publicNetworkAccessEnabled unset)',
    ]);
  });

  it("refuses a bad registry name and a bad consumer key", () => {
    // Registry names: 5-50 alphanumerics, globally unique (Azure resource name rules, Microsoft.ContainerRegistry).
    expect(lines(normalizeRegistry({ registryName: "ab-c" }, "registry", "seed", ["-bad"]))).toEqual([
      'registryName: is not a valid containerRegistry name (got "ab-c"; allowed: 5 to 50 characters: lowercase letters and digits)',
      'pullers.-bad: is not a valid consumer name (got "-bad"; allowed: letters, digits, ".", "_" and "-", starting with a letter or digit, at most 63 characters)',
    ]);
  });
});
