import { describe, expect, it } from "vitest";
import { StorageAccount } from "../../components/storage/storageAccount.ts";
import { UserError } from "../../src/errors.ts";
import { countByType, problemsOf, registeredBeforeError, resource, run, urnName } from "./helpersServices.ts";

const ACCOUNT = "azure-native:storage:StorageAccount";

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
      "azure-native:storage:BlobServiceProperties": 1,
      "azure-native:storage:FileServiceProperties": 1,
      "azure-native:storage:BlobContainer": 1,
      "azure-native:storage:FileShare": 1,
    });
    const account = resource(result, ACCOUNT, "data-account");
    expect(account.parent).toBe("urn:pulumi:dev::azlab::azlab:storage:StorageAccount::data");
    expect(account.inputs).toEqual({
      accountName: "st65b2ca40",
      resourceGroupName: "rg",
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
      accessTier: "Hot",
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: "TLS1_2",
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      allowCrossTenantReplication: false,
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
    expect(
      resource(result, "azure-native:storage:BlobServiceProperties", "data-blob-service").inputs,
    ).toEqual({
      resourceGroupName: "rg",
      accountName: "st65b2ca40",
      blobServicesName: "default",
      deleteRetentionPolicy: { enabled: true, days: 7 },
      containerDeleteRetentionPolicy: { enabled: true, days: 7 },
    });
    expect(
      resource(result, "azure-native:storage:FileServiceProperties", "data-file-service").inputs,
    ).toEqual({
      resourceGroupName: "rg",
      accountName: "st65b2ca40",
      fileServicesName: "default",
      shareDeleteRetentionPolicy: { enabled: true, days: 7 },
    });
    const container = resource(result, "azure-native:storage:BlobContainer", "data-logs");
    expect(container.inputs).toEqual({
      resourceGroupName: "rg",
      accountName: "st65b2ca40",
      containerName: "logs",
      publicAccess: "None",
      metadata: {},
    });
    expect(container.dependencies.map(urnName).sort()).toEqual(["data-account", "data-blob-service"]);
    const share = resource(result, "azure-native:storage:FileShare", "data-home");
    expect(share.inputs).toEqual({
      resourceGroupName: "rg",
      accountName: "st65b2ca40",
      shareName: "home",
      shareQuota: 100,
      enabledProtocols: "SMB",
      accessTier: "TransactionOptimized",
    });
    expect(share.dependencies.map(urnName).sort()).toEqual(["data-account", "data-file-service"]);
    expect(result.outputs).toEqual({
      accountName: "st65b2ca40",
      endpoint: "https://st65b2ca40.blob.core.windows.net/",
      shares: ["home"],
      id: "data-account-id",
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
    const account = resource(result, ACCOUNT, "files-account");
    expect(account.inputs["accountName"]).toBe("labfiles01");
    expect(account.inputs["sku"]).toEqual({ name: "Standard_GRS" });
    expect(account.inputs["allowSharedKeyAccess"]).toBe(true);
    expect(account.inputs["publicNetworkAccess"]).toBe("Disabled");
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
      resource(result, "azure-native:storage:BlobServiceProperties", "files-blob-service").inputs[
        "deleteRetentionPolicy"
      ],
    ).toEqual({ enabled: true, days: 30 });
  });

  it("refuses a bad account name", async () => {
    expect(
      await problemsOf(
        () => new StorageAccount("data", { resourceGroupName: "rg", accountName: "Lab_Data" }),
      ),
    ).toEqual([
      'data.accountName: is not a valid storage account name (got "Lab_Data"; allowed: 3 to 24 lowercase letters and digits)',
    ]);
  });

  it("refuses a prefix that leaves no name", async () => {
    expect(
      await problemsOf(() => new StorageAccount("data", { resourceGroupName: "rg", namePrefix: "--" })),
    ).toEqual([
      'data.namePrefix: leaves no letters or digits to build a storage account name from (got "--"; allowed: a prefix with at least one letter or digit)',
    ]);
  });

  it("requires consumers for shared keys and reports every problem at once", async () => {
    const problems = await problemsOf(
      () =>
        new StorageAccount("data", {
          resourceGroupName: "rg",
          configPath: "azlab:storage",
          sharedKeyAccessEnabled: true,
          softDeleteRetentionDays: 0,
          shares: { Home: { quotaGiB: 6000, protocol: "NFS" } },
          lifecycle: { coolAfterDays: 90, archiveAfterDays: 30, deleteAfterDays: 365 },
        }),
    );
    expect(problems).toEqual([
      'azlab:storage.sharedKeyConsumers: must name who needs shared keys when sharedKeyAccessEnabled is true (allowed: a non-empty list such as ["aks-azurefile-csi"])',
      "azlab:storage.softDeleteRetentionDays: is out of range (got 0; allowed: an integer from 1 to 365)",
      'azlab:storage.shares.Home: is not a valid file share name (got "Home"; allowed: 3 to 63 lowercase letters, digits and single dashes, starting and ending with a letter or digit)',
      "azlab:storage.shares.Home.quotaGiB: is out of range (got 6000; allowed: an integer from 1 to 5120)",
      'azlab:storage.shares.Home.protocol: is not available: NFS shares need a Premium FileStorage account and this component creates StorageV2 accounts (got "NFS"; allowed: "SMB")',
      'azlab:storage.lifecycle: must move blobs to Cool, then Archive, then delete them: coolAfterDays < archiveAfterDays < deleteAfterDays (got {"coolAfterDays":90,"archiveAfterDays":30,"deleteAfterDays":365})',
    ]);
  });

  it("refuses archive tiering on zone-redundant accounts and consumers without shared keys", async () => {
    expect(
      await problemsOf(
        () =>
          new StorageAccount("data", {
            resourceGroupName: "rg",
            sku: "Standard_ZRS",
            sharedKeyConsumers: ["x"],
            lifecycle: { coolAfterDays: 1, archiveAfterDays: 2, deleteAfterDays: 3 },
          }),
      ),
    ).toEqual([
      'data.sharedKeyConsumers: is set but sharedKeyAccessEnabled is false; enable shared keys or remove the list (got ["x"])',
      "data.lifecycle.archiveAfterDays: needs the archive tier, which Standard_ZRS accounts do not have (got 2; allowed: sku Standard_LRS, Standard_GRS, Standard_RAGRS)",
    ]);
  });

  it("registers nothing, not even the component, when the input is invalid", async () => {
    const { types, error } = await registeredBeforeError(
      () => new StorageAccount("data", { resourceGroupName: "rg", accountName: "x" }),
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message.split("\n")[0]).toBe('Invalid StorageAccount "data":');
    expect(types).toEqual(["pulumi:pulumi:Stack"]);
  });
});
