import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { updatePrices, type FetchJson } from "../../src/cli/commands/prices.ts";
import { findPrice } from "../../src/cost/estimate.ts";
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

  it("takes meters the API publishes for Global as the figure for every region", async () => {
    writeFileSync(out, serializePriceTable(PRICE_TABLE));
    // A page shaped like the API's for Load Balancer in the pseudo-region Global; its figures are the
    // committed table's, so the test asserts the mechanism, not a price.
    const committed = (meter: string) =>
      PRICE_TABLE.prices.find((p) => p.meter === meter && p.armRegionName === null)!.unitPrice!;
    const item = (meterName: string, unitPrice: number, unitOfMeasure: string) => ({
      currencyCode: "USD",
      tierMinimumUnits: 0,
      retailPrice: unitPrice,
      unitPrice,
      armRegionName: "Global",
      effectiveStartDate: "2018-04-11T00:00:00Z",
      meterName,
      productName: "Load Balancer",
      skuName: "Standard",
      serviceName: "Load Balancer",
      unitOfMeasure,
      type: "Consumption",
      armSkuName: "",
    });
    const lbGlobal = {
      Items: [
        item("Standard Included LB Rules and Outbound Rules - Free", 0, "1 Hour"),
        item("Standard Included LB Rules and Outbound Rules", committed("lb:Standard:rules"), "1 Hour"),
        item("Standard Data Processed", committed("lb:Standard:data"), "1 GB"),
      ],
      NextPageLink: null,
    };
    const calls: string[] = [];
    const table = await updatePrices({
      regions: ["westeurope"],
      out,
      fetch: async (url) => {
        calls.push(url);
        return url === retailQuery("Load Balancer", "Global") ? lbGlobal : EMPTY;
      },
      today: "2026-12-01",
    });
    expect(calls).toContain(retailQuery("Load Balancer", "Global"));
    const entry = (meter: string, region: string | null) =>
      table.prices.find((p) => p.meter === meter && p.armRegionName === region);
    // The "- Free" meter is another meter; the API's source replaces the recorded one.
    expect(entry("lb:Standard:rules", null)).toEqual({
      meter: "lb:Standard:rules",
      armRegionName: null,
      currencyCode: "USD",
      unitPrice: committed("lb:Standard:rules"),
      effectiveDate: "2018-04-11",
      source: { url: retailQuery("Load Balancer", "Global"), retrieved: "2026-12-01" },
    });
    expect(entry("lb:Standard:data", "westeurope")?.unpricedReason).toBe(
      "the Retail Prices API publishes this meter for Global, not for westeurope, on 2026-12-01: the Global figure applies",
    );
    // A region-less figure the API did not return is kept with its own source.
    expect(entry("nat:Standard:hour", null)).toEqual(
      PRICE_TABLE.prices.find((p) => p.meter === "nat:Standard:hour" && p.armRegionName === null),
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

  it("pins every figure read from a public repository to its file and commit, and says how it follows", () => {
    const pinned = PRICE_TABLE.prices.filter((p) => p.source.repository !== undefined);
    expect(pinned.map((p) => `${p.meter} ${p.armRegionName ?? "every region"}`)).toEqual([
      "disk:StandardSSD_LRS:E4 westeurope",
      "disk:Standard_LRS:S4 westeurope",
      "lb:Standard:data every region",
      "lb:Standard:rules every region",
      "nat:Standard:data every region",
      "nat:Standard:hour every region",
      "peering:egress every region",
      "peering:ingress every region",
      "pip:Standard westeurope",
    ]);
    for (const { source, unitPrice, effectiveDate } of pinned) {
      expect(source.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(source.url).toBe(`https://github.com/${source.repository}/blob/${source.commit}/${source.path}`);
      expect(source.note).toBeTruthy();
      expect(unitPrice).toBeGreaterThan(0);
      expect(effectiveDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    // The other entries name no repository part at all: all three or none.
    for (const p of PRICE_TABLE.prices.filter((e) => e.source.repository === undefined)) {
      expect([p.source.path, p.source.commit]).toEqual([undefined, undefined]);
    }
  });

  it("never lends a region's figure to another region", () => {
    // West Europe's public IP figure is its own: Korea Central stays unpriced until a source gives one.
    expect(findPrice(PRICE_TABLE, "pip:Standard", "westeurope")).toMatchObject({
      armRegionName: "westeurope",
      unitPrice: expect.any(Number),
    });
    expect(findPrice(PRICE_TABLE, "pip:Standard", "koreacentral")).toMatchObject({
      armRegionName: "koreacentral",
      unitPrice: null,
    });
    // A region-less figure (published for every region) is what both regions use.
    expect(findPrice(PRICE_TABLE, "lb:Standard:rules", "koreacentral")?.armRegionName).toBeNull();
  });
});
