/**
 * Storage and container registry guardrails.
 * Pure: no Pulumi runtime imports.
 */
import { ResourceType } from "../azure/catalog.ts";
import { str, at, eqi, resourceRule, stackRule, unsafeFlagRule } from "./ruleKit.ts";
import type { PolicyResource, StackViolation } from "./types.ts";

/** Tag in which the StorageAccount component names who still needs shared-key auth. */
export const SHARED_KEY_CONSUMERS_TAG = "azlab-shared-key-consumers";

// ---- Storage ------------------------------------------------------------------------------------

export const storageHttpsOnly = unsafeFlagRule({
  id: "AZL-STG-001",
  title: "Storage accepts HTTPS only",
  severity: "error",
  equivalents: ["CKV_AZURE_3", "AVD-AZU-0008", "Azure.Storage.SecureTransfer"],
  resourceTypes: [ResourceType.StorageAccount],
  property: "enableHttpsTrafficOnly",
  unsafe: false,
  fix: "Set enableHttpsTrafficOnly: true",
});

const TLS_ORDER = ["TLS1_0", "TLS1_1", "TLS1_2", "TLS1_3"];

export const storageMinTls = resourceRule({
  id: "AZL-STG-002",
  title: "Storage requires TLS 1.2 or later",
  severity: "error",
  equivalents: ["CKV_AZURE_44", "AVD-AZU-0011", "Azure.Storage.MinTLS"],
  resourceTypes: [ResourceType.StorageAccount],
  check(resource) {
    const version = resource.props["minimumTlsVersion"];
    if (version === undefined) {
      return [
        {
          message: "minimumTlsVersion is not set; the API default has been TLS1_0",
          fix: 'Set minimumTlsVersion: "TLS1_2"',
        },
      ];
    }
    const rank = TLS_ORDER.indexOf(String(version));
    if (rank >= 2) return [];
    return [
      { message: `minimumTlsVersion is ${JSON.stringify(version)}`, fix: 'Set minimumTlsVersion: "TLS1_2"' },
    ];
  },
});

export const storageBlobPublic = unsafeFlagRule({
  id: "AZL-STG-003",
  title: "Storage forbids anonymous blob access",
  severity: "error",
  equivalents: ["CKV_AZURE_190", "CKV2_AZURE_47", "AVD-AZU-0007", "Azure.Storage.BlobPublicAccess"],
  resourceTypes: [ResourceType.StorageAccount],
  property: "allowBlobPublicAccess",
  unsafe: true,
  fix: "Set allowBlobPublicAccess: false",
});

export const storageSharedKey = resourceRule({
  id: "AZL-STG-004",
  title: "Shared-key access only with a declared consumer",
  severity: "warning",
  equivalents: ["CKV2_AZURE_40", "Azure.Storage.LocalAuth"],
  resourceTypes: [ResourceType.StorageAccount],
  check(resource) {
    // Azure enables shared keys when allowSharedKeyAccess is absent.
    if (resource.props["allowSharedKeyAccess"] === false) return [];
    const consumers = str(at(resource.props, "tags", SHARED_KEY_CONSUMERS_TAG))?.trim();
    if (consumers) return [];
    return [
      {
        message: `Shared-key access is enabled but no consumer is declared in tag "${SHARED_KEY_CONSUMERS_TAG}"`,
        fix: `Set allowSharedKeyAccess: false, or name the consumers that need keys (for example the Azure Files CSI driver) in tag "${SHARED_KEY_CONSUMERS_TAG}"`,
      },
    ];
  },
});

// Without allowedCopyScope a copy may read from or write to any account anywhere ("Permitted scope for copy
// operations", storage security-restrict-copy-operations.md); "All" says so explicitly.
export const storageCopyScope = resourceRule({
  id: "AZL-STG-006",
  title: "Storage copy operations are limited to the tenant or private links",
  severity: "warning",
  equivalents: [],
  resourceTypes: [ResourceType.StorageAccount],
  check(resource) {
    const scope = resource.props["allowedCopyScope"];
    if (eqi(scope, "AAD") || eqi(scope, "PrivateLink")) return [];
    return [
      {
        message:
          scope === undefined
            ? "allowedCopyScope is not set, so copies to and from any account are allowed"
            : `allowedCopyScope is ${JSON.stringify(scope)}`,
        fix: 'Set allowedCopyScope: "AAD" (same tenant), or "PrivateLink" for an account without public access',
      },
    ];
  },
});

function accountNameOf(account: PolicyResource): string {
  return str(account.props["accountName"]) ?? account.name;
}

/** The BlobServiceProperties that belong to a storage account, by name or by dependency. */
function blobServicesOf(account: PolicyResource, all: readonly PolicyResource[]): PolicyResource[] {
  return all.filter(
    (r) =>
      r.type === ResourceType.BlobServiceProperties &&
      (r.props["accountName"] === accountNameOf(account) ||
        (account.urn !== undefined && (r.dependencies ?? []).includes(account.urn))),
  );
}

