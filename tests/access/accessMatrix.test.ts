/**
 * The access matrix over real offline plans: the shipped class-demo and a generated 40-student class whose
 * students are known by UPN, by email or (guests) by object id only. Each student must hold exactly the
 * intended roles, each on their own scope or a shared one, and no student may reach another student's network.
 */
import { describe, expect, it } from "vitest";
import { buildAccessMatrix, crossStudentRows, type AccessRow } from "../../src/access/accessMatrix.ts";
import { buildPlanDocument, type PlanDocument } from "../../src/plan/document.ts";
import { validatePlanDocument } from "../../src/plan/planSchema.ts";
import { renderPlanMarkdown } from "../../src/plan/markdown.ts";
import { contains, overlaps, parsePrefix } from "../../src/cidr/address.ts";
import { ResourceType } from "../../src/azure/catalog.ts";
import type { OfflineRun } from "../../src/model/recorded.ts";
import type { DerivedStats } from "../../src/program/derive.ts";
import { deepFreeze, planShipped, planVariant } from "../support/offline.ts";

function planDoc(run: OfflineRun, stack: string): PlanDocument {
  return buildPlanDocument(run, { stack, file: `stacks/Pulumi.${stack}.yaml`, findings: [] });
}

/** A student's grants as `plane role @ scope`, sorted. */
function grantsOf(rows: readonly AccessRow[], student: string): string[] {
  return rows
    .filter((r) => r.student === student)
    .map((r) => `${r.plane} ${r.role} @ ${r.scope}`)
    .sort();
}

/** What every identified student of a class with scale set, storage, registry and a shared cluster holds. */
function expectedGrants(student: string): string[] {
  return [
    "azure AcrPush @ registry-id",
    "azure Azure Kubernetes Service Cluster User Role @ hub-aks-id",
    `azure Reader @ ${student}-rg-id`,
    `azure Storage Blob Data Contributor @ ${student}-st-id`,
    `azure Storage File Data SMB Share Contributor @ ${student}-st-id`,
    `azure Virtual Machine Contributor @ ${student}-rg-id`,
    `kubernetes ClusterRole/edit @ namespace/student-${student}`,
  ].sort();
}

/** Student scopes are tagged with their owner; shared ones (registry, hub cluster) with nobody. */
function expectOwnScopesOnly(rows: readonly AccessRow[], students: readonly string[]): void {
  expect(crossStudentRows(rows)).toEqual([]);
  // azlab's identities in a student's environment (their scale set's) reach only that student's or shared scopes.
  for (const row of rows.filter((r) => r.student === null)) {
    const owner = students.find((s) => row.principalName.startsWith(`${s}-`));
    if (owner) expect([owner, null], row.urn).toContain(row.scopeStudent);
  }
  for (const row of rows.filter((r) => r.student !== null)) {
    expect([row.student, null]).toContain(row.scopeStudent);
    // Every scope is a resource of this plan: nothing is granted on something the plan does not declare.
    expect(row.scopeUrn).not.toBeNull();
  }
}

/**
 * No student's network is reachable from another's: VNets do not overlap, no peering joins two students, and no
 * inbound allow rule of a student's NSG admits another student's address space.
 */
