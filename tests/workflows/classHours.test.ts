import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { clusterShouldRun, inClassHours } from "../../src/cost/classHours.ts";

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown>; "max-parallel"?: number; "fail-fast"?: boolean };
  steps: Step[];
}

const FILE = ".github/workflows/class-hours.yml";
const TEXT = readFileSync(FILE, "utf8");
const WORKFLOW = parse(TEXT) as {
  on: { schedule: { cron: string }[]; workflow_dispatch: { inputs: Record<string, { default: unknown }> } };
  permissions: Record<string, string>;
  jobs: { decide: Job; apply: Job };
};
const { decide, apply } = WORKFLOW.jobs;
const step = (job: Job, name: string): Step => job.steps.find((s) => s.name === name)!;

/** A folder of fake commands: each records its arguments (one call a line, NUL-separated) and prints $FAKE_<NAME>. */
function fakes(names: string[], scripts: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "azlab-hours-"));
  const log = join(dir, "calls");
  writeFileSync(log, "");
  for (const name of names) {
    const body =
      scripts[name] ??
      `printf '%s' "\${FAKE_${name.toUpperCase()}:-}"\nexit "\${FAKE_${name.toUpperCase()}_CODE:-0}"`;
    writeFileSync(
      join(dir, name),
      `#!/usr/bin/env bash\nprintf '${name}' >> "${log}"; for a in "$@"; do printf '\\0%s' "$a" >> "${log}"; done\nprintf '\\n' >> "${log}"\n${body}\n`,
    );
    chmodSync(join(dir, name), 0o755);
  }
  const calls = () =>
    readFileSync(log, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split("\0"));
  return { dir, calls };
}

function runScript(script: string, env: Record<string, string>, dir: string) {
  const temp = mkdtempSync(join(tmpdir(), "azlab-hours-run-"));
  const output = join(temp, "output");
  writeFileSync(output, "");
  const result = spawnSync("bash", ["-c", script], {
    encoding: "utf8",
    env: {
      ...process.env,
      RUNNER_TEMP: temp,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: join(temp, "summary"),
      ...env,
      PATH: `${dir}:${process.env["PATH"]}`,
    },
  });
  return { ...result, output: readFileSync(output, "utf8") };
}

