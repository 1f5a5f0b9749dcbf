/**
 * Defaults and validation for the Budget component: plain data in, every problem collected. The Azure
 * rules come from the Budgets REST API (learn.microsoft.com/rest/api/consumption/budgets/create-or-update,
 * api-version 2024-08-01, the version @pulumi/azure-native 3.28 uses) and "Tutorial: Create and manage
 * budgets" (learn.microsoft.com/azure/cost-management-billing/costs/tutorial-acm-create-budgets).
 */
import type { Problem } from "../errors.ts";

export const BUDGET_CURRENCIES = ["USD"] as const;

/** The plain (non-Output) settings of a Budget; paths match `azlab:class.budget` / `azlab:budget`. */
export interface BudgetOptions {
  /** The budget's Azure name: 1–63 letters, digits, `-` and `_`. Student budgets add `-<student>`. */
  readonly budgetName: string;
  /** A month's budget. Azure resets the tracked amount every month (time grain Monthly). */
  readonly amount: number;
  /** Only USD: the price table azlab compares the budget with is in USD. Defaults to "USD". */
  readonly currency?: (typeof BUDGET_CURRENCIES)[number];
  readonly thresholds?: {
    /** Percent of the amount actually spent that sends an alert. Defaults to 50, 80 and 100. */
    readonly actual?: readonly number[];
    /** Percent of the month's forecast that sends an alert. Defaults to 100. */
    readonly forecasted?: readonly number[];
  };
  /** Who gets the alerts. At least one. */
  readonly contactEmails: readonly string[];
  /** The first day the budget tracks, YYYY-MM-01. Azure requires the first of a month. */
  readonly startDate: string;
  /** The last day it tracks, YYYY-MM-DD. Defaults to Azure's ten years after the start. */
  readonly endDate?: string;
  /** A month's budget for each student, keyed by student; none when absent. */
  readonly perStudent?: { readonly amount: number; readonly students: readonly string[] };
}

export interface BudgetNotification {
  readonly key: string;
  readonly thresholdType: "Actual" | "Forecasted";
  readonly threshold: number;
}

export interface NormalizedBudget {
  readonly budgetName: string;
  readonly amount: number;
  readonly currency: "USD";
  readonly notifications: readonly BudgetNotification[];
  readonly contactEmails: readonly string[];
  readonly startDate: string;
  readonly endDate?: string;
  /** Student key → that student's budget name; empty without `perStudent`. */
  readonly studentBudgetNames: Readonly<Record<string, string>>;
  readonly perStudentAmount?: number;
}

/** Azure: "Budget can have up to five notifications" (BudgetProperties.notifications). */
export const MAX_NOTIFICATIONS = 5;
/** Azure: a threshold "is always percent and has to be between 0 and 1000" (Notification.threshold). */
export const MAX_THRESHOLD = 1000;
const BUDGET_NAME = /^[A-Za-z0-9_-]{1,63}$/;
const EMAIL = /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Azure: "Budget start date must be on or after June 1, 2017". */
const EARLIEST_START = "2017-06-01";

function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** The notification's key, in the form the REST API's examples use (`Actual_GreaterThan_80_Percent`). */
export function notificationKey(type: "Actual" | "Forecasted", threshold: number): string {
  return `${type}_GreaterThan_${threshold}_Percent`;
}

