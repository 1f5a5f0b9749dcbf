/**
 * The cost side of `azlab diff`: the change in the monthly and class-period estimate, for the stack
 * and per student, and the risk when the monthly increase passes the head stack's
 * `azlab:cost.riskThreshold`. A plan without an estimate (made by an older azlab) compares as unknown,
 * never as zero.
 */
import { money } from "../cost/estimate.ts";
import type { CostEstimate, CostTotals } from "../cost/types.ts";
import type { PlanDocument } from "./document.ts";

export interface CostFigures {
  readonly monthly: number;
  readonly classPeriod: number;
  /** The mean per student; null when the stack has no students. */
  readonly perStudentMonthly: number | null;
  readonly perStudentClassPeriod: number | null;
  /** Meters without a price: the figures above leave them out. */
  readonly unpriced: number;
}

export interface CostChange {
  readonly base: CostFigures | null;
  readonly head: CostFigures | null;
  /** Head minus base; null when either plan has no estimate. */
  readonly monthly: number | null;
  readonly classPeriod: number | null;
  readonly perStudentMonthly: number | null;
  readonly perStudentClassPeriod: number | null;
  /** The head stack's threshold (USD per month); null when it sets none. */
  readonly riskThreshold: number | null;
}

function figures(cost: CostEstimate | undefined): CostFigures | null {
  if (!cost) return null;
  const per: CostTotals | null = cost.perStudent;
  return {
    monthly: cost.total.monthly,
    classPeriod: cost.total.classPeriod,
    perStudentMonthly: per ? per.monthly : null,
    perStudentClassPeriod: per ? per.classPeriod : null,
    unpriced: cost.total.unpriced,
  };
}

const delta = (a: number | null | undefined, b: number | null | undefined) =>
  a === null || a === undefined || b === null || b === undefined ? null : money(b - a);

/** The estimate's change between two plans; undefined when neither plan carries one. */
export function costChange(base: PlanDocument, head: PlanDocument): CostChange | undefined {
  if (!base.cost && !head.cost) return undefined;
  const b = figures(base.cost);
  const h = figures(head.cost);
  return {
    base: b,
    head: h,
    monthly: delta(b?.monthly, h?.monthly),
    classPeriod: delta(b?.classPeriod, h?.classPeriod),
    perStudentMonthly: delta(b?.perStudentMonthly, h?.perStudentMonthly),
    perStudentClassPeriod: delta(b?.perStudentClassPeriod, h?.perStudentClassPeriod),
    riskThreshold: head.cost?.riskThreshold ?? null,
  };
}

/** The risk message when the monthly increase is above the threshold, else undefined. */
export function costRisk(change: CostChange | undefined): string | undefined {
  if (!change || change.monthly === null || change.riskThreshold === null) return undefined;
  if (change.monthly <= change.riskThreshold) return undefined;
  return `the monthly estimate rises by ${usd(change.monthly)} (from ${usd(change.base?.monthly ?? 0)} to ${usd(change.head?.monthly ?? 0)}), above azlab:cost.riskThreshold of ${usd(change.riskThreshold)}`;
}

/** US dollars with cents, a sign only when negative. */
export function usd(value: number): string {
  const cents = Math.round(Math.abs(value) * 100);
  const whole = Math.floor(cents / 100).toLocaleString("en-US");
  return `${value < 0 && cents > 0 ? "-" : ""}$${whole}.${String(cents % 100).padStart(2, "0")}`;
}

/** A signed change in US dollars: `+$1.50`, `-$0.20`, `±$0.00`. */
export function signedUsd(value: number): string {
  const cents = Math.round(value * 100);
  return cents === 0 ? "±$0.00" : `${cents > 0 ? "+" : ""}${usd(value)}`;
}

/** The diff's cost section as Markdown lines. */
export function costChangeLines(change: CostChange | undefined): string[] {
  if (!change) return [];
  // An unchanged estimate says nothing a reviewer needs; "No changes." stays the whole comment.
  const same =
    change.monthly === 0 && change.classPeriod === 0 && change.base?.unpriced === change.head?.unpriced;
  if (same) return [];
  const lines = ["#### Cost", ""];
  const unpriced = (f: CostFigures | null) =>
    f && f.unpriced > 0 ? ` (${f.unpriced} meters unpriced, not counted)` : "";
  if (!change.base || !change.head) {
    const side = change.head ? "base" : "pull request";
    lines.push(`The ${side} plan has no cost estimate, so the change is unknown.`);
    const f = change.head ?? change.base;
    if (f)
      lines.push(
        "",
        `Estimate of the other plan: ${usd(f.monthly)} a month, ${usd(f.classPeriod)} for the class period${unpriced(f)}.`,
      );
    return [...lines, ""];
  }
  lines.push(
    "| | Base | Pull request | Change |",
    "| --- | ---: | ---: | ---: |",
    `| Monthly | ${usd(change.base.monthly)} | ${usd(change.head.monthly)} | ${signedUsd(change.monthly ?? 0)} |`,
    `| Class period | ${usd(change.base.classPeriod)} | ${usd(change.head.classPeriod)} | ${signedUsd(change.classPeriod ?? 0)} |`,
  );
  if (change.perStudentMonthly !== null && change.perStudentClassPeriod !== null) {
    lines.push(
      `| Per student, monthly | ${usd(change.base.perStudentMonthly ?? 0)} | ${usd(change.head.perStudentMonthly ?? 0)} | ${signedUsd(change.perStudentMonthly)} |`,
      `| Per student, class period | ${usd(change.base.perStudentClassPeriod ?? 0)} | ${usd(change.head.perStudentClassPeriod ?? 0)} | ${signedUsd(change.perStudentClassPeriod)} |`,
    );
  }
  lines.push("");
  if (change.head.unpriced > 0 || change.base.unpriced > 0)
    lines.push(
      `Unpriced meters (not counted): base ${change.base.unpriced}, pull request ${change.head.unpriced}.`,
      "",
    );
  if (change.riskThreshold !== null)
    lines.push(
      `A monthly increase above ${usd(change.riskThreshold)} is a risky change (\`azlab:cost.riskThreshold\`).`,
      "",
    );
  return lines;
}
