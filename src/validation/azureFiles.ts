/**
 * Which roles the Azure Files CSI driver's identities need on the account behind a StorageClass, and how
 * nodes mount its shares (account key or managed identity). Pure; ClusterBasics creates the grants.
 */
import { BuiltInRole } from "../azure/catalog.ts";
import type { Problem } from "../errors.ts";

/** The `sharedKeyConsumers` entry that declares the Azure Files CSI driver mounts an account with its keys. */
export const AZURE_FILES_CSI_CONSUMER = "aks-azurefile-csi";

/** What azlab knows about the account a StorageClass provisions shares in. */
export interface AzureFilesAccountFacts {
  readonly sharedKeyAccessEnabled: boolean;
  readonly sharedKeyConsumers?: readonly string[];
  /** The cluster's pinned Kubernetes version, when the stack pins one. */
  readonly kubernetesVersion?: string | undefined;
}

/** A role one of the cluster's identities needs on the account before the first claim. */
export interface AzureFilesGrant {
  /** `cluster`: the control-plane identity the CSI controller runs as; `kubelet`: the nodes' identity. */
  readonly identity: "cluster" | "kubelet";
  readonly role: BuiltInRole;
}

export interface AzureFilesAccess {
  readonly mount: "accountKey" | "managedIdentity";
  /** Extra StorageClass parameters for the mount. */
  readonly parameters: Readonly<Record<string, string>>;
  readonly grants: readonly AzureFilesGrant[];
  readonly problems: readonly Problem[];
}

/** AKS version from which the Azure Files CSI driver mounts SMB shares with a managed identity (Linux). */
export const MANAGED_IDENTITY_MOUNT_MIN_AKS = [1, 34] as const;

/**
 * How the Azure Files CSI driver reaches an existing account, and the roles that must exist first.
 *
 * - The controller creates each claim's share through ARM and reads the account, as the cluster's control-plane
 *   identity; AKS grants it Storage Account Contributor on the node resource group only, so an account
 *   elsewhere needs that grant, or the first PVC fails with AuthorizationFailed (azurefile-csi-driver
 *   docs/driver-parameters.md "required permissions for CSI driver controller"; azure-aks-docs
 *   azure-files-csi.md).
 * - With the account's shared keys declared for the driver, the node mounts with the key (NTLMv2).
 * - Otherwise (prod keeps shared keys off) the node mounts with the kubelet identity:
 *   `mountWithManagedIdentity: "true"`, which needs Storage File Data SMB MI Admin on the account and AKS
 *   1.34+ on Linux (azurefile-csi-driver docs "Mount Azure SMB file share with managed identity";
 *   azure-aks-docs azure-files-csi.md "Use Managed Identity to access Azure Files storage").
 */
export function azureFilesAccess(facts: AzureFilesAccountFacts, path: string): AzureFilesAccess {
  const controller: AzureFilesGrant = { identity: "cluster", role: BuiltInRole.StorageAccountContributor };
  const keyMount =
    facts.sharedKeyAccessEnabled && (facts.sharedKeyConsumers ?? []).includes(AZURE_FILES_CSI_CONSUMER);
  if (keyMount) return { mount: "accountKey", parameters: {}, grants: [controller], problems: [] };
  const problems: Problem[] = [];
  const version = facts.kubernetesVersion;
  if (version !== undefined) {
    const [major, minor] = version.split(".").map(Number);
    const [minMajor, minMinor] = MANAGED_IDENTITY_MOUNT_MIN_AKS;
    if (
      major === undefined ||
      minor === undefined ||
      major < minMajor ||
      (major === minMajor && minor < minMinor)
    ) {
      problems.push({
        path,
        message: `needs AKS ${minMajor}.${minMinor} or later: the account keeps shared keys off, so the Azure Files CSI driver must mount with the kubelet identity`,
        value: version,
        allowed: `a Kubernetes version of ${minMajor}.${minMinor} or later, or shared keys on with sharedKeyConsumers: [${AZURE_FILES_CSI_CONSUMER}]`,
      });
    }
  }
  return {
    mount: "managedIdentity",
    parameters: { mountWithManagedIdentity: "true" },
    grants: [controller, { identity: "kubelet", role: BuiltInRole.StorageFileDataSmbMiAdmin }],
    problems,
  };
}
