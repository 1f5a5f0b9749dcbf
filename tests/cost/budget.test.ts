import { describe, expect, it } from "vitest";
import { FunctionToken } from "../../src/azure/catalog.ts";
import { Budget, type BudgetArgs } from "../../components/cost/budget.ts";
import {
  budgetStartDate,
  monthEnd,
  normalizeBudget,
  type BudgetOptions,
} from "../../src/validation/budget.ts";
import { countByType, planShipped, registeredBeforeError, resource, run } from "../support/offline.ts";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { loadStackFile } from "../../src/config/stackFile.ts";
import { planStackOffline } from "../../src/program/offline.ts";
import { prepareStack } from "../../src/program/preflight.ts";

const BUDGET = "azure-native:consumption:Budget";
const SUBSCRIPTION = "/subscriptions/00000000-0000-0000-0000-000000000000";

const options: BudgetOptions = {
  budgetName: "budget-azlab-class-demo",
  amount: 500,
  contactEmails: ["instructor@uni.edu"],
  startDate: "2026-12-01",
  endDate: "2027-02-28",
};
const base: BudgetArgs = {
  budgetName: "budget-azlab-class-demo",
  amount: 500,
  contactEmails: ["instructor@uni.edu"],
  startDate: "2026-12-01",
  endDate: "2027-02-28",
  resourceGroupNames: ["rg-a", "rg-b"],
};

describe("Budget", () => {
  it("declares a monthly Cost budget at subscription scope over the resource groups, one alert per threshold", async () => {
    const result = await run(() => {
      const b = new Budget("budget", {
        ...base,
        thresholds: { actual: [50, 80, 100], forecasted: [100] },
      });
      return { name: b.budgetName };
    });
    expect(countByType(result)).toEqual({ "azlab:cost:Budget": 1, [BUDGET]: 1 });
    const budget = resource(result, BUDGET, "budget");
    const alert = (thresholdType: string, threshold: number) => ({
      enabled: true,
      operator: "GreaterThan",
      threshold,
      thresholdType,
      contactEmails: ["instructor@uni.edu"],
    });
    expect(budget.inputs).toEqual({
      budgetName: "budget-azlab-class-demo",
      scope: SUBSCRIPTION,
      amount: 500,
      category: "Cost",
      timeGrain: "Monthly",
      timePeriod: { startDate: "2026-12-01", endDate: "2027-02-28" },
      filter: { dimensions: { name: "ResourceGroupName", operator: "In", values: ["rg-a", "rg-b"] } },
      notifications: {
        Actual_GreaterThan_50_Percent: alert("Actual", 50),
        Actual_GreaterThan_80_Percent: alert("Actual", 80),
        Actual_GreaterThan_100_Percent: alert("Actual", 100),
        Forecasted_GreaterThan_100_Percent: alert("Forecasted", 100),
      },
    });
    expect(budget.parent).toBe("urn:pulumi:dev::azlab::azlab:cost:Budget::budget");
    expect(budget.ignoreChanges).toEqual(["timePeriod.startDate"]);
    expect(result.outputs).toEqual({ name: "budget-azlab-class-demo" });
    expect(result.calls.map((c) => c.token)).toEqual([FunctionToken.getClientConfig]);
  });

  it("adds one budget per student over that student's groups, with the per-student amount", async () => {
    const result = await run(() => {
      new Budget("budget", {
        ...base,
        perStudent: { amount: 20, resourceGroupNames: { alice: ["rg-alice"], bob: ["rg-bob", "mc-bob"] } },
      });
    });
    expect(countByType(result)).toEqual({ "azlab:cost:Budget": 1, [BUDGET]: 3 });
    const bob = resource(result, BUDGET, "budget-bob").inputs;
    expect(bob["budgetName"]).toBe("budget-azlab-class-demo-bob");
    expect(bob["amount"]).toBe(20);
    expect(bob["filter"]).toEqual({
      dimensions: { name: "ResourceGroupName", operator: "In", values: ["rg-bob", "mc-bob"] },
    });
    // The recorder keeps keys sorted.
    expect(Object.keys(bob["notifications"] as object)).toEqual([
      "Actual_GreaterThan_100_Percent",
      "Actual_GreaterThan_50_Percent",
      "Actual_GreaterThan_80_Percent",
      "Forecasted_GreaterThan_100_Percent",
    ]);
    expect(resource(result, BUDGET, "budget-alice").inputs["amount"]).toBe(20);
  });

  it("registers nothing for bad arguments and names every problem", async () => {
    const { types, error } = await registeredBeforeError(
      () =>
        void new Budget("budget", {
          ...base,
          amount: 0,
          contactEmails: ["not-an-email"],
          thresholds: { actual: [50, 50, 1001], forecasted: [80, 90, 100] },
          startDate: "2026-12-15",
        }),
    );
    expect(types).toEqual(["pulumi:pulumi:Stack"]);
    expect(error).toMatchObject({
      name: "UserError",
      problems: [
        "amount: is not a budget amount (got 0; allowed: a number above 0)",
        "thresholds.actual[1]: repeats a threshold (got 50; allowed: each actual threshold once)",
        "thresholds.actual[2]: is not a threshold (got 1001; allowed: a whole percent from 1 to 1000)",
        "thresholds: has 6 thresholds; Azure sends a budget's alerts through at most 5 notifications (got 6; allowed: 1 to 5 thresholds, actual and forecasted together)",
        'contactEmails[0]: is not an email address (got "not-an-email"; allowed: an email address such as instructor@uni.edu)',
        'startDate: is not a budget start date (got "2026-12-15"; allowed: the first of a month, YYYY-MM-01, on or after 2017-06-01)',
      ],
    });
  });
});

