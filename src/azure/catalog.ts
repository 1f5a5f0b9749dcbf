/**
 * The one place that spells Pulumi type tokens and Azure built-in role definition ids. Plan, policy,
 * teardown and the offline engine refer to these constants, so a token can never be misspelled in one
 * of them alone.
 */

/** Pulumi type tokens of the resources and components azlab registers or reads. */
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
  VirtualMachineScaleSet: "azure-native:compute:VirtualMachineScaleSet",
  AutoscaleSetting: "azure-native:monitor:AutoscaleSetting",
  StorageAccount: "azure-native:storage:StorageAccount",
  BlobServiceProperties: "azure-native:storage:BlobServiceProperties",
  BlobContainer: "azure-native:storage:BlobContainer",
  FileServiceProperties: "azure-native:storage:FileServiceProperties",
  FileShare: "azure-native:storage:FileShare",
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
} as const;

/**
 * Azure built-in role definition ids (the GUID after `roleDefinitions/`), identical in every tenant.
 * Source: "Azure built-in roles", learn.microsoft.com/azure/role-based-access-control/built-in-roles.
 */
export const BuiltInRole = {
  AcrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  /** Manage networks, not access to them: the AKS control-plane identity on a bring-your-own subnet. */
  NetworkContributor: "4d97b98b-1d4f-4787-a291-c67834d212e7",
  /** Manage storage accounts (ARM, incl. shares and listKeys): the Azure Files CSI controller's identity. */
  StorageAccountContributor: "17d1049b-9a84-46fb-8f53-869881c3d3ab",
  /** SMB data access for a managed identity: the kubelet identity in a managed-identity Azure Files mount. */
  StorageFileDataSmbMiAdmin: "a235d3ee-5935-4cfb-8cc5-a3303ad5995e",
} as const;
export type BuiltInRole = (typeof BuiltInRole)[keyof typeof BuiltInRole];

/** The subscription-scoped id of a built-in role, as a role assignment's `roleDefinitionId` takes it. */
export function roleDefinitionId(subscriptionId: string, role: BuiltInRole): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${role}`;
}
