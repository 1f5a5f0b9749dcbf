/**
 * The one-time bootstrap of a self-managed Pulumi backend on Azure: a Blob container for state and a
 * Key Vault key for the secrets provider, with azlab's secure defaults. Pure: from plain options it
 * decides names and settings and spells the `az` commands that would create them; azlab itself never
 * calls Azure. docs/state-backend.md walks through the result.
 */
import { formatProblem, type Problem } from "../errors.ts";
import { BuiltInRole } from "../azure/catalog.ts";
import { azureName, checkAzureName, globalAzureName } from "../naming/azureNames.ts";
import { NAME_HASH_LENGTH, shortHash, subscriptionSalted } from "../naming/globalNames.ts";

/**
 * Subscription used when none is given: the offline engine's fixed id, so a plan without
 * `--subscription` is stable, and clearly marked as not the user's own names.
 */
export const PLACEHOLDER_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

/**
 * ZRS by default: three synchronous copies in three availability zones, so the state survives the loss
 * of a zone; LRS keeps its three copies in one datacenter ("Azure Storage redundancy",
 * learn.microsoft.com/azure/storage/common/storage-redundancy). State is a few megabytes, so the
 * difference in price is cents. Regions without availability zones offer no ZRS: pass Standard_LRS there.
 */
export const STATE_SKUS = ["Standard_ZRS", "Standard_LRS"] as const;
export type StateSku = (typeof STATE_SKUS)[number];

/** Who the deploying identity is, as `az role assignment create --assignee-principal-type` takes it. */
export const PRINCIPAL_TYPES = ["ServicePrincipal", "User", "Group"] as const;
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

export const BOOTSTRAP_DEFAULTS = {
  namePrefix: "azlab",
  sku: "Standard_ZRS",
  retentionDays: 30,
  container: "state",
  keyName: "pulumi-secrets",
  assigneeType: "ServicePrincipal",
} as const;

/**
 * Days a deleted vault is kept. 90 is the maximum (7 to 90, "Azure Key Vault soft-delete overview",
 * learn.microsoft.com/azure/key-vault/general/soft-delete-overview); with purge protection nobody,
 * not even an owner, can purge the key before then, so a leaked owner credential cannot destroy
 * every stack's secrets.
 */
export const VAULT_RETENTION_DAYS = 90;
/** RSA 3072: the secrets provider encrypts each stack's data key with it (encrypt/decrypt, wrap/unwrap). */
export const KEY_SIZE = 3072;
export const KEY_OPERATIONS = ["encrypt", "decrypt", "wrapKey", "unwrapKey"] as const;

/** Options as the command line gives them: strings, or undefined when not given. */
export interface BootstrapOptions {
  readonly location?: string | undefined;
  readonly namePrefix?: string | undefined;
  readonly resourceGroup?: string | undefined;
  readonly subscription?: string | undefined;
  readonly assignee?: string | undefined;
  readonly assigneeType?: string | undefined;
  readonly sku?: string | undefined;
  readonly retentionDays?: string | undefined;
}

