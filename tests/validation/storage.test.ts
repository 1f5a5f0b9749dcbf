import { describe, expect, it } from "vitest";
import { formatProblem, type Problem } from "../../src/errors.ts";
import { normalizeStorageAccount } from "../../src/validation/storage.ts";

const lines = (result: { problems: readonly Problem[] }) => result.problems.map((p) => formatProblem(p));

describe("normalizeStorageAccount", () => {
  it("fills every default and derives a global name from the component name and the seed", () => {
    expect(normalizeStorageAccount({}, "data", "seed")).toEqual({
      value: {
        accountName: "stdata19b25856",
        kind: "StorageV2",
        accessTier: "Hot",
        sku: "Standard_LRS",
        publicNetworkAccessEnabled: true,
        sharedKeyAccessEnabled: false,
        sharedKeyConsumers: [],
        infrastructureEncryptionEnabled: true,
        allowedCopyScope: "AAD",
        softDeleteRetentionDays: 7,
        containers: {},
        shares: {},
        queues: {},
        tables: [],
      },
      problems: [],
    });
  });

  // allowedCopyScope limits the accounts a copy may read from or write to: "AAD" to the same Entra tenant,
  // "PrivateLink" to accounts reached through private links in the same VNet ("Permitted scope for copy
  // operations", storage/common/security-restrict-copy-operations.md; Microsoft.Storage AllowedCopyScope enum).
  it("limits copies to the tenant when public, to private links when closed, and lets the user choose", () => {
    const scope = (options: Parameters<typeof normalizeStorageAccount>[0]) =>
      normalizeStorageAccount(options, "data", "seed").value?.allowedCopyScope;
    expect(scope({})).toBe("AAD");
    expect(scope({ publicNetworkAccessEnabled: false })).toBe("PrivateLink");
    expect(scope({ allowedCopyScope: "Any" })).toBe("Any");
    expect(scope({ publicNetworkAccessEnabled: false, allowedCopyScope: "AAD" })).toBe("AAD");
    expect(
      lines(normalizeStorageAccount({ allowedCopyScope: "Tenant" as unknown as "AAD" }, "data", "seed")),
    ).toEqual(['allowedCopyScope: is not a copy scope (got "Tenant"; allowed: AAD, PrivateLink, Any)']);
  });

  it("squeezes the name parts after `st`, uses nameSeed over the default seed, and keeps 24 characters", () => {
    const named = (parts: string[]) =>
      normalizeStorageAccount({ nameParts: parts, nameSeed: "seed" }, "data", "other").value?.accountName;
    expect(named(["azlab", "class-demo", "alice"])).toBe("stazlabclassdemo19b25856");
    expect(named(["lab"])).toBe("stlab19b25856");
  });

  it("checks an explicit account name with Azure's rules and refuses name parts without letters", () => {
    // Storage account names: 3-24 lowercase letters and digits (Azure resource name rules, Microsoft.Storage).
    expect(lines(normalizeStorageAccount({ accountName: "Lab_Data" }, "data", "s"))).toEqual([
      'accountName: is not a valid storageAccount name (got "Lab_Data"; allowed: 3 to 24 characters: lowercase letters and digits)',
    ]);
    expect(normalizeStorageAccount({ accountName: "labdata01" }, "data", "s").value?.accountName).toBe(
      "labdata01",
    );
    expect(lines(normalizeStorageAccount({ nameParts: ["--"] }, "data", "s"))).toEqual([
      'nameParts[0]: has no letter or digit to put in an Azure name (got "--"; allowed: text with at least one letter or digit)',
    ]);
  });

  it("requires consumers for shared keys and reports every problem at once, at the option's own path", () => {
    const result = normalizeStorageAccount(
      {
        sharedKeyAccessEnabled: true,
        softDeleteRetentionDays: 0,
        shares: { Home: { quotaGiB: 6000, protocol: "NFS" } },
        lifecycle: { coolAfterDays: 90, archiveAfterDays: 30, deleteAfterDays: 365 },
      },
      "data",
      "s",
    );
    expect(lines(result)).toEqual([
      'sharedKeyConsumers: must name who needs shared keys when sharedKeyAccessEnabled is true (allowed: a non-empty list such as ["aks-azurefile-csi"])',
      "softDeleteRetentionDays: is out of range (got 0; allowed: an integer from 1 to 365)",
      'shares.Home: is not a valid file share name (got "Home"; allowed: 3 to 63 lowercase letters, digits and single dashes, starting and ending with a letter or digit)',
      "shares.Home.quotaGiB: is out of range (got 6000; allowed: an integer from 1 to 5120)",
      'shares.Home.protocol: needs a premium FileStorage account: set kind "FileStorage" and sku Premium_LRS or Premium_ZRS (got "NFS"; allowed: "SMB" on a StorageV2 account)',
      'lifecycle: must move blobs to Cool, then Archive, then delete them: coolAfterDays < archiveAfterDays < deleteAfterDays (got {"coolAfterDays":90,"archiveAfterDays":30,"deleteAfterDays":365})',
    ]);
  });

  it("refuses archive tiering on zone-redundant accounts and consumers without shared keys", () => {
    // The archive tier exists only for LRS, GRS and RA-GRS accounts ("Access tiers for blob data").
    const result = normalizeStorageAccount(
      {
        sku: "Standard_ZRS",
        sharedKeyConsumers: ["x"],
        lifecycle: { coolAfterDays: 1, archiveAfterDays: 2, deleteAfterDays: 3 },
      },
      "data",
      "s",
    );
    expect(lines(result)).toEqual([
      'sharedKeyConsumers: is set but sharedKeyAccessEnabled is false; enable shared keys or remove the list (got ["x"])',
      "lifecycle.archiveAfterDays: needs the archive tier, which Standard_ZRS accounts do not have (got 2; allowed: sku Standard_LRS, Standard_GRS, Standard_RAGRS)",
    ]);
  });
});
