/**
 * What each student may do in Azure: the built-in roles azlab grants a student's Entra identity, on which of
 * their own scopes, from `azlab:class.studentAccess`. Pure, so the program that grants them, the access-matrix
 * tests that check them, and pre-flight that refuses an unusable combination all read one table.
 */
import type { Problem } from "../errors.ts";
import { BuiltInRole } from "../azure/catalog.ts";
import { studentIdentity } from "../roster/identity.ts";
import type { StackConfig } from "../config/schema.ts";

/**
 * What the grants depend on, of a StackPlan (src/stack/planStack.ts sits on this layer, so it is described here
 * rather than imported): the config and which modules each environment has.
 */
export interface AccessPlan {
  readonly config: StackConfig;
  readonly environments: Readonly<
    Record<
      string,
      {
        readonly scaleSetEnabled: boolean;
        /** Standalone VMs of the environment (`azlab:vms`). */
        readonly vms?: readonly string[];
        readonly storageEnabled: boolean;
        readonly aks?: "cluster" | "namespace";
      }
    >
  >;
}

/**
 * Where a grant applies: the student's own resource group, storage account or dedicated cluster; the class
 * registry (shared, no per-repository scope: see `registry` below); or the shared cluster in the hub.
 */
export type StudentScope = "resourceGroup" | "storageAccount" | "cluster" | "registry" | "sharedCluster";

export interface StudentGrant {
  readonly role: BuiltInRole;
  readonly scope: StudentScope;
  /** Shown in the portal as the assignment's description. */
  readonly why: string;
}

/** The shared scopes: every student's grant there names the same resource, so isolation relies on the role. */
export const SHARED_SCOPES: readonly StudentScope[] = ["registry", "sharedCluster"];

const C = "azlab:";

/**
 * The grants of one student, in a fixed order; none for a student without an Entra identity (no object id,
 * UPN or email), who has nobody to grant them to.
 */
export function studentGrants(plan: AccessPlan, student: string): StudentGrant[] {
  const cls = plan.config.class;
  const env = plan.environments[student];
  const roster = cls?.students[student];
  if (!cls || !env || !roster || studentIdentity(roster).kind === "none") return [];
  const access = cls.studentAccess;
  const grants: StudentGrant[] = [];
  if (access.resourceGroup !== "none") {
    // Reader shows every resource of the group and changes none.
    grants.push({ role: BuiltInRole.Reader, scope: "resourceGroup", why: "see the resources of this lab" });
  }
  const vms = (env.vms?.length ?? 0) > 0;
  if (access.resourceGroup === "operator" && (env.scaleSetEnabled || vms)) {
    // Virtual Machine Contributor starts, stops, reimages and scales VMs and scale sets. On networks it has only
    // read and join actions (subnets, NSGs, load balancer pools, public IPs), so the VNet, its NSG rules and
    // peerings, which isolate this student, stay out of reach; it cannot grant access either (built-in roles,
    // Compute, "Virtual Machine Contributor"). Scoped to the student's group: nothing of another student.
    // A standalone VM needs it too: the auto-shutdown stops it every evening, and the student starts it again.
    const what = env.scaleSetEnabled ? (vms ? "the scale set and VMs" : "the scale set") : "the VMs";
    grants.push({
      role: BuiltInRole.VirtualMachineContributor,
      scope: "resourceGroup",
      why: `operate ${what} of this lab, not its network`,
    });
  }
  if (access.storage && env.storageEnabled) {
    // With shared keys off, Entra ID is the only way in. Blob Data Contributor holds
    // blobServices/generateUserDelegationKey/action, which a user-delegation SAS needs ("Create a user delegation
    // SAS", rest/api/storageservices); SMB Share Contributor reads and writes file shares with Entra ID.
    grants.push(
      {
        role: BuiltInRole.StorageBlobDataContributor,
        scope: "storageAccount",
        why: "blob data and user-delegation SAS",
      },
      {
        role: BuiltInRole.StorageFileDataSmbShareContributor,
        scope: "storageAccount",
        why: "file share data",
      },
    );
    // Queues and tables take no user-delegation SAS; with shared keys off, `--auth-mode login` and these data
    // roles are the only way in ("Authorize access to queues/tables using Microsoft Entra ID"). Granted only
    // when the stack declares some, so a class without them holds no role it cannot use.
    const storage = plan.config.storage;
    if (storage && Object.keys(storage.queues).length > 0) {
      grants.push({
        role: BuiltInRole.StorageQueueDataContributor,
        scope: "storageAccount",
        why: "queue messages",
      });
    }
    if (storage && Object.keys(storage.tables).length > 0) {
      grants.push({
        role: BuiltInRole.StorageTableDataContributor,
        scope: "storageAccount",
        why: "table entities",
      });
    }
  }
  if (access.registry !== "none" && plan.config.registry) {
    // Repository-scoped ABAC permissions (registry roleAssignmentMode AbacRepositoryPermissions) are not in
    // @pulumi/azure-native 3.28's Registry, so the grant covers the whole registry: with AcrPush a student can
    // push to, and overwrite tags in, every repository (docs/running-a-class.md says so).
    grants.push({
      role: access.registry === "push" ? BuiltInRole.AcrPush : BuiltInRole.AcrPull,
      scope: "registry",
      why: access.registry === "push" ? "push and pull class images" : "pull class images",
    });
  }
  if (access.cluster && env.aks === "cluster") {
    // A dedicated cluster is theirs: Writer covers workloads in every namespace but not RBAC objects, so the
    // instructor's admin access stays (built-in roles, Containers); Admin would let them rewrite bindings.
    grants.push(
      { role: BuiltInRole.AksClusterUser, scope: "cluster", why: "fetch the kubeconfig of this cluster" },
      { role: BuiltInRole.AksRbacWriter, scope: "cluster", why: "deploy workloads to this cluster" },
    );
  }
  if (access.cluster && env.aks === "namespace") {
    // A student's namespace is in the hub's shared cluster, which exists whenever a student has one.
    // Cluster User only lists the user credential; inside, the namespace RoleBinding is all they hold.
    grants.push({
      role: BuiltInRole.AksClusterUser,
      scope: "sharedCluster",
      why: "fetch the kubeconfig of the shared cluster",
    });
  }
  return grants;
}

