/**
 * A normalized registry in Azure's Registry shape (everything but its name, group, region and tags).
 * The Registry component sends these, and `azlab validate` hands the same record to the guardrails
 * without running Pulumi. Pure.
 */
import type { NormalizedRegistry } from "./registry.ts";

export interface RegistryProps {
  readonly sku: { readonly name: NormalizedRegistry["sku"] };
  readonly adminUserEnabled: false;
  readonly anonymousPullEnabled: false;
  readonly publicNetworkAccess: "Enabled" | "Disabled";
  readonly zoneRedundancy?: "Enabled" | "Disabled";
  readonly dataEndpointEnabled: boolean;
  readonly networkRuleBypassOptions: "AzureServices";
  readonly policies?: {
    readonly quarantinePolicy: { readonly status: "enabled" | "disabled" };
    readonly exportPolicy: { readonly status: "enabled" | "disabled" };
    readonly retentionPolicy:
      { readonly status: "enabled"; readonly days: number } | { readonly status: "disabled" };
  };
}

/**
 * Whether `zoneRedundancy` is sent at all: only Premium may set it, and only when the user chose. The
 * component removes the SDK's filled-in default otherwise, so Azure's own default applies.
 */
export function sendsZoneRedundancy(r: NormalizedRegistry): boolean {
  return r.sku === "Premium" && r.zoneRedundancyEnabled !== undefined;
}

export function registryProps(r: NormalizedRegistry): RegistryProps {
  const premium = r.sku === "Premium";
  return {
    sku: { name: r.sku },
    adminUserEnabled: false,
    anonymousPullEnabled: false,
    publicNetworkAccess: r.publicNetworkAccessEnabled ? "Enabled" : "Disabled",
    // Only Premium may set it; every tier is zone-redundant by default in regions with zones (zone-redundancy.md).
    ...(sendsZoneRedundancy(r) ? { zoneRedundancy: r.zoneRedundancyEnabled ? "Enabled" : "Disabled" } : {}),
    dataEndpointEnabled: r.dataEndpointEnabled,
    // Trusted Azure services (ACR Tasks, Defender scanning) may pass the network rules; written out because
    // it is a security setting, with the value Azure would pick anyway.
    networkRuleBypassOptions: "AzureServices",
    // Basic and Standard reject these policies outright, so they are only sent for Premium.
    ...(premium
      ? {
          policies: {
            quarantinePolicy: { status: r.quarantineEnabled ? "enabled" : "disabled" },
            // Off stops `az acr import` and export pipelines from moving images out (data-loss-prevention.md).
            exportPolicy: { status: r.exportsEnabled ? "enabled" : "disabled" },
            retentionPolicy:
              r.retentionDays !== undefined
                ? { status: "enabled", days: r.retentionDays }
                : { status: "disabled" },
          },
        }
      : {}),
  };
}
