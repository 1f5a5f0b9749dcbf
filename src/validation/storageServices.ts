/**
 * The data services of a StorageAccount: account kind and access tier, file shares (SMB and NFS),
 * queues and tables. Split from storage.ts so each file stays small; plain data in, problems out.
 */
import type { Problem } from "../errors.ts";
import { isIntIn } from "./checks.ts";

/** StorageV2 holds blobs, files, queues and tables; FileStorage is the premium (SSD) file-share-only kind. */
export const STORAGE_KINDS = ["StorageV2", "FileStorage"] as const;
export type StorageKind = (typeof STORAGE_KINDS)[number];

/** Default tier of new block blobs ("Access tiers for blob data", storage/blobs/access-tiers-overview.md). */
export const ACCOUNT_ACCESS_TIERS = ["Hot", "Cool", "Cold"] as const;
export type AccountAccessTier = (typeof ACCOUNT_ACCESS_TIERS)[number];

/** Premium SKUs, only for FileStorage accounts; StorageV2 here is always Standard. */
export const PREMIUM_SKUS = ["Premium_LRS", "Premium_ZRS"] as const;

export type ShareProtocol = "SMB" | "NFS";
export type ShareAccessTier = "TransactionOptimized" | "Hot" | "Cool";
/** NFS root squash: RootSquash maps root to an anonymous user, so a client's root cannot own the share. */
export const ROOT_SQUASH = ["RootSquash", "NoRootSquash", "AllSquash"] as const;
export type RootSquash = (typeof ROOT_SQUASH)[number];

/** A file share. Its key in `shares` is its Azure name. */
export interface FileShareOptions {
  /**
   * Provisioned size in GiB: 1 to 5120 on StorageV2, 100 to 102400 on FileStorage (premium shares are
   * provisioned and billed from 100 GiB).
   */
  readonly quotaGiB: number;
  /** Share protocol. Defaults to "SMB". "NFS" (NFS 4.1) needs `kind: "FileStorage"`. */
  readonly protocol?: ShareProtocol;
  /** Access tier on StorageV2. Defaults to "TransactionOptimized"; FileStorage shares are always "Premium". */
  readonly accessTier?: ShareAccessTier;
  /** NFS only. Defaults to "RootSquash". */
  readonly rootSquash?: RootSquash;
}

export interface NormalizedShare {
  readonly quotaGiB: number;
  readonly protocol: ShareProtocol;
  readonly accessTier: ShareAccessTier | "Premium";
  /** Only on NFS shares. */
  readonly rootSquash?: RootSquash;
}

