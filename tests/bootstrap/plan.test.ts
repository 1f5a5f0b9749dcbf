import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commandLine, shellWord } from "../../src/bootstrap/commands.ts";
import {
  PLACEHOLDER_SUBSCRIPTION,
  checkBootstrapOptions,
  type BootstrapInput,
} from "../../src/bootstrap/options.ts";
import { keyVaultName, planBootstrap } from "../../src/bootstrap/plan.ts";
import { loadStackFile } from "../../src/config/stackFile.ts";
import { checkAzureName } from "../../src/naming/azureNames.ts";

const SUB_A = "11111111-2222-3333-4444-555555555555";
const SUB_B = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const SP = "99999999-8888-7777-6666-555555555555";

function input(options: Parameters<typeof checkBootstrapOptions>[0]): BootstrapInput {
  const checked = checkBootstrapOptions(options);
  expect(checked.problems).toEqual([]);
  return checked.input!;
}

describe("checkBootstrapOptions", () => {
  it("fills the defaults", () => {
    expect(input({ location: "westeurope" })).toEqual({
      location: "westeurope",
      namePrefix: "azlab",
      resourceGroup: undefined,
      subscriptionId: undefined,
      assignee: undefined,
      sku: "Standard_ZRS",
      retentionDays: 30,
    });
  });

  it("reports every bad flag at once, at the flag, with the value and what is allowed", () => {
    const checked = checkBootstrapOptions({
      namePrefix: "-x",
      resourceGroup: "ends.",
      subscription: "not-a-guid",
      assignee: "someone@example.edu",
      assigneeType: "Robot",
      sku: "Standard_GRS",
      retentionDays: "366",
    });
    expect(checked.problems).toEqual([
      {
        path: "--location",
        message: "is required: the region of the state account and the key vault",
        allowed: "an Azure region name such as westeurope",
      },
      {
        path: "--name-prefix",
        message: "is not a name prefix",
        value: "-x",
        allowed: "2–15 lowercase letters, digits and hyphens, starting with a letter",
      },
      {
        path: "--resource-group",
        message: "is not a valid resourceGroup name",
        value: "ends.",
        allowed:
          "1 to 90 characters: letters, digits, hyphens, underscores and periods and parentheses, not ending in a period",
      },
      {
        path: "--subscription",
        message: "is not a subscription id",
        value: "not-a-guid",
        allowed: "a GUID, as `az account show --query id --output tsv` prints it",
      },
      {
        path: "--assignee",
        message: "is not an object id",
        value: "someone@example.edu",
        allowed:
          "the GUID of the deploying identity's service principal, user or group (for an app: az ad sp show --id CLIENT_ID --query id --output tsv)",
      },
      {
        path: "--assignee-type",
        message: "is not a principal type",
        value: "Robot",
        allowed: "ServicePrincipal, User, Group",
      },
      {
        path: "--sku",
        message: "is not a redundancy azlab offers for state",
        value: "Standard_GRS",
        allowed: "Standard_ZRS, Standard_LRS (Standard_LRS only where the region has no availability zones)",
      },
      {
        path: "--retention-days",
        message: "is not a number of days",
        value: "366",
        allowed: "a whole number from 1 to 365",
      },
    ]);
  });

  it("refuses a region with capitals or spaces, retention outside 1–365, and a type without an assignee", () => {
    const paths = (options: Parameters<typeof checkBootstrapOptions>[0]) =>
      checkBootstrapOptions(options).problems.map((p) => `${p.path}: ${p.message}`);
    expect(paths({ location: "West Europe" })).toEqual(["--location: is not an Azure region name"]);
    expect(paths({ location: "westeurope", retentionDays: "0" })).toEqual([
      "--retention-days: is not a number of days",
    ]);
    expect(paths({ location: "westeurope", retentionDays: "1.5" })).toEqual([
      "--retention-days: is not a number of days",
    ]);
    expect(paths({ location: "westeurope", assigneeType: "User" })).toEqual([
      "--assignee-type: needs --assignee: without it the roles go to the signed-in user",
    ]);
    expect(paths({ location: "westeurope", retentionDays: "365", sku: "Standard_LRS" })).toEqual([]);
  });
});