export const storageSoftDelete = stackRule({
  id: "AZL-STG-005",
  title: "Blob soft delete is on",
  severity: "warning",
  equivalents: ["CKV2_AZURE_38", "Azure.Storage.SoftDelete"],
  resourceTypes: [ResourceType.StorageAccount, ResourceType.BlobServiceProperties],
  inPolicyPack: true,
  check(stack) {
    const out: StackViolation[] = [];
    for (const service of stack.resources.filter((r) => r.type === ResourceType.BlobServiceProperties)) {
      if (at(service.props, "deleteRetentionPolicy", "enabled") === true) continue;
      out.push({
        resource: service.urn ?? service.name,
        message: `Blob service "${service.name}" has soft delete off`,
        fix: "Set deleteRetentionPolicy: { enabled: true, days: 7 } (or more)",
      });
    }
    for (const account of stack.resources.filter((r) => r.type === ResourceType.StorageAccount)) {
      // A FileStorage account holds file shares only and has no blob service to protect.
      if (account.props["kind"] === "FileStorage") continue;
      if (blobServicesOf(account, stack.resources).length > 0) continue;
      out.push({
        resource: account.urn ?? account.name,
        message: `Storage account "${accountNameOf(account)}" has no BlobServiceProperties, so blob soft delete is off`,
        fix: "Declare BlobServiceProperties for the account with deleteRetentionPolicy: { enabled: true, days: 7 }",
      });
    }
    return out;
  },
});

// ---- Container registry -------------------------------------------------------------------------

export const acrAdminUser = unsafeFlagRule({
  id: "AZL-ACR-001",
  title: "Registry admin user is off",
  severity: "error",
  equivalents: ["CKV_AZURE_137", "Azure.ACR.AdminUser"],
  resourceTypes: [ResourceType.Registry],
  property: "adminUserEnabled",
  unsafe: true,
  fix: "Set adminUserEnabled: false and grant AcrPull/AcrPush roles to identities instead",
});

export const acrAnonymousPull = unsafeFlagRule({
  id: "AZL-ACR-002",
  title: "Registry forbids anonymous pull",
  severity: "error",
  equivalents: ["CKV_AZURE_138", "Azure.ACR.AnonymousAccess"],
  resourceTypes: [ResourceType.Registry],
  property: "anonymousPullEnabled",
  unsafe: true,
  fix: "Set anonymousPullEnabled: false",
});

/** Features Azure accepts only on the Premium SKU; asking for them elsewhere fails the deployment. */
function premiumFeatures(props: Record<string, unknown>): string[] {
  const features = ["retentionPolicy", "quarantinePolicy", "trustPolicy"]
    .filter((policy) => eqi(at(props, "policies", policy, "status"), "enabled"))
    .map((policy) => `policies.${policy}`);
  if (eqi(props["zoneRedundancy"], "Enabled")) features.push("zoneRedundancy");
  if (props["dataEndpointEnabled"] === true) features.push("dataEndpointEnabled");
  return features;
}

export const acrPremiumOnLowerSku = resourceRule({
  id: "AZL-ACR-003",
  title: "Premium registry features only on the Premium SKU",
  severity: "error",
  equivalents: [],
  resourceTypes: [ResourceType.Registry],
  check(resource) {
    const sku = str(at(resource.props, "sku", "name"));
    if (sku === undefined || eqi(sku, "Premium")) return [];
    const features = premiumFeatures(resource.props);
    if (features.length === 0) return [];
    return [
      {
        message: `SKU ${sku} does not support ${features.join(", ")}`,
        fix: "Remove the Premium-only settings, or use sku.name Premium (prod stacks only: it is costly for classes)",
      },
    ];
  },
});

// A Premium registry closed to the public network can refuse exports (`az acr import` from it, export pipelines);
// Azure leaves them on unless policies.exportPolicy.status is "disabled" (container-registry
// data-loss-prevention.md).
export const acrExports = resourceRule({
  id: "AZL-ACR-004",
  title: "A private Premium registry refuses exports",
  severity: "warning",
  equivalents: ["Azure Policy: Container registries should have exports disabled"],
  resourceTypes: [ResourceType.Registry],
  check(resource) {
    const props = resource.props;
    if (!eqi(at(props, "sku", "name"), "Premium") || !eqi(props["publicNetworkAccess"], "Disabled"))
      return [];
    if (eqi(at(props, "policies", "exportPolicy", "status"), "disabled")) return [];
    return [
      {
        message: "Exports are enabled on a Premium registry without public network access",
        fix: 'Set policies.exportPolicy.status: "disabled" (azlab:registry.exportsEnabled: false)',
      },
    ];
  },
});
