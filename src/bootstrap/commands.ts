/**
 * The `az` commands of a bootstrap plan, in an order that works, and how each is spelled in bash.
 */
import type { BootstrapCommand, BootstrapPlan, PlannedRoleAssignment } from "./plan.ts";

function roleCommand(assignment: PlannedRoleAssignment): BootstrapCommand {
  return {
    why: `${assignment.role} for the ${assignment.for}, to ${assignment.why}`,
    argv: [
      "az",
      "role",
      "assignment",
      "create",
      "--assignee-object-id",
      assignment.principalId,
      "--assignee-principal-type",
      assignment.principalType,
      "--role",
      assignment.roleDefinitionId,
      "--scope",
      assignment.scope,
    ],
  };
}

/**
 * The `az` commands, in an order that works: the container and blob settings go through ARM
 * (`container-rm`, `blob-service-properties`), never the data plane, because shared keys are off
 * (field notes: data-plane container creation with shared keys off fails with 403).
 */
export function bootstrapCommands(plan: Omit<BootstrapPlan, "commands">): BootstrapCommand[] {
  const rg = plan.resourceGroup.name;
  const account = plan.storageAccount;
  const [officer, blob, crypto] = plan.roleAssignments as [
    PlannedRoleAssignment,
    PlannedRoleAssignment,
    PlannedRoleAssignment,
  ];
  return [
    {
      why: "Work in the subscription the names were computed for",
      argv: ["az", "account", "set", "--subscription", plan.subscriptionId],
    },
    {
      why: "Whoever runs these commands; it creates the key",
      assign: "OPERATOR_OBJECT_ID",
      argv: ["az", "ad", "signed-in-user", "show", "--query", "id", "--output", "tsv"],
    },
    {
      why: "The resource group that holds only the backend",
      argv: [
        "az",
        "group",
        "create",
        "--name",
        rg,
        "--location",
        plan.location,
        "--tags",
        ...Object.entries(plan.resourceGroup.tags).map(([k, v]) => `${k}=${v}`),
      ],
    },
    {
      why: "StorageV2, TLS 1.2, no anonymous blob access, no shared keys (Entra ID only), HTTPS only",
      argv: [
        "az",
        "storage",
        "account",
        "create",
        "--name",
        account.name,
        "--resource-group",
        rg,
        "--location",
        plan.location,
        "--kind",
        account.kind,
        "--sku",
        account.sku,
        "--min-tls-version",
        account.minimumTlsVersion,
        "--allow-blob-public-access",
        "false",
        "--allow-shared-key-access",
        "false",
        "--https-only",
        "true",
        "--allow-cross-tenant-replication",
        "false",
      ],
    },
    {
      why: "Blob versioning and soft delete for blobs and containers: an overwritten or deleted state file can be restored",
      argv: [
        "az",
        "storage",
        "account",
        "blob-service-properties",
        "update",
        "--account-name",
        account.name,
        "--resource-group",
        rg,
        "--enable-versioning",
        "true",
        "--enable-delete-retention",
        "true",
        "--delete-retention-days",
        String(plan.blobService.blobSoftDeleteDays),
        "--enable-container-delete-retention",
        "true",
        "--container-delete-retention-days",
        String(plan.blobService.containerSoftDeleteDays),
      ],
    },
    {
      why: "The private state container, created through ARM",
      argv: [
        "az",
        "storage",
        "container-rm",
        "create",
        "--storage-account",
        account.name,
        "--resource-group",
        rg,
        "--name",
        plan.container.name,
        "--public-access",
        "off",
      ],
    },
    {
      why: "Key Vault with RBAC authorization, soft delete (always on) and purge protection",
      argv: [
        "az",
        "keyvault",
        "create",
        "--name",
        plan.keyVault.name,
        "--resource-group",
        rg,
        "--location",
        plan.location,
        "--sku",
        plan.keyVault.sku,
        "--enable-rbac-authorization",
        "true",
        "--enable-purge-protection",
        "true",
        "--retention-days",
        String(plan.keyVault.softDeleteRetentionDays),
      ],
    },
    roleCommand(officer),
    {
      why: "The secrets provider's key. A new role assignment can take minutes to apply: on 403 Forbidden, wait and run this again",
      argv: [
        "az",
        "keyvault",
        "key",
        "create",
        "--vault-name",
        plan.keyVault.name,
        "--name",
        plan.key.name,
        "--kty",
        plan.key.type,
        "--size",
        String(plan.key.size),
        "--ops",
        ...plan.key.operations,
      ],
    },
    roleCommand(blob),
    roleCommand(crypto),
  ];
}

/** A word as bash reads it: plain when safe, `"$NAME"` for a variable, single-quoted otherwise. */
export function shellWord(word: string): string {
  if (/^\$[A-Z_]+$/.test(word)) return `"${word}"`;
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** One command as a line of bash. */
export function commandLine(command: BootstrapCommand): string {
  const line = command.argv.map(shellWord).join(" ");
  return command.assign ? `${command.assign}="$(${line})"` : line;
}
