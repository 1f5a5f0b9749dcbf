/**
 * Reading the public Azure Retail Prices API (no authentication; pages through `NextPageLink`):
 * learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices. Pure: the CLI does
 * the fetching and hands the pages here.
 */
import { METERS } from "./meters.ts";
import type { MeterSpec, PriceEntry, PriceTable } from "./types.ts";

export const RETAIL_API = "https://prices.azure.com/api/retail/prices";
export const RETAIL_API_VERSION = "2023-01-01-preview";
/**
 * The pseudo-region under which the API publishes meters priced alike in every region (Load Balancer's,
 * for one); their entries in the table have `armRegionName: null`.
 */
export const GLOBAL_REGION = "Global";

/** One item of a Retail Prices API page (the fields azlab reads). */
export interface RetailItem {
  readonly currencyCode: string;
  readonly tierMinimumUnits: number;
  readonly retailPrice: number;
  readonly unitPrice: number;
  readonly armRegionName: string;
  readonly effectiveStartDate: string;
  readonly meterName: string;
  readonly productName: string;
  readonly skuName: string;
  readonly serviceName: string;
  readonly unitOfMeasure: string;
  readonly type: string;
  readonly armSkuName: string;
}

export interface RetailPage {
  readonly Items: readonly RetailItem[];
  readonly NextPageLink: string | null;
}

/** The services the table's meters belong to, each queried once per region. */
export function retailServices(meters: readonly MeterSpec[] = METERS): string[] {
  return [...new Set(meters.map((m) => m.serviceName))].sort();
}

/** The first page's URL for one service in one region. Filter values are case-sensitive in this API version. */
export function retailQuery(serviceName: string, region: string): string {
  const filter = `serviceName eq '${serviceName}' and armRegionName eq '${region}' and priceType eq 'Consumption'`;
  return `${RETAIL_API}?api-version=${RETAIL_API_VERSION}&currencyCode='USD'&$filter=${encodeURIComponent(filter)}`;
}

/** Checks a parsed response page; returns undefined when it is not in the API's documented shape. */
export function asRetailPage(json: unknown): RetailPage | undefined {
  if (!json || typeof json !== "object") return undefined;
  const page = json as Record<string, unknown>;
  if (!Array.isArray(page["Items"])) return undefined;
  const next = page["NextPageLink"];
  if (next !== null && next !== undefined && typeof next !== "string") return undefined;
  const items = (page["Items"] as unknown[]).filter(
    (item): item is RetailItem =>
      !!item &&
      typeof item === "object" &&
      typeof (item as RetailItem).unitPrice === "number" &&
      typeof (item as RetailItem).meterName === "string" &&
      typeof (item as RetailItem).serviceName === "string",
  );
  return { Items: items, NextPageLink: typeof next === "string" && next !== "" ? next : null };
}

function matches(spec: MeterSpec, item: RetailItem): boolean {
  return (
    item.serviceName === spec.serviceName &&
    item.productName === spec.productName &&
    item.skuName === spec.skuName &&
    item.meterName === spec.meterName &&
    item.unitOfMeasure === spec.unitOfMeasure &&
    item.type === "Consumption" &&
    item.currencyCode === "USD" &&
    (spec.armSkuName === "" || item.armSkuName === spec.armSkuName)
  );
}

/** The first pricing tier of the newest item for `meter` in `region`, if any. */
function newest(meter: MeterSpec, region: string, items: readonly RetailItem[]): RetailItem | undefined {
  return items
    .filter((i) => i.armRegionName === region && matches(meter, i) && (i.tierMinimumUnits ?? 0) === 0)
    .sort((a, b) =>
      a.effectiveStartDate < b.effectiveStartDate ? 1 : a.effectiveStartDate > b.effectiveStartDate ? -1 : 0,
    )[0];
}

/**
 * The table with `regions` refreshed from `items`: each meter takes the first pricing tier of its
 * newest item; a meter the API did not return becomes unpriced with that reason. A meter the API
 * publishes for `Global` replaces its region-less entry. Entries for other regions, and region-less
 * entries the API did not refresh (figures from published pages), are kept as they were.
 */
export function refreshTable(
  old: PriceTable,
  regions: readonly string[],
  items: readonly RetailItem[],
  sourceUrl: (meter: MeterSpec, region: string) => string,
  today: string,
): PriceTable {
  const refreshed = new Set(regions);
  const fresh: PriceEntry[] = [];
  const global = new Set<string>();
  for (const meter of METERS) {
    const best = newest(meter, GLOBAL_REGION, items);
    if (!best) continue;
    global.add(meter.id);
    fresh.push({
      meter: meter.id,
      armRegionName: null,
      currencyCode: "USD",
      unitPrice: best.unitPrice,
      effectiveDate: best.effectiveStartDate.slice(0, 10),
      source: { url: sourceUrl(meter, GLOBAL_REGION), retrieved: today },
    });
  }
  const kept = old.prices.filter((p) =>
    p.armRegionName === null ? !global.has(p.meter) : !refreshed.has(p.armRegionName),
  );
  for (const region of [...refreshed].sort()) {
    for (const meter of METERS) {
      const best = newest(meter, region, items);
      const source = { url: sourceUrl(meter, region), retrieved: today };
      fresh.push(
        best
          ? {
              meter: meter.id,
              armRegionName: region,
              currencyCode: "USD",
              unitPrice: best.unitPrice,
              effectiveDate: best.effectiveStartDate.slice(0, 10),
              source,
            }
          : {
              meter: meter.id,
              armRegionName: region,
              currencyCode: "USD",
              unitPrice: null,
              effectiveDate: null,
              source,
              unpricedReason: global.has(meter.id)
                ? `the Retail Prices API publishes this meter for ${GLOBAL_REGION}, not for ${region}, on ${today}: the ${GLOBAL_REGION} figure applies`
                : `the Retail Prices API returned no Consumption item for this meter in ${region} on ${today}`,
            },
      );
    }
  }
  const prices = [...kept, ...fresh].sort(
    (a, b) =>
      (a.meter < b.meter ? -1 : a.meter > b.meter ? 1 : 0) ||
      ((a.armRegionName ?? "") < (b.armRegionName ?? "")
        ? -1
        : (a.armRegionName ?? "") > (b.armRegionName ?? "")
          ? 1
          : 0),
  );
  return {
    version: "azlab.prices/v1",
    updated: today,
    currencyCode: "USD",
    regions: [...new Set([...old.regions, ...regions])].sort(),
    meters: METERS,
    prices,
  };
}
