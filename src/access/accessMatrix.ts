/**
 * The access matrix: every principal a plan grants something, with the role and the scope, from the recorded
 * Azure role assignments and Kubernetes RoleBindings. Pure; the plan document carries it, the Markdown folds it
 * into a table, the diff flags new or widened rows, and the tests prove that no student holds a role on another
 * student's scope.
 */
import { BUILT_IN_ROLE_NAMES, BuiltInRole, ResourceType } from "../azure/catalog.ts";

/** What the matrix reads of a recorded resource (a RecordedResource or a plan's PlanResource). */
export interface AccessSource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** False for components, which have no id to be a scope. */
  readonly custom?: boolean;
}

export interface AccessRow {
  /** `student:<key>` for a student's Entra identity, else `<principalType>:<object id or subject>`. */
  readonly principal: string;
  /**
   * Who that is, for people: `student:<key>`, `deployer`, `<cluster> kubelet`, `<cluster> cluster identity`,
   * `<consumer> identity`; else the same as `principal`.
   */
  readonly principalName: string;
  /** The student whose identity this is, else null (azlab's own identities, the deployer, admins). */
  readonly student: string | null;
  /** "azure" for a role assignment, "kubernetes" for a RoleBinding. */
  readonly plane: "azure" | "kubernetes";
  /** Display name of the role: the built-in role's name, or `ClusterRole/edit`. */
  readonly role: string;
  /** The role definition's GUID, or the Kubernetes roleRef `Kind/name`. */
  readonly roleId: string;
  /** The scope as written: a resource id (offline, the engine's placeholder id) or `namespace/<name>`. */
  readonly scope: string;
  /** URN of the resource the scope names, when the plan declares it; null otherwise. */
  readonly scopeUrn: string | null;
  /** The student the scope belongs to (its `student` tag or label), null for shared scopes. */
  readonly scopeStudent: string | null;
  /** URN of the role assignment or RoleBinding. */
  readonly urn: string;
}

const RBAC_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";
const CLUSTER_RBAC_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding";
const NAMESPACE = "kubernetes:core/v1:Namespace";

const record = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function tagOrLabel(inputs: Record<string, unknown>): string | null {
  const labels = record(record(inputs["metadata"])["labels"]);
  return str(record(inputs["tags"])["student"]) ?? str(labels["azlab.io/student"]) ?? null;
}

/**
 * Who each student is, from the stack outputs (`students.<key>.entraObjectId` and `userPrincipalName`): the
 * Entra object id an Azure role assignment names, and the UPN or object id a RoleBinding names.
 */
export function studentPrincipals(outputs: Record<string, unknown>): Map<string, string> {
  const byId = new Map<string, string>();
  for (const [key, value] of Object.entries(record(outputs["students"]))) {
    const student = record(value);
    for (const id of [student["entraObjectId"], student["userPrincipalName"]]) {
      if (typeof id === "string" && id !== "[secret]") byId.set(id.toLowerCase(), key);
    }
  }
  return byId;
}

/**
 * Names of azlab's own principals, read from the logical names azlab gives their grants
 * (components/containers/kubernetesCluster.ts, components/kubernetes/clusterBasics.ts, components/shared/acrPull.ts).
 */
const HOLDERS: readonly (readonly [RegExp, string])[] = [
  [/^.*-deployer-admin$/, "deployer"],
  [/^registry-acrpull-(.+-aks)$/, "$1 kubelet"],
  [/^registry-acrpull-(.+)$/, "$1 identity"],
  [/^(.+-aks)-(?:subnet|natgw)-network$/, "$1 cluster identity"],
  [/^(.+)-k8s-files-cluster$/, "$1-aks cluster identity"],
  [/^(.+)-k8s-files-kubelet$/, "$1-aks kubelet"],
];

function holderName(assignmentName: string, fallback: string): string {
  for (const [pattern, label] of HOLDERS) {
    if (pattern.test(assignmentName)) return assignmentName.replace(pattern, label);
  }
  return fallback;
}

/** The role's GUID: the last segment of a role definition id. */
function roleGuid(roleDefinitionId: string): string {
  return roleDefinitionId.slice(roleDefinitionId.lastIndexOf("/") + 1).toLowerCase();
}

export function roleName(roleId: string): string {
  return BUILT_IN_ROLE_NAMES[roleId as BuiltInRole] ?? roleId;
}

