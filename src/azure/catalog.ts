/**
 * The one place that spells Pulumi type tokens and Azure built-in role definition ids. Plan, policy,
 * teardown and the offline engine refer to these constants, so a token can never be misspelled in one
 * of them alone.
 */

/** Pulumi type tokens of the resources and components azlab registers or reads. */
/** Storage account SKUs azlab accepts; the Premium ones only on FileStorage (src/validation/storageServices.ts). */
export const STORAGE_SKUS = [
  "Standard_LRS",
  "Standard_ZRS",
  "Standard_GRS",
  "Standard_RAGRS",
  "Standard_GZRS",
  "Premium_LRS",
  "Premium_ZRS",
] as const;

export const ResourceType = {
  Stack: "pulumi:pulumi:Stack",
  ResourceGroup: "azure-native:resources:ResourceGroup",
  VirtualNetwork: "azure-native:network:VirtualNetwork",
  Subnet: "azure-native:network:Subnet",
  NetworkSecurityGroup: "azure-native:network:NetworkSecurityGroup",
  SecurityRule: "azure-native:network:SecurityRule",
  ApplicationSecurityGroup: "azure-native:network:ApplicationSecurityGroup",
  PublicIPAddress: "azure-native:network:PublicIPAddress",
  NatGateway: "azure-native:network:NatGateway",
  LoadBalancer: "azure-native:network:LoadBalancer",
  RouteTable: "azure-native:network:RouteTable",
  VirtualNetworkPeering: "azure-native:network:VirtualNetworkPeering",
  BastionHost: "azure-native:network:BastionHost",
  VirtualMachineScaleSet: "azure-native:compute:VirtualMachineScaleSet",
  VirtualMachine: "azure-native:compute:VirtualMachine",
  NetworkInterface: "azure-native:network:NetworkInterface",
  /** A VM's auto-shutdown schedule (a DevTest Labs schedule outside any lab). */
  GlobalSchedule: "azure-native:devtestlab:GlobalSchedule",
  AutoscaleSetting: "azure-native:monitor:AutoscaleSetting",
  StorageAccount: "azure-native:storage:StorageAccount",
  BlobServiceProperties: "azure-native:storage:BlobServiceProperties",
  BlobContainer: "azure-native:storage:BlobContainer",
  FileServiceProperties: "azure-native:storage:FileServiceProperties",
  FileShare: "azure-native:storage:FileShare",
  Queue: "azure-native:storage:Queue",
  Table: "azure-native:storage:Table",
  Registry: "azure-native:containerregistry:Registry",
  ManagedCluster: "azure-native:containerservice:ManagedCluster",
  AgentPool: "azure-native:containerservice:AgentPool",
  RoleAssignment: "azure-native:authorization:RoleAssignment",
  UserAssignedIdentity: "azure-native:managedidentity:UserAssignedIdentity",
} as const;
export type ResourceType = (typeof ResourceType)[keyof typeof ResourceType];

/** The input that holds a resource's Azure name, where it is not `<camelCaseType>Name`. */
const AZURE_NAME_INPUT: Readonly<Record<string, string>> = {
  [ResourceType.VirtualMachineScaleSet]: "vmScaleSetName",
  [ResourceType.VirtualMachine]: "vmName",
  [ResourceType.GlobalSchedule]: "name",
  [ResourceType.PublicIPAddress]: "publicIpAddressName",
  [ResourceType.StorageAccount]: "accountName",
  [ResourceType.BlobContainer]: "containerName",
  [ResourceType.FileShare]: "shareName",
  [ResourceType.FileServiceProperties]: "fileServicesName",
  [ResourceType.BlobServiceProperties]: "blobServicesName",
  [ResourceType.ManagedCluster]: "resourceName",
  [ResourceType.UserAssignedIdentity]: "resourceName",
};

/** The azure-native input that names a resource of `type` in Azure, e.g. `virtualNetworkName`. */
export function azureNameInput(type: string): string {
  const typeName = type.slice(type.lastIndexOf(":") + 1);
  return AZURE_NAME_INPUT[type] ?? `${typeName.charAt(0).toLowerCase()}${typeName.slice(1)}Name`;
}

/** Pulumi function (invoke) tokens the program calls and the offline engine answers. */
export const FunctionToken = {
  getClientConfig: "azure-native:authorization:getClientConfig",
  listManagedClusterUserCredentials: "azure-native:containerservice:listManagedClusterUserCredentials",
  /** Microsoft Graph user lookup (@pulumi/azuread): a student's UPN or email to their object id. */
  getEntraUser: "azuread:index/getUser:getUser",
} as const;

/**
 * Azure built-in role definition ids (the GUID after `roleDefinitions/`), identical in every tenant. Each id and
 * display name was checked against Microsoft's "Azure built-in roles" pages (the summary table and the role's
 * JSON `id`/`roleName` on its category page); the line above each names that page.
 */
