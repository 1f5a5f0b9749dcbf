import { describe, expect, it } from "vitest";
import type { StudentConfig } from "../../src/config/schema.ts";
import { stableGuid } from "../../src/naming/globalNames.ts";
import { evaluateResources, policyContextFromConfig } from "../../src/policy/evaluate.ts";
import { ruleById } from "../../src/policy/rules.ts";
import { resolveStudentIdentities } from "../../src/program/identity.ts";
import { studentIdentity, studentsWithoutIdentity } from "../../src/roster/identity.ts";
import { planShipped, run } from "../support/offline.ts";

const student = (fields: Partial<StudentConfig>): StudentConfig => ({
  sshPublicKeys: [],
  sourceCidrs: [],
  ...fields,
});
const OBJECT_ID = "0b6e1f7a-1c2d-4e3f-9a8b-7c6d5e4f3a2b";

const STUDENTS: Record<string, StudentConfig> = {
  given: student({ entraObjectId: OBJECT_ID, upn: "given@uni.edu" }),
  byUpn: student({ upn: "Ann.Lee@uni.onmicrosoft.com", email: "ann@uni.edu" }),
  byMail: student({ email: "Bob.Smith@uni.edu" }),
  nobody: student({ displayName: "No Body" }),
};

describe("studentIdentity", () => {
  it("prefers a written object id, then the UPN, then the email", () => {
    expect(Object.fromEntries(Object.entries(STUDENTS).map(([id, s]) => [id, studentIdentity(s)]))).toEqual({
      given: { kind: "objectId", objectId: OBJECT_ID, upn: "given@uni.edu" },
      byUpn: { kind: "upn", upn: "Ann.Lee@uni.onmicrosoft.com" },
      byMail: { kind: "email", email: "Bob.Smith@uni.edu" },
      nobody: { kind: "none" },
    });
    expect(studentsWithoutIdentity(STUDENTS)).toEqual(["nobody"]);
  });
});

describe("resolveStudentIdentities under the offline engine", async () => {
  const result = await run(() => {
    const resolved = resolveStudentIdentities(STUDENTS);
    return Object.fromEntries(
      Object.entries(resolved).map(([id, identity]) => [
        id,
        { objectId: identity.objectId, upn: identity.userPrincipalName ?? "(none)" },
      ]),
    );
  });

  it("looks up a UPN by userPrincipalName and an email by mail in Microsoft Graph, and nothing else", () => {
    expect(
      result.calls.map((c) => [
        c.token,
        Object.fromEntries(Object.entries(c.inputs).filter(([, v]) => v !== undefined)),
      ]),
    ).toEqual([
      ["azuread:index/getUser:getUser", { userPrincipalName: "Ann.Lee@uni.onmicrosoft.com" }],
      ["azuread:index/getUser:getUser", { mail: "Bob.Smith@uni.edu" }],
    ]);
  });

  it("gives each looked-up student a placeholder object id stable per sign-in name, and leaves out who has none", () => {
    expect(result.outputs).toEqual({
      given: { objectId: OBJECT_ID, upn: "given@uni.edu" },
      byUpn: {
        objectId: stableGuid("entra-user|ann.lee@uni.onmicrosoft.com"),
        upn: "Ann.Lee@uni.onmicrosoft.com",
      },
      byMail: { objectId: "06a8b9af-a0bf-5efc-8c19-5cc467750280", upn: "bob.smith@uni.edu" },
    });
    expect(stableGuid("entra-user|bob.smith@uni.edu")).toBe("06a8b9af-a0bf-5efc-8c19-5cc467750280");
  });
});

describe("AZL-CLS-002: every student of a class has an Entra identity", () => {
  const loaded = (environment: "class" | "dev") => ({
    stack: "c",
    config: { environment, class: { expiresOn: "2027-01-31", students: STUDENTS } },
  });
  const rule = [ruleById("AZL-CLS-002")!];

  it("warns once per student with no object id, UPN or email", () => {
    const findings = evaluateResources(
      [],
      policyContextFromConfig(loaded("class"), new Date("2027-01-01")),
      {},
      rule,
    );
    expect(findings).toEqual([
      {
        id: "AZL-CLS-002",
        severity: "warning",
        enforcement: "advisory",
        resource: "stack",
        message:
          'Student "nobody" has no Entra object id, UPN or email, so they get no Entra-based access (no Azure role assignments, no Kubernetes RoleBinding)',
        fix: "Set upn or email (or entraObjectId) under azlab:class.students.nobody, or add the student's email to the roster CSV and run azlab roster import",
      },
    ]);
  });

  it("is silent when every student can be identified, and outside class stacks", () => {
    const { nobody: _left, ...identified } = STUDENTS;
    const all = {
      stack: "c",
      config: { environment: "class" as const, class: { expiresOn: "2027-01-31", students: identified } },
    };
    expect(evaluateResources([], policyContextFromConfig(all, new Date("2027-01-01")), {}, rule)).toEqual([]);
    expect(
      evaluateResources([], policyContextFromConfig(loaded("dev"), new Date("2027-01-01")), {}, rule),
    ).toEqual([]);
  });

  it("shows the resolved ids in the shipped class's student outputs, and no id for bob", async () => {
    const plan = await planShipped("class-demo");
    const students = plan.outputs["students"] as Record<string, Record<string, unknown>>;
    expect(
      Object.fromEntries(Object.entries(students).map(([id, s]) => [id, s["entraObjectId"] ?? "(none)"])),
    ).toEqual({
      alice: "0b6e1f7a-1c2d-4e3f-9a8b-7c6d5e4f3a2b",
      bob: "(none)",
      carol: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    });
  });
});
