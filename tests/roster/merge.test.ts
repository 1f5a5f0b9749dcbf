import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.ts";
import { mergeRoster, renderMergeSummary, type MergeResult } from "../../src/roster/merge.ts";
import { readRosterCsv, type RosterEntry } from "../../src/roster/roster.ts";

const KEY_A = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIMMR9ydr0rD7sQ0Y/VQynMXrScN4IG5ipfvIzxfuHZ2 alice@laptop";
const KEY_B = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGO2Y/XV+0h8GcmU0gjw2ZBTrHgEMGnzdqilNVhA2x1+ bob@laptop";

/** A class stack with comments, a flow map, a quoted date and keys in a hand-picked order. */
const STACK = [
  "# cloud-101, spring term",
  "config:",
  "  azlab:environment: class",
  "  azlab:class:",
  "    courseId: cloud-101",
  '    expiresOn: "2027-01-31" # last lecture',
  "    students:",
  "      # the first two came from the pilot",
  "      zed:",
  "        entraObjectId: 0b6e1f7a-1c2d-4e3f-9a8b-7c6d5e4f3a2b # guest",
  "      alice: {}",
  "      bob:",
  "        email: bob@uni.edu",
  "        sshPublicKeys:",
  `          - ${KEY_B}`,
  "  azlab:network:",
  "    subnets: { web: { prefixLength: 26 } }",
  "",
].join("\n");

function entries(csv: string): RosterEntry[] {
  const read = readRosterCsv(csv, "r.csv");
  expect(read.problems).toEqual([]);
  return read.entries;
}

function merge(csv: string, stack = STACK): MergeResult {
  return mergeRoster(stack, "Pulumi.c.yaml", entries(csv), "r.csv");
}

function problemsOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error("expected a UserError");
}

describe("mergeRoster", () => {
  const csv = [
    "id,name,email,ssh key",
    `Alice,Alice Smith,alice@uni.edu,${KEY_A}`,
    ",Bob B.,BOB@uni.edu,",
    ",Carol Jones,Carol.Jones@uni.edu,",
    ",Zed Other,zed@other.edu,",
  ].join("\n");

  it("keeps comments, key order and untouched values byte for byte, and appends new students", () => {
    const result = merge(csv);
    expect(result.text).toBe(
      [
        "# cloud-101, spring term",
        "config:",
        "  azlab:environment: class",
        "  azlab:class:",
        "    courseId: cloud-101",
        '    expiresOn: "2027-01-31" # last lecture',
        "    students:",
        "      # the first two came from the pilot",
        "      zed:",
        "        entraObjectId: 0b6e1f7a-1c2d-4e3f-9a8b-7c6d5e4f3a2b # guest",
        "      alice:",
        "        displayName: Alice Smith",
        "        email: alice@uni.edu",
        "        sshPublicKeys:",
        `          - ${KEY_A}`,
        "      bob:",
        "        email: bob@uni.edu",
        "        sshPublicKeys:",
        `          - ${KEY_B}`,
        "        displayName: Bob B.",
        "      carol-jones:",
        "        displayName: Carol Jones",
        "        email: Carol.Jones@uni.edu",
        "      zed-2:",
        "        displayName: Zed Other",
        "        email: zed@other.edu",
        "  azlab:network:",
        "    subnets: { web: { prefixLength: 26 } }",
        "",
      ].join("\n"),
    );
    expect(result.changes).toEqual([
      { id: "alice", kind: "changed", detail: "displayName, email, sshPublicKeys" },
      // Matched by email without case; only the name is new.
      { id: "bob", kind: "changed", detail: "displayName" },
      { id: "carol-jones", kind: "added", detail: "id from Carol.Jones@uni.edu" },
      // zed is taken by a student with no email: the derived id never reuses it.
      { id: "zed-2", kind: "added", detail: "id from zed@other.edu" },
      { id: "zed", kind: "kept" },
    ]);
  });

  it("is a no-op on a second import: the same text, nothing added or changed", () => {
    const first = merge(csv);
    const second = merge(csv, first.text);
    expect(second.changed).toBe(false);
    expect(second.text).toBe(first.text);
    expect(second.changes).toEqual([
      { id: "alice", kind: "unchanged" },
      { id: "bob", kind: "unchanged" },
      { id: "carol-jones", kind: "unchanged" },
      { id: "zed-2", kind: "unchanged" },
      { id: "zed", kind: "kept" },
    ]);
  });

  it("adds only new SSH keys, never removes one, and numbers colliding derived ids", () => {
    const result = merge(
      ["email,ssh key", `bob@uni.edu,"${KEY_A}\n${KEY_B}"`, "j.smith@uni.edu,", "j.smith@other.edu,"].join(
        "\n",
      ),
    );
    expect(result.changes.filter((c) => c.kind !== "kept")).toEqual([
      { id: "bob", kind: "changed", detail: "sshPublicKeys" },
      { id: "j-smith", kind: "added", detail: "id from j.smith@uni.edu" },
      { id: "j-smith-2", kind: "added", detail: "id from j.smith@other.edu" },
    ]);
    expect(result.text).toContain(
      `      bob:\n        email: bob@uni.edu\n        sshPublicKeys:\n          - ${KEY_B}\n          - ${KEY_A}\n      j-smith:\n`,
    );
  });

  it("creates the roster of a class stack that has none yet", () => {
    const stack = "config:\n  azlab:class:\n    courseId: c1\n    students:\n";
    expect(merge("id,email\nann,ann@uni.edu\n", stack).text).toBe(
      "config:\n  azlab:class:\n    courseId: c1\n    students:\n      ann:\n        email: ann@uni.edu\n",
    );
    expect(merge("id\nann\n", "config:\n  azlab:class:\n    courseId: c1\n").text).toBe(
      "config:\n  azlab:class:\n    courseId: c1\n    students:\n      ann: {}\n",
    );
  });

  it("reports every conflict at once and merges nothing", () => {
    const message = problemsOf(() =>
      merge(["id,email", "alice2,BOB@uni.edu", "dave,dave@uni.edu", "Dave,other@uni.edu"].join("\n")),
    );
    expect(message).toBe(
      [
        "r.csv: 2 problems; Pulumi.c.yaml was not changed:",
        '  - r.csv:2: row: gives id "alice2" to BOB@uni.edu, which already belongs to student "bob" (allowed: the id "bob", or no id)',
        '  - r.csv:4: row: names student "dave" again (first on line 3) (allowed: one row per student)',
      ].join("\n"),
    );
  });

  it("refuses a stack file without azlab:class", () => {
    expect(problemsOf(() => merge("id\nann\n", "config:\n  azlab:environment: dev\n"))).toBe(
      "Pulumi.c.yaml: azlab:class: is not set, so the file has no roster (allowed: a class stack file; start from stacks/Pulumi.class-demo.yaml)",
    );
  });
});