/** A queue or a table. Its key is its Azure name. */
export interface QueueOptions {
  /** Metadata on the queue. Defaults to none. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * Queue names: 3 to 63 lowercase letters, digits and single dashes, starting and ending with a letter or
 * digit ("Naming queues and metadata", Queue service REST API).
 */
const QUEUE_NAME = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/;
/**
 * Table names: 3 to 63 letters and digits, starting with a letter; "tables" is reserved ("Understanding
 * the Table service data model", Table service REST API).
 */
const TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;

const SHARE_TIERS: readonly ShareAccessTier[] = ["TransactionOptimized", "Hot", "Cool"];

export function queueProblems(queues: Readonly<Record<string, QueueOptions>>): Problem[] {
  return Object.keys(queues)
    .filter((key) => !QUEUE_NAME.test(key))
    .map((key) => ({
      path: `queues.${key}`,
      message: "is not a valid queue name",
      value: key,
      allowed:
        "3 to 63 lowercase letters, digits and single dashes, starting and ending with a letter or digit",
    }));
}

export function tableProblems(tables: Readonly<Record<string, object>>): Problem[] {
  return Object.keys(tables)
    .filter((key) => !TABLE_NAME.test(key) || key.toLowerCase() === "tables")
    .map((key) => ({
      path: `tables.${key}`,
      message: "is not a valid table name",
      value: key,
      allowed: '3 to 63 letters and digits, starting with a letter, and not "tables"',
    }));
}

/** The SKU and kind must match: FileStorage is premium only, StorageV2 here is standard only. */
export function kindProblems(kind: StorageKind, sku: string, accessTier: string | undefined): Problem[] {
  const problems: Problem[] = [];
  if (!STORAGE_KINDS.includes(kind)) {
    problems.push({
      path: "kind",
      message: "is not a supported account kind",
      value: kind,
      allowed: STORAGE_KINDS.join(", "),
    });
    return problems;
  }
  const premium = (PREMIUM_SKUS as readonly string[]).includes(sku);
  if (kind === "FileStorage" && !premium) {
    problems.push({
      path: "sku",
      message: "is not available for a FileStorage account, which is premium only",
      value: sku,
      allowed: PREMIUM_SKUS.join(", "),
    });
  }
  if (kind === "StorageV2" && premium) {
    problems.push({
      path: "sku",
      message: 'is a premium SKU, which azlab offers only with kind "FileStorage"',
      value: sku,
      allowed: "Standard_LRS, Standard_ZRS, Standard_GRS, Standard_RAGRS, Standard_GZRS",
    });
  }
  // The default blob tier applies to StorageV2 only; a FileStorage account has no blob service.
  if (accessTier !== undefined) {
    if (kind === "FileStorage") {
      problems.push({
        path: "accessTier",
        message: "is a blob setting and a FileStorage account has no blobs; remove it",
        value: accessTier,
      });
    } else if (!(ACCOUNT_ACCESS_TIERS as readonly string[]).includes(accessTier)) {
      problems.push({
        path: "accessTier",
        message: "is not an account access tier",
        value: accessTier,
        allowed: ACCOUNT_ACCESS_TIERS.join(", "),
      });
    }
  }
  return problems;
}

/**
 * Validates and fills the shares. NFS 4.1 shares exist only on premium FileStorage accounts ("NFS file
 * shares in Azure Files", storage/files/files-nfs-protocol.md); SMB works on both kinds.
 */
export function normalizeShares(
  shares: Readonly<Record<string, FileShareOptions>>,
  kind: StorageKind,
  validName: (name: string) => boolean,
): { shares: Record<string, NormalizedShare>; problems: Problem[] } {
  const problems: Problem[] = [];
  const out: Record<string, NormalizedShare> = {};
  const premium = kind === "FileStorage";
  for (const [key, share] of Object.entries(shares)) {
    const at = `shares.${key}`;
    if (!validName(key)) {
      problems.push({
        path: at,
        message: "is not a valid file share name",
        value: key,
        allowed:
          "3 to 63 lowercase letters, digits and single dashes, starting and ending with a letter or digit",
      });
    }
    const [min, max] = premium ? [100, 102_400] : [1, 5120];
    if (!isIntIn(share.quotaGiB, min, max)) {
      problems.push({
        path: `${at}.quotaGiB`,
        message: premium ? "is out of range for a premium (FileStorage) share" : "is out of range",
        value: share.quotaGiB,
        allowed: `an integer from ${min} to ${max}`,
      });
    }
    const protocol = share.protocol ?? "SMB";
    if (protocol !== "SMB" && protocol !== "NFS") {
      problems.push({
        path: `${at}.protocol`,
        message: "is not a share protocol",
        value: protocol,
        allowed: "SMB, NFS",
      });
    } else if (protocol === "NFS" && !premium) {
      problems.push({
        path: `${at}.protocol`,
        message:
          'needs a premium FileStorage account: set kind "FileStorage" and sku Premium_LRS or Premium_ZRS',
        value: protocol,
        allowed: '"SMB" on a StorageV2 account',
      });
    }
    if (share.accessTier !== undefined && (premium || !SHARE_TIERS.includes(share.accessTier))) {
      problems.push({
        path: `${at}.accessTier`,
        message: premium
          ? "cannot be chosen: FileStorage shares are always Premium; remove it"
          : "is not a share tier",
        value: share.accessTier,
        ...(premium ? {} : { allowed: SHARE_TIERS.join(", ") }),
      });
    }
    if (share.rootSquash !== undefined && (protocol !== "NFS" || !ROOT_SQUASH.includes(share.rootSquash))) {
      problems.push({
        path: `${at}.rootSquash`,
        message: protocol !== "NFS" ? "applies to NFS shares only; remove it" : "is not a root squash mode",
        value: share.rootSquash,
        ...(protocol === "NFS" ? { allowed: ROOT_SQUASH.join(", ") } : {}),
      });
    }
    out[key] = {
      quotaGiB: share.quotaGiB,
      protocol,
      accessTier: premium ? "Premium" : (share.accessTier ?? "TransactionOptimized"),
      ...(protocol === "NFS" ? { rootSquash: share.rootSquash ?? "RootSquash" } : {}),
    };
  }
  return { shares: out, problems };
}

/** Blob, queue and table data a FileStorage account cannot hold ("Storage account overview", types of accounts). */
export function fileStorageOnlyProblems(options: {
  readonly containers?: object;
  readonly queues?: object;
  readonly tables?: object;
  readonly lifecycle?: object;
}): Problem[] {
  return (["containers", "queues", "tables", "lifecycle"] as const)
    .filter(
      (key) => options[key] !== undefined && (key === "lifecycle" || Object.keys(options[key]!).length > 0),
    )
    .map((key) => ({
      path: key,
      message: "is not available on a FileStorage account, which holds file shares only",
      value: options[key],
      allowed: 'kind "StorageV2" for blobs, queues, tables and lifecycle rules',
    }));
}

/**
 * Static website hosting. Azure serves the `$web` container anonymously from the account's web endpoint,
 * whatever `allowBlobPublicAccess` says ("Static website hosting in Azure Storage",
 * storage/blobs/storage-blob-static-website.md), so turning it on must be acknowledged in the stack file.
 */
export interface StaticWebsiteOptions {
  /** Page served for the site root and every folder, for example "index.html". Defaults to "index.html". */
  readonly indexDocument?: string;
  /** Absolute path of the page served for a missing file, for example "404.html". Defaults to none. */
  readonly error404Document?: string;
  /**
   * Must be true: everything uploaded to `$web` becomes readable by anyone on the internet. The rest of
   * the account (other containers, queues, tables, shares) stays private.
   */
  readonly anonymousReadAcknowledged: boolean;
}

export interface NormalizedStaticWebsite {
  readonly indexDocument: string;
  readonly error404Document?: string;
}

/** A document name: 1 to 255 characters, no leading slash, no spaces or backslashes. */
const DOCUMENT = /^[^/\s\\][^\s\\]{0,254}$/;

export function normalizeStaticWebsite(
  site: StaticWebsiteOptions,
  kind: StorageKind,
): { site: NormalizedStaticWebsite; problems: Problem[] } {
  const problems: Problem[] = [];
  if (kind !== "StorageV2") {
    problems.push({
      path: "staticWebsite",
      message: "needs a StorageV2 account; a FileStorage account has no blob service",
      value: kind,
      allowed: 'kind "StorageV2"',
    });
  }
  if (site.anonymousReadAcknowledged !== true) {
    problems.push({
      path: "staticWebsite.anonymousReadAcknowledged",
      message:
        "must be true to turn the website on: everything in the $web container is readable by anyone through the web endpoint, whatever allowBlobPublicAccess says",
      value: site.anonymousReadAcknowledged,
      allowed: "true",
    });
  }
  const indexDocument = site.indexDocument ?? "index.html";
  for (const [key, value] of [
    ["indexDocument", indexDocument],
    ["error404Document", site.error404Document],
  ] as const) {
    if (value !== undefined && !DOCUMENT.test(value)) {
      problems.push({
        path: `staticWebsite.${key}`,
        message: "is not a document path in $web",
        value,
        allowed: "1 to 255 characters without spaces or backslashes, not starting with /, such as index.html",
      });
    }
  }
  return {
    site: { indexDocument, ...(site.error404Document ? { error404Document: site.error404Document } : {}) },
    problems,
  };
}
