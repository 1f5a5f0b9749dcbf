/**
 * Trusted Launch in the ScaleSet validator. The size table and the generation 2 requirement come from
 * "Trusted Launch for Azure virtual machines" (learn.microsoft.com/azure/virtual-machines/trusted-launch,
 * "Virtual machines sizes"); docs/never-deployed.md lists the `az` commands that settle them per region.
 */
import { describe, expect, it } from "vitest";
import { formatProblem, type Problem } from "../../src/errors.ts";
import {
  imageGeneration,
  normalizeScaleSet,
  trustedLaunchSupport,
  UBUNTU_IMAGES,
  type ScaleSetOptions,
} from "../../src/validation/scaleSet/index.ts";

const lines = (result: { problems: readonly Problem[] }) => result.problems.map((p) => formatProblem(p));

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBxJPsvy5tgU7cH4TSo4Y258D0QybT9JUkO06q8ZtSx5 student@lab";
const base: ScaleSetOptions = { sshPublicKey: KEY };
const gen1 = {
  publisher: "Canonical",
  offer: "0001-com-ubuntu-server-jammy",
  sku: "22_04-lts",
  version: "latest",
};

describe("trustedLaunchSupport", () => {
  it("knows the sizes the shipped stacks use", () => {
    expect(trustedLaunchSupport("Standard_B1s")).toEqual({ supported: true, series: "B-series" });
    expect(trustedLaunchSupport("Standard_B2s")).toEqual({ supported: true, series: "B-series" });
    expect(trustedLaunchSupport("Standard_D2s_v5")).toEqual({
      supported: true,
      series: "Dv5, Dsv5, Ddv5, Ddsv5, Dasv5, Dadsv5, Dlsv5 and Dldsv5-series",
    });
    expect(trustedLaunchSupport("Standard_D4s_v5")?.supported).toBe(true);
  });

  it("tells the unsupported Dv2/Dv3 from the supported DSv2/Dsv3 of the same generation", () => {
    expect(trustedLaunchSupport("Standard_D2_v3")).toEqual({ supported: false, series: "Dv3-series" });
    expect(trustedLaunchSupport("Standard_D2s_v3")).toEqual({ supported: true, series: "Dsv3-series" });
    expect(trustedLaunchSupport("Standard_D11_v2")).toEqual({ supported: false, series: "Dv2-series" });
    expect(trustedLaunchSupport("Standard_DS11_v2")).toEqual({ supported: true, series: "Dsv2-series" });
    expect(trustedLaunchSupport("Standard_A2m_v2")).toEqual({ supported: false, series: "Av2-series" });
    expect(trustedLaunchSupport("Standard_M8-2ms")).toEqual({ supported: false, series: "M-series" });
  });

  it("says nothing about a size outside the table", () => {
    expect(trustedLaunchSupport("Standard_NC24ads_A100_v4")).toBeUndefined();
    expect(trustedLaunchSupport("Standard_B2pls_v2")).toBeUndefined();
  });
});

describe("imageGeneration", () => {
  it("knows the generation of the Ubuntu images azlab names, and of their Gen1 twins", () => {
    expect(imageGeneration(UBUNTU_IMAGES["ubuntu-22.04"])).toBe(2);
    expect(imageGeneration(UBUNTU_IMAGES["ubuntu-24.04"])).toBe(2);
    expect(imageGeneration(gen1)).toBe(1);
    expect(imageGeneration({ ...UBUNTU_IMAGES["ubuntu-24.04"], sku: "SERVER-GEN1" })).toBe(1);
    expect(
      imageGeneration({ publisher: "Debian", offer: "debian-12", sku: "12-gen2", version: "latest" }),
    ).toBe(undefined);
  });
});

describe("normalizeScaleSet Trusted Launch", () => {
  it("is on by default for a supported size on a generation 2 image", () => {
    expect(normalizeScaleSet({ ...base, sku: "Standard_D2s_v5" }, "web").value?.trustedLaunch).toBe(true);
    expect(normalizeScaleSet({ ...base, image: "ubuntu-24.04" }, "web").value?.trustedLaunch).toBe(true);
  });

  it("stays off by default for an unsupported or unknown size, and for a Gen1 or unknown image", () => {
    const off = (options: Partial<ScaleSetOptions>) => {
      const result = normalizeScaleSet({ ...base, ...options }, "web");
      expect(result.problems).toEqual([]);
      return result.value?.trustedLaunch;
    };
    expect(off({ sku: "Standard_D2_v3" })).toBe(false);
    expect(off({ sku: "Standard_NC24ads_A100_v4" })).toBe(false);
    expect(off({ image: gen1, automaticOsUpgrade: false })).toBe(false);
    expect(
      off({ image: { publisher: "Debian", offer: "debian-12", sku: "12-gen2", version: "latest" } }),
    ).toBe(false);
  });

  it("lets a supported size opt out", () => {
    expect(normalizeScaleSet({ ...base, trustedLaunch: false }, "web").value?.trustedLaunch).toBe(false);
  });

  it("leaves an explicit true on an unknown size or image to Azure", () => {
    const result = normalizeScaleSet(
      { ...base, sku: "Standard_NC24ads_A100_v4", trustedLaunch: true },
      "web",
    );
    expect(result.value?.trustedLaunch).toBe(true);
  });

  it("refuses it on a size listed as unsupported and on a Gen1 image, both at once", () => {
    expect(
      lines(
        normalizeScaleSet(
          { ...base, sku: "Standard_M16ms", image: gen1, automaticOsUpgrade: false, trustedLaunch: true },
          "web",
        ),
      ),
    ).toEqual([
      "trustedLaunch: cannot be on for Standard_M16ms: Microsoft lists the M-series as not supporting Trusted Launch (got true; allowed: false, or a size that supports it such as Standard_B2s or Standard_D2s_v5)",
      "trustedLaunch: cannot be on for Canonical:0001-com-ubuntu-server-jammy:22_04-lts, a generation 1 image (got true; allowed: false, or a generation 2 image such as ubuntu-22.04 (22_04-lts-gen2))",
    ]);
  });
});
