/**
 * Cost guardrails: the stack's estimate against its budget. Offline only: the estimate needs the
 * committed price table and the parent links of the offline run, which a policy pack does not see.
 * Pure: no Pulumi runtime imports.
 */
import { estimateCost } from "../cost/estimate.ts";
import { estimateOptions } from "../cost/options.ts";
import type { CostTotals } from "../cost/types.ts";
import { stackRule } from "./ruleKit.ts";
import type { PolicyContext, PolicyResource, StackViolation } from "./types.ts";

function usd(value: number): string {
  return `US$${value.toFixed(2)}`;
}

/**
 * Calendar months (UTC) from `from` up to the instant before `to`, both included: how many monthly
 * periods an Azure budget with time grain Monthly resets through during the class.
 */
export function budgetMonths(from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0;
  const last = new Date(to.getTime() - 1);
  return (last.getUTCFullYear() - from.getUTCFullYear()) * 12 + (last.getUTCMonth() - from.getUTCMonth()) + 1;
}

/** What one estimate (the class's or a student's) breaks of a monthly budget, as violations. */
function overBudget(
  who: string,
  totals: CostTotals,
  amount: number,
  key: string,
  period: { readonly from: string; readonly to: string; readonly months: number } | null,
): StackViolation[] {
  // Unpriced meters are left out of the totals, so the real cost can only be higher.
  const atLeast = totals.unpriced > 0 ? "at least " : "";
  const lowerBound =
    totals.unpriced > 0
      ? `; ${totals.unpriced} meter${totals.unpriced === 1 ? " is" : "s are"} unpriced, so the estimate is a lower bound`
      : "";
  const fix = `Raise ${key} or make the class cheaper (fewer or smaller machines, class-hours schedules); docs/costs.md#budgets`;
  const out: StackViolation[] = [];
  if (totals.monthly > amount) {
    out.push({
      resource: "stack",
      message: `${who} estimate, ${atLeast}${usd(totals.monthly)} a month, exceeds the budget of ${usd(amount)} a month (${key})${lowerBound}`,
      fix,
    });
  }
  if (period && period.months > 0 && totals.classPeriod > amount * period.months) {
    out.push({
      resource: "stack",
      message: `${who} estimate for the class period (${period.from} to ${period.to}), ${atLeast}${usd(totals.classPeriod)}, exceeds the budget over it, ${usd(amount)} a month × ${period.months} month${period.months === 1 ? "" : "s"} = ${usd(amount * period.months)} (${key})${lowerBound}`,
      fix,
    });
  }
  return out;
}

function budgetViolations(resources: readonly PolicyResource[], context: PolicyContext): StackViolation[] {
  const budget = context.budget;
  if (!budget) return [];
  const options = estimateOptions({
    location: budget.location,
    assumptions: budget.assumptions,
    ...(context.expiresOn
      ? { class: { expiresOn: context.expiresOn, timeZone: context.timeZone ?? "UTC" } }
      : {}),
    asOf: context.asOf,
    ...(budget.stopClusterOutsideClassHours ? { stopClusterOutsideClassHours: true } : {}),
  });
  const estimate = estimateCost(
    resources.map((r) => ({
      urn: r.urn ?? r.name,
      type: r.type,
      custom: true,
      parent: r.parent ?? null,
      inputs: r.props,
    })),
    options,
  );
  const period = options.period
    ? {
        from: options.period.from.toISOString().slice(0, 10),
        to: context.expiresOn ?? options.period.to.toISOString().slice(0, 10),
        months: budgetMonths(options.period.from, options.period.to),
      }
    : null;
  const out = overBudget("The stack's", estimate.total, budget.amount, `${budget.key}.amount`, period);
  if (budget.perStudent !== undefined) {
    for (const [student, totals] of Object.entries(estimate.students)) {
      out.push(
        ...overBudget(`Student ${student}'s`, totals, budget.perStudent, `${budget.key}.perStudent`, period),
      );
    }
  }
  return out;
}

export const budgetExceeded = stackRule({
  id: "AZL-COST-001",
  title: "The cost estimate stays within the stack's budget",
  severity: "warning",
  equivalents: [],
  resourceTypes: [],
  inPolicyPack: false,
  check(stack, context) {
    return budgetViolations(stack.resources, context);
  },
});
