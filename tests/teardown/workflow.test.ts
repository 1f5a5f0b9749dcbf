import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  steps: Step[];
}

const FILE = ".github/workflows/teardown.yml";
const TEXT = readFileSync(FILE, "utf8");
const WORKFLOW = parse(TEXT) as {
  on: { workflow_dispatch: { inputs: Record<string, { default: unknown }> } };
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
};
const { find, destroy } = WORKFLOW.jobs as { find: Job; destroy: Job };
const step = (job: Job, name: string): Step => job.steps.find((s) => s.name === name)!;

/** A folder with a fake `npx` that records each call's arguments (NUL-separated) and prints $FAKE_OUT. */
function fakeNpx(): { dir: string; log: string; calls: () => string[][] } {
  const dir = mkdtempSync(join(tmpdir(), "azlab-wf-"));
  const log = join(dir, "calls");
  writeFileSync(log, "");
  writeFileSync(
    join(dir, "npx"),
    `#!/usr/bin/env bash\nfor a in "$@"; do printf '%s\\0' "$a" >> "${log}"; done\nprintf '\\n\\0' >> "${log}"\nprintf '%s' "\${FAKE_OUT:-}"\nexit "\${FAKE_CODE:-0}"\n`,
  );
  chmodSync(join(dir, "npx"), 0o755);
  const calls = () =>
    readFileSync(log, "utf8")
      .split("\n\0")
      .filter(Boolean)
      .map((call) => call.split("\0").filter(Boolean));
  return { dir, log, calls };
}

function runStep(script: string, env: Record<string, string>, npx: { dir: string }) {
  return spawnSync("bash", ["-c", script], {
    encoding: "utf8",
    env: { ...process.env, ...env, PATH: `${npx.dir}:${process.env["PATH"]}` },
  });
}

