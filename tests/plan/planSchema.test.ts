import { beforeAll, describe, expect, it } from "vitest";
import { diffExitCode, diffPlans, renderDiffMarkdown } from "../../src/plan/diff.ts";
import { renderPlanMarkdown } from "../../src/plan/markdown.ts";
import type { PlanDocument } from "../../src/plan/document.ts";
import { MAX_PLAN_DEPTH, MAX_PLAN_PROBLEMS, validatePlanDocument } from "../../src/plan/planSchema.ts";
import { bigPlan } from "../../bench/hostilePlans.ts";
import { classProgram, editable, planOf } from "./fixtures.ts";

const FILE = "plans/head/test.json";
const URN = "urn:pulumi:test::azlab::";

let plan: PlanDocument;

beforeAll(async () => {
  plan = await planOf(classProgram({ alice: { octet: 1 }, bob: { octet: 2 } }));
}, 120_000);

/** The plan as `azlab diff` reads it: through JSON text. */
function asJson(doc: unknown): unknown {
  return JSON.parse(JSON.stringify(doc));
}

describe("validatePlanDocument", () => {
  it("accepts a plan written by azlab plan, and returns it", () => {
    const json = asJson(plan);
    expect(validatePlanDocument(json, FILE)).toEqual({ plan: json, problems: [], messages: [] });
  });

  it("refuses what is not a plan, naming the file and what is allowed", () => {
    expect(validatePlanDocument([], FILE).messages).toEqual([
      `${FILE}: (top): must be object (got "an array of 0"; allowed: object)`,
    ]);
    expect(validatePlanDocument({ version: "azlab.plan/v0" }, FILE).messages).toEqual([
      `${FILE}: version: is not an azlab plan version (got "azlab.plan/v0"; allowed: "azlab.plan/v1" (a file written by azlab plan --format json))`,
    ]);
  });

  it("reports every field that is missing or of the wrong kind at once, by its JSON path", () => {
    const doc = editable(plan);
    delete doc.resources[0].custom;
    doc.resources[1].dependencies = ["ok", 7];
    doc.resources[2].type = "constructor";
    doc.network[0].subnets[0].cidrs = "10.1.0.0/26";
    doc.nsgRules[0].priority = "100";
    doc.findings = [
      { id: "AZL-X", severity: "fatal", enforcement: "mandatory", resource: "stack", message: "m" },
    ];
    delete doc.outputs;
    const result = validatePlanDocument(asJson(doc), FILE);
    expect(result.plan).toBeUndefined();
    expect(result.messages).toEqual([
      `${FILE}: outputs: missing (allowed: object)`,
      `${FILE}: resources[0].custom: missing (allowed: boolean)`,
      `${FILE}: resources[1].dependencies[1]: must be a string (got 7; allowed: a string)`,
      `${FILE}: resources[2].urn: does not end in this resource's type and name (constructor::${doc.resources[2].name}) (got "${doc.resources[2].urn}")`,
      `${FILE}: resources[2].type: is not a type token (got "constructor"; allowed: package:module:Type)`,
      `${FILE}: network[0].subnets[0].cidrs: must be array (got "10.1.0.0/26"; allowed: array)`,
      `${FILE}: nsgRules[0].priority: must be number or null (got "100"; allowed: number or null)`,
      `${FILE}: findings[0].fix: missing (allowed: string)`,
    ]);
  });

  it("refuses duplicated URNs instead of diffing them as no change", () => {
    const doc = editable(plan);
    doc.resources.push(structuredClone(doc.resources[1]));
    const last = doc.resources.length - 1;
    expect(validatePlanDocument(asJson(doc), FILE).messages).toEqual([
      `${FILE}: resources[${last}].urn: is duplicated (also resources[1].urn); a URN names one resource (got "${doc.resources[1].urn}")`,
    ]);
  });

  it("refuses parents that are not in the plan or that loop", () => {
    const doc = editable(plan);
    const [a, b] = [doc.resources[0], doc.resources[1]];
    a.parent = b.urn;
    b.parent = a.urn;
    doc.resources[2].parent = `${URN}azlab:test:Gone::ghost`;
    expect(validatePlanDocument(asJson(doc), FILE).messages).toEqual([
      `${FILE}: resources[2].parent: names no resource of this plan (got "${URN}azlab:test:Gone::ghost")`,
      `${FILE}: resources[0].parent: is part of a parent cycle (got "${b.urn}")`,
    ]);
  });

  it("refuses nesting deeper than the limit without recursing, even a million levels deep", () => {
    const doc = editable(plan);
    doc.resources[0].inputs = { deep: "HOLE" };
    const depth = 1_000_000;
    const text = JSON.stringify(doc).replace('"HOLE"', `${"[".repeat(depth)}${"]".repeat(depth)}`);
    const result = validatePlanDocument(JSON.parse(text), FILE);
    // resources[0].inputs.deep is 4 levels down; the arrays fill the rest up to the limit.
    const path = `resources[0].inputs.deep${"[0]".repeat(MAX_PLAN_DEPTH - 4)}`;
    expect(result.messages).toEqual([
      `${FILE}: ${path}: nests deeper than ${MAX_PLAN_DEPTH} levels (allowed: at most ${MAX_PLAN_DEPTH} levels (a file written by azlab plan --format json))`,
    ]);
  });

  it("lists the first problems and counts the rest", () => {
    const doc = editable(plan);
    doc.nsgRules = Array.from({ length: MAX_PLAN_PROBLEMS + 7 }, () => ({}));
    const result = validatePlanDocument(asJson(doc), FILE);
    expect(result.problems).toHaveLength(MAX_PLAN_PROBLEMS);
    expect(result.messages.at(-1)).toBe(
      `${FILE}: … and ${(MAX_PLAN_PROBLEMS + 7) * 9 - MAX_PLAN_PROBLEMS} more problems`,
    );
  });
});

