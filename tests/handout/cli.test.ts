/**
 * `azlab handout` end to end, in-process, on a generated class of 40 students: 40 sheets in Markdown and
 * JSON, owner-only; from the offline plan with placeholders, or from a deployed stack's outputs with no
 * other student's values and no hub credential; bad outputs reported all at once with nothing written.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { classStackWithStudents } from "../../bench/classStack.ts";
// The offline plan loads the Pulumi SDK; importing it here puts this file in the Pulumi test project.
import "../../src/program/offline.ts";
import { runCli } from "../support/cli.ts";
import { fakeOutputs, HUB_SECRET, studentIds, studentMarkers, studentSecrets } from "./fixtures.ts";

const IDS = studentIds(40);
const ALICE_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINDEDJRxkFToCer/LJvuQhu9UyGjVvDN2QF2iZFzgx9d s001@laptop";

/** A stack folder holding `Pulumi.big.yaml`: class-demo's settings with 40 students. */
function bigClass(): string {
  const dir = mkdtempSync(join(tmpdir(), "azlab-handout-"));
  const doc = parse(classStackWithStudents(40)) as { config: Record<string, Record<string, unknown>> };
  const students = doc.config["azlab:class"]!["students"] as Record<string, Record<string, unknown>>;
  students["s001"] = {
    displayName: "Ada Lovelace",
    email: "ada@uni.example.edu",
    sshPublicKeys: [ALICE_KEY],
  };
  writeFileSync(join(dir, "Pulumi.big.yaml"), stringify(doc));
  return dir;
}

const SHEET_FILES = IDS.flatMap((id) => [`${id}.json`, `${id}.md`]).sort();

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