describe("normalizeBudget", () => {
  it("defaults to USD, actual 50/80/100 and forecasted 100", () => {
    const { value } = normalizeBudget(options);
    expect(value?.currency).toBe("USD");
    expect(value?.notifications.map((n) => n.key)).toEqual([
      "Actual_GreaterThan_50_Percent",
      "Actual_GreaterThan_80_Percent",
      "Actual_GreaterThan_100_Percent",
      "Forecasted_GreaterThan_100_Percent",
    ]);
  });

  it("refuses an end before the start, no thresholds, no contacts and a student name that is too long", () => {
    const { problems } = normalizeBudget({
      ...options,
      budgetName: "b".repeat(60),
      endDate: "2026-11-30",
      contactEmails: [],
      thresholds: { actual: [], forecasted: [] },
      perStudent: { amount: 5, students: ["alice"] },
    });
    expect(problems).toEqual([
      {
        path: "thresholds",
        message: "has 0 thresholds; Azure sends a budget's alerts through at most 5 notifications",
        value: 0,
        allowed: "1 to 5 thresholds, actual and forecasted together",
      },
      {
        path: "contactEmails",
        message: "is empty; a budget at subscription scope needs a contact for its alerts",
        allowed: "at least one email address",
      },
      {
        path: "endDate",
        message: "is not after the budget's start, 2026-12-01",
        value: "2026-11-30",
        allowed: "a date after 2026-12-01",
      },
      {
        path: "perStudent",
        message: `gives student alice the budget name ${"b".repeat(60)}-alice, which is too long`,
        value: `${"b".repeat(60)}-alice`,
        allowed: "1 to 63 letters, digits, hyphens and underscores",
      },
    ]);
  });

  it("starts on the first of the as-of month and ends on the last day of a month", () => {
    expect(budgetStartDate(new Date("2026-12-19T23:00:00Z"))).toBe("2026-12-01");
    expect(monthEnd("2027-02-05")).toBe("2027-02-28");
    expect(monthEnd("2028-02-05")).toBe("2028-02-29");
    expect(monthEnd("2026-12-31")).toBe("2026-12-31");
  });
});

