import { describe, expect, it } from "vitest";
import { deriveStudentId, readRosterCsv } from "../../src/roster/roster.ts";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDaVGAh4s09THnV+KWIQEW8LuxCVhPB65hO+SG/ng0qZ";
const KEY2 =
  "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDlk8aneW6S/BvZP7vgg4VAAhmRKOJAqFJyiKqqg6bX0pVsvqV/R1+sP9WLP6E5/EhZ1Z34xX8ogFLfv2vByP4DnnG0lQ3syOg8auQxz3tbXVbbjRUMoemkvB4OjN7SgvcLhhDXiZNEo2lFc89YjZHLD2AlQh/VGInhQKqlJ3iIGw== bob@lab";

describe("readRosterCsv", () => {
  it("accepts common header spellings in any case and lowercases ids", () => {
    const csv = [
      "Student ID,Display Name,E-Mail,UserPrincipalName,SSH Public Key,Section",
      `Alice,Alice Smith,alice@uni.edu,,${KEY},A`,
      `,"Smith, Bob",,bob.smith@uni.onmicrosoft.com,"${KEY}\n${KEY2}",B`,
      `carol,,,carol@uni.edu,${KEY}; ${KEY2},`,
    ].join("\r\n");
    expect(readRosterCsv(csv, "roster.csv")).toEqual({
      entries: [
        { line: 2, id: "alice", displayName: "Alice Smith", email: "alice@uni.edu", sshPublicKeys: [KEY] },
        {
          line: 3,
          displayName: "Smith, Bob",
          upn: "bob.smith@uni.onmicrosoft.com",
          sshPublicKeys: [KEY, KEY2],
        },
        { line: 5, id: "carol", upn: "carol@uni.edu", sshPublicKeys: [KEY, KEY2] },
      ],
      ignoredColumns: ["Section"],
      problems: [],
    });
  });

  it("reports every bad row at once, with file:line, the column, the value and what is allowed", () => {
    const csv = [
      "id,name,email,ssh key",
      "Alice.Smith,Alice,alice@uni.edu,",
      "bob,Bob,bob-at-uni,ssh-dss AAAA bob",
      ",Carol,,",
      "dave,Dave,dave@uni.edu,,extra",
    ].join("\n");
    expect(readRosterCsv(csv, "roster.csv")).toEqual({
      entries: [],
      ignoredColumns: [],
      problems: [
        'roster.csv:2: column "id": is not a valid student id (try "alice-smith") (got "Alice.Smith"; allowed: 1–31 lowercase letters, digits and hyphens, starting with a letter or digit)',
        'roster.csv:3: column "email": is not a sign-in name (got "bob-at-uni"; allowed: a sign-in name such as alice.smith@uni.edu)',
        'roster.csv:3: column "ssh key": is not an OpenSSH public key line (got "ssh-dss AAAA bob"; allowed: an OpenSSH public key line (ssh-ed25519 AAAA... or ssh-rsa AAAA...))',
        "roster.csv:4: row: has no id, email or upn, so it cannot become a student (allowed: an id, or an email or upn to derive one from)",
        "roster.csv:5: row: has 5 cells but the header has 4 (allowed: one cell per header column; quote a value that holds a comma)",
      ],
    });
  });

  it("refuses a header with no column to take an id from, and two columns for one field", () => {
    expect(readRosterCsv("Name,Key\nAlice,x\n", "r.csv").problems).toEqual([
      'r.csv:1: header: has no id, email or upn column, so no student can get an id (got "Name,Key"; allowed: a header row with id, name, email or upn, and ssh key columns (any case))',
    ]);
    expect(readRosterCsv("id,Email,Mail\nalice,a@uni.edu,b@uni.edu\n", "r.csv").problems).toEqual([
      'r.csv:1: column "Mail": fills email like column "Email" (allowed: one column per field)',
    ]);
    expect(readRosterCsv("", "empty.csv").problems).toEqual([
      "empty.csv: has no header row (allowed: a header row with id, name, email or upn, and ssh key columns (any case))",
    ]);
  });

  it("reports CSV syntax problems with their line", () => {
    expect(readRosterCsv('id,name\nalice,"Alice\n', "r.csv").problems).toEqual([
      "r.csv:2: has a quoted field that is never closed",
    ]);
  });
});

describe("deriveStudentId", () => {
  it.each([
    ["Alice.Smith@uni.edu", "alice-smith"],
    ["Alice.Smith", "alice-smith"],
    ["o'brien_2@uni.edu", "o-brien-2"],
    ["Zoë Ünal", "zoe-unal"],
    ["---", "student"],
    ["a.very.long.local.part.that.goes.on.and.on@uni.edu", "a-very-long-local-part-that-goe"],
  ])("%s → %s", (text, id) => {
    expect(deriveStudentId(text)).toBe(id);
  });
});
