/**
 * From a stack's cost settings to the estimator's options: the plan's estimate (src/plan/cost.ts) and
 * the budget guardrail (src/policy/costRules.ts) both use this, so they can never disagree.
 */
import type { EstimateOptions } from "./estimate.ts";
import { PRICE_TABLE } from "./table.ts";
import { DEFAULT_ASSUMPTIONS, type CostAssumptions } from "./types.ts";
import { expiryInstant } from "../schedule/expiry.ts";

/** What the estimate needs from a stack file; the CLI fills it from the loaded config. */
export interface CostSettings {
  readonly location: string;
  readonly assumptions?: Partial<CostAssumptions>;
  readonly riskThreshold?: number | null;
  /** The class's last day and its zone; absent outside class stacks. */
  readonly class?: { readonly expiresOn: string; readonly timeZone: string };
  /**
   * The instant the class period starts from (the plan's as-of instant). It is cut to 00:00 UTC of
   * its day, so two plans made on one day are byte-identical.
   */
  readonly asOf: Date;
  /** `azlab:class.stopClusterOutsideClassHours`. */
  readonly stopClusterOutsideClassHours?: boolean;
}

export function estimateOptions(settings: CostSettings, table = PRICE_TABLE): EstimateOptions {
  const from = new Date(
    Date.UTC(settings.asOf.getUTCFullYear(), settings.asOf.getUTCMonth(), settings.asOf.getUTCDate()),
  );
  const defined = Object.entries(settings.assumptions ?? {}).filter(([, v]) => v !== undefined);
  return {
    table,
    location: settings.location,
    assumptions: { ...DEFAULT_ASSUMPTIONS, ...(Object.fromEntries(defined) as Partial<CostAssumptions>) },
    riskThreshold: settings.riskThreshold ?? null,
    period: settings.class
      ? { from, to: expiryInstant(settings.class.expiresOn, settings.class.timeZone) }
      : null,
    ...(settings.stopClusterOutsideClassHours ? { clusterStops: true } : {}),
  };
}