describe("diffing hostile plans", () => {
  // Speed is measured by `npm run bench` (40,000 against 40,000), never by a timed test.
  it("validates, diffs and renders 5,000 against 5,000 renamed resources as replacements", () => {
    const base = asJson(bigPlan(5_000, "old"));
    const head = asJson(bigPlan(5_000, "new"));
    const a = validatePlanDocument(base, "base.json");
    const b = validatePlanDocument(head, "head.json");
    expect([a.messages, b.messages]).toEqual([[], []]);
    const diff = diffPlans(a.plan!, b.plan!);
    const md = renderDiffMarkdown(diff);
    // Every subnet keeps its Azure name under a new Pulumi name without an alias: 5,000 replacements.
    expect(diff.summary).toEqual({
      added: 0,
      removed: 0,
      replaced: 5_000,
      changed: 0,
      outputsChanged: 0,
      risks: 5_000,
    });
    expect(diffExitCode(diff)).toBe(3);
    expect(md.length).toBeLessThanOrEqual(60_000);
  });

  it("renders a plan with 10,000 rules in one NSG within the comment limit", () => {
    const doc = editable(bigPlan(1_000, "n"));
    doc.nsgRules = Array.from({ length: 10_000 }, (_, i) => ({
      nsg: "hub-nsg",
      name: `r${i}`,
      priority: 100 + i,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      source: ["10.0.0.0/8"],
      destination: ["*"],
      ports: [String(i % 65_536)],
    }));
    const check = validatePlanDocument(asJson(doc), "plan.json");
    expect(check.messages).toEqual([]);
    const md = renderPlanMarkdown(check.plan!);
    expect(md.length).toBeLessThanOrEqual(60_000);
    expect(md).toContain("**1,001 resources**");
  });

  it("validates and diffs a 10,000-deep parent chain", () => {
    const base = asJson(bigPlan(10_000, "n", true));
    const check = validatePlanDocument(base, "base.json");
    expect(check.messages).toEqual([]);
    const diff = diffPlans(check.plan!, check.plan!);
    expect(diffExitCode(diff)).toBe(0);
  });
});
