/**
 * `azlab prices update`: refreshes the committed price table (src/cost/prices.json) from the public,
 * unauthenticated Azure Retail Prices API, following `NextPageLink` until the last page. Nothing is
 * written unless every page of every query arrived, and then atomically.
 */
import type { Command } from "commander";
import { UserError } from "../../errors.ts";
import {
  GLOBAL_REGION,
  retailQuery,
  retailServices,
  asRetailPage,
  refreshTable,
  RETAIL_API,
  type RetailItem,
} from "../../cost/retail.ts";
import { PRICE_TABLE, serializePriceTable } from "../../cost/table.ts";
import type { PriceTable } from "../../cost/types.ts";
import { accessSync, constants, statSync } from "node:fs";
import { dirname } from "node:path";
import { checkWriteTarget, readIfExists, writeFileAtomic } from "../files.ts";

/** Where the table lives in a clone; the build and the plan read it from there. */
export const DEFAULT_PRICES_FILE = "src/cost/prices.json";

/** More pages than any one service and region has; a server that keeps linking is cut off. */
export const MAX_PAGES = 200;

const REGION = /^[a-z][a-z0-9]{2,30}$/;

/** Fetches one URL and returns its parsed JSON; injectable so tests never touch the network. */
export type FetchJson = (url: string) => Promise<unknown>;

export const fetchJson: FetchJson = async (url) => {
  const response = await fetch(url, {
    headers: { accept: "application/json" },
    signal: AbortSignal.timeout(60_000),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
};

function reason(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error instanceof Error ? error.message : String(error)}${cause}`.split("\n")[0]!;
}

/** Every item of one query, page after page. */
async function allPages(first: string, get: FetchJson): Promise<RetailItem[]> {
  const items: RetailItem[] = [];
  let url: string | null = first;
  for (let pages = 0; url !== null; pages++) {
    if (pages >= MAX_PAGES) {
      throw new UserError(
        `prices update: more than ${MAX_PAGES} pages for ${first}; the price table is unchanged`,
      );
    }
    // Only ever follow links back to the API: a page cannot send azlab elsewhere.
    if (!url.startsWith(`${RETAIL_API}?`)) {
      throw new UserError(
        `prices update: NextPageLink ${JSON.stringify(url)} is not on ${RETAIL_API} (allowed: the API's own pages); the price table is unchanged`,
      );
    }
    let json: unknown;
    try {
      json = await get(url);
    } catch (error) {
      throw new UserError(
        `prices update: cannot read ${url} (${reason(error)}); the price table is unchanged (allowed: run with internet access to prices.azure.com)`,
      );
    }
    const page = asRetailPage(json);
    if (!page) {
      throw new UserError(
        `prices update: ${url} did not answer with a Retail Prices page (allowed: JSON with Items and NextPageLink); the price table is unchanged`,
      );
    }
    items.push(...page.Items);
    url = page.NextPageLink;
  }
  return items;
}

function readTable(path: string): PriceTable {
  const text = readIfExists(path);
  if (text === undefined) return PRICE_TABLE;
  try {
    const parsed = JSON.parse(text) as PriceTable;
    if (parsed.version === "azlab.prices/v1" && Array.isArray(parsed.prices)) return parsed;
  } catch {
    // Falls through to the refusal below.
  }
  throw new UserError(`${path}: not an azlab price table (allowed: a file written by azlab prices update)`);
}

/**
 * Refuses an --out the final write would refuse, before any of the minutes of fetching: the checks of
 * writeFileAtomic, and a folder that exists and is writable.
 */
function refuseTarget(out: string): void {
  const folder = dirname(out);
  let code: string | undefined;
  try {
    if (!statSync(folder).isDirectory()) code = "ENOTDIR";
    else accessSync(folder, constants.W_OK);
  } catch (error) {
    code = error instanceof Error && "code" in error ? String(error.code) : "not writable";
  }
  if (code !== undefined) {
    throw new UserError(
      `${out}: cannot write the price table (${code}; allowed: a path in an existing, writable folder); nothing was fetched`,
    );
  }
  // After the folder check: lstat under a path that is not a folder throws ENOTDIR rather than answering.
  checkWriteTarget(out, "price table");
}

export interface PricesUpdateOptions {
  readonly regions?: readonly string[];
  readonly out?: string;
  readonly fetch?: FetchJson;
  /** YYYY-MM-DD recorded as the retrieval date; today (UTC) by default. */
  readonly today?: string;
}

/** Refreshes the table at `out` for `regions` (default: the table's own regions); returns what was written. */
export async function updatePrices(options: PricesUpdateOptions = {}): Promise<PriceTable> {
  const out = options.out ?? DEFAULT_PRICES_FILE;
  refuseTarget(out);
  const old = readTable(out);
  const regions = [...new Set(options.regions ?? old.regions)].sort();
  const bad = regions.filter((r) => !REGION.test(r));
  if (bad.length > 0 || regions.length === 0) {
    throw new UserError(
      `--regions: not Azure region names (got ${JSON.stringify(bad.length > 0 ? bad : regions)}; allowed: names such as westeurope,koreacentral)`,
    );
  }
  const get = options.fetch ?? fetchJson;
  const items: RetailItem[] = [];
  // Some meters (Load Balancer's) exist only under the pseudo-region Global: ask for it too.
  for (const region of [...regions, GLOBAL_REGION]) {
    for (const service of retailServices())
      items.push(...(await allPages(retailQuery(service, region), get)));
  }
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const table = refreshTable(
    old,
    regions,
    items,
    (meter, region) => retailQuery(meter.serviceName, region),
    today,
  );
  writeFileAtomic(out, serializePriceTable(table), "price table");
  return table;
}

export function registerPricesCommand(program: Command): void {
  const prices = program.command("prices").description("The price table behind the cost estimates.");
  prices
    .command("update")
    .description("Refresh the price table from the public Azure Retail Prices API (needs internet access).")
    .option("--regions <list>", "comma-separated Azure regions (default: the table's regions)")
    .option("--out <file>", "price table to write", DEFAULT_PRICES_FILE)
    .addHelpText("after", "\nExample:\n  azlab prices update --regions westeurope,koreacentral")
    .action(async (options: { regions?: string; out: string }) => {
      const regions = options.regions
        ?.split(",")
        .map((r) => r.trim())
        .filter((r) => r !== "");
      const table = await updatePrices({ ...(regions ? { regions } : {}), out: options.out });
      const priced = table.prices.filter((p) => p.unitPrice !== null).length;
      process.stdout.write(
        `${options.out}: ${priced} of ${table.prices.length} meters priced (${table.updated})\n`,
      );
    });
}
