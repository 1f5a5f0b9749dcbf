import { describe, expect, it } from "vitest";
import { formatProblem, type Problem } from "../../src/errors.ts";
import { normalizeStorageAccount, type StorageAccountOptions } from "../../src/validation/storage.ts";

const lines = (result: { problems: readonly Problem[] }) => result.problems.map((p) => formatProblem(p));
const check = (options: StorageAccountOptions) => normalizeStorageAccount(options, "data", "seed");

describe("storage data services", () => {
  it("takes the access tier, queues and tables on a StorageV2 account", () => {
    const { value } = check({
      accessTier: "Cold",
      queues: { orders: { metadata: { lab: "3" } }, "q-1": {} },
      tables: { Inventory: {} },
    });
    expect([value?.kind, value?.accessTier, value?.queues, value?.tables]).toEqual([
      "StorageV2",
      "Cold",
      { orders: { lab: "3" }, "q-1": {} },
      ["Inventory"],
    ]);
  });

  // Queue names follow the container rule; table names are letters and digits starting with a letter,
  // and "tables" is reserved (Queue and Table service REST API naming pages).
  it("refuses queue and table names Azure refuses, every one at once", () => {
    expect(
      lines(
        check({
          queues: { Orders: {}, "a--b": {}, ab: {} },
          tables: { "1st": {}, "in-ventory": {}, Tables: {}, abc: {} },
        }),
      ),
    ).toEqual([
      'queues.Orders: is not a valid queue name (got "Orders"; allowed: 3 to 63 lowercase letters, digits and single dashes, starting and ending with a letter or digit)',
      'queues.a--b: is not a valid queue name (got "a--b"; allowed: 3 to 63 lowercase letters, digits and single dashes, starting and ending with a letter or digit)',
      'queues.ab: is not a valid queue name (got "ab"; allowed: 3 to 63 lowercase letters, digits and single dashes, starting and ending with a letter or digit)',
      'tables.1st: is not a valid table name (got "1st"; allowed: 3 to 63 letters and digits, starting with a letter, and not "tables")',
      'tables.in-ventory: is not a valid table name (got "in-ventory"; allowed: 3 to 63 letters and digits, starting with a letter, and not "tables")',
      'tables.Tables: is not a valid table name (got "Tables"; allowed: 3 to 63 letters and digits, starting with a letter, and not "tables")',
    ]);
  });

  // NFS 4.1 shares exist only on premium FileStorage accounts (storage/files/files-nfs-protocol.md), whose
  // shares are provisioned from 100 GiB and always in the Premium tier.
  it("fills an NFS share on a premium FileStorage account with root squash on", () => {
    const { value, problems } = check({
      kind: "FileStorage",
      sku: "Premium_ZRS",
      shares: { nfsdata: { quotaGiB: 100, protocol: "NFS" }, smbdata: { quotaGiB: 102_400 } },
    });
    expect(problems).toEqual([]);
    expect(value?.accessTier).toBeUndefined();
    expect(value?.shares).toEqual({
      nfsdata: { quotaGiB: 100, protocol: "NFS", accessTier: "Premium", rootSquash: "RootSquash" },
      smbdata: { quotaGiB: 102_400, protocol: "SMB", accessTier: "Premium" },
    });
    expect(
      check({
        kind: "FileStorage",
        sku: "Premium_LRS",
        shares: { x1x: { quotaGiB: 100, protocol: "NFS", rootSquash: "NoRootSquash" } },
      }).value?.shares["x1x"]?.rootSquash,
    ).toBe("NoRootSquash");
  });

  it("refuses what a FileStorage account cannot hold and a SKU that does not match the kind", () => {
    expect(
      lines(
        check({
          kind: "FileStorage",
          accessTier: "Hot",
          containers: { logs: {} },
          queues: { jobs: {} },
          tables: {},
          lifecycle: { coolAfterDays: 1, archiveAfterDays: 2, deleteAfterDays: 3 },
          shares: { home: { quotaGiB: 50, accessTier: "Cool" } },
        }),
      ),
    ).toEqual([
      'sku: is not available for a FileStorage account, which is premium only (got "Standard_LRS"; allowed: Premium_LRS, Premium_ZRS)',
      'accessTier: is a blob setting and a FileStorage account has no blobs; remove it (got "Hot")',
      'containers: is not available on a FileStorage account, which holds file shares only (got {"logs":{}}; allowed: kind "StorageV2" for blobs, queues, tables and lifecycle rules)',
      'queues: is not available on a FileStorage account, which holds file shares only (got {"jobs":{}}; allowed: kind "StorageV2" for blobs, queues, tables and lifecycle rules)',
      'lifecycle: is not available on a FileStorage account, which holds file shares only (got {"coolAfterDays":1,"archiveAfterDays":2,"deleteAfterDays":3}; allowed: kind "StorageV2" for blobs, queues, tables and lifecycle rules)',
      "shares.home.quotaGiB: is out of range for a premium (FileStorage) share (got 50; allowed: an integer from 100 to 102400)",
      'shares.home.accessTier: cannot be chosen: FileStorage shares are always Premium; remove it (got "Cool")',
    ]);
    expect(lines(check({ sku: "Premium_LRS", accessTier: "Archive" as "Hot" }))).toEqual([
      'sku: is a premium SKU, which azlab offers only with kind "FileStorage" (got "Premium_LRS"; allowed: Standard_LRS, Standard_ZRS, Standard_GRS, Standard_RAGRS, Standard_GZRS)',
      'accessTier: is not an account access tier (got "Archive"; allowed: Hot, Cool, Cold)',
    ]);
  });

  it("keeps root squash to NFS shares", () => {
    expect(lines(check({ shares: { home: { quotaGiB: 5, rootSquash: "AllSquash" } } }))).toEqual([
      'shares.home.rootSquash: applies to NFS shares only; remove it (got "AllSquash")',
    ]);
  });

  // $web is served anonymously from the web endpoint whatever allowBlobPublicAccess says
  // (storage/blobs/storage-blob-static-website.md), so the stack file must say it knows.
  it("turns the static website on only when anonymous reads are acknowledged", () => {
    expect(check({ staticWebsite: { anonymousReadAcknowledged: true } }).value?.staticWebsite).toEqual({
      indexDocument: "index.html",
    });
    expect(
      check({
        staticWebsite: {
          anonymousReadAcknowledged: true,
          indexDocument: "home.htm",
          error404Document: "e/404.html",
        },
      }).value?.staticWebsite,
    ).toEqual({ indexDocument: "home.htm", error404Document: "e/404.html" });
    expect(
      lines(
        check({
          kind: "FileStorage",
          sku: "Premium_LRS",
          staticWebsite: {
            anonymousReadAcknowledged: false,
            indexDocument: "/index.html",
            error404Document: "not found.html",
          },
        }),
      ),
    ).toEqual([
      'staticWebsite: needs a StorageV2 account; a FileStorage account has no blob service (got "FileStorage"; allowed: kind "StorageV2")',
      "staticWebsite.anonymousReadAcknowledged: must be true to turn the website on: everything in the $web container is readable by anyone through the web endpoint, whatever allowBlobPublicAccess says (got false; allowed: true)",
      'staticWebsite.indexDocument: is not a document path in $web (got "/index.html"; allowed: 1 to 255 characters without spaces or backslashes, not starting with /, such as index.html)',
      'staticWebsite.error404Document: is not a document path in $web (got "not found.html"; allowed: 1 to 255 characters without spaces or backslashes, not starting with /, such as index.html)',
    ]);
  });
});
