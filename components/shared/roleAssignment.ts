/** Built-in role assignments with stable names, for grants a component makes to its own identities. */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization/index.js";
import { stableGuid } from "../../src/naming/globalNames.ts";
import { type BuiltInRole, roleDefinitionId } from "../../src/azure/catalog.ts";

export interface BuiltInRoleGrant {
  /** The built-in role to grant. */
  readonly role: BuiltInRole;
  /** Resource id the grant applies to: the narrowest scope that works. */
  readonly scope: pulumi.Input<string>;
  /** Object id of the service principal or managed identity. */
  readonly principalId: pulumi.Input<string>;
  /** Why azlab grants it, shown in the portal. */
  readonly description: string;
  /** The role's subscription-scoped id when the caller already has it (saves a getClientConfig call). */
  readonly roleDefinitionId?: pulumi.Input<string>;
  /**
   * The principal's type. Defaults to "ServicePrincipal" (azlab's own identities). It must be right: a wrong type
   * fails with UnmatchedPrincipalType (Azure/modern-web-app-pattern-dotnet #129), and azure-native sends "User"
   * when it is left out.
   */
  readonly principalType?: "ServicePrincipal" | "User" | "Group";
}

/**
 * Grants a built-in role to a service principal or managed identity. Like ARM's guid(), the name is a GUID
 * of scope, principal and role: re-runs are idempotent, and a new scope or principal gets a new name, so a
 * replacement never collides with the assignment it replaces.
 */
export function builtInRoleAssignment(
  name: string,
  parent: pulumi.Resource,
  grant: BuiltInRoleGrant,
  dependsOn?: pulumi.Input<pulumi.Resource>[],
): authorization.RoleAssignment {
  return new authorization.RoleAssignment(
    name,
    {
      roleAssignmentName: pulumi
        .all([grant.scope, grant.principalId])
        .apply(([scope, principal]) => stableGuid(`${scope}|${principal}|${grant.role}`)),
      scope: grant.scope,
      principalId: grant.principalId,
      // A new identity may not have replicated yet; with the type set, ARM does not look it up first.
      principalType: grant.principalType ?? "ServicePrincipal",
      roleDefinitionId:
        grant.roleDefinitionId ??
        authorization
          .getClientConfigOutput({ parent })
          .apply((c) => roleDefinitionId(c.subscriptionId, grant.role)),
      description: grant.description,
    },
    { parent, ...(dependsOn ? { dependsOn } : {}) },
  );
}
