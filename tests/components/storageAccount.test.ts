import { describe, expect, it } from "vitest";
import { ResourceType } from "../../src/azure/catalog.ts";
import { StorageAccount } from "../../components/storage/storageAccount.ts";
import { UserError } from "../../src/errors.ts";
import { countByType, registeredBeforeError, resource, run, urnName } from "../support/offline.ts";

const ACCOUNT = ResourceType.StorageAccount;

describe("StorageAccount", () => {
  it("sets every secure default explicitly", async () => {
    const result = await run(() => {
      const st = new StorageAccount("data", {
        resourceGroupName: "rg",
        containers: { logs: {} },
        shares: { home: { quotaGiB: 100 } },
      });
      return {
        accountName: st.accountName,
        endpoint: st.primaryBlobEndpoint,
        shares: st.fileShareNames,
        id: st.storageAccountId,
      };
    });
    expect(countByType(result)).toEqual({
      "azlab:storage:StorageAccount": 1,
      [ACCOUNT]: 1,
      [ResourceType.BlobServiceProperties]: 1,
      [ResourceType.FileServiceProperties]: 1,
      [ResourceType.BlobContainer]: 1,
      [ResourceType.FileShare]: 1,
    });
    const account = resource(result, ACCOUNT, "data");
    expect(account.parent).toBe("urn:pulumi:dev::azlab::azlab:storage:StorageAccount::data");
    expect(account.inputs).toEqual({
      accountName: "stdata6870fc69",
      resourceGroupName: "rg",
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
      accessTier: "Hot",
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: "TLS1_2",
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      allowCrossTenantReplication: false,
      // Copies only to and from accounts of the same Entra tenant ("Permitted scope for copy operations",
      // storage/common/security-restrict-copy-operations.md).
      allowedCopyScope: "AAD",
      defaultToOAuthAuthentication: true,
      isLocalUserEnabled: false,
      isSftpEnabled: false,
      publicNetworkAccess: "Enabled",
      encryption: {
        keySource: "Microsoft.Storage",
        requireInfrastructureEncryption: true,
        services: {
          blob: { enabled: true, keyType: "Account" },
          file: { enabled: true, keyType: "Account" },
        },
      },
    });
    expect(account.protect).toBe(false);
    expect(resource(result, ResourceType.BlobServiceProperties, "data-blob-service").inputs).toEqual({
      resourceGroupName: "rg",
      accountName: "stdata6870fc69",
      blobServicesName: "default",
      deleteRetentionPolicy: { enabled: true, days: 7 },
      containerDeleteRetentionPolicy: { enabled: true, days: 7 },
    });
    expect(resource(result, ResourceType.FileServiceProperties, "data-file-service").inputs).toEqual({
      resourceGroupName: "rg",
      accountName: "stdata6870fc69",
      fileServicesName: "default",
      shareDeleteRetentionPolicy: { enabled: true, days: 7 },
    });
    const container = resource(result, ResourceType.BlobContainer, "data-logs");
    expect(container.inputs).toEqual({
      resourceGroupName: "rg",
      accountName: "stdata6870fc69",
      containerName: "logs",
      publicAccess: "None",
      metadata: {},
    });
    expect(container.dependencies.map(urnName).sort()).toEqual(["data", "data-blob-service"]);
    const share = resource(result, ResourceType.FileShare, "data-home");
    expect(share.inputs).toEqual({
      resourceGroupName: "rg",
      accountName: "stdata6870fc69",
      shareName: "home",
      shareQuota: 100,
      enabledProtocols: "SMB",
      accessTier: "TransactionOptimized",
    });
    expect(share.dependencies.map(urnName).sort()).toEqual(["data", "data-file-service"]);
    expect(result.outputs).toEqual({
      accountName: "stdata6870fc69",
      endpoint: "https://stdata6870fc69.blob.core.windows.net/",
      shares: ["home"],
      id: "data-id",
    });
  });

  it("applies options: sku, shared keys with consumers, retention, lifecycle, protect", async () => {
    const result = await run(() => {
      new StorageAccount("files", {
        resourceGroupName: "rg",
        accountName: "labfiles01",
        sku: "Standard_GRS",
        publicNetworkAccessEnabled: false,
        sharedKeyAccessEnabled: true,
        sharedKeyConsumers: ["aks-azurefile-csi"],
        softDeleteRetentionDays: 30,
        tags: { env: "dev" },
        lifecycle: { coolAfterDays: 30, archiveAfterDays: 90, deleteAfterDays: 365 },
        statefulOptions: { protect: true, retainOnDelete: true },
      });
    });
    const account = resource(result, ACCOUNT, "files");
    expect(account.inputs["accountName"]).toBe("labfiles01");
    expect(account.inputs["sku"]).toEqual({ name: "Standard_GRS" });
    expect(account.inputs["allowSharedKeyAccess"]).toBe(true);
    expect(account.inputs["publicNetworkAccess"]).toBe("Disabled");
    // A closed account copies only over private links in its VNet (security-restrict-copy-operations.md).
    expect(account.inputs["allowedCopyScope"]).toBe("PrivateLink");
    expect(account.inputs["tags"]).toEqual({ env: "dev", "azlab-shared-key-consumers": "aks-azurefile-csi" });
    expect([account.protect, account.retainOnDelete]).toEqual([true, true]);
    const policy = resource(result, "azure-native:storage:ManagementPolicy", "files-lifecycle");
    expect([policy.protect, policy.retainOnDelete]).toEqual([false, false]);
    expect(policy.inputs).toEqual({
      resourceGroupName: "rg",
      accountName: "labfiles01",
      managementPolicyName: "default",
      policy: {
        rules: [
          {
            name: "azlab-block-blob-tiering",
            type: "Lifecycle",
            enabled: true,
            definition: {
              filters: { blobTypes: ["blockBlob"] },
              actions: {
                baseBlob: {
                  tierToCool: { daysAfterModificationGreaterThan: 30 },
                  tierToArchive: { daysAfterModificationGreaterThan: 90 },
                  delete: { daysAfterModificationGreaterThan: 365 },
                },
              },
            },
          },
        ],
      },
    });
    expect(
      resource(result, ResourceType.BlobServiceProperties, "files-blob-service").inputs[
        "deleteRetentionPolicy"
      ],
    ).toEqual({ enabled: true, days: 30 });
  });

  it('sends no copy scope for "Any", which is Azure\'s unlimited default', async () => {
    const result = await run(() => {
      new StorageAccount("files", {
        resourceGroupName: "rg",
        accountName: "labfiles01",
        allowedCopyScope: "Any",
      });
    });
    expect(resource(result, ACCOUNT, "files").inputs).not.toHaveProperty("allowedCopyScope");
  });

  it("registers nothing, not even the component, when the input is invalid", async () => {
    const { types, error } = await registeredBeforeError(
      () => new StorageAccount("data", { resourceGroupName: "rg", accountName: "x" }),
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      'StorageAccount "data" has invalid arguments:\n  - accountName: is not a valid storageAccount name (got "x"; allowed: 3 to 24 characters: lowercase letters and digits)',
    );
    expect(types).toEqual(["pulumi:pulumi:Stack"]);
  });
});
