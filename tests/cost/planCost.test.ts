import { describe, expect, it } from "vitest";
import { estimateOptions } from "../../src/plan/cost.ts";
import { buildPlanDocument, type PlanDocument } from "../../src/plan/document.ts";
import { diffExitCode, diffPlans, renderDiffMarkdown } from "../../src/plan/diff.ts";
import { costSection } from "../../src/plan/markdownCost.ts";
import { validatePlanDocument } from "../../src/plan/planSchema.ts";
import type { CostedResource } from "../../src/cost/usage.ts";
import type { RecordedResource } from "../../src/model/recorded.ts";
import { natGateway, registry, scaleSet, TEST_TABLE } from "./fixtures.ts";

function recorded(resources: readonly CostedResource[]): RecordedResource[] {
  const components = [...new Set(resources.map((r) => r.parent).filter((p): p is string => !!p))];
  return [
    ...components.map((urn) => ({
      urn,
      type: "azlab:compute:ScaleSet",
      name: urn.split("::").pop()!,
      custom: false,
      dependencies: [],
      protect: false,
      retainOnDelete: false,
      ignoreChanges: [],
      inputs: {},
      secretInputs: [],
    })),
    ...resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.urn.split("::").pop()!,
      custom: r.custom,
      ...(r.parent ? { parent: r.parent } : {}),
      dependencies: [],
      protect: false,
      retainOnDelete: false,
      ignoreChanges: [],
      inputs: r.inputs,
      secretInputs: [],
    })),
  ];
}

function plan(resources: readonly CostedResource[], riskThreshold: number | null = null): PlanDocument {
  const cost = estimateOptions(
    {
      location: "westeurope",
      riskThreshold,
      class: { expiresOn: "2026-12-10", timeZone: "UTC" },
      // Cut to 00:00 UTC: the period is 2026-12-01 to 2026-12-11, 240 h.
      asOf: new Date("2026-12-01T15:45:00Z"),
    },
    TEST_TABLE,
  );
  return buildPlanDocument(
    { resources: recorded(resources), calls: [], outputs: {} },
    {
      stack: "demo",
      file: "stacks/Pulumi.demo.yaml",
      findings: [],
      cost,
    },
  );
}

const base = plan([...scaleSet("alice"), natGateway]);

describe("the plan's cost estimate", () => {
  it("is in the plan JSON with the class period from the as-of day to expiry, and passes the plan schema", () => {
    expect(base.cost?.period).toEqual({
      from: "2026-12-01T00:00:00.000Z",
      to: "2026-12-11T00:00:00.000Z",
      hours: 240,
    });
    expect(
      base.cost?.lines.map((l) => [l.scope, l.meter.id, l.region, l.unitOfMeasure, l.priceDate]),
    ).toEqual([
      ["shared", "nat:Standard:data", "westeurope", "1 GB", "2026-11-01"],
      ["shared", "nat:Standard:hour", "westeurope", "1 Hour", "2026-11-01"],
      ["student", "disk:StandardSSD_LRS:E4", "westeurope", "1/Month", "2026-11-01"],
      ["student", "vm:Standard_B1s", "westeurope", "1 Hour", "2026-11-01"],
    ]);
    expect(validatePlanDocument(JSON.parse(JSON.stringify(base)), "p.json").problems).toEqual([]);
  });

  it("is checked when a plan comes from outside", () => {
    const bad = JSON.parse(JSON.stringify(base)) as Record<string, unknown> & {
      cost: Record<string, unknown>;
    };
    bad.cost["total"] = { monthly: "lots" };
    (bad.cost["lines"] as Record<string, unknown>[])[0]!["category"] = "snacks";
    expect(validatePlanDocument(bad, "p.json").messages).toEqual([
      "p.json: cost.total.hourly: must be a number (allowed: a number)",
      "p.json: cost.total.monthly: must be a number (allowed: a number)",
      "p.json: cost.total.classHours: must be a number (allowed: a number)",
      "p.json: cost.total.idle: must be a number (allowed: a number)",
      "p.json: cost.total.classPeriod: must be a number (allowed: a number)",
      "p.json: cost.total.priced: must be a number (allowed: a number)",
      "p.json: cost.total.unpriced: must be a number (allowed: a number)",
      "p.json: cost.lines[0].category: is not a cost category (allowed: compute, network, storage, containers)",
    ]);
  });

  it("renders the totals first, then a Mermaid pie by category and the folded meters", () => {
    const cost = base.cost!;
    const lines = costSection(base);
    const usd = (v: number) => `$${v.toFixed(2)}`;
    expect(lines.slice(0, 10)).toEqual([
      "### Cost estimate",
      "",
      `USD at the prices of the table dated 2026-11-02; a month is 730 h, of which 34.8 h are class hours (from the scale sets' schedules). The class period runs 2026-12-01 to 2026-12-11, 240 h. Usage-based meters use the assumptions in \`azlab:cost.assumptions\` (docs/costs.md).`,
      "",
      "| | Hourly | Monthly | Class hours | Idle | Class period | Unpriced |",
      "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
      `| **Total** | ${usd(cost.total.hourly)} | ${usd(cost.total.monthly)} | ${usd(cost.total.classHours)} | ${usd(cost.total.idle)} | ${usd(cost.total.classPeriod)} | none |`,
      "| Hub | — | — | — | — | — | none |",
      `| Shared (not in the hub or a student's environment) | ${usd(cost.shared.hourly)} | ${usd(cost.shared.monthly)} | ${usd(cost.shared.classHours)} | ${usd(cost.shared.idle)} | ${usd(cost.shared.classPeriod)} | none |`,
      `| Per student (mean of 1) | ${usd(cost.perStudent!.hourly)} | ${usd(cost.perStudent!.monthly)} | ${usd(cost.perStudent!.classHours)} | ${usd(cost.perStudent!.idle)} | ${usd(cost.perStudent!.classPeriod)} | none |`,
    ]);
    expect(lines.slice(11, 17)).toEqual([
      "```mermaid",
      "pie showData title Monthly cost by category (USD)",
      `  "compute" : ${cost.byCategory.compute.toFixed(2)}`,
      `  "network" : ${cost.byCategory.network.toFixed(2)}`,
      `  "storage" : ${cost.byCategory.storage.toFixed(2)}`,
      "```",
    ]);
  });

  it("shows a dash, not $0.00, for a group whose meters are all unpriced", () => {
    const unpriced = {
      ...base,
      cost: { ...base.cost!, perStudent: { ...base.cost!.perStudent!, priced: 0, unpriced: 2 } },
    };
    expect(costSection(unpriced)[9]).toBe(
      "| Per student (mean of 1) | — | — | — | — | — | 2 unpriced across all students |",
    );
  });
});