export function compareRows(a: AccessRow, b: AccessRow): number {
  const ka = [a.principal, a.scope, a.role, a.urn];
  const kb = [b.principal, b.scope, b.role, b.urn];
  for (let i = 0; i < ka.length; i++) {
    const x = ka[i]!;
    const y = kb[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Builds the matrix, sorted by principal, scope, role and URN. */
export function buildAccessMatrix(
  resources: readonly AccessSource[],
  outputs: Record<string, unknown>,
): AccessRow[] {
  const students = studentPrincipals(outputs);
  // Offline, a resource's id is `<name>-id` (src/engine/mockEngine.ts); deployed, an ARM id ends in the name.
  const byId = new Map<string, AccessSource>();
  const namespaces = new Map<string, AccessSource>();
  for (const r of resources) {
    if (r.custom !== false) byId.set(`${r.name}-id`, r);
    if (r.type === NAMESPACE) {
      const name = str(record(r.inputs["metadata"])["name"]);
      if (name) namespaces.set(name, r);
    }
  }
  const rows: AccessRow[] = [];
  for (const r of resources) {
    if (r.type === ResourceType.RoleAssignment) {
      const principalId = str(r.inputs["principalId"]) ?? "";
      const student = students.get(principalId.toLowerCase()) ?? null;
      const scope = str(r.inputs["scope"]) ?? "";
      const target = byId.get(scope);
      const roleId = roleGuid(str(r.inputs["roleDefinitionId"]) ?? "");
      const principal = student
        ? `student:${student}`
        : `${str(r.inputs["principalType"]) ?? "User"}:${principalId}`;
      rows.push({
        principal,
        principalName: student ? principal : holderName(r.name, principal),
        student,
        plane: "azure",
        role: roleName(roleId),
        roleId,
        scope,
        scopeUrn: target?.urn ?? null,
        scopeStudent: target ? tagOrLabel(target.inputs) : null,
        urn: r.urn,
      });
    } else if (r.type === RBAC_BINDING || r.type === CLUSTER_RBAC_BINDING) {
      const metadata = record(r.inputs["metadata"]);
      const ns = str(metadata["namespace"]);
      const ref = record(r.inputs["roleRef"]);
      const roleId = `${str(ref["kind"]) ?? ""}/${str(ref["name"]) ?? ""}`;
      const target = ns ? namespaces.get(ns) : undefined;
      const subjects = Array.isArray(r.inputs["subjects"]) ? (r.inputs["subjects"] as unknown[]) : [];
      for (const subject of subjects.map(record)) {
        const name = str(subject["name"]) ?? "";
        const student = students.get(name.toLowerCase()) ?? null;
        const principal = student ? `student:${student}` : `${str(subject["kind"]) ?? "User"}:${name}`;
        rows.push({
          principal,
          principalName: principal,
          student,
          plane: "kubernetes",
          role: roleId,
          roleId,
          scope: ns ? `namespace/${ns}` : "cluster",
          scopeUrn: target?.urn ?? null,
          scopeStudent: target ? tagOrLabel(target.inputs) : null,
          urn: r.urn,
        });
      }
    }
  }
  return rows.sort(compareRows);
}

/**
 * Rows where a student holds a role on another student's scope. Empty is the isolation property the tests
 * assert; shared scopes (scopeStudent null) are not another student's.
 */
export function crossStudentRows(rows: readonly AccessRow[]): AccessRow[] {
  return rows.filter(
    (row) => row.student !== null && row.scopeStudent !== null && row.scopeStudent !== row.student,
  );
}

/**
 * How much a role can do, for the diff's "widened" rule: a higher rank is more powerful. Roles not listed rank
 * in the middle, so a change to or from one is always reported.
 */
const ROLE_RANK: Readonly<Record<string, number>> = {
  [BuiltInRole.Reader]: 1,
  [BuiltInRole.AcrPull]: 1,
  [BuiltInRole.AksClusterUser]: 1,
  [BuiltInRole.AcrPush]: 2,
  [BuiltInRole.StorageBlobDataContributor]: 2,
  [BuiltInRole.StorageFileDataSmbShareContributor]: 2,
  [BuiltInRole.StorageFileDataSmbMiAdmin]: 3,
  [BuiltInRole.VirtualMachineContributor]: 3,
  [BuiltInRole.AksRbacWriter]: 3,
  [BuiltInRole.NetworkContributor]: 3,
  [BuiltInRole.StorageAccountContributor]: 3,
  [BuiltInRole.KeyVaultCryptoUser]: 2,
  [BuiltInRole.KeyVaultCryptoOfficer]: 3,
  [BuiltInRole.AksRbacClusterAdmin]: 4,
  "ClusterRole/view": 1,
  "ClusterRole/edit": 3,
  "ClusterRole/admin": 4,
  "ClusterRole/cluster-admin": 5,
};

export function roleRank(roleId: string): number {
  return ROLE_RANK[roleId] ?? 2.5;
}