export const BuiltInRole = {
  // learn.microsoft.com/azure/role-based-access-control/built-in-roles/containers#acrpull
  /** Pull images: the kubelet identity and scale sets on the class or stack registry. */
  AcrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  // learn.microsoft.com/azure/role-based-access-control/built-in-roles/containers#azure-kubernetes-service-rbac-cluster-admin
  /**
   * "Azure Kubernetes Service RBAC Cluster Admin": every Kubernetes object of a cluster with Azure RBAC for
   * Kubernetes authorization, where admin groups alone grant nothing to a deployer outside them (AKS docs
   * "Use Azure RBAC for Kubernetes authorization", manage-azure-rbac.md).
   */
  AksRbacClusterAdmin: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
  // learn.microsoft.com/azure/role-based-access-control/built-in-roles/networking#network-contributor
  /** Manage networks, not access to them: the AKS control-plane identity on a bring-your-own subnet. */
  NetworkContributor: "4d97b98b-1d4f-4787-a291-c67834d212e7",
  // learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage#storage-account-contributor
  /** Manage storage accounts (ARM, incl. shares and listKeys): the Azure Files CSI controller's identity. */
  StorageAccountContributor: "17d1049b-9a84-46fb-8f53-869881c3d3ab",
  // learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage#storage-file-data-smb-mi-admin
  /** SMB data access for a managed identity: the kubelet identity in a managed-identity Azure Files mount. */
  StorageFileDataSmbMiAdmin: "a235d3ee-5935-4cfb-8cc5-a3303ad5995e",
  // learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage#storage-blob-data-contributor
  /** Read, write and delete blobs (Entra ID): the deployer on the Pulumi state container (azlab bootstrap). */
  StorageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  // learn.microsoft.com/azure/role-based-access-control/built-in-roles/security#key-vault-crypto-user
  /** Cryptographic operations with keys (RBAC vaults): the deployer on the secrets provider's key. */
  KeyVaultCryptoUser: "12338af0-0e69-4776-bea7-57ae8d297424",
  // learn.microsoft.com/azure/role-based-access-control/built-in-roles/security#key-vault-crypto-officer
  /** Manage keys except permissions (RBAC vaults): whoever creates the secrets provider's key. */
  KeyVaultCryptoOfficer: "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
  // learn.microsoft.com/azure/role-based-access-control/built-in-roles/general#reader
  /** View everything, change nothing: a student on their resource group. */
  Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  // learn.microsoft.com/azure/role-based-access-control/built-in-roles/compute#virtual-machine-contributor
  /**
   * Manage VMs and scale sets, but not the virtual network or the NSG they join: only `join/read` on
   * networks, NSGs, load balancers and public IPs, and no role assignments. A student operating their own
   * scale set.
   */
  VirtualMachineContributor: "9980e02c-c2be-4d73-94e8-173b1dc7cf3c",
  // learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage#storage-file-data-smb-share-contributor
  /** Read, write and delete SMB file data with Entra ID. */
  StorageFileDataSmbShareContributor: "0c867c2a-1d8c-454a-a3db-ab2ea1bdc8bb",
  // learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage#storage-queue-data-contributor
  /** Read, write and delete queues and their messages with Entra ID: a student on their own account's queues. */
  StorageQueueDataContributor: "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  // learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage#storage-table-data-contributor
  /** Read, write and delete tables and their entities with Entra ID: a student on their own account's tables. */
  StorageTableDataContributor: "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
  // learn.microsoft.com/azure/role-based-access-control/built-in-roles/containers#acrpush
  /** Pull and push images in any repository of a registry. */
  AcrPush: "8311e382-0749-4cb8-b61a-304f252e45ec",
  // learn.microsoft.com/azure/role-based-access-control/built-in-roles/containers#azure-kubernetes-service-cluster-user-role
  /**
   * List the cluster user credential, nothing more: fetches the kubeconfig; what the user may do inside the
   * cluster is up to Kubernetes or Azure RBAC.
   */
  AksClusterUser: "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
  // learn.microsoft.com/azure/role-based-access-control/built-in-roles/containers#azure-kubernetes-service-rbac-writer
  /**
   * Read and write most objects in every namespace, but not roles, role bindings or namespaces themselves: a
   * student on their own dedicated cluster.
   */
  AksRbacWriter: "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb",
} as const;
export type BuiltInRole = (typeof BuiltInRole)[keyof typeof BuiltInRole];

/** Display names of the built-in roles, as the portal and `az role definition list` show them. */
export const BUILT_IN_ROLE_NAMES: Readonly<Record<BuiltInRole, string>> = {
  [BuiltInRole.AcrPull]: "AcrPull",
  [BuiltInRole.AksRbacClusterAdmin]: "Azure Kubernetes Service RBAC Cluster Admin",
  [BuiltInRole.NetworkContributor]: "Network Contributor",
  [BuiltInRole.StorageAccountContributor]: "Storage Account Contributor",
  [BuiltInRole.StorageFileDataSmbMiAdmin]: "Storage File Data SMB MI Admin",
  [BuiltInRole.StorageBlobDataContributor]: "Storage Blob Data Contributor",
  [BuiltInRole.KeyVaultCryptoUser]: "Key Vault Crypto User",
  [BuiltInRole.KeyVaultCryptoOfficer]: "Key Vault Crypto Officer",
  [BuiltInRole.Reader]: "Reader",
  [BuiltInRole.VirtualMachineContributor]: "Virtual Machine Contributor",
  [BuiltInRole.StorageFileDataSmbShareContributor]: "Storage File Data SMB Share Contributor",
  [BuiltInRole.StorageQueueDataContributor]: "Storage Queue Data Contributor",
  [BuiltInRole.StorageTableDataContributor]: "Storage Table Data Contributor",
  [BuiltInRole.AcrPush]: "AcrPush",
  [BuiltInRole.AksClusterUser]: "Azure Kubernetes Service Cluster User Role",
  [BuiltInRole.AksRbacWriter]: "Azure Kubernetes Service RBAC Writer",
};

/** The subscription-scoped id of a built-in role, as a role assignment's `roleDefinitionId` takes it. */
export function roleDefinitionId(subscriptionId: string, role: BuiltInRole): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${role}`;
}
