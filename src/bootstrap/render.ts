/**
 * The bootstrap plan as text: Markdown for people, JSON for tools, and a bash script of the `az`
 * commands. Pure.
 */
import { commandLine } from "./commands.ts";
import type { BootstrapPlan } from "./plan.ts";

const yesNo = (value: boolean) => (value ? "yes" : "no");

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const cell = (text: string) => text.replaceAll("|", "\\|");
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ];
}

function placeholderWarning(plan: BootstrapPlan): string[] {
  if (!plan.subscriptionIsPlaceholder) return [];
  return [
    `> **Placeholder subscription.** No \`--subscription\` was given, so the global names below are`,
    `> salted with ${plan.subscriptionId}, not your subscription: they are not the names you will get.`,
    `> Run again with \`--subscription "$(az account show --query id --output tsv)"\`.`,
    "",
  ];
}

/** What the bootstrap would create, its settings, the roles and the commands. */
export function renderBootstrapMarkdown(plan: BootstrapPlan): string {
  const a = plan.storageAccount;
  const v = plan.keyVault;
  const lines = [
    "# azlab bootstrap (dry run)",
    "",
    "azlab never calls Azure: it prints what the self-managed Pulumi backend needs and the `az`",
    "commands that create it. Run them yourself (see docs/state-backend.md).",
    "",
    ...placeholderWarning(plan),
    "## Resources",
    "",
    ...table(
      ["Resource", "Name", "Settings"],
      [
        ["Resource group", plan.resourceGroup.name, `location ${plan.location}`],
        [
          "Storage account",
          a.name,
          `${a.kind}, ${a.sku}, minimum TLS ${a.minimumTlsVersion}, anonymous blob access ${yesNo(a.allowBlobPublicAccess)}, shared keys ${yesNo(a.allowSharedKeyAccess)}, HTTPS only ${yesNo(a.supportsHttpsTrafficOnly)}, cross-tenant replication ${yesNo(a.allowCrossTenantReplication)}`,
        ],
        [
          "Blob service",
          "default",
          `versioning ${yesNo(plan.blobService.versioning)}, blob soft delete ${plan.blobService.blobSoftDeleteDays} days, container soft delete ${plan.blobService.containerSoftDeleteDays} days`,
        ],
        ["Blob container", plan.container.name, `public access ${plan.container.publicAccess}`],
        [
          "Key Vault",
          v.name,
          `${v.sku}, RBAC authorization ${yesNo(v.enableRbacAuthorization)}, soft delete ${v.softDeleteRetentionDays} days, purge protection ${yesNo(v.enablePurgeProtection)}`,
        ],
        [
          "Key",
          plan.key.name,
          `${plan.key.type} ${plan.key.size}, operations ${plan.key.operations.join(", ")}`,
        ],
      ],
    ),
    "",
    "## Role assignments",
    "",
    ...table(
      ["For", "Role", "Principal", "Scope", "Why"],
      plan.roleAssignments.map((r) => [
        r.for,
        r.role,
        `${r.principalId} (${r.principalType})`,
        `\`${r.scope}\``,
        r.why,
      ]),
    ),
    "",
    "## Use it",
    "",
    "```bash",
    `pulumi login '${plan.backendUrl}'`,
    `pulumi stack init STACK --secrets-provider '${plan.secretsProvider}'`,
    "```",
    "",
    "## Commands",
    "",
    "```bash",
    ...renderBootstrapCommands(plan),
    "```",
    "",
  ];
  return lines.join("\n");
}

function renderBootstrapCommands(plan: BootstrapPlan): string[] {
  return plan.commands.flatMap((command) => [`# ${command.why}`, commandLine(command)]);
}

/** The plan as JSON, with each command as one line of bash. */
export function renderBootstrapJson(plan: BootstrapPlan): string {
  const { commands, ...rest } = plan;
  return `${JSON.stringify({ ...rest, commands: commands.map(commandLine) }, null, 2)}\n`;
}

/** A bash script of the commands, stopping at the first failure. */
export function renderBootstrapScript(plan: BootstrapPlan): string {
  return [
    "#!/usr/bin/env bash",
    "# Written by `azlab bootstrap --dry-run --format sh`: the self-managed Pulumi backend (docs/state-backend.md).",
    "set -euo pipefail",
    "",
    ...renderBootstrapCommands(plan),
    "",
    `echo 'Backend:          ${plan.backendUrl}'`,
    `echo 'Secrets provider: ${plan.secretsProvider}'`,
    "",
  ].join("\n");
}
