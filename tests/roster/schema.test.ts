import { describe, expect, it } from "vitest";
import { formatProblem } from "../../src/errors.ts";
import { parseStackConfig } from "../../src/config/parse.ts";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDVUEX/0GLgrlKvdQjeYgRn1arSC6U56sHkgihXKqXaA alice@laptop";

function classConfig(students: Record<string, unknown>) {
  return {
    "azlab:environment": "class",
    "azlab:location": "westeurope",
    "azlab:owner": "instructor@uni.edu",
    "azlab:network": { subnets: { web: { prefixLength: 26 } } },
    "azlab:class": {
      courseId: "cloud-101",
      instructor: "instructor@uni.edu",
      expiresOn: "2027-01-31",
      sourceCidrs: ["145.100.0.0/16"],
      supernet: "10.128.0.0/16",
      students,
    },
  };
}

const problems = (students: Record<string, unknown>) =>
  parseStackConfig(classConfig(students), []).problems.map((p) => formatProblem(p));

describe("the roster schema", () => {
  it("takes upn or email, a display name, SSH keys and extra source prefixes, and fills defaults", () => {
    const { config, problems: found } = parseStackConfig(
      classConfig({
        alice: {
          upn: "alice@uni.onmicrosoft.com",
          email: "Alice.Smith@uni.edu",
          displayName: "Alice Smith",
          sshPublicKeys: [KEY],
          sourceCidrs: ["203.0.113.0/28", "2001:db8::/48"],
        },
        bob: null,
        carol: { entraObjectId: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d" },
      }),
      [],
    );
    expect(found).toEqual([]);
    const students = config!.class!.students;
    expect(students["alice"]?.upn).toBe("alice@uni.onmicrosoft.com");
    expect(students["alice"]?.email).toBe("Alice.Smith@uni.edu");
    expect(students["alice"]?.sshPublicKeys).toEqual([KEY]);
    expect(students["alice"]?.sourceCidrs.map((p) => `${p.length}/${p.version}`)).toEqual(["28/4", "48/6"]);
    expect(students["bob"]).toEqual({ sshPublicKeys: [], sourceCidrs: [] });
    expect(students["carol"]).toEqual({
      entraObjectId: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
      sshPublicKeys: [],
      sourceCidrs: [],
    });
  });

  it("names the key, the bad value and what is allowed for each bad field", () => {
    expect(
      problems({
        bob: {
          upn: "bob",
          email: "bob@localhost",
          sshPublicKeys: ["ssh-dss AAAA bob"],
          sourceCidrs: ["203.0.113.7/24"],
          nickname: "bobby",
        },
      }),
    ).toEqual([
      'azlab:class.students.bob.upn: is not a sign-in name (got "bob"; allowed: a sign-in name such as alice.smith@uni.edu)',
      'azlab:class.students.bob.email: is not a sign-in name (got "bob@localhost"; allowed: a sign-in name such as alice.smith@uni.edu)',
      'azlab:class.students.bob.sshPublicKeys.0: is not an OpenSSH public key line (got "ssh-dss AAAA bob"; allowed: an OpenSSH public key line (ssh-ed25519 AAAA... or ssh-rsa AAAA...))',
      'azlab:class.students.bob.sourceCidrs.0: is not aligned to its /24 (host bits are set) (got "203.0.113.7/24"; allowed: 203.0.113.0/24)',
      "azlab:class.students.bob.nickname: is not a known setting (allowed: entraObjectId, upn, email, displayName, sshPublicKeys, sourceCidrs)",
    ]);
  });

  it("suggests a valid id for an id that fails the key pattern", () => {
    const allowed =
      "1–31 lowercase letters, digits and hyphens, starting with a letter or digit; lowercase it " +
      "(Alice → alice) or derive it from the email (Alice.Smith@uni.edu → alice-smith)";
    expect(problems({ "Alice.Smith": {}, "Zoë Ünal": {}, "-x-": {} })).toEqual([
      `azlab:class.students.Alice.Smith: is not a valid student id (try "alice-smith") (got "Alice.Smith"; allowed: ${allowed})`,
      `azlab:class.students.Zoë Ünal: is not a valid student id (try "zoe-unal") (got "Zoë Ünal"; allowed: ${allowed})`,
      `azlab:class.students.-x-: is not a valid student id (try "x") (got "-x-"; allowed: ${allowed})`,
    ]);
  });
});
