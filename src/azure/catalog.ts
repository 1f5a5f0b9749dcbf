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
} as const;
export type BuiltInRole = (typeof BuiltInRole)[keyof typeof BuiltInRole];

/** The subscription-scoped id of a built-in role, as a role assignment's `roleDefinitionId` takes it. */
export function roleDefinitionId(subscriptionId: string, role: BuiltInRole): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${role}`;
}
