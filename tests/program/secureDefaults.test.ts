/**
 * Issue #12, "Defaults that should change", in the shipped stacks: the AKS network policy engine, tier, node
 * resource group, run command and image cleaner; the registry's zone redundancy and export policy; the storage
 * accounts' copy scope. The rules themselves are encoded, with their sources, in tests/validation.
 */
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.ts";
import { ofType, planShipped, planVariant } from "../support/offline.ts";

const CLUSTER = "azure-native:containerservice:ManagedCluster";
const REGISTRY = "azure-native:containerregistry:Registry";
const ACCOUNT = "azure-native:storage:StorageAccount";

/** The settings of every cluster of a plan that issue #12 changed, by Pulumi name. */
async function clusters(stack: string) {
  const run = await planShipped(stack);
  return Object.fromEntries(
    ofType(run, CLUSTER).map((c) => {
      const network = c.inputs["networkProfile"] as Record<string, unknown>;
      const api = c.inputs["apiServerAccessProfile"] as Record<string, unknown>;
      const security = c.inputs["securityProfile"] as Record<string, unknown>;
      return [
        c.name,
        {
          tier: (c.inputs["sku"] as Record<string, unknown>)["tier"],
          policy: [network["networkPolicy"], network["networkDataplane"], network["networkPluginMode"]],
          nodeResourceGroup: c.inputs["nodeResourceGroup"],
          private: api["enablePrivateCluster"],
          disableRunCommand: api["disableRunCommand"],
          imageCleaner: security["imageCleaner"],
        },
      ];
    }),
  );
}

const cleaner = { enabled: true, intervalHours: 168 };
const cilium = ["cilium", "cilium", "overlay"];

describe("secure defaults in the shipped stacks", () => {
  it("dev: a Free-tier Cilium cluster without run command", async () => {
    expect(await clusters("dev")).toEqual({
      "dev-aks": {
        tier: "Free",
        policy: cilium,
        nodeResourceGroup: "rg-azlab-dev-aks-nodes",
        private: false,
        disableRunCommand: true,
        imageCleaner: cleaner,
      },
    });
  });

  it("prod: the Standard tier, and no run command: its deployer runs inside the VNet", async () => {
    expect(await clusters("prod")).toEqual({
      "prod-aks": {
        tier: "Standard",
        policy: cilium,
        nodeResourceGroup: "rg-azlab-prod-aks-nodes",
        private: true,
        disableRunCommand: true,
        imageCleaner: cleaner,
      },
    });
  });

  it("a private cluster whose deployer is outside the VNet keeps run command, its documented way in", async () => {
    const run = await planVariant("prod", (config) => {
      const aks = config["azlab:aks"] as Record<string, unknown>;
      aks["deployerInVnet"] = false;
      for (const key of ["namespaces", "storageClass", "sampleWorkloadEnabled"]) delete aks[key];
    });
    const [cluster] = ofType(run, CLUSTER);
    expect(cluster?.inputs["apiServerAccessProfile"]).toMatchObject({
      enablePrivateCluster: true,
      disableRunCommand: false,
    });
  });

  it("class-demo: the cheapest secure shape stays the class default", async () => {
    const hub = (await clusters("class-demo"))["hub-aks"];
    expect(hub).toMatchObject({
      tier: "Free",
      policy: cilium,
      disableRunCommand: true,
      imageCleaner: cleaner,
    });
  });

  it("registries: no zoneRedundancy below Premium; prod's public Premium registry keeps exports", async () => {
    for (const stack of ["dev", "class-demo"]) {
      const [registry] = ofType(await planShipped(stack), REGISTRY);
      expect(registry?.inputs["sku"]).toEqual({ name: "Basic" });
      expect(registry?.inputs).not.toHaveProperty("zoneRedundancy");
      expect(registry?.inputs).not.toHaveProperty("policies");
    }
    const [prod] = ofType(await planShipped("prod"), REGISTRY);
    expect(prod?.inputs["zoneRedundancy"]).toBe("Enabled");
    expect((prod?.inputs["policies"] as Record<string, unknown>)["exportPolicy"]).toEqual({
      status: "enabled",
    });
  });

  it("storage: copies within the tenant in dev and class, over private links in closed prod", async () => {
    const scopes = async (stack: string) =>
      ofType(await planShipped(stack), ACCOUNT).map((a) => [
        a.inputs["publicNetworkAccess"],
        a.inputs["allowedCopyScope"],
      ]);
    expect(await scopes("dev")).toEqual([["Enabled", "AAD"]]);
    expect(await scopes("prod")).toEqual([["Disabled", "PrivateLink"]]);
    expect(new Set((await scopes("class-demo")).map(([, scope]) => scope))).toEqual(new Set(["AAD"]));
  });

  it("reports a bad override at the key the user wrote", async () => {
    let error: unknown;
    try {
      await planVariant("dev", (config) => {
        const aks = config["azlab:aks"] as Record<string, unknown>;
        aks["imageCleanerIntervalHours"] = 12;
        const registry = config["azlab:registry"] as Record<string, unknown>;
        registry["exportsEnabled"] = false;
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message;
    expect(message).toContain("azlab:aks.imageCleanerIntervalHours: is out of range (got 12;");
    expect(message).toContain(
      "azlab:registry.exportsEnabled: needs the Premium SKU (export policy), but sku is Basic",
    );
  });
});
