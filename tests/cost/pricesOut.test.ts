/** `azlab prices update --out`: a target the final write would refuse is refused before any fetch. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { updatePrices, type FetchJson } from "../../src/cli/commands/prices.ts";
import { UserError } from "../../src/errors.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "azlab-prices-out-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Counts calls and answers an empty last page, as the API does for a query with no items. */
function counting(calls: string[]): FetchJson {
  return async (url) => {
    calls.push(url);
    return { BillingCurrency: "USD", Items: [], NextPageLink: null, Count: 0 };
  };
}

async function refusal(out: string, calls: string[]): Promise<string> {
  const error: unknown = await updatePrices({ regions: ["westeurope"], out, fetch: counting(calls) }).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return (error as Error).message;
}

describe("azlab prices update --out", () => {
  it("refuses a folder without fetching anything", async () => {
    const calls: string[] = [];
    const folder = join(dir, "tables");
    mkdirSync(folder);
    expect(await refusal(folder, calls)).toBe(
      `${folder}: the price table is a folder (allowed: a file path)`,
    );
    expect(calls).toEqual([]);
  });

  it("refuses a symbolic link without fetching anything", async () => {
    const calls: string[] = [];
    const target = join(dir, "real.json");
    writeFileSync(target, "{}");
    const link = join(dir, "link.json");
    symlinkSync(target, link);
    expect(await refusal(link, calls)).toBe(
      `${link}: the price table is a symbolic link; azlab does not write through links (allowed: a regular file, or no file yet)`,
    );
    expect(calls).toEqual([]);
  });

  it("refuses a path in a folder that does not exist without fetching anything", async () => {
    const calls: string[] = [];
    const out = join(dir, "missing", "prices.json");
    expect(await refusal(out, calls)).toBe(
      `${out}: cannot write the price table (ENOENT; allowed: a path in an existing, writable folder); nothing was fetched`,
    );
    expect(calls).toEqual([]);
  });

  it("refuses a path under a file without fetching anything", async () => {
    const calls: string[] = [];
    const file = join(dir, "plain");
    writeFileSync(file, "x");
    const out = join(file, "prices.json");
    expect(await refusal(out, calls)).toBe(
      `${out}: cannot write the price table (ENOTDIR; allowed: a path in an existing, writable folder); nothing was fetched`,
    );
    expect(calls).toEqual([]);
  });
});
