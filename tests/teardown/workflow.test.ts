import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
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
  name?: string;
  if?: string;
  strategy?: Record<string, unknown>;
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
      "Tear down the expired stack",
    ]);
    // The first only learns whether the secrets exist; the azblob backend needs no Pulumi token.
    expect(Object.values(holding[0]!.env!)).toEqual([
      "${{ secrets.AZURE_CLIENT_ID != '' && secrets.AZURE_TENANT_ID != '' && secrets.AZURE_SUBSCRIPTION_ID != '' && (needs.find.outputs.backend == 'azblob' || secrets.PULUMI_ACCESS_TOKEN != '') }}",
    ]);
    // The Pulumi Cloud token reaches the destroy step only when Pulumi Cloud holds the state.
    expect(holding[1]!.env!["PULUMI_ACCESS_TOKEN"]).toBe(
      "${{ needs.find.outputs.backend != 'azblob' && secrets.PULUMI_ACCESS_TOKEN || '' }}",
    );
    // No install script runs in the job that can request an Azure token, and no `az login` leaves
    // a token on disk for later steps.
    const installs = destroy.steps.filter((s) => s.run?.includes("npm ci"));
    expect(installs.map((s) => s.run)).toEqual(["npm ci --ignore-scripts --no-audit --no-fund"]);
    expect(TEXT).not.toContain("azure/login");
  });

  it("passes names as JSON and never splits them on lines", () => {
    const scripts = Object.values(WORKFLOW.jobs).flatMap((job) => job.steps.map((s) => s.run ?? ""));
    expect(
      scripts.filter((script) => /jq -r|while read(?! -r -d '')|IFS= read -r stack/.test(script)),
    ).toEqual([]);
  });

  it("tears down the expired classes in parallel: a matrix from azlab expired's JSON, bounded, not fail-fast", () => {
    expect(destroy.strategy).toEqual({
      "fail-fast": false,
      "max-parallel": 4,
      matrix: { stack: "${{ fromJSON(needs.find.outputs.stacks) }}" },
    });
    expect(destroy.name).toBe("Destroy ${{ matrix.stack }}");
    expect(WORKFLOW.jobs["invalid-stack-files"]!.needs).toEqual(["find", "destroy"]);
    const teardown = step(destroy, "Tear down the expired stack");
    expect(teardown.env!["STACK"]).toBe("${{ matrix.stack }}");
    // One stack per job, exactly as the matrix names it, even with a newline inside.
    for (const stack of ["sec201", "net101\nactive-2099"]) {
      const npx = fakeNpx();
      const result = runStep(
        teardown.run!,
        { STACK: stack, BACKEND: "pulumi-cloud", SECRETS_PROVIDER: "" },
        npx,
      );
      expect(result.status).toBe(0);
      expect(npx.calls()).toEqual([
        ["azlab", "teardown", "--stack", stack, "--only-if-expired", "--confirm", stack],
      ]);
    }
    const npx = fakeNpx();
    const failed = runStep(
      teardown.run!,
      { STACK: "sec201", BACKEND: "pulumi-cloud", SECRETS_PROVIDER: "", FAKE_CODE: "1" },
      npx,
    );
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain("::error::teardown of stack sec201 failed (exit 1)\n");
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

  it("caps the matrix at GitHub's 256 jobs and leaves the rest to the next run", () => {
    const expired = step(find, "Find expired class stacks");
    const npx = fakeNpx();
    const temp = mkdtempSync(join(tmpdir(), "azlab-wf-"));
    const output = join(temp, "out");
    writeFileSync(output, "");
    const entries = Array.from({ length: 300 }, (_, i) => ({ stack: `c${i}`, status: "expired" }));
    const result = runStep(
      expired.run!,
      { FAKE_OUT: JSON.stringify(entries), RUNNER_TEMP: temp, GITHUB_OUTPUT: output },
      npx,
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      "::warning::300 classes expired; tearing down 256 now, the rest at the next run\n",
    );
    const lines = readFileSync(output, "utf8").split("\n");
    expect(JSON.parse(lines[1]!.slice("stacks=".length))).toEqual(entries.slice(0, 256).map((e) => e.stack));
    expect(lines[2]).toBe("count=256");
  });

  it("is valid shell in every run step", () => {
    for (const job of Object.values(WORKFLOW.jobs)) {
      for (const s of job.steps) if (s.run) execFileSync("bash", ["-n", "-c", s.run]);
    }
  });
});

