/**
 * Options of the one-time backend bootstrap (`azlab bootstrap`): the defaults, the fixed settings and
 * the check of what the command line gave, with every problem at once. Pure.
 */
import { formatProblem, type Problem } from "../errors.ts";
import { checkAzureName } from "../naming/azureNames.ts";

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
