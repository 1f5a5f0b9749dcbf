import { describe, expect, it } from "vitest";
import { DNS_LABEL_SCOPE, shortHash, stableGuid, subscriptionSalted } from "../../src/naming/globalNames.ts";
import { checkAzureName, globalAzureName } from "../../src/naming/azureNames.ts";

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
