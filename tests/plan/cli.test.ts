import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compareText, type PlanDocument } from "../../src/plan/document.ts";
import { renderPlanMarkdown } from "../../src/plan/markdown.ts";
import { runCli as cli } from "../support/cli.ts";
import { planShipped } from "../support/offline.ts";

const dir = mkdtempSync(join(tmpdir(), "azlab-plan-cli-"));

let planPath: string;
let plan: PlanDocument;
let plannedFrom = 0;
let plannedTo = 0;

/** What JSON.parse says about `text`: the platform's wording, which differs between Node versions. */
function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} is valid JSON`);
}

/**
 * The instant the shared plan is judged at: one second before class-demo expires (see "judges class
 * expiry at --as-of"), so that test reads its first answer from this plan instead of planning again.
 */
const LAST_SECOND = "2027-01-31T22:59:59Z";

beforeAll(async () => {
  planPath = join(dir, "class-demo.json");
  plannedFrom = Date.now();
  const result = await cli([
    "plan",
    "--stack",
    "class-demo",
    "--format",
    "json",
    "--out",
    planPath,
    "--timestamp",
    "--as-of",
    LAST_SECOND,
  ]);
  plannedTo = Date.now();
  expect(result).toEqual({ code: 0, stdout: "", stderr: "" });
  plan = JSON.parse(readFileSync(planPath, "utf8")) as PlanDocument;
}, 120_000);

describe("azlab plan", () => {
  it("writes the documented JSON for the class-demo stack", async () => {
    expect(Object.keys(plan)).toEqual([
      "version",
      "stack",
      "file",
      "generatedAt",
      "summary",
      "resources",
      "network",
      "nsgRules",
      "findings",
      "outputs",
      "access",
      "cost",
    ]);
    expect(plan.version).toBe("azlab.plan/v1");
    expect(plan.stack).toBe("class-demo");
    expect(plan.file).toBe("stacks/Pulumi.class-demo.yaml");
    expect(plan.generatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // --timestamp records the time of this run, not some fixed or cached value.
    const generated = Date.parse(plan.generatedAt ?? "");
    expect(generated >= plannedFrom && generated <= plannedTo).toBe(true);
    // Every resource the program registers, bar the root stack: the exact per-type counts of
    // class-demo are pinned in tests/program/stacks.test.ts, so component changes are not re-pinned here.
    // The worker's shared plan of the same file: which resources exist does not depend on the instant.
    const run = await planShipped("class-demo");
    const registered = run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.urn);
    expect(plan.resources.map((r) => r.urn)).toEqual([...registered].sort(compareText));
    expect(plan.summary.total).toBe(registered.length);
    expect(Object.values(plan.summary.resourceCounts).reduce((a, b) => a + b, 0)).toBe(plan.resources.length);
    expect(plan.resources.some((r) => r.type === "pulumi:pulumi:Stack")).toBe(false);
    expect(plan.network).toHaveLength(4);
    expect(plan.summary.resourceCounts["azure-native:network:VirtualNetwork"]).toBe(4);
  });

  it("prints Markdown by default", async () => {
    const result = await cli(["plan", "--stack", "class-demo", "--as-of", LAST_SECOND]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout.startsWith("## azlab plan: `class-demo`\n")).toBe(true);
    // The same plan as the JSON run, rendered; without --timestamp there is no generatedAt.
    // (The renderer itself is pinned by the snapshot in markdown.test.ts.)
    const { generatedAt: _ignored, ...untimed } = plan;
    expect(result.stdout).toBe(renderPlanMarkdown(untimed));
  }, 120_000);

  it("reports an unknown stack as a user error", async () => {
    // A folder of its own: the message lists the stacks there, and adding a class must not break this test.
    const stacks = mkdtempSync(join(tmpdir(), "azlab-stacks-"));
    copyFileSync("stacks/Pulumi.class-demo.yaml", join(stacks, "Pulumi.class-demo.yaml"));
    expect(await cli(["plan", "--stack", "no-such-stack", "--stacks-dir", stacks])).toEqual({
      code: 1,
      stdout: "",
      stderr: `azlab: ${join(stacks, "Pulumi.no-such-stack.yaml")}: no such stack file (stack "no-such-stack"; allowed: class-demo)\n`,
    });
  });

  it("judges class expiry at --as-of", async () => {
    // class-demo ends after 2027-01-31 in Europe/Amsterdam (UTC+1 in winter): at 23:00 UTC.
    const expiry = (doc: PlanDocument) =>
      doc.findings.filter((f) => f.id === "AZL-CLS-001").map((f) => [f.severity, f.resource, f.message]);
    // The last second of the class: the shared plan, made with --as-of LAST_SECOND.
    expect(expiry(plan)).toEqual([]);
    const result = await cli([
      "plan",
      "--stack",
      "class-demo",
      "--format",
      "json",
      "--as-of",
      "2027-01-31T23:00:00Z",
    ]);
    expect(result.code).toBe(0);
    expect(expiry(JSON.parse(result.stdout) as PlanDocument)).toEqual([
      ["error", "stack", 'Class stack "class-demo" expired at the end of 2027-01-31 (Europe/Amsterdam)'],
    ]);
  }, 120_000);

  it("refuses an --as-of that is not a date before planning", async () => {
    expect(await cli(["plan", "--stack", "class-demo", "--as-of", "2026-02-30"])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'azlab: --as-of: not a date (got "2026-02-30"; allowed: YYYY-MM-DD, read as 00:00 UTC, or a date-time with a zone such as 2026-12-19T08:00:00Z)\n',
    });
  });
});

describe("azlab diff", () => {
  const write = (name: string, doc: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof doc === "string" ? doc : JSON.stringify(doc));
    return path;
  };

  it("exits 0 when nothing changes, 2 on changes, 3 on risky changes", async () => {
    expect((await cli(["diff", planPath, planPath])).code).toBe(0);

    const retagged = structuredClone(plan);
    const account = retagged.resources.find((r) => r.type === "azure-native:storage:StorageAccount")!;
    account.inputs["tags"] = { ...(account.inputs["tags"] as object), note: "changed" };
    const changed = await cli(["diff", planPath, write("retagged.json", retagged), "--format", "json"]);
    expect(changed.code).toBe(2);
    expect(JSON.parse(changed.stdout).changed.map((c: { urn: string }) => c.urn)).toEqual([account.urn]);

    const dropped = { ...plan, resources: plan.resources.filter((r) => r.urn !== account.urn) };
    const risky = await cli(["diff", planPath, write("dropped.json", dropped)]);
    expect(risky.code).toBe(3);
    expect(risky.stdout).toContain("| Stateful resource deleted |");
    const riskyJson = await cli(["diff", planPath, write("dropped.json", dropped), "--format", "json"]);
    expect(riskyJson.code).toBe(3);
    const diff = JSON.parse(riskyJson.stdout) as { summary: unknown; risks: unknown; removed: unknown };
    expect(diff.summary).toEqual({
      added: 0,
      removed: 1,
      replaced: 0,
      changed: 0,
      outputsChanged: 0,
      risks: 1,
    });
    expect(diff.risks).toEqual([
      {
        kind: "stateful-deleted",
        urn: account.urn,
        message: `azure-native:storage:StorageAccount ${account.name} is deleted, with its data`,
      },
    ]);
    expect(account.name).toBe("alice-st");
    expect(diff.removed).toEqual([
      {
        urn: account.urn,
        type: "azure-native:storage:StorageAccount",
        name: "alice-st",
        student: "alice",
      },
    ]);
  });

  it("names the file that cannot be read or is not a plan", async () => {
    const missing = join(dir, "missing.json");
    const allowed = "allowed: a file written by azlab plan --format json";
    const broken = write("broken.json", "{ not json");
    const other = write("other.json", { version: "something/v9" });
    // Hand-edited plans: every field the diff reads is checked, so none of these can crash it.
    const noOutputs = write("no-outputs.json", { ...plan, stack: 7, outputs: null });
    const badResource = write("bad-resource.json", { ...plan, resources: [...plan.resources, { urn: "x" }] });
    const badSubnet = write("bad-subnet.json", {
      ...plan,
      network: [{ ...plan.network[0], subnets: [{ urn: "x", name: "web", cidrs: "10.0.0.0/24" }] }],
    });
    const resources = plan.resources.length;
    const duplicated = write("duplicated.json", {
      ...plan,
      resources: [...plan.resources, plan.resources[0]],
    });
    // Written as text: JSON.stringify itself overflows the stack on such nesting.
    const nested = write(
      "nested.json",
      JSON.stringify({ ...plan, outputs: { x: "DEEP" } }).replace(
        '"DEEP"',
        `${"[".repeat(5000)}${"]".repeat(5000)}`,
      ),
    );
    const single: [string, string][] = [
      [missing, `${missing}: cannot read the plan file (${allowed})`],
      [broken, `${broken}: not valid JSON (${jsonError("{ not json")}; ${allowed})`],
      [
        other,
        `${other}: version: is not an azlab plan version (got "something/v9"; allowed: "azlab.plan/v1" (a file written by azlab plan --format json))`,
      ],
      [
        duplicated,
        `${duplicated}: resources[${resources}].urn: is duplicated (also resources[0].urn); a URN names one resource (got ${JSON.stringify(plan.resources[0]!.urn)})`,
      ],
    ];
    for (const [path, message] of single) {
      expect(await cli(["diff", planPath, path])).toEqual({
        code: 1,
        stdout: "",
        stderr: `azlab: ${message}\n`,
      });
    }
    // Several problems: one heading naming the file, then every problem at its path.
    const several: [string, string[]][] = [
      [
        noOutputs,
        [
          `${noOutputs}: stack: must be string (got 7; allowed: string)`,
          `${noOutputs}: outputs: must be object (got null; allowed: object)`,
        ],
      ],
      [badResource, [`${badResource}: resources[${resources}].type: missing (allowed: string)`]],
      [
        badSubnet,
        [`${badSubnet}: network[0].subnets[0].cidrs: must be array (got "10.0.0.0/24"; allowed: array)`],
      ],
    ];
    for (const [path, lines] of several) {
      const result = await cli(["diff", planPath, path]);
      expect([result.code, result.stdout]).toEqual([1, ""]);
      const printed = result.stderr.split("\n");
      expect(printed[0]).toBe(`azlab: ${path}: not a plan azlab can read (${allowed}):`);
      for (const line of lines) expect(printed).toContain(`  - ${line}`);
    }
    // Deep nesting is refused by the schema check, not by a stack overflow in the diff.
    const deep = await cli(["diff", planPath, nested]);
    expect([deep.code, deep.stdout]).toEqual([1, ""]);
    expect(deep.stderr).toMatch(
      new RegExp(
        `^azlab: ${nested.replace(/[/.]/g, "\\$&")}: outputs\\.x(\\[0\\])+: nests deeper than 64 levels`,
      ),
    );
  });

  it("writes to --out", async () => {
    const out = join(dir, "comment.md");
    const result = await cli(["diff", planPath, planPath, "--out", out]);
    expect(result).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(readFileSync(out, "utf8")).toBe("### azlab diff: `class-demo`\n\nNo changes.\n");
  });
});