function expectNetworkIsolation(doc: PlanDocument, students: readonly string[]): void {
  const vnets = doc.network.filter((v) => v.student !== null && students.includes(v.student));
  expect(vnets.map((v) => v.student).sort()).toEqual([...students].sort());
  const spaces = vnets.flatMap((v) =>
    v.addressSpace.map((cidr) => ({ student: v.student!, prefix: parsePrefix(cidr)! })),
  );
  for (const a of spaces)
    for (const b of spaces)
      if (a.student !== b.student)
        expect(overlaps(a.prefix, b.prefix), `${a.student} vs ${b.student}`).toBe(false);
  const peerings = doc.resources.filter((r) => r.type === "azure-native:network:VirtualNetworkPeering");
  for (const peering of peerings) {
    const remote = JSON.stringify(peering.inputs["remoteVirtualNetwork"] ?? "");
    const owner = students.find((s) => peering.urn.includes(`::${s}-`));
    const other = students.find((s) => s !== owner && remote.includes(`${s}-`));
    expect(other, `${peering.urn} joins two students`).toBeUndefined();
  }
  const nsgOwner = new Map(
    doc.resources
      .filter((r) => r.type === ResourceType.NetworkSecurityGroup)
      .map((r) => [
        String(r.inputs["networkSecurityGroupName"] ?? r.name),
        (r.inputs["tags"] as Record<string, string> | undefined)?.["student"],
      ]),
  );
  for (const rule of doc.nsgRules) {
    const owner = nsgOwner.get(rule.nsg);
    if (!owner || rule.access !== "Allow" || rule.direction !== "Inbound") continue;
    for (const source of rule.source) {
      const prefix = parsePrefix(source);
      if (!prefix) continue;
      for (const other of spaces.filter((s) => s.student !== owner)) {
        // A rule from a wider range (the campus, the internet) is a declared path, not a student's network.
        const admitsOnly = contains(other.prefix, prefix);
        expect(admitsOnly, `${rule.nsg}/${rule.name} admits ${other.student}'s ${source}`).toBe(false);
      }
    }
  }
}

let classDemo: Promise<PlanDocument> | undefined;
/** The shipped class-demo's plan document, built once for the tests that read it (none changes it). */
const classDemoDoc = () =>
  (classDemo ??= planShipped("class-demo").then((run) => deepFreeze(planDoc(run, "class-demo"))));

describe("access matrix: class-demo", () => {
  it("gives alice and carol exactly their own roles, bob (no identity) none, and no cross-student grant", async () => {
    const doc = await classDemoDoc();
    const rows = doc.access ?? [];
    expect(grantsOf(rows, "alice")).toEqual(expectedGrants("alice"));
    expect(grantsOf(rows, "carol")).toEqual(expectedGrants("carol"));
    expect(grantsOf(rows, "bob")).toEqual([]);
    expectOwnScopesOnly(rows, ["alice", "bob", "carol"]);
    // azlab's own principals, by name: the grants azlab makes to identities, not to people.
    expect(
      rows
        .filter((r) => r.student === null)
        .map((r) => `${r.principalName}: ${r.role} @ ${r.scope}`)
        .sort(),
    ).toEqual([
      "alice-web identity: AcrPull @ registry-id",
      "bob-web identity: AcrPull @ registry-id",
      "carol-web identity: AcrPull @ registry-id",
      "deployer: Azure Kubernetes Service RBAC Cluster Admin @ hub-aks-id",
      "hub-aks cluster identity: Network Contributor @ hub-net-aks-nodes-id",
      "hub-aks cluster identity: Network Contributor @ hub-net-natgw-id",
      "hub-aks kubelet: AcrPull @ registry-id",
    ]);
    // The RoleBinding names a same-tenant student by UPN when known; alice and carol have only object ids.
    const binding = rows.find((r) => r.student === "alice" && r.plane === "kubernetes");
    expect(binding?.principal).toBe("student:alice");
    expectNetworkIsolation(doc, ["alice", "bob", "carol"]);
  });

  it("is in the plan JSON, passes the plan schema, and folds into one Markdown table", async () => {
    const doc = await classDemoDoc();
    const json = JSON.parse(JSON.stringify(doc)) as unknown;
    expect(validatePlanDocument(json, "plan.json").problems).toEqual([]);
    const broken = JSON.parse(JSON.stringify(doc)) as { access: Record<string, unknown>[] };
    broken.access[0]!["scope"] = 7;
    expect(validatePlanDocument(broken, "plan.json").messages[0]).toBe(
      "plan.json: access[0].scope: must be string (got 7; allowed: string)",
    );
    const markdown = renderPlanMarkdown(doc);
    expect(markdown).toContain("<details><summary>Access: ");
    expect(markdown).toContain("| `student:{student}` | azure | Reader | `{student}-rg` | alice, carol |");
    expect(markdown).toContain(
      "| `student:{student}` | kubernetes | ClusterRole/edit | `namespace/student-{student}` | alice, carol |",
    );
  });

  it("matches the matrix rebuilt from the plan's own resources (what diff reads from older plans)", async () => {
    const doc = await classDemoDoc();
    expect(buildAccessMatrix(doc.resources, doc.outputs)).toEqual(doc.access);
  });
});

