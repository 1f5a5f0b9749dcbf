import { describe, expect, it } from "vitest";
import {
  checkRegistryName,
  checkStorageAccountName,
  deriveRegistryName,
  deriveStorageAccountName,
  DNS_LABEL_SCOPE,
  shortHash,
  stableGuid,
  subscriptionSalted,
} from "../../src/naming/globalNames.ts";
import { checkAzureName, globalAzureName } from "../../src/naming/azureNames.ts";

describe("deriveStorageAccountName", () => {
  it("lowercases, strips invalid characters and appends a hash of the seed", () => {
    expect(deriveStorageAccountName("st", "azlab/dev/data")).toEqual({ name: "st65b2ca40" });
    expect(deriveStorageAccountName("St-Lab_1", "azlab/dev/data")).toEqual({ name: "stlab165b2ca40" });
  });

  it("cuts the prefix so the name is at most 24 characters", () => {
    const derived = deriveStorageAccountName("Lab-Storage_Account-With-A-Long-Name", "seed");
    expect(derived).toEqual({ name: "labstorageaccoun19b25856" });
    expect(derived.name).toHaveLength(24);
  });

  it("gives different names for different seeds", () => {
    expect(deriveStorageAccountName("st", "azlab/prod/data").name).not.toBe("st65b2ca40");
  });

  it("returns a problem when nothing of the prefix is left", () => {
    expect(deriveStorageAccountName("--__", "seed", "lab.namePrefix")).toEqual({
      problem: {
        path: "lab.namePrefix",
        message: "leaves no letters or digits to build a storage account name from",
        value: "--__",
        allowed: "a prefix with at least one letter or digit",
      },
    });
  });
});

describe("deriveRegistryName", () => {
  it("keeps up to 50 characters", () => {
    expect(deriveRegistryName("acr", "azlab/dev/acr")).toEqual({ name: "acrd97476e0" });
    expect(deriveRegistryName("a".repeat(60), "s").name).toHaveLength(50);
  });
});

describe("name checks", () => {
  it("accepts valid and refuses invalid storage account names", () => {
    expect(checkStorageAccountName("labdata01", "p")).toEqual([]);
    expect(checkStorageAccountName("Lab-Data", "p")).toEqual([
      {
        path: "p",
        message: "is not a valid storage account name",
        value: "Lab-Data",
        allowed: "3 to 24 lowercase letters and digits",
      },
    ]);
    expect(checkStorageAccountName("ab", "p")).toHaveLength(1);
    expect(checkStorageAccountName("a".repeat(25), "p")).toHaveLength(1);
  });

  it("accepts valid and refuses invalid registry names", () => {
    expect(checkRegistryName("LabRegistry1", "p")).toEqual([]);
    expect(checkRegistryName("acr", "p")).toEqual([
      {
        path: "p",
        message: "is not a valid container registry name",
        value: "acr",
        allowed: "5 to 50 letters and digits",
      },
    ]);
    expect(checkRegistryName("lab-registry", "p")).toHaveLength(1);
  });
});

describe("stableGuid", () => {
  it("is a deterministic RFC 4122 shaped GUID", () => {
    expect(stableGuid("x")).toBe("2d711642-b726-5044-8162-7ca9fbac32f5");
    expect(stableGuid("x")).toBe(stableGuid("x"));
    expect(stableGuid("y")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableGuid("y")).not.toBe(stableGuid("x"));
  });

  it("shortHash is 8 lowercase hex characters", () => {
    expect(shortHash("azlab/dev/data")).toBe("65b2ca40");
  });
});

// Storage account and registry names are global across Azure ("Naming rules and restrictions for Azure
// resources", learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules), so the
// seed carries the deploying subscription: two adopters of one shipped stack must not collide.
describe("subscription-salted global names", () => {
  const A = "11111111-2222-3333-4444-555555555555";
  const B = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
  const OFFLINE = "00000000-0000-0000-0000-000000000000";
  const storage = (sub: string) =>
    globalAzureName("storageAccount", ["lab", "class", "demo"], subscriptionSalted(sub, "class-demo/class"));
  const registry = (sub: string) =>
    globalAzureName("containerRegistry", ["labcloud101"], subscriptionSalted(sub, "class-demo/registry"));

  it("gives two subscriptions different names and one subscription always the same", () => {
    expect(storage(A)).not.toBe(storage(B));
    expect(registry(A)).not.toBe(registry(B));
    expect(storage(A)).toBe(storage(A));
    // Subscription ids are GUIDs; their case does not make a new name.
    expect(storage(A.toUpperCase())).toBe(storage(A));
  });

  it("keeps the offline placeholder's names stable and valid", () => {
    expect(subscriptionSalted(OFFLINE, "dev/dev")).toBe("00000000-0000-0000-0000-000000000000/dev/dev");
    expect(storage(OFFLINE)).toBe("stlabclassdemo8cdeda99");
    expect(registry(OFFLINE)).toBe("crlabcloud101188681e8");
    for (const sub of [A, B, OFFLINE]) {
      expect(checkAzureName("storageAccount", storage(sub), "accountName")).toEqual([]);
      expect(checkAzureName("containerRegistry", registry(sub), "registryName")).toEqual([]);
    }
  });

  it("scopes DNS labels per resource group, so the FQDN carries a hash Azure derives", () => {
    expect(DNS_LABEL_SCOPE).toBe("ResourceGroupReuse");
  });
});
