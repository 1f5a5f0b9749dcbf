/** AcrPull role assignments, shared by Registry (pullers) and KubernetesCluster (acrId attach). */
import type * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization/index.js";
import { BuiltInRole, roleDefinitionId } from "../../src/azure/catalog.ts";
import { builtInRoleAssignment } from "./roleAssignment.ts";

/** The AcrPull role definition id in the deployer's subscription. */
export function acrPullRoleDefinitionId(parent: pulumi.Resource): pulumi.Output<string> {
  return authorization
    .getClientConfigOutput({ parent })
    .apply((c) => roleDefinitionId(c.subscriptionId, BuiltInRole.AcrPull));
}

/** Grants AcrPull on `registryId` to a service principal or managed identity (see builtInRoleAssignment). */
export function acrPullAssignment(
  name: string,
  parent: pulumi.Resource,
  roleDefinitionId: pulumi.Input<string>,
  registryId: pulumi.Input<string>,
  principalId: pulumi.Input<string>,
  dependsOn?: pulumi.Input<pulumi.Resource>[],
): authorization.RoleAssignment {
  return builtInRoleAssignment(
    name,
    parent,
    {
      role: BuiltInRole.AcrPull,
      scope: registryId,
      principalId,
      description: "AcrPull granted by azlab",
      roleDefinitionId,
    },
    dependsOn,
  );
}