/** Checked options. */
export interface BootstrapInput {
  readonly location: string;
  readonly namePrefix: string;
  readonly resourceGroup?: string | undefined;
  readonly subscriptionId?: string | undefined;
  /** Object id of the identity that runs `pulumi` (CI); undefined: whoever runs the bootstrap. */
  readonly assignee?: { readonly objectId: string; readonly type: PrincipalType } | undefined;
  readonly sku: StateSku;
  readonly retentionDays: number;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// The same rules as azlab:location and azlab:namePrefix in src/config/schema.ts.
const LOCATION = /^[a-z][a-z0-9]{2,30}$/;
const NAME_PREFIX = /^[a-z][a-z0-9-]{1,14}$/;
const MAX_RETENTION_DAYS = 365;

/**
 * Every problem with the options at once, each at the flag the user wrote, or the checked input.
 * Blob and container soft delete keep 1 to 365 days ("Soft delete for blobs",
 * learn.microsoft.com/azure/storage/blobs/soft-delete-blob-overview).
 */
export function checkBootstrapOptions(
  options: BootstrapOptions,
): { input: BootstrapInput; problems: [] } | { input?: undefined; problems: Problem[] } {
  const problems: Problem[] = [];
  const { location, subscription, assignee, resourceGroup } = options;
  const namePrefix = options.namePrefix ?? BOOTSTRAP_DEFAULTS.namePrefix;
  const sku = options.sku ?? BOOTSTRAP_DEFAULTS.sku;
  const assigneeType = options.assigneeType ?? BOOTSTRAP_DEFAULTS.assigneeType;
  const retention = options.retentionDays ?? String(BOOTSTRAP_DEFAULTS.retentionDays);

  if (location === undefined) {
    problems.push({
      path: "--location",
      message: "is required: the region of the state account and the key vault",
      allowed: "an Azure region name such as westeurope",
    });
  } else if (!LOCATION.test(location)) {
    problems.push({
      path: "--location",
      message: "is not an Azure region name",
      value: location,
      allowed: "an Azure region name such as westeurope (az account list-locations --query [].name)",
    });
  }
  if (!NAME_PREFIX.test(namePrefix)) {
    problems.push({
      path: "--name-prefix",
      message: "is not a name prefix",
      value: namePrefix,
      allowed: "2–15 lowercase letters, digits and hyphens, starting with a letter",
    });
  }
  if (resourceGroup !== undefined)
    problems.push(...checkAzureName("resourceGroup", resourceGroup, "--resource-group"));
  if (subscription !== undefined && !GUID.test(subscription)) {
    problems.push({
      path: "--subscription",
      message: "is not a subscription id",
      value: subscription,
      allowed: "a GUID, as `az account show --query id --output tsv` prints it",
    });
  }
  if (assignee !== undefined && !GUID.test(assignee)) {
    problems.push({
      path: "--assignee",
      message: "is not an object id",
      value: assignee,
      allowed:
        "the GUID of the deploying identity's service principal, user or group (for an app: az ad sp show --id CLIENT_ID --query id --output tsv)",
    });
  }
  if (!(PRINCIPAL_TYPES as readonly string[]).includes(assigneeType)) {
    problems.push({
      path: "--assignee-type",
      message: "is not a principal type",
      value: assigneeType,
      allowed: PRINCIPAL_TYPES.join(", "),
    });
  } else if (options.assigneeType !== undefined && assignee === undefined) {
    problems.push({
      path: "--assignee-type",
      message: "needs --assignee: without it the roles go to the signed-in user",
      value: assigneeType,
    });
  }
  if (!(STATE_SKUS as readonly string[]).includes(sku)) {
    problems.push({
      path: "--sku",
      message: "is not a redundancy azlab offers for state",
      value: sku,
      allowed: `${STATE_SKUS.join(", ")} (Standard_LRS only where the region has no availability zones)`,
    });
  }
  const days = /^\d{1,3}$/.test(retention) ? Number(retention) : NaN;
  if (!(days >= 1 && days <= MAX_RETENTION_DAYS)) {
    problems.push({
      path: "--retention-days",
      message: "is not a number of days",
      value: retention,
      allowed: `a whole number from 1 to ${MAX_RETENTION_DAYS}`,
    });
  }
  if (problems.length > 0) return { problems };
  return {
    problems: [],
    input: {
      location: location!,
      namePrefix,
      resourceGroup,
      subscriptionId: subscription?.toLowerCase(),
      assignee:
        assignee === undefined
          ? undefined
          : { objectId: assignee.toLowerCase(), type: assigneeType as PrincipalType },
      sku: sku as StateSku,
      retentionDays: days,
    },
  };
}

/** Formats the options' problems the way every azlab command does: one line each. */
export function bootstrapProblemLines(problems: readonly Problem[]): string[] {
  return problems.map((problem) => formatProblem(problem));
}

/**
 * Key Vault names are global (`<name>.vault.azure.net`): 3–24 letters, digits and hyphens, starting
 * with a letter, ending with a letter or digit, no two hyphens in a row ("Naming rules and
 * restrictions for Azure resources", Microsoft.KeyVault/vaults). Like storage accounts they end in a
 * hash salted with the subscription, so two adopters never collide.
 */
export function keyVaultName(namePrefix: string, seed: string): string {
  const room = 24 - "kv-".length - 1 - NAME_HASH_LENGTH;
  const prefix = namePrefix.replace(/-+/g, "-").slice(0, room).replace(/-+$/, "");
  return `kv-${prefix}-${shortHash(seed)}`;
}

/** One role the plan grants, and why it is the least that works. */
export interface PlannedRoleAssignment {
  /** "operator": whoever runs the bootstrap; "deployer": the identity that runs `pulumi`. */
  readonly for: "operator" | "deployer";
  readonly role: string;
  readonly roleDefinitionId: string;
  /** An object id, or a shell variable set by the commands (`$OPERATOR_OBJECT_ID`). */
  readonly principalId: string;
  readonly principalType: PrincipalType;
  readonly scope: string;
  readonly why: string;
}

export interface BootstrapPlan {
  readonly subscriptionId: string;
  /** True when no --subscription was given: the global names below are not the user's. */
  readonly subscriptionIsPlaceholder: boolean;
  readonly location: string;
  readonly resourceGroup: {
    readonly name: string;
    readonly id: string;
    readonly tags: Record<string, string>;
  };
  readonly storageAccount: {
    readonly name: string;
    readonly id: string;
    readonly kind: "StorageV2";
    readonly sku: StateSku;
    readonly minimumTlsVersion: "TLS1_2";
    readonly allowBlobPublicAccess: false;
    readonly allowSharedKeyAccess: false;
    readonly supportsHttpsTrafficOnly: true;
    readonly allowCrossTenantReplication: false;
  };
  readonly blobService: {
    readonly versioning: true;
    readonly blobSoftDeleteDays: number;
    readonly containerSoftDeleteDays: number;
  };
  readonly container: { readonly name: string; readonly id: string; readonly publicAccess: "None" };
  readonly keyVault: {
    readonly name: string;
    readonly id: string;
    readonly uri: string;
    readonly sku: "standard";
    readonly enableRbacAuthorization: true;
    readonly softDeleteRetentionDays: number;
    readonly enablePurgeProtection: true;
  };
  readonly key: {
    readonly name: string;
    readonly id: string;
    readonly type: "RSA";
    readonly size: number;
    readonly operations: readonly string[];
  };
  readonly roleAssignments: readonly PlannedRoleAssignment[];
  /** What `pulumi login` takes. */
  readonly backendUrl: string;
  /** What `pulumi stack init --secrets-provider` takes. */
  readonly secretsProvider: string;
  readonly commands: readonly BootstrapCommand[];
}

/** One shell command: a comment that says why, and its words (a word `$NAME` is a shell variable). */
export interface BootstrapCommand {
  readonly why: string;
  readonly argv: readonly string[];
  /** `NAME=$(…)`: the command's output is kept in this shell variable. */
  readonly assign?: string;
}

const OPERATOR = "$OPERATOR_OBJECT_ID";

/** The plan: names, settings, role assignments and the `az` commands, all from `input`. */
export function planBootstrap(input: BootstrapInput): BootstrapPlan {
  const subscriptionId = input.subscriptionId ?? PLACEHOLDER_SUBSCRIPTION;
  const seed = subscriptionSalted(subscriptionId, `${input.namePrefix}/state`);
  const rgName = input.resourceGroup ?? azureName("resourceGroup", [input.namePrefix, "state"]);
  const rgId = `/subscriptions/${subscriptionId}/resourceGroups/${rgName}`;
  const accountName = globalAzureName("storageAccount", [input.namePrefix, "state"], seed);
  const accountId = `${rgId}/providers/Microsoft.Storage/storageAccounts/${accountName}`;
  const containerName = BOOTSTRAP_DEFAULTS.container;
  const containerId = `${accountId}/blobServices/default/containers/${containerName}`;
  const vaultName = keyVaultName(input.namePrefix, seed);
  const vaultId = `${rgId}/providers/Microsoft.KeyVault/vaults/${vaultName}`;
  const keyName = BOOTSTRAP_DEFAULTS.keyName;
  const keyId = `${vaultId}/keys/${keyName}`;
  const deployer = input.assignee ?? { objectId: OPERATOR, type: "User" as const };

  // Least privilege, from "Azure built-in roles" (learn.microsoft.com/azure/role-based-access-control/built-in-roles)
  // and "Provide access to Key Vault keys, certificates, and secrets with Azure RBAC"
  // (learn.microsoft.com/azure/key-vault/general/rbac-guide), which allows a key as the scope.
  const roleAssignments: PlannedRoleAssignment[] = [
    {
      for: "operator",
      role: "Key Vault Crypto Officer",
      roleDefinitionId: BuiltInRole.KeyVaultCryptoOfficer,
      principalId: OPERATOR,
      principalType: "User",
      scope: vaultId,
      why: "create the key (a vault with RBAC authorization gives even its creator no data-plane access)",
    },
    {
      for: "deployer",
      role: "Storage Blob Data Contributor",
      roleDefinitionId: BuiltInRole.StorageBlobDataContributor,
      principalId: deployer.objectId,
      principalType: deployer.type,
      scope: containerId,
      why: "read, write and delete the state and lock blobs, in the state container only and with Entra ID (shared keys are off)",
    },
    {
      for: "deployer",
      role: "Key Vault Crypto User",
      roleDefinitionId: BuiltInRole.KeyVaultCryptoUser,
      principalId: deployer.objectId,
      principalType: deployer.type,
      scope: keyId,
      why: "encrypt and decrypt each stack's data key with this one key, without managing keys",
    },
  ];
  const plan = {
    subscriptionId,
    subscriptionIsPlaceholder: input.subscriptionId === undefined,
    location: input.location,
    resourceGroup: { name: rgName, id: rgId, tags: { "managed-by": "azlab", purpose: "pulumi-state" } },
    storageAccount: {
      name: accountName,
      id: accountId,
      kind: "StorageV2",
      sku: input.sku,
      minimumTlsVersion: "TLS1_2",
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      supportsHttpsTrafficOnly: true,
      allowCrossTenantReplication: false,
    },
    blobService: {
      versioning: true,
      blobSoftDeleteDays: input.retentionDays,
      containerSoftDeleteDays: input.retentionDays,
    },
    container: { name: containerName, id: containerId, publicAccess: "None" },
    keyVault: {
      name: vaultName,
      id: vaultId,
      uri: `https://${vaultName}.vault.azure.net/`,
      sku: "standard",
      enableRbacAuthorization: true,
      softDeleteRetentionDays: VAULT_RETENTION_DAYS,
      enablePurgeProtection: true,
    },
    key: { name: keyName, id: keyId, type: "RSA", size: KEY_SIZE, operations: KEY_OPERATIONS },
    roleAssignments,
    // `storage_account` makes the backend authenticate with Entra ID (DefaultAzureCredential) instead of
    // AZURE_STORAGE_KEY (pulumi/pulumi PR #10900; pulumi/docs PR #18272).
    backendUrl: `azblob://${containerName}?storage_account=${accountName}`,
    secretsProvider: `azurekeyvault://${vaultName}.vault.azure.net/keys/${keyName}`,
  } as const;
  return { ...plan, commands: bootstrapCommands(plan) };
}

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
function bootstrapCommands(plan: Omit<BootstrapPlan, "commands">): BootstrapCommand[] {
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
