import { describe, expect, it } from "vitest";
import { loadStackFile } from "../../src/config/stackFile.ts";
import { evaluateResources, policyContextFromConfig } from "../../src/policy/evaluate.ts";
import { planShipped } from "../support/offline.ts";

describe("the example class stack under the real program", () => {
  it("passes every guardrail before it expires and fails only AZL-CLS-001 after", async () => {
    const loaded = loadStackFile("stacks/Pulumi.class-demo.yaml", "class-demo");
    const run = await planShipped("class-demo");
    // The components declare what the rules look at: one check that they are really evaluated.
    expect(run.resources.filter((r) => r.type === "azure-native:network:NetworkSecurityGroup").length).toBe(
      4,
    );
    // bob has no Entra identity on purpose: the one advisory finding the example shows (AZL-CLS-002).
    const bob = [
      "AZL-CLS-002",
      "stack",
      'Student "bob" has no Entra object id, UPN or email, so they get no Entra-based access (no Azure role assignments, no Kubernetes RoleBinding)',
    ];
    expect(
      evaluateResources(
        run.resources,
        policyContextFromConfig(loaded, new Date("2027-01-31T22:59:59Z")),
        run.outputs,
      ).map((f) => [f.id, f.resource, f.message]),
    ).toEqual([bob]);
    const after = evaluateResources(
      run.resources,
      policyContextFromConfig(loaded, new Date("2027-01-31T23:00:00Z")),
      run.outputs,
    );
    expect(after.map((f) => [f.id, f.resource, f.message])).toEqual([
      [
        "AZL-CLS-001",
        "stack",
        'Class stack "class-demo" expired at the end of 2027-01-31 (Europe/Amsterdam)',
      ],
      bob,
    ]);
  }, 120_000);
});

describe.each(["dev", "prod"])("the shipped stack %s under the real program", (stack) => {
  it("passes every guardrail", async () => {
    const loaded = loadStackFile(`stacks/Pulumi.${stack}.yaml`, stack);
    const run = await planShipped(stack);
    expect(evaluateResources(run.resources, policyContextFromConfig(loaded), run.outputs)).toEqual([]);
  }, 120_000);
});
