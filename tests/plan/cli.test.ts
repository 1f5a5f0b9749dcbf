import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlanDocument } from "../../src/plan/document.ts";
import { renderPlanMarkdown } from "../../src/plan/markdown.ts";
import { runCli as cli } from "../support/cli.ts";

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
  ]);
  plannedTo = Date.now();
  expect(result).toEqual({ code: 0, stdout: "", stderr: "" });
  plan = JSON.parse(readFileSync(planPath, "utf8")) as PlanDocument;
}, 120_000);

describe("azlab plan", () => {
  it("writes the documented JSON for the class-demo stack", () => {
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
    ]);
    expect(plan.version).toBe("azlab.plan/v1");
    expect(plan.stack).toBe("class-demo");
    expect(plan.file).toBe("stacks/Pulumi.class-demo.yaml");
    expect(plan.generatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // --timestamp records the time of this run, not some fixed or cached value.
    const generated = Date.parse(plan.generatedAt ?? "");
    expect(generated >= plannedFrom && generated <= plannedTo).toBe(true);
    // class-demo: 3 students and the shared environment (tests/program/stacks.test.ts has every count).
    expect(plan.summary.total).toBe(98);
    expect(plan.resources).toHaveLength(98);
    expect(Object.values(plan.summary.resourceCounts).reduce((a, b) => a + b, 0)).toBe(plan.resources.length);
    expect(plan.resources.some((r) => r.type === "pulumi:pulumi:Stack")).toBe(false);
    expect(plan.network).toHaveLength(4);
    expect(plan.summary.resourceCounts["azure-native:network:VirtualNetwork"]).toBe(4);
  });

  it("prints Markdown by default", async () => {
    const result = await cli(["plan", "--stack", "class-demo"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout.startsWith("## azlab plan: `class-demo`\n")).toBe(true);
    // The same plan as the JSON run, rendered; without --timestamp there is no generatedAt.
    // (The renderer itself is pinned by the snapshot in markdown.test.ts.)
    const { generatedAt: _ignored, ...untimed } = plan;
    expect(result.stdout).toBe(renderPlanMarkdown(untimed));
  }, 120_000);

  it("reports an unknown stack as a user error", async () => {
    expect(await cli(["plan", "--stack", "no-such-stack"])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'azlab: stacks/Pulumi.no-such-stack.yaml: no such stack file (stack "no-such-stack"; allowed: class-demo, dev, prod)\n',
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
    expect(account.name).toBe("alice-st-account");
    expect(diff.removed).toEqual([
      {
        urn: account.urn,
        type: "azure-native:storage:StorageAccount",
        name: "alice-st-account",
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
    const cases: [string, string][] = [
      [missing, `${missing}: cannot read the plan file (${allowed})`],
      [broken, `${broken}: not valid JSON (${jsonError("{ not json")}; ${allowed})`],
      [other, `${other}: version: not an azlab plan (got "something/v9"; allowed: "azlab.plan/v1")`],
      [noOutputs, `${noOutputs}: incomplete plan (missing or invalid: stack, outputs; ${allowed})`],
      [
        badResource,
        `${badResource}: resources[${resources}].type: missing or invalid in this plan (${allowed})`,
      ],
      [badSubnet, `${badSubnet}: network[0].subnets[0].cidrs: missing or invalid in this plan (${allowed})`],
    ];
    for (const [path, message] of cases) {
      expect(await cli(["diff", planPath, path])).toEqual({
        code: 1,
        stdout: "",
        stderr: `azlab: ${message}\n`,
      });
    }
  });

  it("writes to --out", async () => {
    const out = join(dir, "comment.md");
    const result = await cli(["diff", planPath, planPath, "--out", out]);
    expect(result).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(readFileSync(out, "utf8")).toBe("### azlab diff: `class-demo`\n\nNo changes.\n");
  });
});
