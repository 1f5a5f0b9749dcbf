/**
 * The cost estimate a plan carries: built from the stack's `azlab:cost` settings and the committed
 * price table (src/cost), and checked when a plan comes from outside this process.
 */
import { estimateCost, type EstimateOptions } from "../cost/estimate.ts";
import type { CostEstimate } from "../cost/types.ts";
import type { RecordedResource } from "../model/recorded.ts";

// Moved to src/cost/options.ts, which the budget guardrail shares; re-exported for existing callers.
export { estimateOptions, type CostSettings } from "../cost/options.ts";

/** The estimate of the recorded resources of one run. */
export function planCost(resources: readonly RecordedResource[], options: EstimateOptions): CostEstimate {
  return estimateCost(resources, options);
}