describe("teardown.yml state backends", () => {
  const check = step(find, "Check the state backend");

  function runCheck(vars: Record<string, string>) {
    const output = join(mkdtempSync(join(tmpdir(), "azlab-wf-")), "out");
    writeFileSync(output, "");
    const result = spawnSync("bash", ["-e", "-c", check.run!], {
      encoding: "utf8",
      env: {
        ...process.env,
        BACKEND: "",
        STATE_URL: "",
        SECRETS_PROVIDER: "",
        ...vars,
        GITHUB_OUTPUT: output,
      },
    });
    return { code: result.status, stdout: result.stdout, output: readFileSync(output, "utf8") };
  }

  it("reads the backend from repository variables, in the job without secrets, before anything else runs", () => {
    expect(check.env).toEqual({
      BACKEND: "${{ vars.AZLAB_BACKEND }}",
      STATE_URL: "${{ vars.AZLAB_STATE_URL }}",
      SECRETS_PROVIDER: "${{ vars.AZLAB_SECRETS_PROVIDER }}",
    });
    expect(find.steps.indexOf(check)).toBe(1);
    expect(runCheck({})).toEqual({ code: 0, stdout: "", output: "backend=pulumi-cloud\n" });
    expect(runCheck({ BACKEND: "pulumi-cloud" }).output).toBe("backend=pulumi-cloud\n");
    expect(
      runCheck({
        BACKEND: "azblob",
        STATE_URL: "azblob://state?storage_account=stazlabstate37796682",
        SECRETS_PROVIDER: "azurekeyvault://kv-azlab-37796682.vault.azure.net/keys/pulumi-secrets",
      }),
    ).toEqual({ code: 0, stdout: "", output: "backend=azblob\n" });
  });

  it("refuses an unknown backend, a bad state URL and a bad secrets provider, showing the value safely", () => {
    expect(runCheck({ BACKEND: "s3" })).toEqual({
      code: 1,
      stdout:
        '::error::repository variable AZLAB_BACKEND: unknown backend (got "s3"; allowed: pulumi-cloud or azblob)\n',
      output: "",
    });
    expect(runCheck({ BACKEND: "azblob", STATE_URL: "azblob://state\n::set-output name=x::y" })).toEqual({
      code: 1,
      stdout:
        '::error::repository variable AZLAB_STATE_URL: not an azblob URL (got "azblob://state?::set-output?name=x::y"; allowed: azblob://CONTAINER?storage_account=ACCOUNT, as azlab bootstrap prints it)\n',
      output: "",
    });
    expect(runCheck({ BACKEND: "azblob", STATE_URL: "" }).code).toBe(1);
    expect(runCheck({ BACKEND: "azblob", STATE_URL: "azblob://state?storage_account=Bad_Name" }).code).toBe(
      1,
    );
    expect(runCheck({ SECRETS_PROVIDER: "passphrase" })).toEqual({
      code: 1,
      stdout:
        '::error::repository variable AZLAB_SECRETS_PROVIDER: not a Key Vault key URL (got "passphrase"; allowed: azurekeyvault://VAULT.vault.azure.net/keys/KEY, as azlab bootstrap prints it)\n',
      output: "",
    });
  });

  /** Runs the destroy step in a fake repository with fake `npx` (which records its environment) and `curl`. */
  function runDestroy(env: Record<string, string>, stackFile?: string) {
    const repo = mkdtempSync(join(tmpdir(), "azlab-wf-repo-"));
    mkdirSync(join(repo, "stacks"));
    symlinkSync(join(process.cwd(), "node_modules"), join(repo, "node_modules"));
    if (stackFile !== undefined) writeFileSync(join(repo, "stacks", "Pulumi.sec201.yaml"), stackFile);
    const bin = mkdtempSync(join(tmpdir(), "azlab-wf-bin-"));
    const seen = join(bin, "seen");
    writeFileSync(
      join(bin, "npx"),
      [
        "#!/usr/bin/env bash",
        `{ echo "args=$*"; env | grep -E '^(PULUMI_|AZURE_)' | sort; [ -n "\${AZURE_FEDERATED_TOKEN_FILE:-}" ] && echo "token=$(cat "$AZURE_FEDERATED_TOKEN_FILE")"; } > "${seen}"`,
        "exit 0",
        "",
      ].join("\n"),
      { mode: 0o755 },
    );
    writeFileSync(
      join(bin, "curl"),
      `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> "${join(bin, "curl-calls")}"\necho '{"count":1,"value":"gh-oidc-token"}'\n`,
      { mode: 0o755 },
    );
    const temp = mkdtempSync(join(tmpdir(), "azlab-wf-temp-"));
    const result = spawnSync("bash", ["-e", "-c", step(destroy, "Tear down the expired stack").run!], {
      cwd: repo,
      encoding: "utf8",
      env: {
        PATH: `${bin}:${process.env["PATH"]}`,
        HOME: process.env["HOME"] ?? "/tmp",
        STACK: "sec201",
        BACKEND: "pulumi-cloud",
        STATE_URL: "",
        SECRETS_PROVIDER: "",
        PULUMI_ACCESS_TOKEN: "",
        ARM_USE_OIDC: "true",
        ARM_CLIENT_ID: "client-id",
        ARM_TENANT_ID: "tenant-id",
        ARM_SUBSCRIPTION_ID: "subscription-id",
        RUNNER_TEMP: temp,
        ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.actions.example/?run=1",
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: "request-token",
        ...env,
      },
    });
    const read = (file: string) => (existsSync(file) ? readFileSync(file, "utf8") : "");
    return {
      code: result.status,
      stdout: result.stdout,
      seen: read(seen),
      curl: read(join(bin, "curl-calls")),
      tokenLeft: existsSync(join(temp, "azure-federated-token")),
    };
  }

  it("on Pulumi Cloud passes the token and requests no Azure token for the SDK", () => {
    const result = runDestroy({ PULUMI_ACCESS_TOKEN: "cloud-token" });
    expect(result.code).toBe(0);
    expect(result.seen).toBe(
      "args=azlab teardown --stack sec201 --only-if-expired --confirm sec201\nPULUMI_ACCESS_TOKEN=cloud-token\n",
    );
    expect(result.curl).toBe("");
  });

  it("on azblob selects the container by PULUMI_BACKEND_URL and signs in with GitHub's OIDC token, no key", () => {
    const result = runDestroy({
      BACKEND: "azblob",
      STATE_URL: "azblob://state?storage_account=stazlabstate37796682",
      PULUMI_ACCESS_TOKEN: "",
    });
    expect(result.code).toBe(0);
    expect(result.seen.split("\n").filter((l) => !l.startsWith("AZURE_FEDERATED_TOKEN_FILE="))).toEqual([
      "args=azlab teardown --stack sec201 --only-if-expired --confirm sec201",
      "AZURE_CLIENT_ID=client-id",
      "AZURE_TENANT_ID=tenant-id",
      "PULUMI_BACKEND_URL=azblob://state?storage_account=stazlabstate37796682",
      "token=gh-oidc-token",
      "",
    ]);
    expect(result.curl).toBe(
      "-fsS -H Authorization: bearer request-token https://token.actions.example/?run=1&audience=api://AzureADTokenExchange\n",
    );
    // The token file is gone when the step ends.
    expect(result.tokenLeft).toBe(false);
  });

  it("refuses a stack file that does not name the repository's Key Vault key, before destroying anything", () => {
    const provider = "azurekeyvault://kv-azlab-37796682.vault.azure.net/keys/pulumi-secrets";
    const ok = runDestroy(
      {
        BACKEND: "azblob",
        STATE_URL: "azblob://state?storage_account=stazlabstate37796682",
        SECRETS_PROVIDER: provider,
      },
      `secretsprovider: ${provider}\nencryptedkey: ZXhhbXBsZQ==\nconfig: {}\n`,
    );
    expect(ok.code).toBe(0);
    expect(ok.seen).toContain("args=azlab teardown --stack sec201");
    const passphrase = runDestroy({ SECRETS_PROVIDER: provider }, "encryptionsalt: v1:abc\nconfig: {}\n");
    expect(passphrase.code).toBe(1);
    expect(passphrase.seen).toBe("");
    expect(passphrase.stdout).toBe(
      '::error::stacks/Pulumi.sec201.yaml: secretsprovider: is not the repository\'s AZLAB_SECRETS_PROVIDER; run pulumi stack change-secrets-provider --stack sec201 "$AZLAB_SECRETS_PROVIDER" and commit the file (docs/state-backend.md)\n',
    );
    expect(passphrase.tokenLeft).toBe(false);
  });
});
