import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { updatePrices, type FetchJson } from "../../src/cli/commands/prices.ts";
import { retailQuery } from "../../src/cost/retail.ts";
import { PRICE_TABLE, serializePriceTable } from "../../src/cost/table.ts";
import type { PriceTable } from "../../src/cost/types.ts";
import { UserError } from "../../src/errors.ts";

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join("tests/fixtures/retail-prices", name), "utf8"));
const page1 = fixture("vm-westeurope-page1.json") as { NextPageLink: string };
const page2 = fixture("vm-westeurope-page2.json");
const EMPTY = { BillingCurrency: "USD", Items: [], NextPageLink: null, Count: 0 };

let dir: string;
let out: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "azlab-prices-"));
  out = join(dir, "prices.json");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Serves the recorded pages for Virtual Machines in westeurope and an empty page for every other query. */
function recorded(calls: string[]): FetchJson {
  return async (url) => {
    calls.push(url);
    if (url === retailQuery("Virtual Machines", "westeurope")) return page1;
    if (url === page1.NextPageLink) return page2;
    return EMPTY;
  };
}

describe("azlab prices update", () => {
  it("follows NextPageLink, keeps the newest Linux pay-as-you-go item per meter and writes the table", async () => {
    const calls: string[] = [];
    const table = await updatePrices({
      regions: ["westeurope"],
      out,
      fetch: recorded(calls),
      today: "2026-12-01",
    });
    // Both pages of the VM query were read, in order.
    expect(calls.indexOf(page1.NextPageLink)).toBe(
      calls.indexOf(retailQuery("Virtual Machines", "westeurope")) + 1,
    );
    const entry = (meter: string, region: string | null) =>
      table.prices.find((p) => p.meter === meter && p.armRegionName === region);
    // Windows, Spot and the older 0.0111 item are not the Linux pay-as-you-go price.
    expect(entry("vm:Standard_B1s", "westeurope")).toEqual({
      meter: "vm:Standard_B1s",
      armRegionName: "westeurope",
      currencyCode: "USD",
      unitPrice: 0.0104,
      effectiveDate: "2026-10-01",
      source: { url: retailQuery("Virtual Machines", "westeurope"), retrieved: "2026-12-01" },
    });
    // From the second page; its Reservation item is ignored.
    expect(entry("vm:Standard_D2s_v5", "westeurope")?.unitPrice).toBe(0.096);
    expect(entry("nat:Standard:hour", "westeurope")).toMatchObject({
      unitPrice: null,
      unpricedReason:
        "the Retail Prices API returned no Consumption item for this meter in westeurope on 2026-12-01",
    });
    // Other regions and region-less published figures are kept as they were.
    expect(entry("acr:Basic", null)).toEqual(PRICE_TABLE.prices.find((p) => p.meter === "acr:Basic"));
    expect(entry("vm:Standard_B1s", "koreacentral")).toEqual(
      PRICE_TABLE.prices.find((p) => p.meter === "vm:Standard_B1s" && p.armRegionName === "koreacentral"),
    );
    expect(table.updated).toBe("2026-12-01");
    expect(readFileSync(out, "utf8")).toBe(serializePriceTable(table));
    // Every meter now has a westeurope entry, including the two that only had a region-less figure.
    expect((JSON.parse(readFileSync(out, "utf8")) as PriceTable).prices.length).toBe(
      PRICE_TABLE.prices.length + 2,
    );
  });

  it("is a one-line error and leaves the table unchanged when the network fails", async () => {
    writeFileSync(out, serializePriceTable(PRICE_TABLE));
    const failing: FetchJson = async () => {
      throw new TypeError("fetch failed", { cause: new Error("getaddrinfo ENOTFOUND prices.azure.com") });
    };
    const error = await updatePrices({ regions: ["westeurope"], out, fetch: failing }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      `prices update: cannot read ${retailQuery("Azure Bastion", "westeurope")} (fetch failed: getaddrinfo ENOTFOUND prices.azure.com); the price table is unchanged (allowed: run with internet access to prices.azure.com)`,
    );
    expect(readFileSync(out, "utf8")).toBe(serializePriceTable(PRICE_TABLE));
  });

  it("refuses a NextPageLink that leaves the API", async () => {
    const evil: FetchJson = async () => ({ Items: [], NextPageLink: "https://evil.example/next" });
    await expect(updatePrices({ regions: ["westeurope"], out, fetch: evil })).rejects.toThrow(
      'prices update: NextPageLink "https://evil.example/next" is not on https://prices.azure.com/api/retail/prices (allowed: the API\'s own pages); the price table is unchanged',
    );
  });

  it("refuses an answer that is not a Retail Prices page, and bad region names before fetching", async () => {
    await expect(
      updatePrices({ regions: ["westeurope"], out, fetch: async () => ({ error: "x" }) }),
    ).rejects.toThrow(
      "did not answer with a Retail Prices page (allowed: JSON with Items and NextPageLink); the price table is unchanged",
    );
    const calls: string[] = [];
    await expect(updatePrices({ regions: ["West Europe"], out, fetch: recorded(calls) })).rejects.toThrow(
      '--regions: not Azure region names (got ["West Europe"]; allowed: names such as westeurope,koreacentral)',
    );
    expect(calls).toEqual([]);
  });
});

describe("the committed price table", () => {
  it("gives every entry a source and a date, and every priced entry a USD figure with its date", () => {
    for (const p of PRICE_TABLE.prices) {
      expect(p.source.url).toMatch(/^https:\/\//);
      expect(p.source.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (p.unitPrice === null) expect(p.unpricedReason).toBeTruthy();
      else expect(p.effectiveDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(PRICE_TABLE.regions).toEqual(["koreacentral", "westeurope"]);
  });

  it("is written in the form Prettier keeps", () => {
    expect(readFileSync("src/cost/prices.json", "utf8")).toBe(serializePriceTable(PRICE_TABLE));
  });
});
