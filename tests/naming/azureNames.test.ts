import { describe, expect, it } from "vitest";
import type { AZURE_NAME_RULES } from "../../src/naming/azureNames.ts";
import { azureName, checkAzureName, globalAzureName, logicalName } from "../../src/naming/azureNames.ts";
import { shortHash } from "../../src/naming/globalNames.ts";

describe("azureName", () => {
  it("joins the CAF abbreviation and the parts with hyphens", () => {
    expect(azureName("virtualNetwork", ["azlab", "dev"])).toBe("vnet-azlab-dev");
    expect(azureName("networkSecurityGroup", ["lab", "class-demo", "alice"])).toBe(
      "nsg-lab-class-demo-alice",
    );
    expect(azureName("resourceGroup", ["azlab", "prod"])).toBe("rg-azlab-prod");
  });

  it("turns characters a type refuses into single hyphens and drops empty parts", () => {
    expect(azureName("loadBalancer", ["Lab 101", "", "a__b"])).toBe("lbe-Lab-101-a-b");
  });

  it("cuts a name over the type's limit and ends it in a hash of the full name", () => {
    const parts = ["p".repeat(40), "s".repeat(40)];
    const full = `aks-${parts.join("-")}`;
    const name = azureName("managedCluster", parts);
    expect(name).toBe(`aks-${"p".repeat(40)}-${"s".repeat(9)}-${shortHash(full)}`);
    expect(name).toHaveLength(63);
    expect(checkAzureName("managedCluster", name, "x")).toEqual([]);
  });
});

describe("globalAzureName", () => {
  it("squeezes the parts to lowercase letters and digits and appends a hash of the seed", () => {
    expect(globalAzureName("storageAccount", ["Lab-Cloud", "class-demo", "alice"], "seed")).toBe(
      `stlabcloudclassd${shortHash("seed")}`,
    );
    expect(globalAzureName("containerRegistry", ["azlab", "dev"], "seed")).toBe(
      `crazlabdev${shortHash("seed")}`,
    );
  });
});

describe("checkAzureName", () => {
  it("refuses a storage account name over 24 characters, naming the rule", () => {
    expect(checkAzureName("storageAccount", "a".repeat(25), "accountName")).toEqual([
      {
        path: "accountName",
        message: "is not a valid storageAccount name",
        value: "a".repeat(25),
        allowed: "3 to 24 characters: lowercase letters and digits",
      },
    ]);
  });

  it("refuses what Azure's naming rules refuse, per type", () => {
    const refused = (kind: keyof typeof AZURE_NAME_RULES, name: string) =>
      checkAzureName(kind, name, "p").length === 1;
    expect(refused("virtualNetwork", "vnet-")).toBe(true);
    expect(refused("virtualNetwork", "vnet_")).toBe(false);
    expect(refused("virtualMachineScaleSet", "vmss_web")).toBe(true);
    expect(refused("virtualMachineScaleSet", "vmss-web")).toBe(false);
    expect(refused("autoscaleSetting", "as-web.")).toBe(true);
    expect(refused("autoscaleSetting", "as+web")).toBe(true);
    expect(refused("autoscaleSetting", "as\u0001web")).toBe(true);
    expect(refused("autoscaleSetting", "as web")).toBe(false);
    expect(refused("resourceGroup", "rg.")).toBe(true);
    expect(refused("containerRegistry", "CrAzlab")).toBe(true);
  });
});

describe("logicalName", () => {
  it("gives the main child the component's name and other children a role suffix", () => {
    expect(logicalName("alice-nsg")).toBe("alice-nsg");
    expect(logicalName("alice-net", "natgw")).toBe("alice-net-natgw");
  });
});