/** Students whose cluster access is by Entra ID: a namespace RoleBinding or an RBAC role on their cluster. */
function studentsWithClusterAccess(plan: AccessPlan): string[] {
  return Object.keys(plan.config.class?.students ?? {}).filter((student) =>
    studentGrants(plan, student).some((g) => g.scope === "cluster" || g.scope === "sharedCluster"),
  );
}

/**
 * Whether the stack's clusters use Entra ID (managed Entra integration with Azure RBAC, local accounts off):
 * `azlab:aks.entraEnabled` when set; otherwise on when admin groups are given or when students would get cluster
 * access, which only an Entra sign-in can use. Admin groups are optional: AKS creates a managed Entra cluster
 * with Azure RBAC and no admin group (`az aks create --enable-aad --enable-azure-rbac`; azure-aks-docs,
 * manage-azure-rbac.md), and access then comes from Azure RBAC role assignments alone.
 */
export function entraSignInEnabled(plan: AccessPlan): boolean {
  const aks = plan.config.aks;
  if (!aks) return false;
  return (
    aks.entraEnabled ??
    (aks.entraAdminGroupObjectIds.length > 0 || studentsWithClusterAccess(plan).length > 0)
  );
}

/**
 * Refuses a class whose students would get Kubernetes access they cannot use: with `azlab:aks.entraEnabled:
 * false` no Entra user can sign in to the cluster at all, and the local-account kubeconfig would be the only way
 * in (azure-aks-docs, azure-ad-rbac.md and manage-local-accounts-managed-azure-ad.md). Unset, the default turns
 * Entra ID on for such a class, so only an explicit `false` is refused.
 */
export function studentSignInProblems(plan: AccessPlan): Problem[] {
  const aks = plan.config.aks;
  if (!aks || plan.config.environment !== "class" || entraSignInEnabled(plan)) return [];
  const students = studentsWithClusterAccess(plan);
  if (students.length === 0) return [];
  const shared = plan.config.class?.aksTopology !== "dedicated";
  const shown =
    students.slice(0, 3).join(", ") + (students.length > 3 ? ` and ${students.length - 3} more` : "");
  return [
    {
      path: `${C}aks.entraEnabled`,
      message: `is false, so the cluster has no Entra sign-in, but students ${shown} would get ${
        shared ? "namespace RoleBindings on the shared cluster" : "Azure RBAC roles on their own clusters"
      } that only an Entra sign-in can use`,
      value: false,
      allowed: `true, or leave it unset (a class whose students get cluster access gets Entra ID by default), or ${C}class.studentAccess.cluster: false`,
    },
  ];
}