describe("teardown.yml", () => {
  it("pins every action to a full commit SHA with its version in a comment", () => {
    const uses = TEXT.split("\n").filter((line) => /^\s*(-\s+)?uses:/.test(line));
    expect(uses.length).toBe(5);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it("defaults a manual run to a dry run, and runs manual runs from the default branch only", () => {
    expect(WORKFLOW.on.workflow_dispatch.inputs["dry-run"]!.default).toBe(true);
    const mode = step(find, "Check the branch and the mode");
    expect(find.steps[0]).toBe(mode);
    const run = (event: string, ref: string, input: string) => {
      const output = join(mkdtempSync(join(tmpdir(), "azlab-wf-")), "out");
      writeFileSync(output, "");
      const result = spawnSync("bash", ["-c", mode.run!], {
        encoding: "utf8",
        env: {
          ...process.env,
          EVENT: event,
          REF: ref,
          DEFAULT_REF: "refs/heads/main",
          DRY_RUN_INPUT: input,
          GITHUB_OUTPUT: output,
        },
      });
      return { code: result.status, output: readFileSync(output, "utf8") };
    };
    expect(run("workflow_dispatch", "refs/heads/main", "true")).toEqual({
      code: 0,
      output: "dry-run=true\n",
    });
    expect(run("workflow_dispatch", "refs/heads/main", "")).toEqual({ code: 0, output: "dry-run=true\n" });
    expect(run("workflow_dispatch", "refs/heads/main", "false")).toEqual({
      code: 0,
      output: "dry-run=false\n",
    });
    expect(run("schedule", "refs/heads/main", "")).toEqual({ code: 0, output: "dry-run=false\n" });
    expect(run("workflow_dispatch", "refs/heads/evil", "false")).toEqual({ code: 1, output: "" });
  });

  it("gives secrets and the OIDC permission only to the destroy step, never to installs or the dry run", () => {
    expect(WORKFLOW.permissions).toEqual({});
    expect(find.permissions).toEqual({ contents: "read", issues: "write" });
    expect(destroy.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(JSON.stringify(find)).not.toContain("secrets.");
    expect(destroy.if).toBe("needs.find.outputs.count != '0' && needs.find.outputs.dry-run != 'true'");
    const holding = destroy.steps.filter((s) => JSON.stringify(s.env ?? {}).includes("secrets."));
    expect(holding.map((s) => s.name)).toEqual([
      "Check that teardown secrets are configured",
      "Tear down each expired stack",
    ]);
    // The first only learns whether the secrets exist.
    expect(Object.values(holding[0]!.env!)).toEqual([
      "${{ secrets.PULUMI_ACCESS_TOKEN != '' && secrets.AZURE_CLIENT_ID != '' && secrets.AZURE_TENANT_ID != '' && secrets.AZURE_SUBSCRIPTION_ID != '' }}",
    ]);
    // No install script runs in the job that can request an Azure token, and no `az login` leaves
    // a token on disk for later steps.
    const installs = destroy.steps.filter((s) => s.run?.includes("npm ci"));
    expect(installs.map((s) => s.run)).toEqual(["npm ci --ignore-scripts --no-audit --no-fund"]);
    expect(TEXT).not.toContain("azure/login");
  });

  it("passes names as JSON and loops over them NUL-separated, so a newline cannot split a name", () => {
    const scripts = Object.values(WORKFLOW.jobs).flatMap((job) => job.steps.map((s) => s.run ?? ""));
    expect(
      scripts.filter((script) => /jq -r|while read(?! -r -d '')|IFS= read -r stack/.test(script)),
    ).toEqual([]);
    const npx = fakeNpx();
    const teardown = step(destroy, "Tear down each expired stack");
    const result = runStep(teardown.run!, { STACKS: JSON.stringify(["net101\nactive-2099", "sec201"]) }, npx);
    expect(result.status).toBe(0);
    expect(npx.calls()).toEqual([
      [
        "azlab",
        "teardown",
        "--stack",
        "net101\nactive-2099",
        "--only-if-expired",
        "--confirm",
        "net101\nactive-2099",
      ],
      ["azlab", "teardown", "--stack", "sec201", "--only-if-expired", "--confirm", "sec201"],
    ]);
  });

  it("the dry run runs each teardown without --confirm", () => {
    const npx = fakeNpx();
    const dry = step(find, "Dry run of each teardown");
    expect(dry.env).toEqual({ STACKS: "${{ steps.expired.outputs.stacks }}" });
    const result = runStep(dry.run!, { STACKS: JSON.stringify(["net101"]) }, npx);
    expect(result.status).toBe(0);
    expect(npx.calls()).toEqual([["azlab", "teardown", "--stack", "net101", "--only-if-expired"]]);
  });

  it("hands on only expired stacks with valid names, and refuses anything else", () => {
    const expired = step(find, "Find expired class stacks");
    const run = (json: unknown, code = 0) => {
      const npx = fakeNpx();
      const temp = mkdtempSync(join(tmpdir(), "azlab-wf-"));
      const output = join(temp, "out");
      writeFileSync(output, "");
      const result = runStep(
        expired.run!,
        {
          FAKE_OUT: JSON.stringify(json),
          FAKE_CODE: String(code),
          RUNNER_TEMP: temp,
          GITHUB_OUTPUT: output,
        },
        npx,
      );
      return { code: result.status, output: readFileSync(output, "utf8") };
    };
    const entry = (stack: string, status: string) => ({ stack, status });
    expect(run([entry("net101", "expired"), entry("later", "expiring"), entry("sec201", "expired")])).toEqual(
      {
        code: 0,
        output: 'status=0\nstacks=["net101","sec201"]\ncount=2\n',
      },
    );
    // Exit 1 (a bad stack file) still tears down the valid ones; the last job fails the run.
    expect(run([entry("net101", "expired")], 1)).toEqual({
      code: 0,
      output: 'status=1\nstacks=["net101"]\ncount=1\n',
    });
    expect(run([], 4)).toEqual({ code: 1, output: "status=4\n" });
    expect(run([entry("net101\nactive", "expired")]).code).toBe(1);
    expect(run([entry("../../x", "expired")]).code).toBe(1);
  });

  it("warns in the job summary and an issue before destroying, escaping every string", () => {
    const warn = step(find, "Warn about classes that expire soon");
    expect(warn.env).toEqual({ GH_TOKEN: "${{ github.token }}", GH_REPO: "${{ github.repository }}" });
    const npx = fakeNpx();
    const temp = mkdtempSync(join(tmpdir(), "azlab-wf-"));
    const summary = join(temp, "summary.md");
    writeFileSync(summary, "");
    const gh = join(npx.dir, "gh");
    writeFileSync(gh, `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> "${join(temp, "gh")}"\n`);
    chmodSync(gh, 0o755);
    const soon = {
      stack: "net101",
      course: "@everyone [x](https://evil)",
      instructor: "i@example.edu",
      expiresOn: "2026-12-18",
      timeZone: "UTC",
      expiredAt: "2026-12-19T00:00:00.000Z",
      status: "expiring",
    };
    const result = runStep(
      warn.run!,
      { FAKE_OUT: JSON.stringify([soon]), RUNNER_TEMP: temp, GITHUB_STEP_SUMMARY: summary, WARN_DAYS: "7" },
      npx,
    );
    expect(result.status).toBe(0);
    expect(npx.calls()).toEqual([["azlab", "expired", "--within", "7d", "--format", "json"]]);
    const text = readFileSync(summary, "utf8");
    expect(text).toContain(
      "| net101 | &#64;everyone &#91;x&#93;&#40;https:&#47;&#47;evil&#41; | i&#64;example.edu | 2026-12-18 (UTC) | 2026-12-19T00:00:00.000Z |",
    );
    expect(text).toContain("Expiring within 7 days");
    expect(readFileSync(join(temp, "gh"), "utf8").trim().split("\n")).toEqual([
      `issue list --state open --search "azlab: classes expire within 7 days" in:title --json number --jq .[0].number // empty`,
      `issue create --title azlab: classes expire within 7 days --body-file ${join(temp, "warning.md")}`,
    ]);
  });

  it("is valid shell in every run step", () => {
    for (const job of Object.values(WORKFLOW.jobs)) {
      for (const s of job.steps) if (s.run) execFileSync("bash", ["-n", "-c", s.run]);
    }
  });
});
