import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkBootstrapOptions } from "../../src/bootstrap/options.ts";
import { planBootstrap } from "../../src/bootstrap/plan.ts";
import { runCli as cli } from "../support/cli.ts";

const SUB = "11111111-2222-3333-4444-555555555555";
const SP = "99999999-8888-7777-6666-555555555555";
const BASE = ["bootstrap", "--dry-run", "--location", "westeurope", "--subscription", SUB];

describe("azlab bootstrap --dry-run", () => {
  it("prints the plan and the az commands as Markdown", async () => {
    const result = await cli([...BASE, "--assignee", SP]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatchSnapshot();
  });

  it("warns when the names come from the placeholder subscription", async () => {
    const result = await cli(["bootstrap", "--dry-run", "--location", "westeurope"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "> **Placeholder subscription.** No `--subscription` was given, so the global names below are\n" +
        "> salted with 00000000-0000-0000-0000-000000000000, not your subscription: they are not the names you will get.\n",
    );
    expect((await cli([...BASE])).stdout).not.toContain("Placeholder subscription");
  });

  it("prints the same plan as JSON, each command one line of bash", async () => {
    const result = await cli([...BASE, "--assignee", SP, "--sku", "Standard_LRS", "--format", "json"]);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as Record<string, unknown> & { commands: string[] };
    const plan = planBootstrap(
      checkBootstrapOptions({ location: "westeurope", subscription: SUB, assignee: SP, sku: "Standard_LRS" })
        .input!,
    );
    expect(Object.keys(doc)).toEqual(Object.keys(plan));
    expect(doc["storageAccount"]).toEqual(plan.storageAccount);
    expect(doc["roleAssignments"]).toEqual(plan.roleAssignments);
    expect(doc["backendUrl"]).toBe("azblob://state?storage_account=stazlabstate37796682");
    expect(doc.commands).toHaveLength(11);
    expect(doc.commands[3]).toBe(
      "az storage account create --name stazlabstate37796682 --resource-group rg-azlab-state --location westeurope --kind StorageV2 --sku Standard_LRS --min-tls-version TLS1_2 --allow-blob-public-access false --allow-shared-key-access false --https-only true --allow-cross-tenant-replication false",
    );
    expect(doc.commands[10]).toBe(
      `az role assignment create --assignee-object-id ${SP} --assignee-principal-type ServicePrincipal --role 12338af0-0e69-4776-bea7-57ae8d297424 --scope /subscriptions/${SUB}/resourceGroups/rg-azlab-state/providers/Microsoft.KeyVault/vaults/kv-azlab-37796682/keys/pulumi-secrets`,
    );
  });

  it("writes a bash script that runs exactly the planned az commands, in order", async () => {
    const result = await cli([...BASE, "--format", "sh"]);
    expect(result.code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), "azlab-bootstrap-"));
    const script = join(dir, "bootstrap.sh");
    writeFileSync(script, result.stdout);
    // A fake az: logs its arguments, and answers the signed-in user's object id.
    writeFileSync(
      join(dir, "az"),
      `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> "${join(dir, "calls")}"\n[ "$1 $2" = "ad signed-in-user" ] && echo 12345678-1234-1234-1234-123456789abc\nexit 0\n`,
    );
    chmodSync(join(dir, "az"), 0o755);
    const run = spawnSync("bash", [script], {
      encoding: "utf8",
      env: { ...process.env, PATH: `${dir}:${process.env["PATH"]}` },
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(
      "Backend:          azblob://state?storage_account=stazlabstate37796682\n" +
        "Secrets provider: azurekeyvault://kv-azlab-37796682.vault.azure.net/keys/pulumi-secrets\n",
    );
    const plan = planBootstrap(checkBootstrapOptions({ location: "westeurope", subscription: SUB }).input!);
    const expected = plan.commands.map((c) =>
      c.argv
        .slice(1)
        .map((w) => (w === "$OPERATOR_OBJECT_ID" ? "12345678-1234-1234-1234-123456789abc" : w))
        .join(" "),
    );
    expect(readFileSync(join(dir, "calls"), "utf8").trim().split("\n")).toEqual(expected);
  });

  it("stops the script at the first failing command", async () => {
    const result = await cli([...BASE, "--format", "sh"]);
    const dir = mkdtempSync(join(tmpdir(), "azlab-bootstrap-"));
    writeFileSync(
      join(dir, "az"),
      `#!/usr/bin/env bash\nprintf '%s\\n' "$1 $2" >> "${join(dir, "calls")}"\nexit 3\n`,
    );
    chmodSync(join(dir, "az"), 0o755);
    const run = spawnSync("bash", ["-c", result.stdout], {
      encoding: "utf8",
      env: { ...process.env, PATH: `${dir}:${process.env["PATH"]}` },
    });
    expect(run.status).toBe(3);
    expect(readFileSync(join(dir, "calls"), "utf8")).toBe("account set\n");
  });

  it("writes --out atomically and prints nothing", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "azlab-bootstrap-")), "plan.json");
    const result = await cli([...BASE, "--format", "json", "--out", out]);
    expect(result).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(readFileSync(out, "utf8")).toBe((await cli([...BASE, "--format", "json"])).stdout);
  });
});

describe("azlab bootstrap, refused", () => {
  it("refuses to run without --dry-run: azlab never calls Azure", async () => {
    expect(await cli(["bootstrap", "--location", "westeurope"])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "azlab: azlab bootstrap only prints the plan and the az commands (azlab never calls Azure): add --dry-run, then run the printed commands yourself, for example `azlab bootstrap --dry-run --location westeurope --subscription ID --format sh > bootstrap.sh && bash bootstrap.sh`\n",
    });
  });

  it("names every bad flag, its value and what is allowed, and prints no plan", async () => {
    expect(
      await cli([
        "bootstrap",
        "--dry-run",
        "--location",
        "West Europe",
        "--subscription",
        "abc",
        "--retention-days",
        "0",
        "--format",
        "sh",
      ]),
    ).toEqual({
      code: 1,
      stdout: "",
      stderr: [
        "azlab: bootstrap: nothing was planned; fix these flags:",
        '  - --location: is not an Azure region name (got "West Europe"; allowed: an Azure region name such as westeurope (az account list-locations --query [].name))',
        '  - --subscription: is not a subscription id (got "abc"; allowed: a GUID, as `az account show --query id --output tsv` prints it)',
        '  - --retention-days: is not a number of days (got "0"; allowed: a whole number from 1 to 365)',
        "",
      ].join("\n"),
    });
  });

  it("needs --subscription for a runnable script", async () => {
    expect(await cli(["bootstrap", "--dry-run", "--location", "westeurope", "--format", "sh"])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'azlab: bootstrap: nothing was planned; fix these flags:\n  - --format: sh writes a runnable script, so it needs --subscription: global names are salted with it (got "sh"; allowed: markdown or json without --subscription)\n',
    });
  });

  it("leaves an unknown format to commander's usage error (exit 1)", async () => {
    const result = await cli([...BASE, "--format", "yaml"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
  });
});
