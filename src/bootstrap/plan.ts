/**
 * The one-time bootstrap of a self-managed Pulumi backend on Azure: a Blob container for state and a
 * Key Vault key for the secrets provider, with azlab's secure defaults. Pure: from plain options it
 * decides names and settings and spells the `az` commands that would create them; azlab itself never
 * calls Azure. docs/state-backend.md walks through the result.
 */
import { BuiltInRole } from "../azure/catalog.ts";
import { azureName, globalAzureName } from "../naming/azureNames.ts";
import { NAME_HASH_LENGTH, shortHash, subscriptionSalted } from "../naming/globalNames.ts";
import { bootstrapCommands } from "./commands.ts";
import {
  BOOTSTRAP_DEFAULTS,
  KEY_OPERATIONS,
  KEY_SIZE,
  PLACEHOLDER_SUBSCRIPTION,
  VAULT_RETENTION_DAYS,
  type BootstrapInput,
  type PrincipalType,
  type StateSku,
} from "./options.ts";

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
