import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../src/config/parse.ts";
import { DEFAULT_ASSUMPTIONS } from "../../src/cost/types.ts";
import { formatProblem } from "../../src/errors.ts";
import { estimateOptions } from "../../src/plan/cost.ts";

const parsed = (cost: unknown) => parseStackConfig({ "azlab:cost": cost }, []);
const costProblems = (cost: unknown) =>
  parsed(cost)
    .problems.filter((p) => p.path.startsWith("azlab:cost"))
    .map((p) => formatProblem(p, "Pulumi.x.yaml"));

describe("azlab:cost", () => {
  it("reports every bad assumption and threshold at the key the user wrote", () => {
    expect(
      costProblems({ assumptions: { natGatewayDataGb: -1, egressGb: 3 }, riskThreshold: "ten" }),
    ).toEqual([
      "Pulumi.x.yaml: azlab:cost.assumptions.natGatewayDataGb: is too small (got -1; allowed: at least 0)",
      "Pulumi.x.yaml: azlab:cost.assumptions.egressGb: is not a known setting (allowed: natGatewayDataGb, loadBalancerDataGb, storageGb, storageWriteOps10k, storageReadOps10k, peeringDataGb)",
      'Pulumi.x.yaml: azlab:cost.riskThreshold: must be a number (got "ten"; allowed: a number)',
    ]);
  });

  it("is optional, and an override replaces only the assumptions it names", () => {
    expect(costProblems(undefined)).toEqual([]);
    expect(costProblems({ assumptions: { storageGb: 50 }, riskThreshold: 25 })).toEqual([]);
    const options = estimateOptions({
      location: "westeurope",
      assumptions: { storageGb: 50, natGatewayDataGb: undefined },
      riskThreshold: 25,
      asOf: new Date("2026-12-01T10:00:00Z"),
    });
    expect(options.assumptions).toEqual({ ...DEFAULT_ASSUMPTIONS, storageGb: 50 });
    expect(options.riskThreshold).toBe(25);
    expect(options.period).toBeNull();
  });
});

describe("azlab:class.budget amounts", () => {
  it("says a budget must be more than 0, not at least 0, when it is 0 or less", () => {
    const budget = (amount: number) =>
      parseStackConfig(
        { "azlab:class": { budget: { amount, contactEmails: ["instructor@example.edu"], perStudent: 0 } } },
        [],
      )
        .problems.filter((p) => p.path.startsWith("azlab:class.budget"))
        .map((p) => formatProblem(p, "Pulumi.x.yaml"));
    expect(budget(0)).toEqual([
      "Pulumi.x.yaml: azlab:class.budget.amount: is too small (got 0; allowed: more than 0)",
      "Pulumi.x.yaml: azlab:class.budget.perStudent: is too small (got 0; allowed: more than 0)",
    ]);
  });
});
