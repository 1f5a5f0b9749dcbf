import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  "working-directory"?: string;
}
interface Job {
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const FILES = [".github/workflows/plan.yml", ".github/workflows/plan-comment.yml"];
const read = (file: string) => parse(readFileSync(file, "utf8")) as Workflow;
const steps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps);

describe("plan workflows", () => {
  it("pin every action to a full commit SHA with its version in a comment", () => {
    for (const file of FILES) {
      const lines = readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => /^\s*(-\s+)?uses:/.test(line));
      expect(lines.length, file).toBeGreaterThan(2);
      for (const line of lines) {
        expect(line, file).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
      }
    }
  });

  it("read no state and hold no credentials, so they work with either backend and for forks", () => {
    for (const file of FILES) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toMatch(
        /secrets\.|id-token|PULUMI_ACCESS_TOKEN|PULUMI_BACKEND_URL|ARM_|AZURE_|pulumi login/,
      );
      expect(text, file).toContain("docs/state-backend.md");
      const workflow = read(file);
      const permissions = [
        workflow.permissions,
        ...Object.values(workflow.jobs).map((job) => job.permissions ?? {}),
      ];
      expect(
        permissions.flatMap((p) => Object.keys(p)).filter((k) => k === "id-token"),
        file,
      ).toEqual([]);
    }
  });

  it("plan.yml plans each stack once, as JSON only, and renders nothing", () => {
    const plan = read(".github/workflows/plan.yml");
    expect(Object.keys(plan.on)).toEqual(["pull_request"]);
    expect(plan.permissions).toEqual({ contents: "read" });
    const script = steps(plan)
      .map((s) => s.run ?? "")
      .join("\n");
    expect(script.match(/npx azlab \w+/g)).toEqual(["npx azlab plan"]);
    expect(script).toContain(
      'npx azlab plan --stack "$stack" --format json --out "$OUT/$stack.json" || code=$?',
    );
    // NUL-separated stack names, never a word-split `for` over `ls`.
    expect(script).toContain("-print0 | sort -z)");
  });

  it("plan-comment.yml runs only the base branch's code and gates on render's exact codes", () => {
    const comment = read(".github/workflows/plan-comment.yml");
    expect(Object.keys(comment.on)).toEqual(["workflow_run"]);
    expect(comment.permissions).toEqual({});
    const all = steps(comment);
    const checkouts = all.filter((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkouts.map((s) => s.with)).toEqual([
      { ref: "${{ steps.pr.outputs.base_sha }}", path: "base", "persist-credentials": false },
    ]);
    const runs = all.filter((s) => s.run?.includes("npx azlab"));
    expect(runs.map((s) => s["working-directory"])).toEqual(["base", "base"]);
    const render = runs.find((s) => s.run?.includes("npx azlab render"))!;
    expect(render.run).toContain('--head "$RUNNER_TEMP/artifact/head"');
    expect(render.run).toMatch(/case "\$code" in\n\s+0 \| 1 \| 2 \| 3\) ;;\n\s+\*\)/);
    // Write access only in the job that posts, after rendering.
    expect(comment.jobs["render"]!.permissions).toEqual({
      actions: "read",
      contents: "read",
      "pull-requests": "read",
    });
    expect(comment.jobs["comment"]!.permissions).toEqual({ "pull-requests": "write", statuses: "write" });
    // The artifact's comment.md of old is gone: nothing from the pull request's run is posted.
    expect(readFileSync(".github/workflows/plan-comment.yml", "utf8")).not.toContain("azlab-plan/comment.md");
  });
});

