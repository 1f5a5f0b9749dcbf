/**
 * Student identities at deploy time: a UPN or an email becomes the student's Entra object id through
 * Microsoft Graph (@pulumi/azuread's getUser), when `pulumi up` runs. The deploying principal needs
 * User.Read.All or Directory.Read.All as a service principal, nothing extra as a user (azuread's
 * getUser docs). Offline, the mock engine answers with a placeholder id derived from the sign-in name.
 */
import * as pulumi from "@pulumi/pulumi";
import * as entraUser from "@pulumi/azuread/getUser.js";
import type { StudentConfig } from "../config/schema.ts";
import { studentIdentity } from "../roster/identity.ts";

export interface ResolvedStudentIdentity {
  /** The Entra object id: for Azure role assignments, and RoleBindings of guests from other tenants. */
  readonly objectId: pulumi.Output<string>;
  /**
   * The user principal name, when known: AKS binds a same-tenant user by UPN (azure-aks-docs,
   * azure-ad-rbac.md, "Create the AKS cluster resources for app devs").
   */
  readonly userPrincipalName?: pulumi.Output<string>;
}

/**
 * The resolved identity of every student azlab can identify, keyed by student id. Students with
 * neither an object id nor a UPN or email are left out: they get no Entra-based access, and the
 * guardrail AZL-CLS-002 says so in the plan.
 */
export function resolveStudentIdentities(
  students: Readonly<Record<string, StudentConfig>>,
): Record<string, ResolvedStudentIdentity> {
  const resolved: Record<string, ResolvedStudentIdentity> = {};
  for (const [id, student] of Object.entries(students)) {
    const identity = studentIdentity(student);
    switch (identity.kind) {
      case "objectId":
        resolved[id] = {
          objectId: pulumi.output(identity.objectId),
          ...(identity.upn ? { userPrincipalName: pulumi.output(identity.upn) } : {}),
        };
        break;
      case "upn": {
        const user = entraUser.getUserOutput({ userPrincipalName: identity.upn });
        resolved[id] = { objectId: user.objectId, userPrincipalName: pulumi.output(identity.upn) };
        break;
      }
      case "email": {
        // Graph's `mail` is the address mail reaches; the UPN may differ (a school alias), so take Graph's.
        const user = entraUser.getUserOutput({ mail: identity.email });
        resolved[id] = { objectId: user.objectId, userPrincipalName: user.userPrincipalName };
        break;
      }
      case "none":
        break;
    }
  }
  return resolved;
}
