/**
 * A StorageV2 account (or a premium FileStorage account for NFS shares) with secure defaults set
 * explicitly, private blob containers, SMB or NFS file shares, queues, tables, soft delete and an optional
 * block blob lifecycle rule. Everything is created through ARM (the management plane), which keeps working
 * with shared keys off, where data-plane creation fails with 403 (terraform-provider-azurerm #17341).
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization/index.js";
import * as storage from "@pulumi/azure-native/storage/index.js";
import { subscriptionSalted } from "../../src/naming/globalNames.ts";
import { statefulResourceOptions, type StatefulOptions } from "../shared/stateful.ts";
import { normalizeStorageAccount, type StorageAccountOptions } from "../../src/validation/storage.ts";
import { valueOrThrow } from "../shared/validated.ts";
import { logicalName } from "../../src/naming/azureNames.ts";

export interface StorageAccountArgs extends StorageAccountOptions {
  /** Resource group of the account. Required. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region. Defaults to the resource group's region. */
  readonly location?: pulumi.Input<string>;
  /** Tags on the account. Defaults to none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * `protect` / `retainOnDelete` for the storage account itself, so a stack can keep its data while
   * the containers, shares and policies stay freely replaceable. Defaults to inheriting from `opts`.
   */
  readonly statefulOptions?: StatefulOptions;
}

export class StorageAccount extends pulumi.ComponentResource {
  /** The account's Azure name. */
  readonly accountName: pulumi.Output<string>;
  /** The account's Azure resource id. */
  readonly storageAccountId: pulumi.Output<string>;
  /** The blob endpoint, for example `https://name.blob.core.windows.net/`. */
  readonly primaryBlobEndpoint: pulumi.Output<string>;
  /** Names of the file shares, resolved once every share exists. */
  readonly fileShareNames: pulumi.Output<string[]>;