/** Runs one workflow step's script with bash, a fake `npx` on PATH and GitHub's step files. */
function runStep(script: string, npx: string, cwd: string, env: Record<string, string> = {}) {
  const bin = mkdtempSync(join(tmpdir(), "azlab-fake-npx-"));
  writeFileSync(join(bin, "npx"), `#!/usr/bin/env bash\n${npx}\n`, { mode: 0o755 });
  const output = join(bin, "github-output");
  writeFileSync(output, "");
  // GitHub runs `run:` with `bash -e {0}`.
  const result = spawnSync("bash", ["-e", "-c", script], {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      PATH: `${bin}:${process.env["PATH"]}`,
      GITHUB_WORKSPACE: cwd,
      GITHUB_OUTPUT: output,
      RUNNER_TEMP: cwd,
      NPX_LOG: join(bin, "calls"),
      ...env,
    },
  });
  const calls = existsSync(join(bin, "calls")) ? readFileSync(join(bin, "calls"), "utf8") : "";
  return { status: result.status, stdout: result.stdout, output: readFileSync(output, "utf8"), calls };
}

const stepNamed = (workflow: Workflow, name: string) => steps(workflow).find((s) => s.name === name)!.run!;

describe("plan workflow scripts", () => {
  it("plan.yml plans every well-named stack once and marks failures, whatever the exit code", () => {
    const repo = mkdtempSync(join(tmpdir(), "azlab-plan-step-"));
    mkdirSync(join(repo, "stacks"));
    for (const name of ["dev", "broken", "crash", "evil\nname", "$(touch pwned)"]) {
      writeFileSync(join(repo, "stacks", `Pulumi.${name}.yaml`), "config: {}\n");
    }
    writeFileSync(join(repo, "stacks", "Pulumi.dev.lock.json"), "{}\n");
    // The fake azlab: `npx azlab plan --stack S --format json --out F`; broken exits 1, crash 4.
    const npx = [
      'echo "$4" >> "$NPX_LOG"',
      'case "$4" in broken) exit 1 ;; crash) exit 4 ;; esac',
      'echo "{}" > "$8"',
    ].join("\n");
    const result = runStep(
      stepNamed(read(".github/workflows/plan.yml"), "Plan every stack (JSON only)"),
      npx,
      repo,
      {
        PR_NUMBER: "17",
      },
    );
    expect(result.status).toBe(0);
    expect(result.calls).toBe("broken\ncrash\ndev\n");
    expect(readdirSync(join(repo, "plans", "head")).sort()).toEqual([
      "broken.failed",
      "crash.failed",
      "dev.json",
    ]);
    expect(readFileSync(join(repo, "plans", "pr-number.txt"), "utf8")).toBe("17\n");
    expect(result.output).toBe("failed=1\n");
    expect(result.stdout.split("\n").filter((l) => l.startsWith("::error::"))).toEqual([
      "::error::a stack file name in stacks/ has characters other than letters, digits, -, _ and .",
      "::error::azlab plan failed for stack broken (exit 1; docs/cli.md lists the codes)",
      "::error::azlab plan failed for stack crash (exit 4; docs/cli.md lists the codes)",
      "::error::a stack file name in stacks/ has characters other than letters, digits, -, _ and .",
    ]);
    expect(existsSync(join(repo, "pwned"))).toBe(false);
  });

  it("plan-comment.yml passes render's 0 to 3 on and fails on any other code", () => {
    const script = stepNamed(
      read(".github/workflows/plan-comment.yml"),
      "Render the comment and the gate (base branch's azlab)",
    );
    const outcomes = [0, 1, 2, 3, 4, 5, 127].map((code) => {
      const dir = mkdtempSync(join(tmpdir(), "azlab-render-step-"));
      // The fake azlab writes the comment (the last argument) and exits with `code`.
      const result = runStep(script, `echo "## azlab plan" > "\${!#}"\nexit ${code}`, dir, {
        HEAD_SHA: "0".repeat(40),
        BASE_SHA: "1".repeat(40),
        RUN_URL: "https://github.com/o/r/actions/runs/1",
      });
      return [code, result.status, result.output];
    });
    expect(outcomes).toEqual([
      [0, 0, "gate=0\n"],
      [1, 0, "gate=1\n"],
      [2, 0, "gate=2\n"],
      [3, 0, "gate=3\n"],
      [4, 1, "gate=4\n"],
      [5, 1, "gate=5\n"],
      [127, 1, "gate=127\n"],
    ]);
  });
});
