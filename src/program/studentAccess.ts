/**
 * Grants every student with an Entra identity the roles studentGrants chooses (src/access/studentAccess.ts),
 * each on the student's own resource, or on the class registry and shared cluster. The assignments are children
 * of the student's environment, so each student's URNs stay under their own name.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization/index.js";
import { builtInRoleAssignment } from "../../components/shared/roleAssignment.ts";
import { BuiltInRole, roleDefinitionId } from "../azure/catalog.ts";
import { studentGrants, type StudentScope } from "../access/studentAccess.ts";
import { logicalName } from "../naming/azureNames.ts";
import { HUB_KEY, type StackPlan } from "../stack/planStack.ts";
import type { LabEnvironment } from "./labEnvironment.ts";
import type { ResolvedStudentIdentity } from "./identity.ts";

/**
 * Short, stable parts of the assignments' logical names, read after the scope's part, so neither repeats
 * the other (`alice-access-hub-aks-user`, not `…-aks-aks-user`); renaming one renames URNs.
 */
const ROLE_SLUG: Partial<Record<BuiltInRole, string>> = {
  [BuiltInRole.Reader]: "reader",
  [BuiltInRole.VirtualMachineContributor]: "vm-contributor",
  [BuiltInRole.StorageBlobDataContributor]: "blob-data",
  [BuiltInRole.StorageFileDataSmbShareContributor]: "file-data",
  [BuiltInRole.StorageQueueDataContributor]: "queue-data",
  [BuiltInRole.StorageTableDataContributor]: "table-data",
  [BuiltInRole.AcrPush]: "push",
  [BuiltInRole.AcrPull]: "pull",
  [BuiltInRole.AksClusterUser]: "user",
  [BuiltInRole.AksRbacWriter]: "writer",
};

const SCOPE_SLUG: Record<StudentScope, string> = {
  resourceGroup: "rg",
  storageAccount: "st",
  cluster: "aks",
  registry: "registry",
  sharedCluster: "hub-aks",
};

export interface StudentAccessTargets {
  readonly environments: Readonly<Record<string, LabEnvironment>>;
  readonly registryId?: pulumi.Output<string>;
  readonly identities: Readonly<Record<string, ResolvedStudentIdentity>>;
}

/** Declares the role assignments of every student; returns them keyed by logical name (for tests). */
export function grantStudentAccess(
  plan: StackPlan,
  targets: StudentAccessTargets,
): Record<string, authorization.RoleAssignment> {
  const assignments: Record<string, authorization.RoleAssignment> = {};
  const students = Object.keys(plan.config.class?.students ?? {});
  if (students.length === 0) return assignments;
  // One lookup for every grant: the role ids are subscription-scoped.
  let subscriptionId: pulumi.Output<string> | undefined;
  const hubCluster = targets.environments[HUB_KEY]?.clusterId;
  for (const student of students) {
    const env = targets.environments[student];
    const identity = targets.identities[student];
    if (!env || !identity) continue;
    subscriptionId ??= authorization.getClientConfigOutput({ parent: env }).subscriptionId;
    const scopes: Record<StudentScope, pulumi.Output<string> | undefined> = {
      resourceGroup: env.resourceGroupId,
      storageAccount: env.storageAccountId,
      cluster: env.clusterId,
      registry: targets.registryId,
      sharedCluster: hubCluster,
    };
    for (const grant of studentGrants(plan, student)) {
      const scope = scopes[grant.scope];
      if (!scope) continue;
      const name = logicalName(
        student,
        `access-${SCOPE_SLUG[grant.scope]}-${ROLE_SLUG[grant.role] ?? grant.role}`,
      );
      const sub = subscriptionId;
      assignments[name] = builtInRoleAssignment(name, env, {
        role: grant.role,
        scope,
        principalId: identity.objectId,
        principalType: "User",
        roleDefinitionId: sub.apply((id) => roleDefinitionId(id, grant.role)),
        description: `azlab: student ${student}: ${grant.why}`,
      });
    }
  }
  return assignments;
}
