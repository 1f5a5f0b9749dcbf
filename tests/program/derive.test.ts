/** The pure parts of the large-class fast path (src/program/derive.ts): shapes, substitution, ownership. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { classStackWithStudents } from "../../bench/classStack.ts";
import { loadStackFile } from "../../src/config/stackFile.ts";
import type { RecordedResource } from "../../src/model/recorded.ts";
import { AMBIGUOUS, deriveRun, ownerOf, representatives } from "../../src/program/derive.ts";
import { Substitution } from "../../src/program/substitution.ts";
import { prepareStack } from "../../src/program/preflight.ts";

describe("representatives", () => {
  it("registers the first student, and the first and last of each of the six roster kinds of a 40-student class", () => {
    const file = join(mkdtempSync(join(tmpdir(), "azlab-derive-")), "Pulumi.mixed.yaml");
    writeFileSync(file, classStackWithStudents(40, { mixed: true }));
    const picked = representatives(prepareStack(loadStackFile(file, "mixed")).plan);
    expect(picked.shapes.map((shape) => [shape[0], shape.at(-1), shape.length])).toEqual([
      ["s007", "s037", 6],
      ["s002", "s038", 7],
      ["s003", "s039", 7],
      ["s004", "s040", 7],
      ["s005", "s035", 6],
      ["s006", "s036", 6],
    ]);
    // s001, the first of all, on their own: a shared cluster's first namespace is named differently.
    expect([...picked.registered].sort()).toEqual(
      [
        "s001",
        "s007",
        "s037",
        "s002",
        "s038",
        "s003",
        "s039",
        "s004",
        "s040",
        "s005",
        "s035",
        "s006",
        "s036",
      ].sort(),
    );
  });
});

describe("Substitution", () => {
  const sub = new Substitution();
  sub.add("ab", "q", true);
  sub.add("10.64.1.0/24", "10.64.9.0/24", true);
  sub.add("1f3e9a2c", "77aa00bb", false);

  it.each([
    ["lab-ab-rg", "lab-q-rg"],
    ["azlab", "azlab"],
    ["stlabclassab1f3e9a2c", "stlabclassab77aa00bb"],
    ["10.64.1.0/24", "10.64.9.0/24"],
    ["110.64.1.0/24", "110.64.1.0/24"],
    [
      "/subscriptions/x/resourceGroups/lab-ab-rg/providers/n/ab-net",
      "/subscriptions/x/resourceGroups/lab-q-rg/providers/n/q-net",
    ],
  ])("%s becomes %s", (text, expected) => {
    expect(sub.text(text)).toBe(expected);
  });

  it("refuses a value that already stands for another", () => {
    const ambiguous = new Substitution();
    expect(ambiguous.add("ada@contoso.edu", "bob@contoso.edu", true)).toBe(true);
    expect(ambiguous.add("ada@contoso.edu", "bob@contoso.edu", true)).toBe(true);
    expect(ambiguous.add("ada@contoso.edu", "carol@contoso.edu", true)).toBe(false);
  });

  it("replaces inside nested inputs and keeps other values", () => {
    expect(sub.deep({ name: "ab-st", tags: ["ab", "azlab"], port: 22, on: true })).toEqual({
      name: "q-st",
      tags: ["q", "azlab"],
      port: 22,
      on: true,
    });
  });
});

describe("ownerOf", () => {
  const students = new Set(["s007", "jane", "jane-doe", "web-2", "x"]);
  it.each([
    ["s007", "s007"],
    ["s007-net-app", "s007"],
    ["registry-acrpull-s007-web", "s007"],
    ["hub-k8s-student-jane-doe-quota", "jane-doe"],
    ["web-2-web-lb", "web-2"],
    ["registry-acrpull-jane-x", AMBIGUOUS],
    ["jane-doe-x-net", AMBIGUOUS],
    ["budget", undefined],
    ["hub-k8s", undefined],
  ])("%s belongs to %s", (name, owner) => {
    expect(ownerOf(name, students)).toBe(owner);
  });
});

describe("deriveRun on a run of five empty students (s001 alone; s002 the template, s005 the check)", () => {
  const file = join(mkdtempSync(join(tmpdir(), "azlab-derive-")), "Pulumi.five.yaml");
  writeFileSync(file, classStackWithStudents(5));
  const plan = prepareStack(loadStackFile(file, "five")).plan;
  const picked = representatives(plan);
  const record = (name: string, inputs: Record<string, unknown>): RecordedResource => ({
    urn: `urn:pulumi:five::azlab::test:Thing::${name}`,
    type: "test:Thing",
    name,
    custom: true,
    dependencies: [],
    protect: false,
    retainOnDelete: false,
    ignoreChanges: [],
    inputs,
    secretInputs: [],
  });
  const own = ["s001", "s002", "s005"].map((k) => record(`${k}-rg`, { resourceGroupName: `rg-${k}` }));
  const run = (budgetGroups: string[]) => ({
    resources: [...own, record("budget", { groups: budgetGroups })],
    calls: [],
    outputs: {},
  });

  it("registers s001, s002 and s005", () => {
    expect([...picked.registered].sort()).toEqual(["s001", "s002", "s005"]);
  });

  it("derives s003 and s004 when the shared budget names every student", () => {
    const all = ["s001", "s002", "s003", "s004", "s005"].map((k) => `rg-${k}`);
    const derived = deriveRun(plan, run(all), [], picked);
    expect("run" in derived && derived.run.resources.map((r) => [r.name, r.inputs])).toEqual([
      ...own.map((r) => [r.name, r.inputs]),
      ["budget", { groups: all }],
      ["s003-rg", { resourceGroupName: "rg-s003" }],
      ["s004-rg", { resourceGroupName: "rg-s004" }],
    ]);
  });

  it("falls back when a shared resource names only the registered students", () => {
    const derived = deriveRun(plan, run(["rg-s001", "rg-s002", "rg-s005"]), [], picked);
    expect(derived).toEqual({
      fallback: "budget names s002's key (s002) but not s003's, who was not registered",
    });
  });

  it("falls back when the template's value is also in another student's resources", () => {
    const all = ["s001", "s002", "s003", "s004", "s005"].map((k) => `rg-${k}`);
    const shared = run(all);
    const derived = deriveRun(
      plan,
      { ...shared, resources: [...shared.resources, record("s001-peer", { peer: "rg-s002" })] },
      [],
      picked,
    );
    expect(derived).toEqual({ fallback: "s002's key (s002) is also in s001's resources" });
  });

  it("owns nothing through the stack resource, whatever the stack is called", () => {
    const all = ["s001", "s002", "s003", "s004", "s005"].map((k) => `rg-${k}`);
    const stack = { ...record("azlab-s003", {}), type: "pulumi:pulumi:Stack", custom: false };
    const children = run(all).resources.map((r) => ({ ...r, parent: stack.urn }));
    const derived = deriveRun(plan, { resources: [stack, ...children], calls: [], outputs: {} }, [], picked);
    expect("run" in derived && derived.run.resources.map((r) => r.name)).toEqual([
      "azlab-s003",
      "s001-rg",
      "s002-rg",
      "s005-rg",
      "budget",
      "s003-rg",
      "s004-rg",
    ]);
  });
});

describe("roster values in the shape", () => {
  it("puts a student whose sign-in name has capitals in a shape of their own", () => {
    const doc = parse(classStackWithStudents(4)) as { config: Record<string, Record<string, unknown>> };
    doc.config["azlab:class"]!["students"] = {
      s1: { upn: "s1@contoso.edu" },
      s2: { upn: "s2@contoso.edu" },
      s3: { upn: "S3@Contoso.edu" },
      s4: { upn: "s4@contoso.edu" },
    };
    const file = join(mkdtempSync(join(tmpdir(), "azlab-derive-")), "Pulumi.case.yaml");
    writeFileSync(file, stringify(doc));
    const picked = representatives(prepareStack(loadStackFile(file, "case")).plan);
    expect(picked.shapes).toEqual([["s2", "s4"], ["s3"]]);
  });
});
