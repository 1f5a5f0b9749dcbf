import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type {
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { buildPolicies, CONFIG_POLICY, type ContextFor } from "../../policy/pack.ts";
import { stackFileContexts, stackOfUrn } from "../../policy/stackContext.ts";
import { rules, type PolicyContext } from "../../src/policy/rules.ts";

const PROD: PolicyContext = {
  environment: "prod",
  stack: "prod",
  asOf: new Date("2026-11-26T10:00:00Z"),
  requiredTags: ["managed-by", "environment", "owner"],
  overrides: {},
};

const TAGS = { "managed-by": "azlab", environment: "prod", owner: "platform-team" };
const ST_URN = "urn:pulumi:prod::azlab::azure-native:storage:StorageAccount::st";

function fixed(context: PolicyContext): ContextFor {
  return () => ({ context });
}

function byName(contextFor: ContextFor): Map<string, ResourceValidationPolicy & StackValidationPolicy> {
  return new Map(
    buildPolicies(rules, contextFor).map((p) => [
      p.name,
      p as ResourceValidationPolicy & StackValidationPolicy,
    ]),
  );
}

function validate(
  policy: ResourceValidationPolicy,
  type: string,
  urn: string,
  props: Record<string, unknown>,
): string[] {
  const messages: string[] = [];
  const args = { type, urn, name: urn.split("::").pop()!, props } as unknown as ResourceValidationArgs;
  const run = policy.validateResource;
  if (typeof run !== "function") throw new Error(`${policy.name} has no single validateResource`);
  void run(args, (message) => messages.push(message));
  return messages;
}

function validateStack(policy: StackValidationPolicy, resources: unknown[]): [string, string?][] {
  const reports: [string, string?][] = [];
  const args = { resources } as unknown as StackValidationArgs;
  void policy.validateStack(args, (message, urn) =>
    reports.push(urn === undefined ? [message] : [message, urn]),
  );
  return reports;
}

const insecureStorage = {
  accountName: "azlabst1",
  enableHttpsTrafficOnly: false,
  minimumTlsVersion: "TLS1_2",
  allowBlobPublicAccess: false,
  allowSharedKeyAccess: false,
  tags: TAGS,
};

describe("policy pack", () => {
  it("maps every rule to a policy with its enforcement, plus an advisory twin for mandatory rules", () => {
    const policies = byName(fixed(PROD));
    expect(policies.get("AZL-NSG-001")?.enforcementLevel).toBe("mandatory");
    expect(policies.get("AZL-NSG-001")?.severity).toBe("high");
    expect(policies.get("AZL-NSG-001")?.description).toBe(
      "No remote-admin or database port open to the internet. Equivalents: CKV_AZURE_10, CKV_AZURE_9, AVD-AZU-0050, AVD-AZU-0048, AVD-AZU-0047.",
    );
    expect(policies.get("AZL-NSG-001-lowered")?.enforcementLevel).toBe("advisory");
    expect(policies.get("AZL-NSG-003")?.enforcementLevel).toBe("advisory");
    expect(policies.has("AZL-NSG-003-lowered")).toBe(false);
    // Stack outputs arrive decrypted in a policy pack, so this rule is offline-only.
    expect(policies.has("AZL-AKS-007")).toBe(false);
    expect(policies.get(CONFIG_POLICY)?.enforcementLevel).toBe("mandatory");
    const expected = rules.filter((r) => r.kind === "resource" || r.inPolicyPack).map((r) => r.id);
    expect([...policies.keys()].filter((n) => /^AZL-[A-Z]+-\d{3}$/.test(n))).toEqual(expected);
  });

  it("reports a violation with its fix on the mandatory policy only", () => {
    const policies = byName(fixed(PROD));
    const type = "azure-native:storage:StorageAccount";
    expect(validate(policies.get("AZL-STG-001")!, type, ST_URN, insecureStorage)).toEqual([
      "enableHttpsTrafficOnly is false. Fix: Set enableHttpsTrafficOnly: true",
    ]);
    expect(validate(policies.get("AZL-STG-001-lowered")!, type, ST_URN, insecureStorage)).toEqual([]);
    expect(
      validate(policies.get("AZL-STG-001")!, type, ST_URN, {
        ...insecureStorage,
        enableHttpsTrafficOnly: true,
      }),
    ).toEqual([]);
    // A policy ignores resource types it is not about.
    expect(
      validate(policies.get("AZL-STG-001")!, "azure-native:network:Subnet", ST_URN, insecureStorage),
    ).toEqual([]);
  });

  it("moves the report to the advisory twin when the stack lowers the rule", () => {
    const context = {
      ...PROD,
      overrides: { "AZL-STG-001": { enforcement: "advisory" as const, reason: "legacy client until June" } },
    };
    const policies = byName(fixed(context));
    const type = "azure-native:storage:StorageAccount";
    expect(validate(policies.get("AZL-STG-001")!, type, ST_URN, insecureStorage)).toEqual([]);
    expect(validate(policies.get("AZL-STG-001-lowered")!, type, ST_URN, insecureStorage)).toEqual([
      "enableHttpsTrafficOnly is false [advisory in this stack: legacy client until June]. Fix: Set enableHttpsTrafficOnly: true",
    ]);
  });

  it("reports nothing for a disabled rule", () => {
    const context = {
      ...PROD,
      overrides: { "AZL-STG-001": { enforcement: "disabled" as const, reason: "not used in this stack" } },
    };
    const policies = byName(fixed(context));
    const type = "azure-native:storage:StorageAccount";
    expect(validate(policies.get("AZL-STG-001")!, type, ST_URN, insecureStorage)).toEqual([]);
    expect(validate(policies.get("AZL-STG-001-lowered")!, type, ST_URN, insecureStorage)).toEqual([]);
  });

  it("runs cross-resource rules as stack policies, linking by dependency", () => {
    const pip = {
      type: "azure-native:network:PublicIPAddress",
      name: "pip",
      urn: "urn:pulumi:prod::azlab::azure-native:network:PublicIPAddress::pip",
      props: { sku: { name: "Basic" } },
      dependencies: [],
    };
    const lb = {
      type: "azure-native:network:LoadBalancer",
      name: "lb",
      urn: "urn:pulumi:prod::azlab::azure-native:network:LoadBalancer::lb",
      // In a preview the public IP's id is still unknown.
      props: { sku: { name: "Standard" }, frontendIPConfigurations: [{ name: "fe", publicIPAddress: {} }] },
      dependencies: [pip],
    };
    expect(validateStack(byName(fixed(PROD)).get("AZL-NET-003")!, [pip, lb])).toEqual([
      [
        'Load balancer "lb" is Standard but its frontend public IP "pip" is Basic. Fix: Use sku.name "Standard" on both; Azure rejects a mix',
        lb.urn,
      ],
    ]);
  });

  it("reports an unreadable stack file once, and checks nothing else against a guessed context", () => {
    const policies = byName(() => ({ error: "azlab guardrails could not read the stack file: boom" }));
    const resources = [
      {
        type: "pulumi:pulumi:Stack",
        name: "azlab-prod",
        urn: "urn:pulumi:prod::azlab::pulumi:pulumi:Stack::azlab-prod",
        props: {},
        dependencies: [],
      },
    ];
    expect(validateStack(policies.get(CONFIG_POLICY)!, resources)).toEqual([
      ["azlab guardrails could not read the stack file: boom"],
    ]);
    expect(
      validate(policies.get("AZL-STG-001")!, "azure-native:storage:StorageAccount", ST_URN, insecureStorage),
    ).toEqual([]);
  });
});

describe("stack context", () => {
  it("reads the stack name from a URN", () => {
    expect(stackOfUrn("urn:pulumi:class-demo::azlab::pulumi:pulumi:Stack::azlab-class-demo")).toBe(
      "class-demo",
    );
    expect(stackOfUrn("not-a-urn")).toBeUndefined();
  });

  it("builds the context from the stack file named by the URN", () => {
    const contextFor = stackFileContexts("stacks", () => new Date("2026-11-26T10:00:00Z"));
    const found = contextFor("urn:pulumi:class-demo::azlab::pulumi:pulumi:Stack::azlab-class-demo");
    expect(found).toEqual({
      context: {
        environment: "class",
        stack: "class-demo",
        asOf: new Date("2026-11-26T10:00:00Z"),
        requiredTags: ["managed-by", "environment", "owner", "course", "expires-on"],
        expiresOn: "2027-01-31",
        timeZone: "Europe/Amsterdam",
        overrides: {},
        nsgWaivers: {},
        studentsWithoutIdentity: ["bob"],
        // azlab:network.reservedCidrs: class-demo reserves none.
        connectedCidrs: [],
        // azlab:class.budget, for AZL-COST-001 (offline only).
        budget: {
          key: "azlab:class.budget",
          amount: 500,
          perStudent: 40,
          location: "westeurope",
          assumptions: {},
          stopClusterOutsideClassHours: true,
        },
      },
    });
  });

  it("turns a missing or invalid stack file into an error, not an exception", () => {
    const dir = mkdtempSync(join(tmpdir(), "azlab-pack-"));
    writeFileSync(join(dir, "Pulumi.broken.yaml"), "config:\n  azlab:environment: staging\n");
    const contextFor = stackFileContexts(dir);
    const missing = contextFor("urn:pulumi:nope::azlab::pulumi:pulumi:Stack::azlab-nope");
    expect("error" in missing && missing.error).toMatch(
      /^azlab guardrails could not read the stack file: .*no such stack file/,
    );
    const broken = contextFor("urn:pulumi:broken::azlab::pulumi:pulumi:Stack::azlab-broken");
    expect("error" in broken && broken.error).toMatch(
      /^azlab guardrails could not read the stack file: .*problem/,
    );
  });
});
