/**
 * `azlab roster import` end to end, in-process: exact output, the stack file written atomically and
 * only when something changes, and a class of 40 students from a spreadsheet export (BOM, CRLF,
 * quoted multi-key cells, mixed-case ids, colliding email local parts) that validates, locks and plans.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";

const DEMO = readFileSync("stacks/Pulumi.class-demo.yaml", "utf8");
const FIXTURE = "tests/fixtures/roster-40.csv";
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMUt20LZCcLU0C0/OeQPaGcFIDr8m5VUIXfk4Ud6L7jY dan@laptop";

function stacksDir(name: string, text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "azlab-roster-"));
  const file = join(dir, `Pulumi.${name}.yaml`);
  writeFileSync(file, text);
  return { dir, file };
}

describe("azlab roster import", () => {
  it("merges into the example class: only the roster lines change, byte for byte", async () => {
    const { dir, file } = stacksDir("demo", DEMO);
    const csv = join(dir, "students.csv");
    writeFileSync(
      csv,
      `Student ID,Name,Email,SSH key\r\nBOB,Bob Jones,bob@uni.edu,\r\n,Dan Li,Dan.Li@uni.edu,${KEY}\r\n`,
    );
    const result = await runCli(["roster", "import", csv, "--stack", "demo", "--stacks-dir", dir]);
    expect(result).toEqual({
      code: 0,
      stdout: [
        `${csv}: 2 students; ${file}: 1 added, 1 changed, 2 left alone`,
        "added:",
        "  + dan-li (id from Dan.Li@uni.edu)",
        "changed:",
        "  ~ bob: displayName, email",
        "left alone:",
        "  = alice (not in the CSV)",
        "  = carol (not in the CSV)",
        `wrote ${file}`,
        "",
      ].join("\n"),
      stderr: "",
    });
    const expected = DEMO.replace(
      "      bob: {}\n",
      "      bob:\n        displayName: Bob Jones\n        email: bob@uni.edu\n",
    ).replace(
      "        entraObjectId: 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d\n",
      `        entraObjectId: 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d\n      dan-li:\n        displayName: Dan Li\n        email: Dan.Li@uni.edu\n        sshPublicKeys:\n          - ${KEY}\n`,
    );
    expect(expected).not.toBe(DEMO);
    expect(readFileSync(file, "utf8")).toBe(expected);
  });

  it("reports every bad row at once, exit 1, and writes nothing", async () => {
    const { dir, file } = stacksDir("demo", DEMO);
    const csv = join(dir, "bad.csv");
    writeFileSync(
      csv,
      "id,email,ssh key\nAlice.Smith,alice@uni.edu,\ndan,dan-at-uni,\n,,ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1lDkwRS+xuJT6h+WeVq98YNF9xPiqoRT++TZ6LR5vh x\n",
    );
    const result = await runCli(["roster", "import", csv, "--stack", "demo", "--stacks-dir", dir]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: [
        `azlab: ${csv}: 3 problems; ${file} was not changed:`,
        `  - ${csv}:2: column "id": is not a valid student id (try "alice-smith") (got "Alice.Smith"; allowed: 1–31 lowercase letters, digits and hyphens, starting with a letter or digit)`,
        `  - ${csv}:3: column "email": is not a sign-in name (got "dan-at-uni"; allowed: a sign-in name such as alice.smith@uni.edu)`,
        `  - ${csv}:4: row: has no id, email or upn, so it cannot become a student (allowed: an id, or an email or upn to derive one from)`,
        "",
      ].join("\n"),
    });
    expect(readFileSync(file, "utf8")).toBe(DEMO);
  });

  describe("a class of 40 from a spreadsheet export", () => {
    const empty = DEMO.replace(/ {4}students:\n(?: {6}.*\n)+/, "    students: {}\n");
    const { dir, file } = stacksDir("cs40", empty);
    const args = ["--stack", "cs40", "--stacks-dir", dir];
    const IDS = [
      "amarao",
      "b-devries",
      "c-martin",
      "dev",
      "e-yilmaz",
      "f-obrien",
      "grace-smith",
      "hugo-lambert",
      "i-garcia",
      "jons",
      "k-smith",
      "lena-schulz",
      "milo",
      "n-jansen",
      "o-haddad",
      "pia-berg",
      "q-lee",
      "r-silva",
      "samk",
      "tara-singh",
      "u-farouk",
      "vera",
      "w-peeters",
      "xena-papadopoulos",
      "yusuf-demir",
      "z-dubois",
      "a-tanaka",
      "bramv",
      "c-moreau",
      "d-cohen",
      "emil",
      "fay-okoro",
      "g-meyer",
      "hana-kim",
      "i-horvat",
      "jade-walsh",
      "koenb",
      "l-fischer",
      "k-smith-2",
      "nina",
    ];

    it("prints the same summary on a dry run and writes nothing", async () => {
      const dry = await runCli(["roster", "import", FIXTURE, ...args, "--dry-run"]);
      expect(dry.code).toBe(0);
      const lines = dry.stdout.split("\n");
      expect(lines.slice(0, 3)).toEqual([
        `${FIXTURE}: 40 students; ${file}: 40 added, 0 changed, 0 left alone`,
        "ignored columns: Section",
        "added:",
      ]);
      expect(lines.slice(3, 43).map((l) => l.split(" ")[3])).toEqual(IDS);
      expect(lines.slice(43)).toEqual([`dry run: ${file} not written`, ""]);
      expect(readFileSync(file, "utf8")).toBe(empty);
    });

    it("writes 40 students with their emails and keys, and validates, locks and plans with no error", async () => {
      const imported = await runCli(["roster", "import", FIXTURE, ...args]);
      expect(imported.code).toBe(0);
      expect(imported.stdout.split("\n").at(-2)).toBe(`wrote ${file}`);
      const students = (
        parse(readFileSync(file, "utf8")) as {
          config: { "azlab:class": { students: Record<string, { email: string; sshPublicKeys: string[] }> } };
        }
      ).config["azlab:class"].students;
      expect(Object.keys(students)).toEqual(IDS);
      expect(students["k-smith-2"]?.email).toBe("k.smith@uni.example.edu");
      // A quoted cell with two keys on two lines, and one with two keys split by a semicolon.
      expect(students["amarao"]?.sshPublicKeys.map((k) => k.split(" ")[2])).toEqual([
        "amara@laptop",
        "amara@desktop",
      ]);
      expect(students["b-devries"]?.sshPublicKeys.map((k) => k.split(" ")[2])).toEqual([
        "ben@laptop",
        "ben@lab",
      ]);

      const validate = await runCli(["validate", ...args, "--as-of", "2027-01-01"]);
      expect(validate.stderr).toBe("");
      expect(validate.stdout.split("\n")[0]).toBe(`${file}: valid (class stack "cs40", 41 environments)`);
      const lock = await runCli(["lock", ...args]);
      expect(lock).toEqual({
        code: 0,
        stdout: `${join(dir, "Pulumi.cs40.lock.json")}: written\n`,
        stderr: "",
      });

      const planFile = join(dir, "plan.json");
      const plan = await runCli([
        "plan",
        ...args,
        "--as-of",
        "2027-01-01",
        "--format",
        "json",
        "--out",
        planFile,
      ]);
      expect(plan).toEqual({ code: 0, stdout: "", stderr: "" });
      const doc = JSON.parse(readFileSync(planFile, "utf8")) as {
        findings: { id: string; severity: string }[];
        outputs: { students: Record<string, { entraObjectId?: string; userPrincipalName?: string }> };
      };
      expect(doc.findings.filter((f) => f.severity === "error")).toEqual([]);
      // Everyone has an email, so nobody is left without Entra-based access.
      expect(doc.findings.filter((f) => f.id === "AZL-CLS-002")).toEqual([]);
      const out = doc.outputs.students;
      expect(Object.keys(out).sort()).toEqual([...IDS].sort());
      // Offline, the Graph lookup by mail answers with a placeholder id stable per address.
      expect(out["k-smith"]).toMatchObject({
        entraObjectId: "01bfa361-f724-545d-9544-84652a79a882",
        userPrincipalName: "k.smith@student.example.edu",
      });
      expect(new Set(IDS.map((id) => out[id]?.entraObjectId)).size).toBe(40);
    }, 240_000);

    it("is a no-op when imported again: nothing changed and the file is not rewritten", async () => {
      const before = statSync(file).mtimeMs;
      const text = readFileSync(file, "utf8");
      const again = await runCli(["roster", "import", FIXTURE, ...args]);
      expect(again.code).toBe(0);
      expect(again.stdout.split("\n")[0]).toBe(
        `${FIXTURE}: 40 students; ${file}: 0 added, 0 changed, 40 left alone`,
      );
      expect(again.stdout.split("\n").at(-2)).toBe(`nothing to change; ${file} left as it was`);
      expect(readFileSync(file, "utf8")).toBe(text);
      expect(statSync(file).mtimeMs).toBe(before);
    });
  });
});
