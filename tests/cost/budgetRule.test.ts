import { describe, expect, it } from "vitest";
import { budgetMonths } from "../../src/policy/costRules.ts";
import { evaluateResources, policyContextFromConfig } from "../../src/policy/evaluate.ts";
import type { RecordedResource } from "../../src/model/recorded.ts";

const ASOF = new Date("2026-12-01T00:00:00Z");

function recorded(type: string, name: string, inputs: Record<string, unknown>): RecordedResource {
  return {
    urn: `urn:pulumi:class-x::azlab::${type}::${name}`,
    type,
    name,
    custom: true,
    inputs,
    dependencies: [],
    ignoreChanges: [],
  } as unknown as RecordedResource;
}

// The price table prices ACR Basic ($0.167 a day: $5.0796 a month) and has no figure for Bastion Basic.
const registry = (tags: Record<string, string> = {}, name = "acr") =>
  recorded("azure-native:containerregistry:Registry", name, { sku: { name: "Basic" }, tags });
const bastion = (name: string) =>
  recorded("azure-native:network:BastionHost", name, { sku: { name: "Basic" } });
const unpricedPair = [bastion("bastion-a"), bastion("bastion-b")];

function classContext(budget: { amount: number; perStudent?: number }) {
  return policyContextFromConfig(
    {
      stack: "class-x",
      config: {
        environment: "class",
        location: "westeurope",
        // Ends with 31 January in UTC: 2 budget months (December, January) from the as-of day.
        class: { expiresOn: "2027-01-31", timeZone: "UTC", students: {}, budget },
        policy: { overrides: {} },
      },
    },
    ASOF,
  );
}

const cost = (findings: ReturnType<typeof evaluateResources>) =>
  findings.filter((f) => f.id === "AZL-COST-001").map((f) => [f.severity, f.resource, f.message]);

describe("AZL-COST-001 (estimate over budget)", () => {
  it("warns for the month and for the class period, and says 'at least' when meters are unpriced", () => {
    const findings = evaluateResources([registry(), ...unpricedPair], classContext({ amount: 5 }));
    expect(cost(findings)).toEqual([
      [
        "warning",
        "stack",
        "The stack's estimate for the class period (2026-12-01 to 2027-01-31), at least US$10.35, exceeds the budget over it, US$5.00 a month × 2 months = US$10.00 (azlab:class.budget.amount); 2 meters are unpriced, so the estimate is a lower bound",
      ],
      [
        "warning",
        "stack",
        "The stack's estimate, at least US$5.08 a month, exceeds the budget of US$5.00 a month (azlab:class.budget.amount); 2 meters are unpriced, so the estimate is a lower bound",
      ],
    ]);
    expect(findings.find((f) => f.id === "AZL-COST-001")?.fix).toBe(
      "Raise azlab:class.budget.amount or make the class cheaper (fewer or smaller machines, class-hours schedules); docs/costs.md#budgets",
    );
  });

  it("drops 'at least' when every meter is priced, and checks each student against perStudent", () => {
    const findings = evaluateResources(
      [registry({ student: "alice" }, "acr-alice")],
      classContext({ amount: 100, perStudent: 3 }),
    );
    expect(cost(findings)).toEqual([
      [
        "warning",
        "stack",
        "Student alice's estimate for the class period (2026-12-01 to 2027-01-31), US$10.35, exceeds the budget over it, US$3.00 a month × 2 months = US$6.00 (azlab:class.budget.perStudent)",
      ],
      [
        "warning",
        "stack",
        "Student alice's estimate, US$5.08 a month, exceeds the budget of US$3.00 a month (azlab:class.budget.perStudent)",
      ],
    ]);
  });

  it("is silent within the budget, and without a budget", () => {
    expect(cost(evaluateResources([registry(), ...unpricedPair], classContext({ amount: 6 })))).toEqual([]);
    const none = policyContextFromConfig(
      { stack: "class-x", config: { environment: "class", location: "westeurope" } },
      ASOF,
    );
    expect(none.budget).toBeUndefined();
    expect(cost(evaluateResources([registry()], none))).toEqual([]);
  });

  it("compares a dev stack's monthly estimate with azlab:budget", () => {
    const context = policyContextFromConfig(
      {
        stack: "dev",
        config: { environment: "dev", location: "westeurope", budget: { amount: 5 } },
      },
      ASOF,
    );
    expect(context.budget).toEqual({
      key: "azlab:budget",
      amount: 5,
      location: "westeurope",
      assumptions: {},
    });
    expect(cost(evaluateResources([registry()], context))).toEqual([
      [
        "warning",
        "stack",
        "The stack's estimate, US$5.08 a month, exceeds the budget of US$5.00 a month (azlab:budget.amount)",
      ],
    ]);
  });

  it("counts the calendar months a monthly budget resets through", () => {
    const d = (s: string) => new Date(s);
    expect(budgetMonths(d("2026-12-01T00:00:00Z"), d("2027-02-01T00:00:00Z"))).toBe(2);
    expect(budgetMonths(d("2026-12-19T00:00:00Z"), d("2026-12-20T00:00:00Z"))).toBe(1);
    expect(budgetMonths(d("2026-12-01T00:00:00Z"), d("2027-01-31T23:00:00Z"))).toBe(2);
    expect(budgetMonths(d("2027-02-01T00:00:00Z"), d("2027-01-31T00:00:00Z"))).toBe(0);
  });
});