describe("renderMergeSummary", () => {
  const result = mergeRoster(
    STACK,
    "Pulumi.c.yaml",
    entries("id,name,email,group\nalice,Alice,alice@uni.edu,1\nbob,,bob@uni.edu,2\n,,c@uni.edu,1\n"),
    "r.csv",
  );
  const files = { csv: "r.csv", stack: "Pulumi.c.yaml", read: 3, ignoredColumns: ["group"] };

  it("prints what was added, changed and left alone, and whether it wrote", () => {
    expect(renderMergeSummary(result, files, "write")).toBe(
      [
        "r.csv: 3 students; Pulumi.c.yaml: 1 added, 1 changed, 2 left alone",
        "ignored columns: group",
        "added:",
        "  + c (id from c@uni.edu)",
        "changed:",
        "  ~ alice: displayName, email",
        "left alone:",
        "  = bob",
        "  = zed (not in the CSV)",
        "wrote Pulumi.c.yaml",
        "",
      ].join("\n"),
    );
    expect(renderMergeSummary(result, files, "dry-run").split("\n").at(-2)).toBe(
      "dry run: Pulumi.c.yaml not written",
    );
  });

  it("says when there is nothing to change", () => {
    const again = mergeRoster(result.text, "Pulumi.c.yaml", entries("id\nalice\n"), "r.csv");
    expect(renderMergeSummary(again, { ...files, read: 1, ignoredColumns: [] }, "write")).toBe(
      [
        "r.csv: 1 student; Pulumi.c.yaml: 0 added, 0 changed, 4 left alone",
        "left alone:",
        "  = alice",
        "  = zed (not in the CSV)",
        "  = bob (not in the CSV)",
        "  = c (not in the CSV)",
        "nothing to change; Pulumi.c.yaml left as it was",
        "",
      ].join("\n"),
    );
  });
});

describe("mergeRoster on a student that is not a map", () => {
  it("refuses to overwrite it", () => {
    const stack = "config:\n  azlab:class:\n    students:\n      ann: ann@uni.edu\n";
    expect(problemsOf(() => merge("id,name\nann,Ann\n", stack))).toBe(
      "Pulumi.c.yaml: azlab:class.students.ann: is not a map of settings (allowed: a map such as { email: … }, or nothing)",
    );
    // `ann:` with nothing after it is a student with no settings yet.
    expect(merge("id,name\nann,Ann\n", "config:\n  azlab:class:\n    students:\n      ann:\n").text).toBe(
      "config:\n  azlab:class:\n    students:\n      ann:\n        displayName: Ann\n",
    );
  });
});
