/** AcrPull role assignments, shared by Registry (pullers) and KubernetesCluster (acrId attach). */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization/index.js";
import { stableGuid } from "../../src/naming/globalNames.ts";
import { BuiltInRole, roleDefinitionId } from "../../src/azure/catalog.ts";

/** The AcrPull role definition id in the deployer's subscription. */
export function acrPullRoleDefinitionId(parent: pulumi.Resource): pulumi.Output<string> {
  return authorization
    .getClientConfigOutput({ parent })
    .apply((c) => roleDefinitionId(c.subscriptionId, BuiltInRole.AcrPull));
}

/**
 * Grants AcrPull on `registryId` to a service principal or managed identity. The assignment name is a GUID
 * of scope, principal and role, like ARM's guid(): re-runs are idempotent, and a new scope or principal gets
 * a new name, so the replacement never collides with the assignment it replaces.
 */
export function acrPullAssignment(
  name: string,
  parent: pulumi.Resource,
  roleDefinitionId: pulumi.Input<string>,
  registryId: pulumi.Input<string>,
  principalId: pulumi.Input<string>,
  dependsOn?: pulumi.Input<pulumi.Resource>[],
): authorization.RoleAssignment {
  return new authorization.RoleAssignment(
    name,
    {
      roleAssignmentName: pulumi
        .all([registryId, principalId])
        .apply(([scope, principal]) => stableGuid(`${scope}|${principal}|${BuiltInRole.AcrPull}`)),
      scope: registryId,
      principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId,
      description: "AcrPull granted by azlab",
    },
    { parent, ...(dependsOn ? { dependsOn } : {}) },
  );
}
