/**
 * Names for Azure resources whose names are global (storage accounts, container registries) and
 * deterministic GUIDs for role assignments. Pure: no Pulumi imports, so the rules are unit-tested directly.
 */
import { createHash } from "node:crypto";
import type { Problem } from "../errors.ts";

/** Length of the hash suffix that makes a derived name globally unique: 32 bits of SHA-256. */
export const NAME_HASH_LENGTH = 8;

const STORAGE_NAME = /^[a-z0-9]{3,24}$/;
const REGISTRY_NAME = /^[a-zA-Z0-9]{5,50}$/;

/** A short, stable lowercase hex hash of `seed`. */
export function shortHash(seed: string, length = NAME_HASH_LENGTH): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/**
 * A GUID derived from `seed` (SHA-256, formatted as an RFC 4122 version 5 style GUID).
 * Role assignment names must be GUIDs; deriving them from what the assignment grants keeps
 * re-runs idempotent instead of creating duplicate assignments with random names.
 */
export function stableGuid(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex").slice(0, 32).split("");
  hex[12] = "5";
  hex[16] = ((parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/**
 * The seed of a global name, salted with the deploying subscription. Storage account and registry names
 * are unique across all of Azure ("Naming rules and restrictions for Azure resources": storage accounts
 * and registries are global), so a seed of stack and environment alone gives every adopter of a shipped
 * stack the same name and the second one fails with StorageAccountAlreadyTaken / AlreadyInUse. Subscription
 * ids are GUIDs, compared without case.
 */
export function subscriptionSalted(subscriptionId: string, seed: string): string {
  return `${subscriptionId.toLowerCase()}/${seed}`;
}

/**
 * Scope of public IP DNS labels. With a scope Azure appends a hash to the label in the FQDN, so two
 * adopters who both write `azlab-dev-web` in the same region no longer collide (DnsRecordInUse).
 * ResourceGroupReuse: the hash comes from tenant, subscription, resource group and label, so the FQDN
 * survives replacing the IP inside the stack's own resource group, and two stacks never share it even in
 * one tenant (TenantReuse would give two teachers of one school the same FQDN for the same label).
 * Source: `dnsSettings.domainNameLabelScope` in the Microsoft.Network publicIpAddress spec (API 2024-05-01, the
 * version @pulumi/azure-native uses), whose doc says a scoped label gets a hashed value in the FQDN.
 */
export const DNS_LABEL_SCOPE = "ResourceGroupReuse";

/** Result of deriving a name: the name, or the problem that prevents one. */
export type DerivedName =
  | { readonly name: string; readonly problem?: undefined }
  | { readonly name?: undefined; readonly problem: Problem };

function deriveGlobalName(
  prefix: string,
  seed: string,
  maxLength: number,
  path: string,
  kind: string,
): DerivedName {
  const cleaned = prefix.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (cleaned.length === 0) {
    return {
      problem: {
        path,
        message: `leaves no letters or digits to build a ${kind} name from`,
        value: prefix,
        allowed: "a prefix with at least one letter or digit",
      },
    };
  }
  return { name: `${cleaned.slice(0, maxLength - NAME_HASH_LENGTH)}${shortHash(seed)}` };
}

/**
 * A storage account name: the prefix lowercased and stripped to letters and digits, cut so that an
 * 8-character hash of `seed` fits within 24 characters. The hash makes the name globally unique
 * per seed (for example project/stack/component), and stable across runs.
 */
export function deriveStorageAccountName(prefix: string, seed: string, path = "namePrefix"): DerivedName {
  return deriveGlobalName(prefix, seed, 24, path, "storage account");
}

/** A container registry name: like deriveStorageAccountName, within 50 characters. */
export function deriveRegistryName(prefix: string, seed: string, path = "namePrefix"): DerivedName {
  return deriveGlobalName(prefix, seed, 50, path, "container registry");
}

/** Problems with an explicit storage account name. */
export function checkStorageAccountName(name: string, path: string): Problem[] {
  return STORAGE_NAME.test(name)
    ? []
    : [
        {
          path,
          message: "is not a valid storage account name",
          value: name,
          allowed: "3 to 24 lowercase letters and digits",
        },
      ];
}

/** Problems with an explicit container registry name. */
export function checkRegistryName(name: string, path: string): Problem[] {
  return REGISTRY_NAME.test(name)
    ? []
    : [
        {
          path,
          message: "is not a valid container registry name",
          value: name,
          allowed: "5 to 50 letters and digits",
        },
      ];
}

/** How one kind of globally named resource gets its name: its explicit-name arg, default prefix and rules. */
export interface GlobalNameKind {
  /** The arg holding an explicit name, for example `accountName`; it conflicts with `namePrefix`. */
  readonly nameKey: string;
  /** Prefix of derived names when the caller gives none. */
  readonly defaultPrefix: string;
  readonly check: (name: string, path: string) => Problem[];
  readonly derive: (prefix: string, seed: string, path: string) => DerivedName;
}

/**
 * The explicit name when one is given (checked, and refused alongside `namePrefix`), otherwise a name derived
 * from `namePrefix` and `nameSeed`. `at` turns an arg key into its error path. On problems `name` may be "".
 */
export function resolveGlobalName(
  kind: GlobalNameKind,
  args: {
    readonly explicitName?: string | undefined;
    readonly namePrefix?: string | undefined;
    readonly nameSeed?: string | undefined;
  },
  defaultSeed: string,
  at: (key: string) => string,
): { name: string; problems: Problem[] } {
  if (args.explicitName !== undefined) {
    const problems = kind.check(args.explicitName, at(kind.nameKey));
    if (args.namePrefix !== undefined) {
      problems.push({
        path: at("namePrefix"),
        message: `conflicts with ${kind.nameKey}; set only one of them`,
      });
    }
    return { name: args.explicitName, problems };
  }
  const derived = kind.derive(
    args.namePrefix ?? kind.defaultPrefix,
    args.nameSeed ?? defaultSeed,
    at("namePrefix"),
  );
  return { name: derived.name ?? "", problems: derived.problem ? [derived.problem] : [] };
}

export const STORAGE_ACCOUNT_NAMES: GlobalNameKind = {
  nameKey: "accountName",
  defaultPrefix: "st",
  check: checkStorageAccountName,
  derive: deriveStorageAccountName,
};

export const REGISTRY_NAMES: GlobalNameKind = {
  nameKey: "registryName",
  defaultPrefix: "acr",
  check: checkRegistryName,
  derive: deriveRegistryName,
};
