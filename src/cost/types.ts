/**
 * Plain data of the price table and the estimate. Layer 4: no Pulumi SDK, imports only layers below.
 *
 * Meter identities are the Azure Retail Prices API's own fields (serviceName, armSkuName, meterName,
 * armRegionName, unitOfMeasure), so every figure can be looked up again at
 * https://prices.azure.com/api/retail/prices (learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices).
 */

/** What a meter bills by, as the estimator needs it. */
export type BillingBasis = "hour" | "day" | "month" | "gb" | "10k";

/** Which Retail Prices API item a meter is, independent of the region. */
export interface MeterSpec {
  /** Stable id used by the estimator, for example `vm:Standard_B1s`. */
  readonly id: string;
  readonly serviceName: string;
  /** `armSkuName` in the API; empty when the API leaves it empty for this meter. */
  readonly armSkuName: string;
  /** `productName`, used by `prices update` to tell Linux from Windows and disk families apart. */
  readonly productName: string;
  /** `skuName` in the API. */
  readonly skuName: string;
  readonly meterName: string;
  /** `unitOfMeasure` in the API, for example `1 Hour`, `1/Month`, `1 GB/Month`, `10K`. */
  readonly unitOfMeasure: string;
  readonly basis: BillingBasis;
}

/** Where a figure came from. */
export interface PriceSource {
  /** Page or API query the figure was read from; for a file in a repository, its permalink at `commit`. */
  readonly url: string;
  /** The date the figure was read (YYYY-MM-DD): the API's `effectiveStartDate` is kept separately. */
  readonly retrieved: string;
  /**
   * For a figure read from a file committed to a public Git repository (a recorded Retail Prices API
   * response, a cost tool's test output): `owner/name`, the file's path and the 40-hex commit, so the
   * exact bytes can be read again. All three or none.
   */
  readonly repository?: string;
  readonly path?: string;
  readonly commit?: string;
  /** How the figure follows from the source, when it is not read off it verbatim. */
  readonly note?: string;
}

/** One meter in one region: priced, or unpriced with the reason. */
export interface PriceEntry {
  readonly meter: string;
  /**
   * The region the figure is for; null when the source states one USD price without a region (then it
   * is used for every region that has no entry of its own, and each estimate line says so).
   */
  readonly armRegionName: string | null;
  readonly currencyCode: "USD";
  /** USD per unitOfMeasure; null when no figure could be obtained. */
  readonly unitPrice: number | null;
  /** The API's `effectiveStartDate` (YYYY-MM-DD), or the source page's date; null when unpriced. */
  readonly effectiveDate: string | null;
  readonly source: PriceSource;
  /** Why there is no figure; only on unpriced entries. */
  readonly unpricedReason?: string;
}

export interface PriceTable {
  readonly version: "azlab.prices/v1";
  /** When the table was last written (YYYY-MM-DD). */
  readonly updated: string;
  readonly currencyCode: "USD";
  readonly regions: readonly string[];
  readonly meters: readonly MeterSpec[];
  readonly prices: readonly PriceEntry[];
}

/** Usage the plan cannot know, per month; every figure is overridable in `azlab:cost.assumptions`. */
export interface CostAssumptions {
  /** GB processed per NAT gateway per month. */
  readonly natGatewayDataGb: number;
  /** GB processed per Standard load balancer per month. */
  readonly loadBalancerDataGb: number;
  /** GB stored per storage account (hot blob tier) per month. */
  readonly storageGb: number;
  /** Write operations per storage account per month, in units of 10,000. */
  readonly storageWriteOps10k: number;
  /** Read operations per storage account per month, in units of 10,000. */
  readonly storageReadOps10k: number;
  /** GB each VNet sends through one peering per month (hub and spoke): billed as egress there and ingress at the other end. */
  readonly peeringDataGb: number;
}

export const DEFAULT_ASSUMPTIONS: CostAssumptions = {
  natGatewayDataGb: 10,
  loadBalancerDataGb: 10,
  storageGb: 10,
  storageWriteOps10k: 10,
  storageReadOps10k: 100,
  // Bastion sessions and lab traffic between a student and the hub: small.
  peeringDataGb: 1,
};

/** Azure's billing month for monthly figures (730 h, as the pricing calculator uses). */
export const HOURS_PER_MONTH = 730;

export type CostCategory = "compute" | "network" | "storage" | "containers";

/** One meter of one resource. Money is USD; null when the meter is unpriced. */
export interface CostLine {
  readonly urn: string;
  readonly resourceType: string;
  /**
   * Who the line is for: a student's (tagged with the student), the class hub's (under the
   * `azlab:lab:Environment` named "hub"), or shared (everything else, such as the registry).
   */
  readonly scope: "student" | "hub" | "shared";
  /** The student key when `scope` is "student", else null. */
  readonly student: string | null;
  readonly category: CostCategory;
  readonly meter: {
    readonly id: string;
    readonly serviceName: string;
    readonly armSkuName: string;
    readonly productName: string;
    readonly meterName: string;
  };
  /** The resource's region. */
  readonly region: string;
  /** The region of the figure used; null when the source states no region. */
  readonly priceRegion: string | null;
  readonly unitOfMeasure: string;
  /** Units per month in class hours and outside them (instances × hours, GB, days, …). */
  readonly quantity: { readonly classHours: number; readonly idle: number };
  readonly unitPrice: number | null;
  readonly priceDate: string | null;
  readonly source: string | null;
  /** Set when the usage is an assumption, naming the `azlab:cost.assumptions` key. */
  readonly assumption?: string;
  readonly unpricedReason?: string;
  readonly monthly: number | null;
  readonly classHours: number | null;
  readonly idle: number | null;
  readonly classPeriod: number | null;
}

/** Money of a group of lines, over the priced lines only. */
export interface CostTotals {
  readonly hourly: number;
  readonly monthly: number;
  readonly classHours: number;
  readonly idle: number;
  readonly classPeriod: number;
  /** Lines with a figure (the money above sums these). */
  readonly priced: number;
  /** Lines without a figure: never counted as zero, always listed. */
  readonly unpriced: number;
}

export interface CostEstimate {
  readonly currency: "USD";
  /** The price table's `updated` date. */
  readonly pricesUpdated: string;
  readonly hoursPerMonth: number;
  /** Class hours per month from the stack's schedules; 0 when there are none. */
  readonly classHoursPerMonth: number;
  /** The class period: from the plan's as-of instant to the class's expiry; null outside class stacks. */
  readonly period: { readonly from: string; readonly to: string; readonly hours: number } | null;
  readonly assumptions: CostAssumptions;
  /** Monthly increase (USD) above which `azlab diff` calls a change risky; null when not set. */
  readonly riskThreshold: number | null;
  readonly total: CostTotals;
  /** The class hub's resources. */
  readonly hub: CostTotals;
  /** Resources of no student and not in the hub. */
  readonly shared: CostTotals;
  /** Per student key, sorted. */
  readonly students: Readonly<Record<string, CostTotals>>;
  /** The mean of `students` (its `priced` and `unpriced` are summed over them); null when there are none. */
  readonly perStudent: CostTotals | null;
  readonly byCategory: Readonly<Record<CostCategory, number>>;
  /** Sorted by scope (hub, shared, student), student, URN, meter. */
  readonly lines: readonly CostLine[];
}
