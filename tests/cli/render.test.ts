import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli as cli } from "../support/cli.ts";
import { basicPlan, withoutStorage } from "./planDocs.ts";

/** A base and a head plans folder holding `files` (name → JSON document or raw text). */
function plans(base: Record<string, unknown>, head: Record<string, unknown>): { base: string; head: string } {
  const root = mkdtempSync(join(tmpdir(), "azlab-render-"));
  const dirs = { base: join(root, "base"), head: join(root, "head") };
  for (const [side, files] of [
    ["base", base],
    ["head", head],
  ] as const) {
    mkdirSync(dirs[side]);
    for (const [name, doc] of Object.entries(files)) {
      writeFileSync(join(dirs[side], name), typeof doc === "string" ? doc : JSON.stringify(doc));
    }
  }
  return dirs;
}

const SHA = "0123456789abcdef0123456789abcdef01234567";
const RUN = "https://github.com/acme/azlab/actions/runs/42";

describe("azlab render", () => {
  it("renders every stack from JSON plans and exits with the gate", async () => {
    const dirs = plans(
      { "dev.json": basicPlan("dev"), "prod.json": basicPlan("prod") },
      { "dev.json": basicPlan("dev", "v2"), "prod.json": withoutStorage("prod") },
    );
    const result = await cli([
      "render",
      "--base",
      dirs.base,
      "--head",
      dirs.head,
      "--head-sha",
      SHA,
      "--run-url",
      RUN,
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe("");
    expect(result.stdout.split("\n").slice(0, 10)).toEqual([
      "## azlab plan",
      "",
      "Offline plan of every stack at `0123456`, compared with the base branch. Rendered and gated by the base branch's azlab; the pull request supplied only its JSON plans. Every plan: artifact **azlab-plan** of [this run](https://github.com/acme/azlab/actions/runs/42).",
      "",
      "**⚠️ Risky changes: review them before merging.** 2 stacks, riskiest first:",
      "",
      "| Stack | Result | Risks | Add | Delete | Replace | Update |",
      "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
      "| `prod` | ⚠️ risky changes | 1 | 0 | 1 | 0 | 0 |",
      "| `dev` | changes | 0 | 0 | 0 | 0 | 2 |",
    ]);
  });

  it("exits 0 and 2 for no changes and plain changes, and writes --out", async () => {
    const same = plans({ "dev.json": basicPlan("dev") }, { "dev.json": basicPlan("dev") });
    expect((await cli(["render", "--base", same.base, "--head", same.head])).code).toBe(0);
    const changed = plans({ "dev.json": basicPlan("dev") }, { "dev.json": basicPlan("dev", "v2") });
    const out = join(changed.head, "..", "comment.md");
    expect(await cli(["render", "--base", changed.base, "--head", changed.head, "--out", out])).toEqual({
      code: 2,
      stdout: "",
      stderr: "",
    });
    expect(readFileSync(out, "utf8")).toContain("| `dev` | changes | 0 | 0 | 0 | 0 | 2 |");
  });

  it("reports a failed, forged or misnamed head plan without posting its content", async () => {
    const dirs = plans(
      { "dev.json": basicPlan("dev"), "prod.json": basicPlan("prod"), "qa.json": basicPlan("qa") },
      {
        "dev.json": '{"version":"azlab.plan/v1","stack":"@admin <b>pwned</b>"',
        "prod.json": { ...basicPlan("dev"), stack: "dev" },
        "qa.failed": "@admin anything at all",
        "@evil name.json": basicPlan("dev"),
        "notes.txt": "ignored",
      },
    );
    // A link in the artifact is never followed, even to a valid plan.
    symlinkSync(join(dirs.base, "dev.json"), join(dirs.head, "ci.json"));
    const result = await cli(["render", "--base", dirs.base, "--head", dirs.head]);
    expect(result.code).toBe(1);
    const rows = result.stdout.split("\n").filter((l) => l.startsWith("| `"));
    expect(rows).toEqual([
      "| `dev` | ❌ plan failed | — | — | — | — | — |",
      "| `prod` | ❌ plan failed | — | — | — | — | — |",
      "| `qa` | ❌ plan failed | — | — | — | — | — |",
    ]);
    expect(result.stdout).toContain(
      "**The plan failed:** the plan file is not a valid azlab plan (the render step's log has the details).",
    );
    expect(result.stdout).toContain("**The plan failed:** the plan file names another stack.");
    expect(result.stdout).toContain(
      "**The plan failed:** azlab plan failed for this stack in the pull request",
    );
    expect(result.stdout).not.toMatch(/admin|pwned|evil/);
    // The details are for the log only.
    expect(result.stderr.split("\n").filter(Boolean)).toEqual([
      `azlab render: ${join(dirs.head, '"@evil name.json"')}: skipped (not a <stack>.json or <stack>.failed file)`,
      `azlab render: ${join(dirs.head, '"ci.json"')}: skipped (not a <stack>.json or <stack>.failed file)`,
      `azlab render: ${join(dirs.head, '"notes.txt"')}: skipped (not a <stack>.json or <stack>.failed file)`,
      expect.stringMatching(
        new RegExp(
          `^azlab render: ${join(dirs.head, "dev.json").replace(/[/.]/g, "\\$&")}: not valid JSON \\(`,
        ),
      ),
      `azlab render: ${join(dirs.head, "prod.json")}: stack: the plan is for another stack (allowed: prod)`,
    ]);
  });

  it("flags a base stack that the pull request has no plan for", async () => {
    const dirs = plans(
      { "dev.json": basicPlan("dev"), "prod.json": basicPlan("prod") },
      { "dev.json": basicPlan("dev") },
    );
    const result = await cli(["render", "--base", dirs.base, "--head", dirs.head]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain("| `prod` | ⚠️ no plan from the pull request | — | — | — | — | — |");
  });

  it("refuses workflow values that do not fit their pattern", async () => {
    const dirs = plans({}, {});
    expect(await cli(["render", "--head", dirs.head, "--run-url", "https://evil.example/x)[y"])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'azlab: --run-url: not accepted (got "https://evil.example/x)[y"; allowed: https://HOST/OWNER/REPO/actions/runs/ID)\n',
    });
    expect(await cli(["render", "--head", dirs.head, "--head-sha", "main"])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'azlab: --head-sha: not accepted (got "main"; allowed: a hex commit id of 7 to 40 characters)\n',
    });
    expect(await cli(["render", "--head", join(dirs.head, "missing")])).toEqual({
      code: 1,
      stdout: "",
      stderr: `azlab: --head: ${join(dirs.head, "missing")}: cannot read the plans folder (allowed: a folder of <stack>.json plans)\n`,
    });
  });
});
