/**
 * Defaults and validation for the StorageAccount component: plain data in, plain data out, every
 * problem collected so the user can fix them in one pass.
 */
import type { Problem } from "../errors.ts";
import { checkAzureName, globalAzureName } from "../naming/azureNames.ts";
import { isIntIn } from "./checks.ts";
import { resolveNameParts, type AzureNaming } from "./names.ts";
import {
  fileStorageOnlyProblems,
  kindProblems,
  normalizeShares,
  normalizeStaticWebsite,
  queueProblems,
  tableProblems,
  type AccountAccessTier,
  type FileShareOptions,
  type NormalizedShare,
  type NormalizedStaticWebsite,
  type QueueOptions,
  type StaticWebsiteOptions,
  type StorageKind,
} from "./storageServices.ts";

export type {
  AccountAccessTier,
  FileShareOptions,
  NormalizedShare,
  QueueOptions,
  ShareAccessTier,
  ShareProtocol,
  StaticWebsiteOptions,
  StorageKind,
} from "./storageServices.ts";
import { STORAGE_SKUS } from "../azure/catalog.ts";

export { STORAGE_SKUS };
export type StorageSku = (typeof STORAGE_SKUS)[number];

/** The archive tier exists only for these redundancies; ZRS and GZRS accounts refuse it. */
const ARCHIVE_SKUS: readonly StorageSku[] = ["Standard_LRS", "Standard_GRS", "Standard_RAGRS"];

/**
 * Which accounts a copy into this one may come from: "AAD" (accounts in the same Entra tenant), "PrivateLink"
 * (accounts reached through private endpoints in the same VNet), or "Any" (Azure's default, no limit).
 */
export const COPY_SCOPES = ["AAD", "PrivateLink", "Any"] as const;
export type CopyScope = (typeof COPY_SCOPES)[number];

