/**
 * Defaults and validation for the Registry (ACR) component: plain data in, every problem collected.
 */
import type { Problem } from "../errors.ts";
import { checkAzureName, globalAzureName } from "../naming/azureNames.ts";
import { resolveNameParts, type AzureNaming } from "./names.ts";

export const REGISTRY_SKUS = ["Basic", "Standard", "Premium"] as const;
export type RegistrySku = (typeof REGISTRY_SKUS)[number];

/** The plain (non-Output) settings of a Registry. */
export interface RegistryOptions extends AzureNaming {
  /**
   * Explicit registry name, 5 to 50 lowercase letters and digits, globally unique. Defaults to `cr`, the
   * `nameParts` squeezed to letters and digits, and a hash of `nameSeed`.
   */
  readonly registryName?: string;
  /**
   * Seed of the hash that makes the derived name globally unique. Defaults to
   * "<project>/<stack>/<component name>". Unused when `registryName` is set.
   */
  readonly nameSeed?: string;
  /** Registry SKU. Defaults to "Basic" (the cheap choice for labs). */
  readonly sku?: RegistrySku;
  /**
   * Allows access from public networks. Defaults to true. Turning it off needs the Premium SKU (private
   * endpoints).
   */
  readonly publicNetworkAccessEnabled?: boolean;
  /** Days untagged manifests are kept before purge, 0 to 365. Premium only. Defaults to no retention policy. */
  readonly retentionDays?: number;
  /** Quarantines pushed images until a scanner releases them. Premium only. Defaults to false. */
  readonly quarantineEnabled?: boolean;
  /** Spreads the registry over availability zones. Premium only. Defaults to false. */
  readonly zoneRedundancyEnabled?: boolean;
  /** Serves data from a dedicated regional endpoint (for tight firewall rules). Premium only. Defaults to false. */
  readonly dataEndpointEnabled?: boolean;
}

export interface NormalizedRegistry {
  readonly registryName: string;
  readonly sku: RegistrySku;
  readonly publicNetworkAccessEnabled: boolean;
  readonly retentionDays?: number;
  readonly quarantineEnabled: boolean;
  readonly zoneRedundancyEnabled: boolean;
  readonly dataEndpointEnabled: boolean;
}

const PULLER_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/**
 * Applies defaults and validates. `pullerKeys` are the consumer names of the AcrPull assignments, which
 * become part of Pulumi names. Returns the settings, or every problem found.
 */
export function normalizeRegistry(
  options: RegistryOptions,
  componentName: string,
  defaultSeed: string,
  pullerKeys: readonly string[] = [],
): { value: NormalizedRegistry; problems: [] } | { value?: undefined; problems: Problem[] } {
  const { parts, problems } = resolveNameParts(options, componentName);
  const registryName =
    options.registryName ?? globalAzureName("containerRegistry", parts, options.nameSeed ?? defaultSeed);
  if (options.registryName !== undefined) {
    problems.push(...checkAzureName("containerRegistry", options.registryName, "registryName"));
  }

  const sku = options.sku ?? "Basic";
  if (!REGISTRY_SKUS.includes(sku)) {
    problems.push({
      path: "sku",
      message: "is not a registry SKU",
      value: sku,
      allowed: REGISTRY_SKUS.join(", "),
    });
  }
  const premium = sku === "Premium";
  const premiumOnly = (key: string, value: unknown, what: string): void => {
    problems.push({
      path: key,
      message: `needs the Premium SKU (${what}), but sku is ${sku}`,
      value,
      allowed: `sku "Premium", or leave ${key} unset`,
    });
  };
  if (options.retentionDays !== undefined) {
    if (!premium) premiumOnly("retentionDays", options.retentionDays, "retention policy");
    else if (
      !Number.isInteger(options.retentionDays) ||
      options.retentionDays < 0 ||
      options.retentionDays > 365
    ) {
      problems.push({
        path: "retentionDays",
        message: "is out of range",
        value: options.retentionDays,
        allowed: "an integer from 0 to 365",
      });
    }
  }
  if (options.quarantineEnabled === true && !premium)
    premiumOnly("quarantineEnabled", true, "quarantine policy");
  if (options.zoneRedundancyEnabled === true && !premium)
    premiumOnly("zoneRedundancyEnabled", true, "zone redundancy");
  if (options.dataEndpointEnabled === true && !premium)
    premiumOnly("dataEndpointEnabled", true, "dedicated data endpoints");
  if (options.publicNetworkAccessEnabled === false && !premium) {
    premiumOnly(
      "publicNetworkAccessEnabled",
      false,
      "private endpoints; without them a closed registry is unreachable",
    );
  }

  for (const key of pullerKeys) {
    if (!PULLER_KEY.test(key)) {
      problems.push({
        path: `pullers.${key}`,
        message: "is not a valid consumer name",
        value: key,
        allowed: 'letters, digits, ".", "_" and "-", starting with a letter or digit, at most 63 characters',
      });
    }
  }

  if (problems.length > 0) return { problems };
  return {
    value: {
      registryName,
      sku,
      publicNetworkAccessEnabled: options.publicNetworkAccessEnabled ?? true,
      ...(options.retentionDays !== undefined ? { retentionDays: options.retentionDays } : {}),
      quarantineEnabled: options.quarantineEnabled ?? false,
      zoneRedundancyEnabled: options.zoneRedundancyEnabled ?? false,
      dataEndpointEnabled: options.dataEndpointEnabled ?? false,
    },
    problems: [],
  };
}
