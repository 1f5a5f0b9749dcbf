/**
 * `azlab validate` judges a stack by its projection (src/program/policyProjection.ts), `azlab plan` by the
 * full offline program. For every shipped stack and for stack files that trip each guardrail a stack file
 * can trip, the two must refuse the same problems, block on the same findings (rule, resource, message)
 * and warn about the same budget overruns. A new rule that a stack can trip, or a component whose records
 * the projection does not mirror, fails here.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { listStackFiles, loadStackFile, stackNameOf, type LoadedStack } from "../../src/config/stackFile.ts";
import { UserError } from "../../src/errors.ts";
import {
  evaluateResources,
  policyContextFromConfig,
  type Finding,
  type PolicyContext,
} from "../../src/policy/evaluate.ts";
import { planStackOffline } from "../../src/program/offline.ts";
import { prepareStack } from "../../src/program/preflight.ts";
import { PROJECTED_RULE_IDS, projectedRules, projectStack } from "../../src/program/policyProjection.ts";
import { planShipped, SHIPPED_AS_OF, urnName } from "../support/offline.ts";
import { RULE_KEYS } from "../../src/cli/commands/validate.ts";

/** Before every shipped class ends, so the expiry rule stays quiet unless a fixture moves the date. */
const AS_OF = SHIPPED_AS_OF;

type Outcome =
  | { readonly refused: readonly string[] }
  | { readonly blocking: readonly string[][]; readonly budget: readonly string[][] };

function summary(findings: readonly Finding[]): Outcome {
  return {
    blocking: findings
      .filter((f) => f.severity === "error" && f.enforcement === "mandatory")
      .map((f) => [f.id, urnName(f.resource), f.message]),
    budget: findings.filter((f) => f.id === "AZL-COST-001").map((f) => [f.severity, f.resource, f.message]),
  };
}

function refusal(error: unknown): Outcome {
  if (error instanceof UserError) return { refused: error.problems };
  throw error;
}

/**
 * The stack's own context, or one with a budget of a tenth of a cent a month, overall and per student:
 * then AZL-COST-001 prints every estimate, so the two routes must agree on every total to the cent.
 */
function contextOf(loaded: LoadedStack, tightBudget: boolean): PolicyContext {
  const context = policyContextFromConfig(loaded, AS_OF);
  if (!tightBudget) return context;
  const { location, cost } = loaded.config;
  return {
    ...context,
    budget: { key: "test", amount: 0.001, perStudent: 0.001, location, assumptions: cost?.assumptions ?? {} },
  };
}

/**
 * What `azlab plan` reports: the whole program under the offline engine, every rule, the outputs too.
 * A shipped stack's run is the worker's shared one.
 */
async function viaPlan(loaded: LoadedStack, tightBudget = false, shipped = false): Promise<Outcome> {
  try {
    const run = shipped ? await planShipped(loaded.stack) : await planStackOffline(loaded, { asOf: AS_OF });
    return summary(evaluateResources(run.resources, contextOf(loaded, tightBudget), run.outputs));
  } catch (error) {
    return refusal(error);
  }
}

/** What `azlab validate` reports: pre-flight, then the projected rules over the projection. */
function viaProjection(loaded: LoadedStack, tightBudget = false): Outcome {
  try {
    const plan = prepareStack(loaded).plan;
    return summary(
      evaluateResources(projectStack(plan), contextOf(loaded, tightBudget), undefined, projectedRules),
    );
  } catch (error) {
    return refusal(error);
  }
}

/** Settings by dotted path into the config (`azlab:aks.systemPool.maxPods`); the value replaces what is there. */
type Edits = Readonly<Record<string, unknown>>;

/** A shipped stack's file with `edits` applied to its config, next to a copy of its lock. */
function variant(stack: string, edits: Edits): LoadedStack {
  const doc = parse(readFileSync(`stacks/Pulumi.${stack}.yaml`, "utf8")) as {
    config: Record<string, unknown>;
  };
  for (const [path, value] of Object.entries(edits)) {
    const keys = path.split(".");
    let node = doc.config;
    for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
    node[keys.at(-1)!] = value;
  }
  const dir = mkdtempSync(join(tmpdir(), "azlab-projection-"));
  const file = join(dir, `Pulumi.${stack}.yaml`);
  writeFileSync(file, stringify(doc));
  writeFileSync(
    join(dir, `Pulumi.${stack}.lock.json`),
    readFileSync(`stacks/Pulumi.${stack}.lock.json`, "utf8"),
  );
  return loadStackFile(file, stackNameOf(file));
}

/** prod's cluster made public, with nobody deploying from inside its VNet. */
const PUBLIC_PROD_CLUSTER: Edits = {
  "azlab:aks.privateClusterEnabled": false,
  "azlab:aks.deployerInVnet": false,
};

