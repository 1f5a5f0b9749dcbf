/**
 * Class hygiene guardrails: expiry dates and required tags.
 * Pure: no Pulumi runtime imports.
 */
import { TAGGABLE_TYPES } from "../naming/tags.ts";
import { expiryInstant } from "../schedule/expiry.ts";
import { rec, resourceRule, stackRule } from "./ruleKit.ts";
import type { PolicyContext, Violation } from "./types.ts";

// ---- Class hygiene ------------------------------------------------------------------------------

function expiryProblem(context: PolicyContext): Violation | undefined {
  if (context.environment !== "class") return undefined;
  if (!context.expiresOn) {
    return {
      message: `Class stack "${context.stack}" has no expires-on date`,
      fix: "Set azlab:class.expiresOn (YYYY-MM-DD, the last day of the class) in the stack file",
    };
  }
  const zone = context.timeZone ?? "UTC";
  let end: Date;
  try {
    end = expiryInstant(context.expiresOn, zone);
  } catch (error) {
    return {
      message: (error as Error).message,
      fix: "Fix azlab:class.expiresOn / timeZone in the stack file",
    };
  }
  if (context.asOf.getTime() < end.getTime()) return undefined;
  return {
    message: `Class stack "${context.stack}" expired at the end of ${context.expiresOn} (${zone})`,
    fix: `Tear it down (azlab teardown --stack ${context.stack} --confirm ${context.stack}) or move azlab:class.expiresOn`,
  };
}

export const classExpiry = stackRule({
  id: "AZL-CLS-001",
  title: "Class stacks carry a future expiry date",
  severity: "error",
  equivalents: [],
  resourceTypes: [],
  inPolicyPack: true,
  check(_stack, context) {
    const problem = expiryProblem(context);
    return problem ? [{ resource: "stack", ...problem }] : [];
  },
});

/**
 * A student azlab cannot identify in Entra gets their machines but no Entra-based access: no Azure role
 * on their resources and no Kubernetes RoleBinding. One finding per student, so none goes unnoticed.
 */
export const studentIdentity = stackRule({
  id: "AZL-CLS-002",
  title: "Every student of a class has an Entra identity",
  severity: "warning",
  equivalents: [],
  resourceTypes: [],
  inPolicyPack: true,
  check(_stack, context) {
    if (context.environment !== "class") return [];
    return (context.studentsWithoutIdentity ?? []).map((student) => ({
      resource: "stack",
      message: `Student "${student}" has no Entra object id, UPN or email, so they get no Entra-based access (no Azure role assignments, no Kubernetes RoleBinding)`,
      fix: `Set upn or email (or entraObjectId) under azlab:class.students.${student}, or add the student's email to the roster CSV and run azlab roster import`,
    }));
  },
});

export const requiredTags = resourceRule({
  id: "AZL-TAG-001",
  title: "Taggable resources carry the required tags",
  severity: "warning",
  equivalents: ["Azure.Resource.UseTags"],
  resourceTypes: TAGGABLE_TYPES,
  check(resource, context) {
    const raw = resource.props["tags"];
    // A tag map that is secret as a whole cannot be read; do not guess.
    if (raw === "[secret]") return [];
    const tags = rec(raw) ?? {};
    const missing = context.requiredTags.filter((key) => {
      const value = tags[key];
      return typeof value !== "string" || value.trim() === "";
    });
    if (missing.length === 0) return [];
    return [
      {
        message: `Missing required tags: ${missing.join(", ")}`,
        fix: "Pass the stack's standard tags to the component that declares this resource",
      },
    ];
  },
});
