/**
 * The diff's access rule: a grant head has and base does not is risky: a new principal, a known principal on a
 * new scope, or a more powerful role where it had a weaker one. Removing or keeping grants is not.
 */
import { describe, expect, it } from "vitest";
import { buildAccessMatrix, crossStudentRows, type AccessSource } from "../../src/access/accessMatrix.ts";
import { BuiltInRole } from "../../src/azure/catalog.ts";
import { diffExitCode, diffPlans } from "../../src/plan/diff.ts";
import { PLAN_VERSION, type PlanDocument, type PlanResource } from "../../src/plan/document.ts";
import { accessRisks } from "../../src/plan/diffAccess.ts";
import { resource as planResource } from "../cli/planDocs.ts";

const URN = "urn:pulumi:class::azlab::";
const SUB =
  "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/";
const ALICE = "0b6e1f7a-1c2d-4e3f-9a8b-7c6d5e4f3a2b";
const BOB = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

/** A plan resource of the `class` stack (the shared helper of the plan tests). */
const resource = (type: string, name: string, inputs: Record<string, unknown>): PlanResource =>
  planResource("class", type, name, inputs);

const groups = [
  resource("azure-native:resources:ResourceGroup", "alice-rg", { tags: { student: "alice" } }),
  resource("azure-native:resources:ResourceGroup", "bob-rg", { tags: { student: "bob" } }),
];

function grant(name: string, principalId: string, role: BuiltInRole, scope: string): PlanResource {
  return resource("azure-native:authorization:RoleAssignment", name, {
    principalId,
    principalType: "User",
    roleDefinitionId: `${SUB}${role}`,
    scope,
  });
}

/** A plan with these grants; `access` left out, as in plans made before the matrix existed, when `legacy`. */
function plan(grants: readonly PlanResource[], legacy = false): PlanDocument {
  const resources = [...groups, ...grants];
  const outputs = { students: { alice: { entraObjectId: ALICE }, bob: { entraObjectId: BOB } } };
  return {
    version: PLAN_VERSION,
    stack: "class",
    file: "Pulumi.class.yaml",
    summary: { resourceCounts: {}, total: resources.length },
    resources,
    network: [],
    nsgRules: [],
    findings: [],
    outputs,
    ...(legacy ? {} : { access: buildAccessMatrix(resources, outputs) }),
  };
}

const aliceReader = grant("alice-access-rg-reader", ALICE, BuiltInRole.Reader, "alice-rg-id");

describe("access risks in plan diffs", () => {
  it("reports nothing when the grants stay, or when one is removed", () => {
    expect(accessRisks(plan([aliceReader]), plan([aliceReader]))).toEqual([]);
    expect(accessRisks(plan([aliceReader]), plan([]))).toEqual([]);
  });

  it("flags a new principal, a new scope, and a stronger role, each by name, and exits 3", () => {
    const base = plan([aliceReader]);
    const head = plan([
      aliceReader,
      grant("alice-access-rg-vm", ALICE, BuiltInRole.VirtualMachineContributor, "alice-rg-id"),
      grant("alice-on-bob", ALICE, BuiltInRole.Reader, "bob-rg-id"),
      grant("bob-access-rg-reader", BOB, BuiltInRole.Reader, "bob-rg-id"),
    ]);
    const risks = accessRisks(base, head);
    expect(risks).toEqual([
      {
        kind: "access-granted",
        urn: `${URN}azure-native:authorization:RoleAssignment::alice-access-rg-vm`,
        message:
          "student alice gets Virtual Machine Contributor on alice-rg-id (widened: Reader → Virtual Machine Contributor)",
      },
      {
        kind: "access-granted",
        urn: `${URN}azure-native:authorization:RoleAssignment::alice-on-bob`,
        message:
          "student alice gets Reader on bob-rg-id (a new scope for this principal), a scope of student bob",
      },
      {
        kind: "access-granted",
        urn: `${URN}azure-native:authorization:RoleAssignment::bob-access-rg-reader`,
        message: "student bob gets Reader on bob-rg-id (a new principal)",
      },
    ]);
    const diff = diffPlans(base, head);
    expect(diff.risks.filter((r) => r.kind === "access-granted")).toHaveLength(3);
    expect(diffExitCode(diff)).toBe(3);
    // The isolation check the plan tests rely on catches the planted cross-student grant.
    expect(crossStudentRows(head.access ?? []).map((r) => r.urn)).toEqual([
      `${URN}azure-native:authorization:RoleAssignment::alice-on-bob`,
    ]);
  });

  it("reads a base plan without an access matrix from its resources", () => {
    const head = plan([
      aliceReader,
      grant("alice-access-rg-vm", ALICE, BuiltInRole.VirtualMachineContributor, "alice-rg-id"),
    ]);
    expect(accessRisks(plan([aliceReader], true), head).map((r) => r.message)).toEqual([
      "student alice gets Virtual Machine Contributor on alice-rg-id (widened: Reader → Virtual Machine Contributor)",
    ]);
  });

  it("labels a non-student principal by type and id, and a Kubernetes binding by namespace", () => {
    const binding: AccessSource = {
      urn: `${URN}binding`,
      type: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
      name: "hub-k8s-student-alice-editor",
      inputs: {
        metadata: { name: "azlab-editor", namespace: "student-alice" },
        roleRef: { kind: "ClusterRole", name: "edit" },
        subjects: [{ kind: "User", name: "alice@uni.example.edu" }],
      },
    };
    const namespace: AccessSource = {
      urn: `${URN}ns`,
      type: "kubernetes:core/v1:Namespace",
      name: "hub-k8s-student-alice",
      inputs: { metadata: { name: "student-alice", labels: { "azlab.io/student": "alice" } } },
    };
    const sp = grant(
      "registry-acrpull-alice-web",
      "11111111-2222-3333-4444-555555555555",
      BuiltInRole.AcrPull,
      "x-id",
    );
    const rows = buildAccessMatrix(
      [binding, namespace, { ...sp, inputs: { ...sp.inputs, principalType: "ServicePrincipal" } }],
      {
        students: { alice: { entraObjectId: ALICE, userPrincipalName: "Alice@Uni.Example.Edu" } },
      },
    );
    expect(rows.map((r) => [r.principal, r.principalName, r.role, r.scope, r.scopeStudent])).toEqual([
      [
        "ServicePrincipal:11111111-2222-3333-4444-555555555555",
        "alice-web identity",
        "AcrPull",
        "x-id",
        null,
      ],
      ["student:alice", "student:alice", "ClusterRole/edit", "namespace/student-alice", "alice"],
    ]);
  });
});