/** A blob container. Its key in `containers` is its Azure name. */
export interface BlobContainerOptions {
  /** Metadata on the container. Defaults to none. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Block blob lifecycle: tier to Cool, then Archive, then delete, counted from last modification. */
export interface LifecycleOptions {
  /** Days after last modification before a block blob moves to Cool. Must be less than archiveAfterDays. */
  readonly coolAfterDays: number;
  /**
   * Days after last modification before a block blob moves to Archive. Must be less than deleteAfterDays.
   * Archive is not available on Standard_ZRS and Standard_GZRS.
   */
  readonly archiveAfterDays: number;
  /** Days after last modification before a block blob is deleted. */
  readonly deleteAfterDays: number;
}

/** The plain (non-Output) settings of a StorageAccount. */
export interface StorageAccountOptions extends AzureNaming {
  /**
   * Explicit account name, 3 to 24 lowercase letters and digits, globally unique. Defaults to `st`, the
   * `nameParts` squeezed to letters and digits, and a hash of `nameSeed`.
   */
  readonly accountName?: string;
  /**
   * Seed of the hash that makes the derived name globally unique. Defaults to
   * "<project>/<stack>/<component name>", so each stack gets its own account. Unused when `accountName` is set.
   */
  readonly nameSeed?: string;
  /**
   * Account kind. Defaults to "StorageV2" (blobs, files, queues, tables). "FileStorage" is the premium
   * file-share-only kind that NFS shares need; it takes sku Premium_LRS or Premium_ZRS.
   */
  readonly kind?: StorageKind;
  /** Default tier of new block blobs on a StorageV2 account: "Hot", "Cool" or "Cold". Defaults to "Hot". */
  readonly accessTier?: AccountAccessTier;
  /** Replication SKU. Defaults to "Standard_LRS" (the cheap choice for labs). */
  readonly sku?: StorageSku;
  /** Allows access from public networks. Defaults to true, since lab clients connect over the internet. */
  readonly publicNetworkAccessEnabled?: boolean;
  /**
   * Allows Shared Key (account key and SAS) authorization. Defaults to false: Entra ID only.
   * Requires `sharedKeyConsumers`.
   */
  readonly sharedKeyAccessEnabled?: boolean;
  /**
   * Who needs shared keys and why, for example ["aks-azurefile-csi"]. Required and non-empty when
   * `sharedKeyAccessEnabled` is true; must be left out otherwise. Recorded as the tag
   * `azlab-shared-key-consumers`.
   */
  readonly sharedKeyConsumers?: readonly string[];
  /**
   * Second layer of platform-managed encryption at rest. Defaults to true. Can only be chosen when the
   * account is created; changing it later replaces the account.
   */
  readonly infrastructureEncryptionEnabled?: boolean;
  /**
   * Limits the source and destination accounts of copy operations (`allowedCopyScope`), so data cannot be copied
   * to or from another tenant's account. Defaults to "PrivateLink" when public network access is off (such an
   * account is only reached through private endpoints anyway) and "AAD" otherwise. "Any" lifts the limit.
   */
  readonly allowedCopyScope?: CopyScope;
  /** Days that deleted blobs, containers and shares are kept, 1 to 365. Defaults to 7. */
  readonly softDeleteRetentionDays?: number;
  /** Blob containers keyed by their Azure name. Always private. Defaults to none. */
  readonly containers?: Readonly<Record<string, BlobContainerOptions>>;
  /** File shares keyed by their Azure name. Defaults to none. */
  readonly shares?: Readonly<Record<string, FileShareOptions>>;
  /** Block blob lifecycle rule. Defaults to none (no management policy). */
  readonly lifecycle?: LifecycleOptions;
  /** Queues keyed by their Azure name, created through ARM. Defaults to none. */
  readonly queues?: Readonly<Record<string, QueueOptions>>;
  /** Tables keyed by their Azure name, created through ARM. Defaults to none. */
  readonly tables?: Readonly<Record<string, Readonly<Record<string, never>>>>;
  /** Static website hosting from `$web`, served anonymously; must be acknowledged. Defaults to off. */
  readonly staticWebsite?: StaticWebsiteOptions;
}

export interface NormalizedStorageAccount {
  readonly accountName: string;
  readonly kind: StorageKind;
  /** Only on StorageV2. */
  readonly accessTier?: AccountAccessTier;
  readonly sku: StorageSku;
  readonly publicNetworkAccessEnabled: boolean;
  readonly sharedKeyAccessEnabled: boolean;
  readonly sharedKeyConsumers: readonly string[];
  readonly infrastructureEncryptionEnabled: boolean;
  readonly allowedCopyScope: CopyScope;
  readonly softDeleteRetentionDays: number;
  readonly containers: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly shares: Readonly<Record<string, NormalizedShare>>;
  readonly lifecycle?: LifecycleOptions;
  readonly queues: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly tables: readonly string[];
  readonly staticWebsite?: NormalizedStaticWebsite;
}

/** Container and share names: 3 to 63 lowercase letters, digits and single dashes between them. */
const CHILD_NAME = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/;

/**
 * Applies defaults and validates. `defaultSeed` is used when `nameSeed` is not given. Problems are
 * reported at the option's own path, for example `shares.data.quotaGiB`.
 * Returns the settings, or every problem found.
 */
export function normalizeStorageAccount(
  options: StorageAccountOptions,
  componentName: string,
  defaultSeed: string,
): { value: NormalizedStorageAccount; problems: [] } | { value?: undefined; problems: Problem[] } {
  const { parts, problems } = resolveNameParts(options, componentName);
  const accountName =
    options.accountName ?? globalAzureName("storageAccount", parts, options.nameSeed ?? defaultSeed);
  if (options.accountName !== undefined) {
    problems.push(...checkAzureName("storageAccount", options.accountName, "accountName"));
  }

  const sku = options.sku ?? "Standard_LRS";
  if (!STORAGE_SKUS.includes(sku)) {
    problems.push({
      path: "sku",
      message: "is not a supported storage SKU",
      value: sku,
      allowed: STORAGE_SKUS.join(", "),
    });
  }

  // Copy scope: a copy names its source by URL, so without a scope an account accepts data from, and hands data
  // to, any account anywhere ("Permitted scope for copy operations", storage security-restrict-copy-operations.md).
  // A closed account copies only over private links; an open one only within the tenant.
  const publicNetworkAccessEnabled = options.publicNetworkAccessEnabled ?? true;
  const allowedCopyScope = options.allowedCopyScope ?? (publicNetworkAccessEnabled ? "AAD" : "PrivateLink");
  if (!COPY_SCOPES.includes(allowedCopyScope)) {
    problems.push({
      path: "allowedCopyScope",
      message: "is not a copy scope",
      value: allowedCopyScope,
      allowed: COPY_SCOPES.join(", "),
    });
  }

  const sharedKeyAccessEnabled = options.sharedKeyAccessEnabled ?? false;
  const consumers = options.sharedKeyConsumers ?? [];
  if (sharedKeyAccessEnabled && consumers.filter((c) => c.trim() !== "").length === 0) {
    problems.push({
      path: "sharedKeyConsumers",
      message: "must name who needs shared keys when sharedKeyAccessEnabled is true",
      value: options.sharedKeyConsumers,
      allowed: 'a non-empty list such as ["aks-azurefile-csi"]',
    });
  }
  if (!sharedKeyAccessEnabled && options.sharedKeyConsumers !== undefined) {
    problems.push({
      path: "sharedKeyConsumers",
      message: "is set but sharedKeyAccessEnabled is false; enable shared keys or remove the list",
      value: options.sharedKeyConsumers,
    });
  }

  const softDeleteRetentionDays = options.softDeleteRetentionDays ?? 7;
  if (!isIntIn(softDeleteRetentionDays, 1, 365)) {
    problems.push({
      path: "softDeleteRetentionDays",
      message: "is out of range",
      value: softDeleteRetentionDays,
      allowed: "an integer from 1 to 365",
    });
  }

  const containers: Record<string, Readonly<Record<string, string>>> = {};
  for (const [key, container] of Object.entries(options.containers ?? {})) {
    if (!CHILD_NAME.test(key)) {
      problems.push({
        path: `containers.${key}`,
        message: "is not a valid blob container name",
        value: key,
        allowed:
          "3 to 63 lowercase letters, digits and single dashes, starting and ending with a letter or digit",
      });
    }
    containers[key] = { ...(container.metadata ?? {}) };
  }

  const kind = options.kind ?? "StorageV2";
  problems.push(...kindProblems(kind, sku, options.accessTier));
  if (kind === "FileStorage") problems.push(...fileStorageOnlyProblems(options));
  const { shares, problems: shareProblems } = normalizeShares(options.shares ?? {}, kind, (n) =>
    CHILD_NAME.test(n),
  );
  problems.push(...shareProblems);
  problems.push(...queueProblems(options.queues ?? {}), ...tableProblems(options.tables ?? {}));
  const website = options.staticWebsite ? normalizeStaticWebsite(options.staticWebsite, kind) : undefined;
  problems.push(...(website?.problems ?? []));
  const queues = Object.fromEntries(
    Object.entries(options.queues ?? {}).map(([key, q]) => [key, { ...(q.metadata ?? {}) }]),
  );

  const lifecycle = options.lifecycle;
  if (lifecycle) {
    for (const key of ["coolAfterDays", "archiveAfterDays", "deleteAfterDays"] as const) {
      if (!isIntIn(lifecycle[key], 0, 99999)) {
        problems.push({
          path: `lifecycle.${key}`,
          message: "is out of range",
          value: lifecycle[key],
          allowed: "an integer from 0 to 99999",
        });
      }
    }
    if (!(
      lifecycle.coolAfterDays < lifecycle.archiveAfterDays &&
      lifecycle.archiveAfterDays < lifecycle.deleteAfterDays
    )) {
      problems.push({
        path: "lifecycle",
        message:
          "must move blobs to Cool, then Archive, then delete them: coolAfterDays < archiveAfterDays < deleteAfterDays",
        value: lifecycle,
      });
    }
    if (STORAGE_SKUS.includes(sku) && !ARCHIVE_SKUS.includes(sku)) {
      problems.push({
        path: "lifecycle.archiveAfterDays",
        message: `needs the archive tier, which ${sku} accounts do not have`,
        value: lifecycle.archiveAfterDays,
        allowed: `sku ${ARCHIVE_SKUS.join(", ")}`,
      });
    }
  }

  if (problems.length > 0) return { problems };
  return {
    value: {
      accountName,
      kind,
      ...(kind === "StorageV2" ? { accessTier: options.accessTier ?? "Hot" } : {}),
      sku,
      publicNetworkAccessEnabled,
      sharedKeyAccessEnabled,
      sharedKeyConsumers: [...consumers],
      infrastructureEncryptionEnabled: options.infrastructureEncryptionEnabled ?? true,
      allowedCopyScope,
      softDeleteRetentionDays,
      containers,
      shares,
      ...(lifecycle ? { lifecycle: { ...lifecycle } } : {}),
      queues,
      tables: Object.keys(options.tables ?? {}),
      ...(website ? { staticWebsite: website.site } : {}),
    },
    problems: [],
  };
}
