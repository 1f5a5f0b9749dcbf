/**
 * Names for Azure resources whose names are global (storage accounts, container registries) and
 * deterministic GUIDs for role assignments. Pure: no Pulumi imports, so the rules are unit-tested directly.
 */
import { createHash } from "node:crypto";
import { journaled } from "../model/journal.ts";

/** Length of the hash suffix that makes a derived name globally unique: 32 bits of SHA-256. */
export const NAME_HASH_LENGTH = 8;

/** A short, stable lowercase hex hash of `seed`. */
export function shortHash(seed: string, length = NAME_HASH_LENGTH): string {
  return journaled(
    `${SHORT_HASH}${length}`,
    seed,
    createHash("sha256").update(seed).digest("hex").slice(0, length),
  );
}

/** Journal kinds (src/model/journal.ts) of the two hashes here; a short hash's kind ends in its length. */
export const SHORT_HASH = "sha256-hex:";
export const STABLE_GUID = "stable-guid";

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
  return journaled(
    STABLE_GUID,
    seed,
    `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`,
  );
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
