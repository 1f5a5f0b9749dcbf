import { describe, expect, it } from "vitest";
import { vmssTrustedLaunchUnknownSize } from "../../src/policy/computeRules.ts";
import type { PolicyContext } from "../../src/policy/rules.ts";

const CONTEXT: PolicyContext = {
  environment: "dev",
  stack: "dev",
  asOf: new Date("2026-11-26T10:00:00Z"),
  requiredTags: [],
  overrides: {},
};

function scaleSet(size: string, securityType?: string) {
  return {
    type: "azure-native:compute:VirtualMachineScaleSet",
    name: "web-vmss",
    props: {
      sku: { name: size, capacity: 1 },
      virtualMachineProfile: securityType ? { securityProfile: { securityType } } : {},
    },
  };
}

// The size lists are those of "Trusted Launch for Azure virtual machines" kept in
// src/validation/scaleSet/defaults.ts; Standard_NC6s_v3 is in neither.
describe("AZL-VMSS-005 Trusted Launch on a size in neither list", () => {
  it("reports an unlisted size with Trusted Launch on", () => {
    expect(
      vmssTrustedLaunchUnknownSize.check(scaleSet("Standard_NC6s_v3", "TrustedLaunch"), CONTEXT),
    ).toEqual([
      {
        message:
          "Trusted Launch is on for Standard_NC6s_v3, a size in neither Trusted Launch size list azlab knows; Azure may reject the create",
        fix: "Check the size on learn.microsoft.com/azure/virtual-machines/trusted-launch, or use a listed size such as Standard_B2s or Standard_D2s_v5 (azlab:scaleSet.sku), or set azlab:scaleSet.trustedLaunch: false",
      },
    ]);
    expect(vmssTrustedLaunchUnknownSize.severity).toBe("info");
  });

  it("stays quiet on a listed size, with Trusted Launch off, or on a secret profile", () => {
    const quiet = [
      scaleSet("Standard_B2s", "TrustedLaunch"),
      scaleSet("Standard_D2s_v5", "TrustedLaunch"),
      scaleSet("Standard_NC6s_v3"),
      {
        ...scaleSet("Standard_NC6s_v3"),
        props: { sku: { name: "Standard_NC6s_v3" }, virtualMachineProfile: "[secret]" },
      },
    ];
    expect(quiet.map((r) => vmssTrustedLaunchUnknownSize.check(r, CONTEXT))).toEqual([[], [], [], []]);
  });
});