describe("azlab handout", () => {
  const dir = bigClass();
  /** `azlab handout` of the generated 40-student class, from the offline plan or from an outputs file. */
  const handoutFromOutputs = (out: string, outputs?: string) =>
    runCli([
      "handout",
      "--stack",
      "big",
      "--stacks-dir",
      dir,
      "--out",
      out,
      ...(outputs ? ["--outputs", outputs] : []),
    ]);

  it("writes 40 owner-only sheets from the offline plan, with placeholders for deploy-time values", async () => {
    const out = join(dir, "drafts");
    const result = await handoutFromOutputs(out);
    expect(result).toEqual({
      code: 0,
      stdout: `wrote 40 hand-out sheets (Markdown and JSON) to ${out}, from the offline plan; values known only after pulumi up are placeholders (run again with --outputs)\n`,
      stderr: "",
    });
    expect(readdirSync(out).sort()).toEqual(SHEET_FILES);
    expect(mode(out)).toBe(0o700);
    for (const file of SHEET_FILES) expect(mode(join(out, file)), file).toBe(0o600);

    const sheet = JSON.parse(readFileSync(join(out, "s001.json"), "utf8")) as Record<string, unknown>;
    expect(Object.keys(sheet)).toEqual([
      "version",
      "source",
      "stack",
      "course",
      "instructor",
      "student",
      "displayName",
      "signIn",
      "expires",
      "resourceGroup",
      "ssh",
      "web",
      "registry",
      "storage",
      "kubernetes",
    ]);
    expect(sheet).toMatchObject({
      source: "plan",
      student: "s001",
      displayName: "Ada Lovelace",
      signIn: "ada@uni.example.edu",
      expires: { date: "2027-01-31", timeZone: "Europe/Amsterdam" },
      resourceGroup: { name: "rg-lab-big-s001" },
      ssh: { host: "<web address after pulumi up>", user: "azlabadmin", firstPort: 50000, lastPort: 50001 },
      storage: { account: "<storage account after pulumi up>" },
      kubernetes: { cluster: "aks-lab-big-hub", resourceGroup: "rg-lab-big-hub", namespace: "student-s001" },
    });
    const md = readFileSync(join(out, "s040.md"), "utf8");
    expect(md).toContain("kubectl get pods --namespace student-s040");
    expect(md).not.toContain("s001");
  });

  it("fills real values from the outputs, and no sheet holds another student's values or a hub credential", async () => {
    const outputs = join(dir, "outputs.json");
    writeFileSync(outputs, JSON.stringify(fakeOutputs(IDS), null, 2));
    const out = join(dir, "deployed");
    // A sheet left from an earlier run with wider permissions is replaced by an owner-only one.
    mkdirSync(out);
    writeFileSync(join(out, "s001.md"), "old");
    chmodSync(join(out, "s001.md"), 0o644);
    const result = await handoutFromOutputs(out, outputs);
    expect(result).toEqual({
      code: 0,
      stdout: `wrote 40 hand-out sheets (Markdown and JSON) to ${out}, from ${outputs}\n`,
      stderr: "",
    });
    expect(readdirSync(out).sort()).toEqual(SHEET_FILES);
    // Every wrong sheet, in one list: about 18,000 checks, so one assertion over them all, not one each.
    const wrong: string[] = [];
    const values = new Map(IDS.map((id) => [id, [...studentMarkers(id), ...studentSecrets(id)]]));
    for (const id of IDS) {
      for (const ext of ["md", "json"]) {
        const path = join(out, `${id}.${ext}`);
        if (mode(path) !== 0o600) wrong.push(`${path} has mode ${mode(path).toString(8)}`);
        const text = readFileSync(path, "utf8");
        for (const marker of studentMarkers(id))
          if (!text.includes(marker)) wrong.push(`${path} lacks ${marker}`);
        for (const secret of studentSecrets(id))
          if (text.includes(secret)) wrong.push(`${path} holds ${secret}`);
        for (const other of IDS.filter((o) => o !== id)) {
          for (const value of values.get(other)!)
            if (text.includes(value)) wrong.push(`${path} holds ${other}'s ${value}`);
        }
        for (const shared of [HUB_SECRET, "apiVersion"])
          if (text.includes(shared)) wrong.push(`${path} holds ${shared}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(JSON.parse(readFileSync(join(out, "s007.json"), "utf8"))).toMatchObject({
      source: "outputs",
      ssh: { command: "ssh -p 50000 azlabadmin@lab-big-s007.h4sh.westeurope.cloudapp.azure.com" },
    });
  });

  it("reports every problem of the outputs at once, and writes nothing", async () => {
    const outputs = join(dir, "partial.json");
    const json = fakeOutputs(IDS) as { students: Record<string, Record<string, unknown>> };
    delete json.students["s002"];
    delete json.students["s040"];
    json.students["s001"]!["webFqdn"] = "x.example.com; rm -rf ~";
    writeFileSync(outputs, JSON.stringify(json));
    const out = join(dir, "never");
    const result = await handoutFromOutputs(out, outputs);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: [
        "azlab: The outputs file cannot make hand-outs:",
        `  - ${outputs}: students.s001.webFqdn: is not usable in a hand-out (a text of 23 characters, not shown: outputs can hold secrets) (allowed: an Azure name, resource id, host name or address (letters, digits and . _ : / -))`,
        `  - ${outputs}: students.s002: is missing: this student is in the roster but not in the outputs (allowed: outputs of the same stack after pulumi up with the current roster)`,
        `  - ${outputs}: students.s040: is missing: this student is in the roster but not in the outputs (allowed: outputs of the same stack after pulumi up with the current roster)`,
        "",
      ].join("\n"),
    });
    expect(existsSync(out)).toBe(false);
  });

  it("refuses unreadable JSON and a stack that is not a class, naming the file", async () => {
    const outputs = join(dir, "broken.json");
    writeFileSync(outputs, "{ students: ");
    const out = join(dir, "never2");
    const broken = await handoutFromOutputs(out, outputs);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(
      new RegExp(
        `^azlab: ${outputs.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: is not valid JSON \\(.+; allowed: the output of pulumi stack output --json --show-secrets\\)\n$`,
      ),
    );
    const dev = await runCli(["handout", "--stack", "dev", "--out", out]);
    expect(dev).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "azlab: stacks/Pulumi.dev.yaml: azlab:environment: is dev; hand-outs are for class stacks (allowed: a stack with azlab:environment: class)\n",
    });
    expect(existsSync(out)).toBe(false);
  });
});

describe("azlab handout into a folder with links or folders at sheet paths", () => {
  it("reports every such path at once and replaces no sheet", async () => {
    const out = mkdtempSync(join(tmpdir(), "azlab-handout-links-"));
    writeFileSync(join(out, "alice.md"), "last term's sheet\n");
    symlinkSync(join(out, "elsewhere"), join(out, "bob.md"));
    mkdirSync(join(out, "carol.json"));
    // From an outputs file: the paths are checked after the sheets are made, whatever they are made from,
    // and this spares an offline plan of class-demo.
    const outputs = join(mkdtempSync(join(tmpdir(), "azlab-handout-outputs-")), "outputs.json");
    writeFileSync(outputs, JSON.stringify(fakeOutputs(["alice", "bob", "carol"])));
    const result = await runCli(["handout", "--stack", "class-demo", "--out", out, "--outputs", outputs]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: [
        "azlab: No hand-out sheet was written:",
        `  - ${join(out, "bob.md")}: the hand-out sheet is a symbolic link; azlab does not write through it (allowed: a regular file, or no file yet)`,
        `  - ${join(out, "carol.json")}: the hand-out sheet is a folder; azlab does not write through it (allowed: a regular file, or no file yet)`,
        "",
      ].join("\n"),
    });
    // alice's sheet comes before bob's: without the check up front it would already be replaced.
    expect(readFileSync(join(out, "alice.md"), "utf8")).toBe("last term's sheet\n");
    expect(readdirSync(out).sort()).toEqual(["alice.md", "bob.md", "carol.json"]);
  });
});