describe("the cost section's size", () => {
  it("does not grow with the roster: student meters fold into one row each", () => {
    const roster = (n: number) =>
      plan([
        ...Array.from({ length: n }, (_, i) => scaleSet(`s${String(i).padStart(3, "0")}`)).flat(),
        natGateway,
      ]);
    const small = costSection(roster(2));
    const large = costSection(roster(100));
    expect(large.length).toBe(small.length);
    expect(large.join("\n").length).toBeLessThan(3_000);
    expect(large.find((l) => l.startsWith("| `Virtual Machines: B1s` (student)"))).toBe(
      `| \`Virtual Machines: B1s\` (student) | 100 | \`westeurope\` | ${Number((100 * (2 * ((8 * 730) / 168) + (730 - (8 * 730) / 168))).toFixed(2))} × 1 Hour | $0.01 | $${roster(100).cost!.byCategory.compute.toFixed(2)} | 2026-11-01 |`,
    );
  });
});

describe("cost in azlab diff", () => {
  const head = (threshold: number | null) =>
    plan([...scaleSet("alice"), ...scaleSet("bob"), natGateway, registry], threshold);

  it("reports the monthly and class-period change for the stack and per student", () => {
    const h = head(null);
    const diff = diffPlans(base, h);
    const b = base.cost!;
    const n = h.cost!;
    expect(diff.cost).toEqual({
      base: {
        monthly: b.total.monthly,
        classPeriod: b.total.classPeriod,
        perStudentMonthly: b.perStudent!.monthly,
        perStudentClassPeriod: b.perStudent!.classPeriod,
        unpriced: 0,
      },
      head: {
        monthly: n.total.monthly,
        classPeriod: n.total.classPeriod,
        perStudentMonthly: n.perStudent!.monthly,
        perStudentClassPeriod: n.perStudent!.classPeriod,
        unpriced: 0,
      },
      monthly: Math.round((n.total.monthly - b.total.monthly) * 10_000) / 10_000,
      classPeriod: Math.round((n.total.classPeriod - b.total.classPeriod) * 10_000) / 10_000,
      perStudentMonthly: 0,
      perStudentClassPeriod: 0,
      riskThreshold: null,
    });
    // bob's scale set plus the registry: one more student at the same cost, and $0.20 a day.
    expect(diff.cost!.monthly).toBe(Math.round((b.perStudent!.monthly + (0.2 * 730) / 24) * 10_000) / 10_000);
    expect(diff.risks).toEqual([]);
    expect(diffExitCode(diff)).toBe(2);
    const md = renderDiffMarkdown(diff);
    expect(md).toContain(
      `| Monthly | $${b.total.monthly.toFixed(2)} | $${n.total.monthly.toFixed(2)} | +$${diff.cost!.monthly!.toFixed(2)} |`,
    );
    expect(md).toContain("| Per student, monthly |");
  });

  it("makes a monthly increase above azlab:cost.riskThreshold a risky change", () => {
    const diff = diffPlans(base, head(5));
    expect(diff.risks).toEqual([
      {
        kind: "cost-increase",
        urn: "demo",
        message: `the monthly estimate rises by $${diff.cost!.monthly!.toFixed(2)} (from $${base.cost!.total.monthly.toFixed(2)} to $${diff.cost!.head!.monthly.toFixed(2)}), above azlab:cost.riskThreshold of $5.00`,
      },
    ]);
    expect(diffExitCode(diff)).toBe(3);
    expect(renderDiffMarkdown(diff)).toContain("| Cost increase above the threshold | `demo` |");
    // At or under the threshold it is only a change.
    expect(diffPlans(base, head(diffPlans(base, head(null)).cost!.monthly!)).risks).toEqual([]);
  });

  it("compares a plan without an estimate as unknown, never as zero", () => {
    const { cost: _dropped, ...old } = base;
    const diff = diffPlans(old as PlanDocument, head(1));
    expect(diff.cost?.monthly).toBeNull();
    expect(diff.risks).toEqual([]);
    expect(renderDiffMarkdown(diff)).toContain(
      "The base plan has no cost estimate, so the change is unknown.",
    );
  });
});