describe("validate's projection agrees with the full offline plan", () => {
  it("covers exactly the guardrails validate names a stack-file key for, and the budget warning", () => {
    expect(projectedRules.map((r) => r.id)).toEqual([
      "AZL-NSG-001",
      "AZL-NSG-002",
      "AZL-ACR-003",
      "AZL-AKS-004",
      "AZL-AKS-006",
      "AZL-CLS-001",
      "AZL-COST-001",
    ]);
    expect([...PROJECTED_RULE_IDS].sort()).toEqual(projectedRules.map((r) => r.id).sort());
  });

  it("projects exactly the rules validate maps to a stack-file key, plus the budget warning it prints", () => {
    expect([...PROJECTED_RULE_IDS].sort()).toEqual([...Object.keys(RULE_KEYS), "AZL-COST-001"].sort());
  });

  // Findings name and sort by URN, so every projected record carries the URN the program registers.
  it.each(listStackFiles("stacks").map((ref) => ref.path))(
    "shipped stack %s: projected URNs",
    async (path) => {
      const loaded = loadStackFile(path, stackNameOf(path));
      const registered = new Map((await planShipped(loaded.stack)).resources.map((r) => [r.urn, r]));
      const projected = projectStack(prepareStack(loaded).plan);
      expect(projected.length).toBeGreaterThan(0);
      for (const r of projected) {
        expect({
          urn: r.urn,
          type: registered.get(r.urn)?.type,
          parent: registered.get(r.urn)?.parent,
        }).toEqual({
          urn: r.urn,
          type: r.type,
          parent: r.parent,
        });
      }
    },
  );

  // Every stack file in stacks/, whoever added it: the loop names none.
  it.each(listStackFiles("stacks").map((ref) => ref.path))("shipped stack %s", async (path) => {
    const loaded = loadStackFile(path, stackNameOf(path));
    const plan = await viaPlan(loaded, false, true);
    expect(viaProjection(loaded)).toEqual(plan);
    // A shipped stack is valid: nothing refused, nothing blocking.
    expect(plan).toMatchObject({ blocking: [] });
  });

  it.each(listStackFiles("stacks").map((ref) => ref.path))(
    "shipped stack %s under a tiny budget: every cost estimate the same",
    async (path) => {
      const loaded = loadStackFile(path, stackNameOf(path));
      const plan = await viaPlan(loaded, true, true);
      expect(viaProjection(loaded, true)).toEqual(plan);
    },
  );

  it("a public prod cluster without authorized ranges: AZL-AKS-004 on the cluster", async () => {
    const loaded = variant("prod", PUBLIC_PROD_CLUSTER);
    const outcome = viaProjection(loaded);
    expect(outcome).toEqual({
      blocking: [
        [
          "AZL-AKS-004",
          "prod-aks",
          "The API server is public and apiServerAccessProfile.authorizedIPRanges is empty in a prod stack",
        ],
      ],
      budget: [],
    });
    expect(await viaPlan(loaded)).toEqual(outcome);
  });

  it("a public prod cluster open to 0.0.0.0/0 has a list, so AZL-AKS-004 stays quiet in both", async () => {
    const loaded = variant("prod", { ...PUBLIC_PROD_CLUSTER, "azlab:aks.authorizedIpRanges": ["0.0.0.0/0"] });
    const outcome = viaProjection(loaded);
    expect(outcome).toEqual({ blocking: [], budget: [] });
    expect(await viaPlan(loaded)).toEqual(outcome);
  });

  it("a rule the stack lowers to advisory blocks in neither", async () => {
    const loaded = variant("prod", {
      ...PUBLIC_PROD_CLUSTER,
      "azlab:policy": {
        overrides: { "AZL-AKS-004": { enforcement: "advisory", reason: "internal test cluster only" } },
      },
    });
    const outcome = viaProjection(loaded);
    expect(outcome).toEqual({ blocking: [], budget: [] });
    expect(await viaPlan(loaded)).toEqual(outcome);
  });

  it("an expired class: AZL-CLS-001 on the stack", async () => {
    const loaded = variant("class-demo", { "azlab:class.expiresOn": "2026-11-15" });
    const outcome = viaProjection(loaded);
    expect(outcome).toEqual({
      blocking: [
        [
          "AZL-CLS-001",
          "stack",
          'Class stack "class-demo" expired at the end of 2026-11-15 (Europe/Amsterdam)',
        ],
      ],
      budget: [],
    });
    expect(await viaPlan(loaded)).toEqual(outcome);
  });

  it("an SSH rule from the internet with a waiver: no AZL-NSG-001 in either", async () => {
    const loaded = variant("dev", {
      "azlab:nsg.rules": { "open-admin": { source: "Internet", ports: "22" } },
      "azlab:nsg.waivers": { "open-admin": { reason: "bastion-less demo for one week" } },
    });
    const outcome = viaProjection(loaded);
    expect(outcome).toEqual({ blocking: [], budget: [] });
    expect(await viaPlan(loaded)).toEqual(outcome);
  });

  // The component validators encode these guardrails too, so pre-flight refuses the stack file in both.
  it.each<[string, string, Edits, string]>([
    [
      "SSH from the internet (AZL-NSG-001)",
      "dev",
      { "azlab:nsg.rules": { "open-admin": { source: "Internet", ports: "22" } } },
      'azlab:nsg.rules.open-admin.source: Allow Inbound from the internet to management port 22 is refused (got "Internet"; allowed: specific CIDRs such as a campus range, or add a waiver under azlab:nsg.waivers.open-admin with a reason)',
    ],
    [
      "every port from the internet (AZL-NSG-002)",
      "dev",
      { "azlab:nsg.rules": { "open-all": { source: "Internet", ports: "*" } } },
      'azlab:nsg.rules.open-all.source: Allow Inbound from the internet to every port, management ports included, is refused (got "Internet"; allowed: specific CIDRs such as a campus range, or add a waiver under azlab:nsg.waivers.open-all with a reason)',
    ],
    [
      "maxPods out of range (AZL-AKS-006)",
      "dev",
      { "azlab:aks.systemPool.maxPods": 5 },
      "azlab:aks.systemPool.maxPods: is outside the range AKS accepts (got 5; allowed: an integer from 10 to 250)",
    ],
    [
      "a Premium feature on a Basic registry (AZL-ACR-003)",
      "dev",
      { "azlab:registry.retentionDays": 7 },
      'azlab:registry.retentionDays: needs the Premium SKU (retention policy), but sku is Basic (got 7; allowed: sku "Premium", or leave retentionDays unset)',
    ],
  ])("%s is refused by pre-flight in both", async (_what, stack, edits, problem) => {
    const loaded = variant(stack, edits);
    const outcome = viaProjection(loaded);
    expect(outcome).toEqual({ refused: [`${loaded.path}: ${problem}`] });
    expect(await viaPlan(loaded)).toEqual(outcome);
  });

  it("a dev stack over its budget: the same AZL-COST-001 warning, to the cent", async () => {
    const loaded = variant("dev", {
      "azlab:budget": { amount: 10, contactEmails: ["platform-team@example.edu"] },
    });
    const outcome = viaProjection(loaded);
    expect(outcome).toEqual({
      blocking: [],
      budget: [
        [
          "warning",
          "stack",
          "The stack's estimate, at least US$66.38 a month, exceeds the budget of US$10.00 a month (azlab:budget.amount); 8 meters are unpriced, so the estimate is a lower bound",
        ],
      ],
    });
    expect(await viaPlan(loaded)).toEqual(outcome);
  });

  it("a Windows VM, whose secret password pre-flight cannot read, is projected and costed like plan's", async () => {
    const loaded = variant("lab-vm", {
      "azlab:vms.db.image": "windows-2022",
      "azlab:windowsAdminPassword": { secure: "v1:Zm9vYmFyYmF6:cXV4cXV1eA==" },
      "azlab:class.budget": { amount: 500, perStudent: 43, contactEmails: ["instructor@contoso.edu"] },
    });
    const outcome = viaProjection(loaded);
    if (!("budget" in outcome)) throw new Error("the class was refused");
    expect(outcome.budget.filter((b) => b[2]!.startsWith("Student ")).length).toBe(4);
    expect(await viaPlan(loaded)).toEqual(outcome);
  });

  it("a class over its per-student budget: every student's warning, to the cent", async () => {
    const loaded = variant("class-demo", {
      "azlab:class.budget.amount": 50,
      "azlab:class.budget.perStudent": 10,
    });
    const outcome = viaProjection(loaded);
    const perStudent = (student: string) => [
      [
        "warning",
        "stack",
        `Student ${student}'s estimate for the class period (2026-12-01 to 2027-01-31), at least US$45.28, exceeds the budget over it, US$10.00 a month × 2 months = US$20.00 (azlab:class.budget.perStudent); 4 meters are unpriced, so the estimate is a lower bound`,
      ],
      [
        "warning",
        "stack",
        `Student ${student}'s estimate, at least US$22.23 a month, exceeds the budget of US$10.00 a month (azlab:class.budget.perStudent); 4 meters are unpriced, so the estimate is a lower bound`,
      ],
    ];
    expect(outcome).toMatchObject({ blocking: [] });
    if (!("budget" in outcome)) throw new Error("the class was refused");
    const budget = outcome.budget;
    expect(budget.filter((b) => b[2]!.startsWith("Student "))).toEqual([
      ...perStudent("alice"),
      ...perStudent("bob"),
      ...perStudent("carol"),
    ]);
    expect(budget.filter((b) => b[2]!.startsWith("The stack's")).length).toBe(2);
    expect(await viaPlan(loaded)).toEqual(outcome);
  });
});