describe("planBootstrap", () => {
  const plan = planBootstrap(input({ location: "westeurope", subscription: SUB_A, assignee: SP }));

  it("plans a StorageV2 account with TLS 1.2, no public blob access and no shared keys", () => {
    expect(plan.storageAccount).toEqual({
      name: "stazlabstate37796682",
      id: `/subscriptions/${SUB_A}/resourceGroups/rg-azlab-state/providers/Microsoft.Storage/storageAccounts/stazlabstate37796682`,
      kind: "StorageV2",
      sku: "Standard_ZRS",
      minimumTlsVersion: "TLS1_2",
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      supportsHttpsTrafficOnly: true,
      allowCrossTenantReplication: false,
    });
    expect(plan.blobService).toEqual({
      versioning: true,
      blobSoftDeleteDays: 30,
      containerSoftDeleteDays: 30,
    });
    expect(plan.container).toEqual({
      name: "state",
      id: `${plan.storageAccount.id}/blobServices/default/containers/state`,
      publicAccess: "None",
    });
  });

  it("plans an RBAC vault with purge protection and an RSA key for the secrets provider", () => {
    expect(plan.keyVault).toEqual({
      name: "kv-azlab-37796682",
      id: `/subscriptions/${SUB_A}/resourceGroups/rg-azlab-state/providers/Microsoft.KeyVault/vaults/kv-azlab-37796682`,
      uri: "https://kv-azlab-37796682.vault.azure.net/",
      sku: "standard",
      enableRbacAuthorization: true,
      softDeleteRetentionDays: 90,
      enablePurgeProtection: true,
    });
    expect(plan.key).toEqual({
      name: "pulumi-secrets",
      id: `${plan.keyVault.id}/keys/pulumi-secrets`,
      type: "RSA",
      size: 3072,
      operations: ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
    });
    expect(plan.backendUrl).toBe("azblob://state?storage_account=stazlabstate37796682");
    expect(plan.secretsProvider).toBe(
      "azurekeyvault://kv-azlab-37796682.vault.azure.net/keys/pulumi-secrets",
    );
  });

  it("grants the deployer blob data on the container and crypto use on the key only", () => {
    expect(
      plan.roleAssignments.map((r) => [r.for, r.roleDefinitionId, r.principalId, r.principalType, r.scope]),
    ).toEqual([
      ["operator", "14b46e9e-c2b7-41b4-b07b-48a6ebf60603", "$OPERATOR_OBJECT_ID", "User", plan.keyVault.id],
      ["deployer", "ba92f5b4-2d11-453d-a403-e96b0029c9fe", SP, "ServicePrincipal", plan.container.id],
      ["deployer", "12338af0-0e69-4776-bea7-57ae8d297424", SP, "ServicePrincipal", plan.key.id],
    ]);
  });

  it("gives the deployer's roles to the signed-in user when no --assignee is given", () => {
    const own = planBootstrap(input({ location: "westeurope", subscription: SUB_A }));
    expect(own.roleAssignments.map((r) => `${r.principalId} ${r.principalType}`)).toEqual([
      "$OPERATOR_OBJECT_ID User",
      "$OPERATOR_OBJECT_ID User",
      "$OPERATOR_OBJECT_ID User",
    ]);
  });

  it("salts global names with the subscription: stable in one, different across two", () => {
    const names = (subscription: string | undefined) => {
      const p = planBootstrap(input({ location: "westeurope", subscription }));
      return [p.storageAccount.name, p.keyVault.name];
    };
    // The hash is SHA-256 of "<subscription>/<prefix>/state", as src/naming/globalNames.ts salts it.
    const hash = createHash("sha256").update(`${SUB_A}/azlab/state`).digest("hex").slice(0, 8);
    expect(hash).toBe("37796682");
    expect(names(SUB_A)).toEqual([`stazlabstate${hash}`, `kv-azlab-${hash}`]);
    expect(names(SUB_A.toUpperCase())).toEqual(names(SUB_A));
    expect(names(SUB_B)).not.toEqual(names(SUB_A));
    expect(names(SUB_B)[0]).not.toBe(names(SUB_A)[0]);
    expect(names(SUB_B)[1]).not.toBe(names(SUB_A)[1]);
    const placeholder = planBootstrap(input({ location: "westeurope" }));
    expect(placeholder.subscriptionId).toBe(PLACEHOLDER_SUBSCRIPTION);
    expect(placeholder.subscriptionIsPlaceholder).toBe(true);
    expect(plan.subscriptionIsPlaceholder).toBe(false);
  });

  it("keeps every name within Azure's rules, even for the longest prefix", () => {
    const long = planBootstrap(
      input({
        location: "westeurope",
        namePrefix: "abcdefghij--xyz",
        subscription: SUB_A,
        resourceGroup: "rg-x",
      }),
    );
    expect(long.resourceGroup.name).toBe("rg-x");
    expect(long.storageAccount.name).toHaveLength(24);
    expect(checkAzureName("storageAccount", long.storageAccount.name, "n")).toEqual([]);
    // Key Vault: 3–24 letters, digits and hyphens, a letter first, no "--" (resource-name-rules).
    expect(long.keyVault.name).toBe("kv-abcdefghij-x-8a644080");
    expect(long.keyVault.name.length).toBeLessThanOrEqual(24);
    expect(keyVaultName("ab-cd", "seed")).toMatch(/^kv-ab-cd-[0-9a-f]{8}$/);
    expect(keyVaultName("a-b--c-d-e-f-g", "seed")).not.toContain("--");
  });

  it("creates the container and blob settings through ARM, never the data plane", () => {
    const lines = plan.commands.map(commandLine);
    expect(lines.filter((l) => /^az storage (container|blob) /.test(l))).toEqual([]);
    expect(lines.some((l) => l.startsWith("az storage container-rm create "))).toBe(true);
    expect(lines.some((l) => l.includes("--auth-mode key") || l.includes("--account-key"))).toBe(false);
  });
});

describe("shellWord", () => {
  it("quotes what bash would split or expand, and keeps variables expandable", () => {
    expect(shellWord("rg-azlab-state")).toBe("rg-azlab-state");
    expect(shellWord("$OPERATOR_OBJECT_ID")).toBe('"$OPERATOR_OBJECT_ID"');
    expect(shellWord("a b")).toBe("'a b'");
    expect(shellWord("it's $(x)")).toBe("'it'\\''s $(x)'");
  });
});

describe("a stack file that names the Key Vault secrets provider", () => {
  it("still loads: azlab reads only the config: section", () => {
    const dir = mkdtempSync(join(tmpdir(), "azlab-bootstrap-"));
    const file = join(dir, "Pulumi.dev.yaml");
    copyFileSync("stacks/Pulumi.dev.lock.json", join(dir, "Pulumi.dev.lock.json"));
    writeFileSync(
      file,
      `secretsprovider: azurekeyvault://kv-azlab-37796682.vault.azure.net/keys/pulumi-secrets\nencryptedkey: ZXhhbXBsZQ==\n${readFileSync("stacks/Pulumi.dev.yaml", "utf8")}`,
    );
    expect(loadStackFile(file, "dev").config.environment).toBe("dev");
  });
});
