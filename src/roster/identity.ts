/**
 * How a student's Entra identity is known: given as an object id, or looked up at deploy time from a
 * UPN or an email. Pure, so the program, the guardrails and the hand-out agree on who has one.
 */

/** The identity fields of a student as the stack file holds them. */
export interface StudentIdentityFields {
  readonly entraObjectId?: string | undefined;
  readonly upn?: string | undefined;
  readonly email?: string | undefined;
}

export type StudentIdentity =
  | { readonly kind: "objectId"; readonly objectId: string; readonly upn?: string }
  | { readonly kind: "upn"; readonly upn: string }
  | { readonly kind: "email"; readonly email: string }
  | { readonly kind: "none" };

/**
 * Where a student's object id comes from. A written object id wins and needs no Graph lookup (a guest
 * from another tenant may have no UPN in this one); then the UPN, which Entra keeps unique per tenant;
 * then the email, looked up by the user's `mail` property.
 */
export function studentIdentity(student: StudentIdentityFields): StudentIdentity {
  if (student.entraObjectId) {
    return {
      kind: "objectId",
      objectId: student.entraObjectId,
      ...(student.upn ? { upn: student.upn } : {}),
    };
  }
  if (student.upn) return { kind: "upn", upn: student.upn };
  if (student.email) return { kind: "email", email: student.email };
  return { kind: "none" };
}

/** Ids of the students whose Entra identity azlab cannot know, in roster order. */
export function studentsWithoutIdentity(students: Readonly<Record<string, StudentIdentityFields>>): string[] {
  return Object.entries(students)
    .filter(([, student]) => studentIdentity(student).kind === "none")
    .map(([id]) => id);
}