describe("class-hours.yml", () => {
  it("ticks hourly and takes the class hours from the stack files, not from a cron", () => {
    expect(WORKFLOW.on.schedule).toEqual([{ cron: "40 * * * *" }]);
    expect(step(decide, "Decide from the stack files").run).toContain("npx azlab class-hours");
    expect(WORKFLOW.on.workflow_dispatch.inputs["dry-run"]!.default).toBe(true);
  });

  it("gives secrets and the OIDC token only to the step that acts", () => {
    expect(WORKFLOW.permissions).toEqual({});
    expect(decide.permissions).toEqual({ contents: "read" });
    expect(apply.permissions).toEqual({ "id-token": "write" });
    expect(JSON.stringify(decide)).not.toContain("secrets.");
    const acting = step(apply, "Start or stop the cluster");
    expect(acting.if).toBe("steps.secrets.outputs.configured == 'true'");
    expect(Object.keys(acting.env!).sort()).toEqual([
      "ACTION",
      "AZURE_CLIENT_ID",
      "AZURE_SUBSCRIPTION_ID",
      "AZURE_TENANT_ID",
      "CLUSTER",
      "RESOURCE_GROUP",
    ]);
    expect(apply.if).toBe(
      "needs.decide.outputs.count != '0' && needs.decide.outputs.count != '' && needs.decide.outputs.dry-run != 'true'",
    );
    expect(apply.strategy).toMatchObject({ "fail-fast": false, "max-parallel": 4 });
  });

  it("pins every action to a full commit SHA with its version in a comment", () => {
    const uses = TEXT.split("\n").filter((line) => /^\s*(-\s+)?uses:/.test(line));
    expect(uses.length).toBe(2);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it("in a fork without secrets, only prints a notice", () => {
    const check = step(apply, "Check that Azure secrets are configured");
    const result = runScript(check.run!, { CONFIGURED: "false" }, fakes([]).dir);
    expect(result.stdout).toContain("::notice::Azure secrets are not configured (a fresh fork?)");
    expect(result.output).toBe("configured=false\n");
  });

  it("runs manual runs from the default branch only, as dry runs unless unticked", () => {
    const mode = step(decide, "Check the branch and the mode");
    const run = (EVENT: string, REF: string, DRY_RUN_INPUT: string) =>
      runScript(mode.run!, { EVENT, REF, DEFAULT_REF: "refs/heads/main", DRY_RUN_INPUT }, fakes([]).dir);
    expect(run("workflow_dispatch", "refs/heads/feature", "true").status).toBe(1);
    expect(run("workflow_dispatch", "refs/heads/main", "true").output).toBe("dry-run=true\n");
    expect(run("workflow_dispatch", "refs/heads/main", "false").output).toBe("dry-run=false\n");
    expect(run("schedule", "refs/heads/main", "").output).toBe("dry-run=false\n");
  });

  describe("the decide step", () => {
    const script = step(decide, "Decide from the stack files").run!;
    const entries = [
      {
        stack: "class-demo",
        action: "stop",
        clusters: [{ resourceGroup: "rg-lab-class-demo-hub", name: "aks-lab-class-demo-hub" }],
        file: "stacks/Pulumi.class-demo.yaml",
      },
    ];

    it("turns azlab's answer into one matrix entry per cluster", () => {
      const bin = fakes(["npx"]);
      const result = runScript(script, { FAKE_NPX: JSON.stringify(entries) }, bin.dir);
      expect(result.status).toBe(0);
      expect(bin.calls()).toEqual([["npx", "azlab", "class-hours"]]);
      expect(result.output).toBe(
        `targets=${JSON.stringify([
          {
            stack: "class-demo",
            action: "stop",
            resourceGroup: "rg-lab-class-demo-hub",
            cluster: "aks-lab-class-demo-hub",
          },
        ])}\ncount=1\n`,
      );
    });

    it("acts on the valid stacks and still fails when a stack file is invalid", () => {
      const result = runScript(
        script,
        { FAKE_NPX: JSON.stringify(entries), FAKE_NPX_CODE: "1" },
        fakes(["npx"]).dir,
      );
      expect(result.status).toBe(1);
      expect(result.output).toContain("count=1\n");
    });

    it("refuses a name that could inject a command", () => {
      const bad = [{ ...entries[0], clusters: [{ resourceGroup: "rg\n::stop-commands::x", name: "aks" }] }];
      const result = runScript(script, { FAKE_NPX: JSON.stringify(bad) }, fakes(["npx"]).dir);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("::error::azlab class-hours returned something that is not");
      expect(result.output).toBe("");
    });
  });

  describe("the apply step", () => {
    const script = step(apply, "Start or stop the cluster").run!;
    const env = (ACTION: string) => ({
      ACTION,
      RESOURCE_GROUP: "rg-lab-class-demo-hub",
      CLUSTER: "aks-lab-class-demo-hub",
      AZURE_CLIENT_ID: "client",
      AZURE_TENANT_ID: "tenant",
      AZURE_SUBSCRIPTION_ID: "sub",
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "request",
      ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.example/?x=1",
      FAKE_CURL: '{"value":"oidc-token"}',
    });
    /** A fake az whose `aks show` prints $STATE (or fails with $SHOW_ERR). */
    const az = `if [ "$1 $2" = "aks show" ]; then
  if [ -n "\${SHOW_ERR:-}" ]; then echo "$SHOW_ERR" >&2; exit 3; fi
  echo "$STATE"
fi`;

    it("stops a running cluster after signing in over OIDC", () => {
      const bin = fakes(["curl", "az"], { az });
      const result = runScript(script, { ...env("stop"), STATE: "Running" }, bin.dir);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain("stopped aks-lab-class-demo-hub");
      const calls = bin.calls();
      expect(calls[0]).toEqual([
        "curl",
        "-fsS",
        "-H",
        "Authorization: bearer request",
        "https://token.example/?x=1&audience=api://AzureADTokenExchange",
      ]);
      expect(calls.slice(1)).toEqual([
        [
          "az",
          "login",
          "--service-principal",
          "--username",
          "client",
          "--tenant",
          "tenant",
          "--federated-token",
          "oidc-token",
          "--output",
          "none",
        ],
        ["az", "account", "set", "--subscription", "sub"],
        [
          "az",
          "aks",
          "show",
          "--resource-group",
          "rg-lab-class-demo-hub",
          "--name",
          "aks-lab-class-demo-hub",
          "--query",
          "powerState.code",
          "--output",
          "tsv",
        ],
        [
          "az",
          "aks",
          "stop",
          "--resource-group",
          "rg-lab-class-demo-hub",
          "--name",
          "aks-lab-class-demo-hub",
          "--output",
          "none",
        ],
      ]);
    });

    it("starts a stopped cluster, and leaves one alone that is already in the wanted state", () => {
      const start = fakes(["curl", "az"], { az });
      expect(runScript(script, { ...env("start"), STATE: "Stopped" }, start.dir).status).toBe(0);
      expect(start.calls().at(-1)!.slice(0, 3)).toEqual(["az", "aks", "start"]);
      const idle = fakes(["curl", "az"], { az });
      const result = runScript(script, { ...env("start"), STATE: "Running" }, idle.dir);
      expect(result.stdout).toContain("aks-lab-class-demo-hub is already Running");
      expect(idle.calls().at(-1)!.slice(0, 3)).toEqual(["az", "aks", "show"]);
    });

    it("skips a cluster that was never deployed, and fails on any other error", () => {
      const missing = runScript(
        script,
        { ...env("stop"), SHOW_ERR: "(ResourceNotFound) The Resource was not found" },
        fakes(["curl", "az"], { az }).dir,
      );
      expect(missing.status).toBe(0);
      expect(missing.stdout).toContain(
        "::notice::cluster aks-lab-class-demo-hub in rg-lab-class-demo-hub is not deployed: nothing to stop",
      );
      const denied = runScript(
        script,
        { ...env("stop"), SHOW_ERR: "(AuthorizationFailed) no access" },
        fakes(["curl", "az"], { az }).dir,
      );
      expect(denied.status).toBe(1);
      expect(denied.stdout).toContain(
        "::error::could not read the power state of aks-lab-class-demo-hub in rg-lab-class-demo-hub",
      );
    });
  });
});

describe("class hours", () => {
  // class-demo: Tuesday and Thursday 08:30–12:30 in Europe/Amsterdam (UTC+1 in December).
  const windows = [
    { days: ["Tuesday", "Thursday"], startTime: "08:30", endTime: "12:30", timeZone: "Europe/Amsterdam" },
  ];
  const at = (iso: string) => new Date(iso);

  it("reads the window on the schedule's own wall clock", () => {
    expect(inClassHours(windows, at("2026-12-15T07:30:00Z"))).toBe(true); // Tue 08:30
    expect(inClassHours(windows, at("2026-12-15T11:29:00Z"))).toBe(true); // Tue 12:29
    expect(inClassHours(windows, at("2026-12-15T11:30:00Z"))).toBe(false); // Tue 12:30
    expect(inClassHours(windows, at("2026-12-16T08:00:00Z"))).toBe(false); // Wednesday
    // Summer time: 08:30 in Amsterdam is 06:30 UTC.
    expect(inClassHours(windows, at("2027-06-15T06:30:00Z"))).toBe(true);
  });

  it("starts the cluster an hour before class and stops it after", () => {
    expect(clusterShouldRun(windows, at("2026-12-15T06:29:00Z"))).toBe(false); // 07:29
    expect(clusterShouldRun(windows, at("2026-12-15T06:30:00Z"))).toBe(true); // 07:30
    expect(clusterShouldRun(windows, at("2026-12-15T11:40:00Z"))).toBe(false); // 12:40
  });

  it("handles a window that runs past midnight", () => {
    const night = [{ days: ["Friday"], startTime: "22:00", endTime: "02:00", timeZone: "UTC" }];
    expect(inClassHours(night, at("2026-12-18T23:00:00Z"))).toBe(true); // Fri 23:00
    expect(inClassHours(night, at("2026-12-19T01:59:00Z"))).toBe(true); // Sat 01:59
    expect(inClassHours(night, at("2026-12-19T02:00:00Z"))).toBe(false);
    expect(inClassHours(night, at("2026-12-18T01:00:00Z"))).toBe(false); // Fri 01:00: Thursday is not listed
  });
});
