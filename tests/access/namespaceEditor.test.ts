/**
 * The namespace editor's RoleBinding subject: a same-tenant user by UPN, a guest by object id
 * (azure-aks-docs, azure-ad-rbac.md), with the exact message of each refused input.
 */
import { describe, expect, it } from "vitest";
import { normalizeClusterBasics } from "../../src/validation/clusterBasics.ts";

const GUEST = "0b6e1f7a-1c2d-4e3f-9a8b-7c6d5e4f3a2b";

describe("namespace editor subject", () => {
  it("binds by UPN when given (even with an object id), else by object id", () => {
    const result = normalizeClusterBasics({
      namespaces: {
        member: { editorUserPrincipalName: "alice@uni.example.edu", editorObjectId: GUEST },
        guest: { editorObjectId: GUEST },
        nobody: {},
      },
    });
    expect(result.problems).toEqual([]);
    expect(result.value?.namespaces["member"]?.editor).toEqual({
      objectId: GUEST,
      subject: "alice@uni.example.edu",
      kind: "User",
    });
    expect(result.value?.namespaces["guest"]?.editor).toEqual({
      objectId: GUEST,
      subject: GUEST,
      kind: "User",
    });
    expect(result.value?.namespaces["nobody"]?.editor).toBeUndefined();
  });

  it("refuses a UPN that is not a sign-in name, and a Group kind with a UPN", () => {
    const result = normalizeClusterBasics({
      namespaces: {
        a: { editorUserPrincipalName: "alice" },
        b: { editorUserPrincipalName: "bob@uni.example.edu", editorKind: "Group" },
      },
    });
    expect(result.problems).toEqual([
      {
        path: "namespaces.a.editorUserPrincipalName",
        message: "is not a user principal name",
        value: "alice",
        allowed: "a sign-in name such as alice@uni.edu",
      },
      {
        path: "namespaces.b.editorKind",
        message: "cannot be Group with editorUserPrincipalName",
        value: "Group",
        allowed: "User",
      },
    ]);
  });
});