/** Applies defaults and validates. Returns the settings, or every problem found. */
export function normalizeBudget(
  options: BudgetOptions,
): { value: NormalizedBudget; problems: [] } | { value?: undefined; problems: Problem[] } {
  const problems: Problem[] = [];
  if (!BUDGET_NAME.test(options.budgetName)) {
    problems.push({
      path: "budgetName",
      message: "is not a budget name",
      value: options.budgetName,
      allowed: "1 to 63 letters, digits, hyphens and underscores",
    });
  }
  if (!(Number.isFinite(options.amount) && options.amount > 0)) {
    problems.push({
      path: "amount",
      message: "is not a budget amount",
      value: options.amount,
      allowed: "a number above 0",
    });
  }
  const currency = options.currency ?? "USD";
  if (!BUDGET_CURRENCIES.includes(currency)) {
    problems.push({
      path: "currency",
      message: "is not a currency azlab can estimate in",
      value: currency,
      allowed: "USD (the price table's only currency)",
    });
  }

  const notifications: BudgetNotification[] = [];
  const lists = {
    actual: options.thresholds?.actual ?? [50, 80, 100],
    forecasted: options.thresholds?.forecasted ?? [100],
  };
  for (const [kind, list] of Object.entries(lists) as ["actual" | "forecasted", readonly number[]][]) {
    const type = kind === "actual" ? "Actual" : "Forecasted";
    const seen = new Set<number>();
    list.forEach((threshold, i) => {
      const path = `thresholds.${kind}[${i}]`;
      // Whole percents: the threshold is part of the notification's key.
      if (!(Number.isInteger(threshold) && threshold > 0 && threshold <= MAX_THRESHOLD)) {
        problems.push({
          path,
          message: "is not a threshold",
          value: threshold,
          allowed: `a whole percent from 1 to ${MAX_THRESHOLD}`,
        });
      } else if (seen.has(threshold)) {
        problems.push({
          path,
          message: "repeats a threshold",
          value: threshold,
          allowed: `each ${kind} threshold once`,
        });
      } else {
        seen.add(threshold);
        notifications.push({ key: notificationKey(type, threshold), thresholdType: type, threshold });
      }
    });
  }
  const count = lists.actual.length + lists.forecasted.length;
  if (count === 0 || count > MAX_NOTIFICATIONS) {
    problems.push({
      path: "thresholds",
      message: `has ${count} thresholds; Azure sends a budget's alerts through at most ${MAX_NOTIFICATIONS} notifications`,
      value: count,
      allowed: `1 to ${MAX_NOTIFICATIONS} thresholds, actual and forecasted together`,
    });
  }

  if (options.contactEmails.length === 0) {
    problems.push({
      path: "contactEmails",
      message: "is empty; a budget at subscription scope needs a contact for its alerts",
      allowed: "at least one email address",
    });
  }
  options.contactEmails.forEach((email, i) => {
    if (!EMAIL.test(email)) {
      problems.push({
        path: `contactEmails[${i}]`,
        message: "is not an email address",
        value: email,
        allowed: "an email address such as instructor@uni.edu",
      });
    }
  });

  if (
    !isDate(options.startDate) ||
    !options.startDate.endsWith("-01") ||
    options.startDate < EARLIEST_START
  ) {
    problems.push({
      path: "startDate",
      message: "is not a budget start date",
      value: options.startDate,
      allowed: `the first of a month, YYYY-MM-01, on or after ${EARLIEST_START}`,
    });
  }
  if (options.endDate !== undefined) {
    if (!isDate(options.endDate)) {
      problems.push({
        path: "endDate",
        message: "is not a date",
        value: options.endDate,
        allowed: "a date as YYYY-MM-DD",
      });
    } else if (options.endDate <= options.startDate) {
      problems.push({
        path: "endDate",
        message: `is not after the budget's start, ${options.startDate}`,
        value: options.endDate,
        allowed: `a date after ${options.startDate}`,
      });
    }
  }

  const studentBudgetNames: Record<string, string> = {};
  const perStudent = options.perStudent;
  if (perStudent) {
    if (!(Number.isFinite(perStudent.amount) && perStudent.amount > 0)) {
      problems.push({
        path: "perStudent",
        message: "is not a budget amount",
        value: perStudent.amount,
        allowed: "a number above 0",
      });
    }
    for (const key of perStudent.students) {
      const name = `${options.budgetName}-${key}`;
      if (BUDGET_NAME.test(options.budgetName) && !BUDGET_NAME.test(name)) {
        problems.push({
          path: "perStudent",
          message: `gives student ${key} the budget name ${name}, which is too long`,
          value: name,
          allowed: "1 to 63 letters, digits, hyphens and underscores",
        });
      }
      studentBudgetNames[key] = name;
    }
  }

  if (problems.length > 0) return { problems };
  return {
    value: {
      budgetName: options.budgetName,
      amount: options.amount,
      currency,
      notifications,
      contactEmails: [...options.contactEmails],
      startDate: options.startDate,
      ...(options.endDate !== undefined ? { endDate: options.endDate } : {}),
      studentBudgetNames,
      ...(perStudent ? { perStudentAmount: perStudent.amount } : {}),
    },
    problems: [],
  };
}

/** The first of `asOf`'s month (UTC), as YYYY-MM-01: Azure's start of the current monthly budget period. */
export function budgetStartDate(asOf: Date): string {
  return `${asOf.toISOString().slice(0, 7)}-01`;
}

/** The last day of `date`'s month (YYYY-MM-DD in, YYYY-MM-DD out). */
export function monthEnd(date: string): string {
  const [y, m] = date.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}