  constructor(name: string, args: StorageAccountArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super() so that invalid input registers nothing, not even the component.
    const defaultSeed = `${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
    const normalized = normalizeStorageAccount(args, name, defaultSeed);
    const s = valueOrThrow(normalized, `StorageAccount "${name}" has invalid arguments:`);
    super("azlab:storage:StorageAccount", name, {}, opts);

    // A derived name is salted with the deploying subscription, so adopters never collide (see
    // subscriptionSalted); the salt changes only the hash, whose length and alphabet the validator checked.
    const accountName: pulumi.Input<string> =
      args.accountName !== undefined
        ? s.accountName
        : authorization
            .getClientConfigOutput({ parent: this })
            .apply(
              (c) =>
                normalizeStorageAccount(
                  { ...args, nameSeed: subscriptionSalted(c.subscriptionId, args.nameSeed ?? defaultSeed) },
                  name,
                  defaultSeed,
                ).value?.accountName ?? s.accountName,
            );

    const tags = s.sharedKeyAccessEnabled
      ? pulumi
          .output(args.tags ?? {})
          .apply((t) => ({ ...t, "azlab-shared-key-consumers": s.sharedKeyConsumers.join(",") }))
      : args.tags;

    const account = new storage.StorageAccount(
      name,
      {
        accountName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags,
        kind: s.kind,
        sku: { name: s.sku },
        ...(s.accessTier ? { accessTier: s.accessTier } : {}),
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: "TLS1_2",
        allowBlobPublicAccess: false,
        allowSharedKeyAccess: s.sharedKeyAccessEnabled,
        allowCrossTenantReplication: false,
        // "Any" leaves Azure's default, which is no limit (see the validator's copy-scope note).
        ...(s.allowedCopyScope !== "Any" ? { allowedCopyScope: s.allowedCopyScope } : {}),
        defaultToOAuthAuthentication: true,
        // Local users sign in with their own passwords or SSH keys, outside Entra ID and outside allowSharedKeyAccess.
        isLocalUserEnabled: false,
        isSftpEnabled: false,
        publicNetworkAccess: s.publicNetworkAccessEnabled ? "Enabled" : "Disabled",
        encryption: {
          keySource: "Microsoft.Storage",
          requireInfrastructureEncryption: s.infrastructureEncryptionEnabled,
          services: {
            blob: { enabled: true, keyType: "Account" },
            file: { enabled: true, keyType: "Account" },
          },
        },
      },
      { parent: this, ...statefulResourceOptions(args.statefulOptions) },
    );

    const common = { resourceGroupName: args.resourceGroupName, accountName: account.name };
    const retention = { enabled: true, days: s.softDeleteRetentionDays };

    // A FileStorage account has no blob service to configure.
    const blobService =
      s.kind === "StorageV2"
        ? new storage.BlobServiceProperties(
            logicalName(name, "blob-service"),
            {
              ...common,
              blobServicesName: "default",
              deleteRetentionPolicy: retention,
              containerDeleteRetentionPolicy: retention,
            },
            { parent: this },
          )
        : undefined;
    const fileService = new storage.FileServiceProperties(
      logicalName(name, "file-service"),
      { ...common, fileServicesName: "default", shareDeleteRetentionPolicy: retention },
      { parent: this },
    );

    for (const [key, metadata] of Object.entries(s.containers)) {
      // ARM (management-plane) containers keep working with shared keys off.
      new storage.BlobContainer(
        logicalName(name, key),
        { ...common, containerName: key, publicAccess: "None", metadata },
        { parent: this, ...(blobService ? { dependsOn: [blobService] } : {}) },
      );
    }

    if (s.staticWebsite && blobService) {
      // A provider-side resource: azure-native sets the blob service's static website properties over the
      // data plane with the deployer's Entra token, not the account key, so it works with shared keys off
      // (pulumi-azure-native customresources/custom_storage_azidentity.go).
      new storage.StorageAccountStaticWebsite(
        logicalName(name, "static-website"),
        { ...common, ...s.staticWebsite },
        { parent: this, dependsOn: [blobService] },
      );
    }

    for (const [key, metadata] of Object.entries(s.queues)) {
      new storage.Queue(logicalName(name, key), { ...common, queueName: key, metadata }, { parent: this });
    }
    for (const key of s.tables) {
      new storage.Table(logicalName(name, key), { ...common, tableName: key }, { parent: this });
    }

    const shares = Object.entries(s.shares).map(
      ([key, share]) =>
        new storage.FileShare(
          logicalName(name, key),
          {
            ...common,
            shareName: key,
            shareQuota: share.quotaGiB,
            enabledProtocols: share.protocol,
            accessTier: share.accessTier,
            ...(share.rootSquash ? { rootSquash: share.rootSquash } : {}),
          },
          { parent: this, dependsOn: [fileService] },
        ),
    );

    if (s.lifecycle) {
      const l = s.lifecycle;
      new storage.ManagementPolicy(
        logicalName(name, "lifecycle"),
        {
          ...common,
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
                      tierToCool: { daysAfterModificationGreaterThan: l.coolAfterDays },
                      tierToArchive: { daysAfterModificationGreaterThan: l.archiveAfterDays },
                      delete: { daysAfterModificationGreaterThan: l.deleteAfterDays },
                    },
                  },
                },
              },
            ],
          },
        },
        { parent: this },
      );
    }

    const shareKeys = Object.keys(s.shares);
    this.accountName = account.name;
    this.storageAccountId = account.id;
    this.primaryBlobEndpoint = account.primaryEndpoints.blob;
    // Resolve after the shares exist so consumers (storage classes, volumes) wait for them.
    this.fileShareNames = pulumi.all(shares.map((share) => share.id)).apply(() => shareKeys);
    this.registerOutputs({
      accountName: this.accountName,
      storageAccountId: this.storageAccountId,
      primaryBlobEndpoint: this.primaryBlobEndpoint,
      fileShareNames: this.fileShareNames,
    });
  }
}
