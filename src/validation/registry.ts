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
  /**
   * Sets a Premium registry's zone redundancy explicitly. Defaults to Azure's choice, which is zone-redundant on
   * every tier in regions with availability zones; it is never sent for Basic and Standard, so only Premium may set it.
   */
  readonly zoneRedundancyEnabled?: boolean;
  /**
   * Allows `az acr import` from this registry and export pipelines. Defaults to false where Azure allows turning
   * exports off (Premium with public network access off) and true elsewhere. false needs both.
   */
  readonly exportsEnabled?: boolean;
  /** Serves data from a dedicated regional endpoint (for tight firewall rules). Premium only. Defaults to false. */
  readonly dataEndpointEnabled?: boolean;
}

export interface NormalizedRegistry {
  readonly registryName: string;
  readonly sku: RegistrySku;
  readonly publicNetworkAccessEnabled: boolean;
  readonly retentionDays?: number;
  readonly quarantineEnabled: boolean;
  /** Undefined leaves zone redundancy to Azure. */
  readonly zoneRedundancyEnabled?: boolean;
  readonly dataEndpointEnabled: boolean;
  /** Only meaningful on Premium, where it becomes `policies.exportPolicy`. */
  readonly exportsEnabled: boolean;
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
  // Zone redundancy is on by default for every tier in regions with zones, so Basic and Standard need nothing
  // and the property is left to Premium ("Enable zone redundancy in Azure Container Registry", zone-redundancy.md).
  if (options.zoneRedundancyEnabled !== undefined && !premium) {
    problems.push({
      path: "zoneRedundancyEnabled",
      message: `can only be set on the Premium SKU, but sku is ${sku}; Azure already makes ${sku} registries zone-redundant in regions with availability zones`,
      value: options.zoneRedundancyEnabled,
      allowed: 'sku "Premium", or leave zoneRedundancyEnabled unset',
    });
  }
  // Turning exports off needs Premium (the policy is a Premium registry property) and public network access off
  // ("Disable export of artifacts from an Azure container registry", data-loss-prevention.md; Azure Policy
  // "Container registries should have exports disabled").
  const publicNetworkAccessEnabled = options.publicNetworkAccessEnabled ?? true;
  const exportsCanBeOff = premium && !publicNetworkAccessEnabled;
  if (options.exportsEnabled === false && !exportsCanBeOff) {
    problems.push({
      path: "exportsEnabled",
      message: premium
        ? "can only be false when publicNetworkAccessEnabled is false: Azure refuses to disable exports on a public registry"
        : `needs the Premium SKU (export policy), but sku is ${sku}`,
      value: false,
      allowed: 'sku "Premium" with publicNetworkAccessEnabled: false, or leave exportsEnabled unset',
    });
  }
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
      publicNetworkAccessEnabled,
      ...(options.retentionDays !== undefined ? { retentionDays: options.retentionDays } : {}),
      quarantineEnabled: options.quarantineEnabled ?? false,
      ...(options.zoneRedundancyEnabled !== undefined
        ? { zoneRedundancyEnabled: options.zoneRedundancyEnabled }
        : {}),
      dataEndpointEnabled: options.dataEndpointEnabled ?? false,
      exportsEnabled: options.exportsEnabled ?? !exportsCanBeOff,
    },
    problems: [],
  };
}