describe("the class-demo budget", () => {
  const variant = (edit: (budget: Record<string, unknown>) => void) => {
    const doc = parse(readFileSync("stacks/Pulumi.class-demo.yaml", "utf8")) as {
      config: { "azlab:class": { budget: Record<string, unknown> } };
    };
    edit(doc.config["azlab:class"].budget);
    const dir = mkdtempSync(join(tmpdir(), "azlab-budget-"));
    const file = join(dir, "Pulumi.class-demo.yaml");
    writeFileSync(file, stringify(doc));
    copyFileSync("stacks/Pulumi.class-demo.lock.json", join(dir, "Pulumi.class-demo.lock.json"));
    return loadStackFile(file, "class-demo");
  };

  it("plans a class budget over every class resource group and one per student", async () => {
    // The worker's shared plan, at SHIPPED_AS_OF (2026-12-01). A mid-month as-of rounding down to the 1st
    // is shown by the dev budget below (2026-12-15) and by the class that is over (2027-03-02).
    const result = await planShipped("class-demo");
    const budgets = result.resources
      .filter((r) => r.type === BUDGET)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(budgets.map((b) => [b.name, b.inputs["budgetName"], b.inputs["amount"]])).toEqual([
      ["budget", "budget-lab-class-demo", 500],
      ["budget-alice", "budget-lab-class-demo-alice", 40],
      ["budget-bob", "budget-lab-class-demo-bob", 40],
      ["budget-carol", "budget-lab-class-demo-carol", 40],
    ]);
    const main = budgets[0]!.inputs;
    // The shared cluster's nodes bill in its node resource group, the registry in the shared one.
    expect(main["filter"]).toEqual({
      dimensions: {
        name: "ResourceGroupName",
        operator: "In",
        values: [
          "rg-lab-class-demo-alice",
          "rg-lab-class-demo-bob",
          "rg-lab-class-demo-carol",
          "rg-lab-class-demo-hub",
          "rg-lab-class-demo-hub-aks-nodes",
          "rg-lab-class-demo-shared",
        ],
      },
    });
    // From the first of the as-of month to the end of the month of expiresOn (2027-01-31).
    expect(main["timePeriod"]).toEqual({ startDate: "2026-12-01", endDate: "2027-01-31" });
    expect(Object.keys(main["notifications"] as object)).toEqual([
      "Actual_GreaterThan_100_Percent",
      "Actual_GreaterThan_50_Percent",
      "Actual_GreaterThan_80_Percent",
      "Forecasted_GreaterThan_100_Percent",
    ]);
    expect(budgets[2]!.inputs["filter"]).toEqual({
      dimensions: { name: "ResourceGroupName", operator: "In", values: ["rg-lab-class-demo-bob"] },
    });
  });

  it("ends with the start month when the class is already over", async () => {
    const loaded = loadStackFile("stacks/Pulumi.class-demo.yaml", "class-demo");
    const result = await planStackOffline(loaded, { asOf: new Date("2027-03-02T00:00:00Z") });
    const main = result.resources.find((r) => r.type === BUDGET && r.name === "budget")!;
    expect(main.inputs["timePeriod"]).toEqual({ startDate: "2027-03-01", endDate: "2027-03-31" });
  });

  it("reports bad budget settings at the keys the user wrote, all at once", () => {
    const loaded = variant((b) => {
      b["thresholds"] = { actual: [50, 80, 100, 120, 150], forecasted: [100] };
      b["contactEmails"] = ["instructor-at-example.edu"];
    });
    expect(() => prepareStack(loaded)).toThrow(
      expect.objectContaining({
        problems: [
          expect.stringContaining(
            "azlab:class.budget.thresholds: has 6 thresholds; Azure sends a budget's alerts through at most 5 notifications (got 6; allowed: 1 to 5 thresholds, actual and forecasted together)",
          ),
          expect.stringContaining(
            'azlab:class.budget.contactEmails[0]: is not an email address (got "instructor-at-example.edu"; allowed: an email address such as instructor@uni.edu)',
          ),
        ],
      }),
    );
  });
});

describe("azlab:budget", () => {
  const variant = (stack: string, edit: (config: Record<string, unknown>) => void) => {
    const doc = parse(readFileSync(`stacks/Pulumi.${stack}.yaml`, "utf8")) as {
      config: Record<string, unknown>;
    };
    edit(doc.config);
    const dir = mkdtempSync(join(tmpdir(), "azlab-budget-"));
    const file = join(dir, `Pulumi.${stack}.yaml`);
    writeFileSync(file, stringify(doc));
    copyFileSync(`stacks/Pulumi.${stack}.lock.json`, join(dir, `Pulumi.${stack}.lock.json`));
    return loadStackFile(file, stack);
  };

  it("gives a dev stack a budget over its resource groups, with Azure's default end", async () => {
    const loaded = variant("dev", (c) => {
      c["azlab:budget"] = { amount: 150, contactEmails: ["team@example.com"] };
    });
    const result = await planStackOffline(loaded, { asOf: new Date("2026-12-15T00:00:00Z") });
    const budgets = result.resources.filter((r) => r.type === BUDGET);
    expect(budgets.map((b) => b.name)).toEqual(["budget"]);
    const inputs = budgets[0]!.inputs;
    expect(inputs["budgetName"]).toBe("budget-azlab-dev");
    expect(inputs["amount"]).toBe(150);
    expect(inputs["timePeriod"]).toEqual({ startDate: "2026-12-01" });
    // Its own group, its cluster's node group and the registry's shared group.
    expect(inputs["filter"]).toEqual({
      dimensions: {
        name: "ResourceGroupName",
        operator: "In",
        values: ["rg-azlab-dev", "rg-azlab-dev-aks-nodes", "rg-azlab-dev-shared"],
      },
    });
  });

  it("is refused in a class stack, and perStudent is refused outside one", () => {
    const inClass = variant("class-demo", (c) => {
      c["azlab:budget"] = { amount: 100, contactEmails: ["a@example.com"] };
    });
    expect(() => prepareStack(inClass)).toThrow(
      "azlab:budget: is for dev and prod stacks; a class sets its budget under azlab:class.budget (allowed: azlab:class.budget)",
    );
    const inDev = variant("dev", (c) => {
      c["azlab:budget"] = { amount: 100, contactEmails: ["a@example.com"], perStudent: 5 };
    });
    expect(() => prepareStack(inDev)).toThrow(
      "azlab:budget.perStudent: applies to class stacks only; a dev or prod stack has no students (got 5; allowed: no perStudent outside azlab:class.budget)",
    );
  });
});