describe("access matrix: a generated 40-student class", () => {
  const students = Array.from({ length: 40 }, (_, i) => `s${String(i + 1).padStart(3, "0")}`);
  /** s001, s004, …: UPN; s002, …: email; s003, …: guest by object id only. */
  const roster = Object.fromEntries(
    students.map((id, i) => [
      id,
      i % 3 === 0
        ? { upn: `${id}@uni.example.edu` }
        : i % 3 === 1
          ? { email: `Student.${id}@mail.example.org` }
          : { entraObjectId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}` },
    ]),
  );
  let planned: Promise<PlanDocument> | undefined;
  let derived: DerivedStats | undefined;
  /** The 40-student class planned once, and its plan document built once, for both tests. */
  const plannedDoc = () =>
    (planned ??= planVariant(
      "class-demo",
      (config) => {
        const cls = config["azlab:class"] as Record<string, unknown>;
        config["azlab:class"] = { ...cls, supernet: "10.64.0.0/12", students: roster };
      },
      undefined,
      {
        // As `azlab plan` plans a class: a few students of each of the three roster shapes registered, the
        // other 33 derived (docs/architecture.md, "Large classes"); tests/program/fastPath.test.ts holds
        // that plan byte-identical to the full registration's, UPN, email and guest students included.
        registration: "fast",
        onDerived: (stats) => void (derived = stats),
        onFallback: (reason) => {
          throw new Error(`fell back to the full registration: ${reason}`);
        },
      },
    ).then((run) => deepFreeze(planDoc(run, "class-demo"))));

  it("gives each of the 40 students exactly their own roles and no other student's scope", async () => {
    const doc = await plannedDoc();
    expect(derived).toEqual({ registeredStudents: 7, derivedStudents: 33, shapes: 3 });
    const rows = doc.access ?? [];
    for (const student of students) expect(grantsOf(rows, student), student).toEqual(expectedGrants(student));
    expectOwnScopesOnly(rows, students);
    // 7 grants each, nothing for anybody else who is a student.
    expect(rows.filter((r) => r.student !== null)).toHaveLength(40 * 7);
    expectNetworkIsolation(doc, students);
  });

  it("binds namespaces by UPN for members, the looked-up UPN for email students, the object id for guests", async () => {
    const doc = await plannedDoc();
    const subject = (student: string) => {
      const binding = doc.resources.find(
        (r) =>
          r.type === "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding" &&
          r.name.endsWith(`student-${student}-editor`),
      );
      return (binding?.inputs["subjects"] as { name: string }[] | undefined)?.[0]?.name;
    };
    expect(subject("s001")).toBe("s001@uni.example.edu");
    // Offline, Graph's answer for a mail lookup is the address itself, lowercased (src/engine/mockResponses.ts).
    expect(subject("s002")).toBe("student.s002@mail.example.org");
    expect(subject("s003")).toBe("00000000-0000-4000-8000-000000000002");
  });
});

describe("access matrix: a class with queues and tables", () => {
  it("grants the queue and table data roles on each student's own account, named without repeated words", async () => {
    const run = await planVariant("class-demo", (config) => {
      const storage = config["azlab:storage"] as Record<string, unknown>;
      storage["queues"] = { jobs: {} };
      storage["tables"] = { scores: {} };
    });
    const rows = planDoc(run, "class-demo").access ?? [];
    expect(grantsOf(rows, "alice")).toEqual(
      [
        ...expectedGrants("alice"),
        "azure Storage Queue Data Contributor @ alice-st-id",
        "azure Storage Table Data Contributor @ alice-st-id",
      ].sort(),
    );
    expectOwnScopesOnly(rows, ["alice", "bob", "carol"]);
    const names = run.resources
      .filter((r) => r.type === ResourceType.RoleAssignment && r.name.startsWith("alice-access-st-"))
      .map((r) => r.name)
      .sort();
    expect(names).toEqual([
      "alice-access-st-blob-data",
      "alice-access-st-file-data",
      "alice-access-st-queue-data",
      "alice-access-st-table-data",
    ]);
  });
});
