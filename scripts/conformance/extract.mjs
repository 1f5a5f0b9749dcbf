/**
 * Regenerates tests/conformance/data/azure/*.json: the subset of Azure's REST API schema that the
 * conformance tier checks azlab's planned inputs against.
 *
 * Source: the model metadata ("mappers") of the generated @azure/arm-* SDKs, which AutoRest builds
 * from Microsoft's azure-rest-api-specs. The mappers carry readOnly, required, constraints and fixed
 * enums; extensible (modelAsString) enums are read from the SDK's `Known<Enum>` declarations.
 * Reading and converting the mappers is in ./armMappers.mjs; this script lists the types and writes.
 *
 * Usage, for each package@version in TYPES below (nothing is installed into the project):
 *   cd /tmp/arm && npm pack @azure/arm-network@33.5.0 && mkdir -p azure-arm-network-33.5.0 \
 *     && tar xzf azure-arm-network-33.5.0.tgz -C azure-arm-network-33.5.0
 *   node scripts/conformance/extract.mjs /tmp/arm && npx prettier --write tests/conformance/data
 * (add type tokens after the folder, e.g. `consumption:Budget`, to regenerate only those)
 * The test reads only the committed JSON.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { convert, declarations, loadPackage } from "./armMappers.mjs";

const root = process.argv[2];
if (!root) throw new Error("usage: extract.mjs <dir with unpacked @azure/arm-* packages>");

/**
 * One entry per azure-native type azlab plans: the SDK package and version whose API version is the
 * one @pulumi/azure-native 3.28.0 uses (its .d.ts says "Uses Azure REST API version …"), the mapper of
 * the PUT body, and the path parameters azure-native takes as inputs. `sdkApiVersion` is what that
 * SDK sends for this operation; where no published SDK has the provider's version the nearest is used
 * and the test lists the difference.
 */
const TYPES = [
  [
    "resources:ResourceGroup",
    "resources/resourceGroup",
    "arm-resources",
    "6.0.0",
    "2024-11-01",
    "ResourceGroup",
    ["resourceGroupName"],
  ],
  [
    "network:VirtualNetwork",
    "network/virtualNetwork",
    "arm-network",
    "33.5.0",
    "2024-05-01",
    "VirtualNetwork",
    ["resourceGroupName", "virtualNetworkName"],
  ],
  [
    "network:Subnet",
    "network/subnet",
    "arm-network",
    "33.5.0",
    "2024-05-01",
    "Subnet",
    ["resourceGroupName", "virtualNetworkName", "subnetName"],
  ],
  [
    "network:NetworkSecurityGroup",
    "network/networkSecurityGroup",
    "arm-network",
    "33.5.0",
    "2024-05-01",
    "NetworkSecurityGroup",
    ["resourceGroupName", "networkSecurityGroupName"],
  ],
  [
    "network:PublicIPAddress",
    "network/publicIPAddress",
    "arm-network",
    "33.5.0",
    "2024-05-01",
    "PublicIPAddress",
    ["resourceGroupName", "publicIpAddressName"],
  ],
  [
    "network:NatGateway",
    "network/natGateway",
    "arm-network",
    "33.5.0",
    "2024-05-01",
    "NatGateway",
    ["resourceGroupName", "natGatewayName"],
  ],
  [
    "network:LoadBalancer",
    "network/loadBalancer",
    "arm-network",
    "33.5.0",
    "2024-05-01",
    "LoadBalancer",
    ["resourceGroupName", "loadBalancerName"],
  ],
  [
    "network:ApplicationSecurityGroup",
    "network/applicationSecurityGroup",
    "arm-network",
    "33.5.0",
    "2024-05-01",
    "ApplicationSecurityGroup",
    ["resourceGroupName", "applicationSecurityGroupName"],
  ],
  [
    "network:RouteTable",
    "network/routeTable",
    "arm-network",
    "33.5.0",
    "2024-05-01",
    "RouteTable",
    ["resourceGroupName", "routeTableName"],
  ],
  [
    "network:VirtualNetworkPeering",
    "network/virtualNetworkPeering",
    "arm-network",
    "33.5.0",
    "2024-05-01",
    "VirtualNetworkPeering",
    ["resourceGroupName", "virtualNetworkName", "virtualNetworkPeeringName", "syncRemoteAddressSpace"],
  ],
  [
    "network:BastionHost",
    "network/bastionHost",
    "arm-network",
    "33.5.0",
    "2024-05-01",
    "BastionHost",
    ["resourceGroupName", "bastionHostName"],
  ],
  [
    "storage:StorageAccount",
    "storage/storageAccount",
    "arm-storage",
    "18.4.0",
    "2024-01-01",
    "StorageAccountCreateParameters",
    ["resourceGroupName", "accountName"],
  ],
  [
    "storage:BlobServiceProperties",
    "storage/blobServiceProperties",
    "arm-storage",
    "18.4.0",
    "2024-01-01",
    "BlobServiceProperties",
    ["resourceGroupName", "accountName", "blobServicesName"],
  ],
  [
    "storage:FileServiceProperties",
    "storage/fileServiceProperties",
    "arm-storage",
    "18.4.0",
    "2024-01-01",
    "FileServiceProperties",
    ["resourceGroupName", "accountName", "fileServicesName"],
  ],
  [
    "storage:FileShare",
    "storage/fileShare",
    "arm-storage",
    "18.4.0",
    "2024-01-01",
    "FileShare",
    ["resourceGroupName", "accountName", "shareName", "expand"],
  ],
  [
    "storage:BlobContainer",
    "storage/blobContainer",
    "arm-storage",
    "18.4.0",
    "2024-01-01",
    "BlobContainer",
    ["resourceGroupName", "accountName", "containerName"],
  ],
  [
    "storage:ManagementPolicy",
    "storage/managementPolicy",
    "arm-storage",
    "18.4.0",
    "2024-01-01",
    "ManagementPolicy",
    ["resourceGroupName", "accountName", "managementPolicyName"],
  ],
  [
    "storage:Queue",
    "storage/queue",
    "arm-storage",
    "18.4.0",
    "2024-01-01",
    "StorageQueue",
    ["resourceGroupName", "accountName", "queueName"],
  ],
  [
    "storage:Table",
    "storage/table",
    "arm-storage",
    "18.4.0",
    "2024-01-01",
    "Table",
    ["resourceGroupName", "accountName", "tableName"],
  ],
  [
    "compute:VirtualMachineScaleSet",
    "compute/virtualMachineScaleSet",
    "arm-compute",
    "23.0.0",
    "2024-11-01",
    "VirtualMachineScaleSet",
    ["resourceGroupName", "vmScaleSetName"],
  ],
  [
    "compute:VirtualMachine",
    "compute/virtualMachine",
    "arm-compute",
    "23.0.0",
    "2024-11-01",
    "VirtualMachine",
    ["resourceGroupName", "vmName"],
  ],
  [
    "network:NetworkInterface",
    "network/networkInterface",
    "arm-network",
    "33.5.0",
    "2024-05-01",
    "NetworkInterface",
    ["resourceGroupName", "networkInterfaceName"],
  ],
  [
    // A VM's auto-shutdown schedule: GlobalSchedules_CreateOrUpdate takes a Schedule body.
    "devtestlab:GlobalSchedule",
    "devtestlab/globalSchedule",
    "arm-devtestlabs",
    "4.1.0",
    "2018-09-15",
    "Schedule",
    ["resourceGroupName", "name"],
  ],
  [
    "containerservice:ManagedCluster",
    "containerservice/managedCluster",
    "arm-containerservice",
    "24.1.0",
    "2025-10-01",
    "ManagedCluster",
    ["resourceGroupName", "resourceName"],
  ],
  [
    "containerservice:AgentPool",
    "containerservice/agentPool",
    "arm-containerservice",
    "24.1.0",
    "2025-10-01",
    "AgentPool",
    ["resourceGroupName", "resourceName", "agentPoolName"],
  ],
  [
    "containerregistry:Registry",
    "containerregistry/registry",
    "arm-containerregistry",
    "10.1.0",
    "2022-12-01",
    "Registry",
    ["resourceGroupName", "registryName"],
  ],
  [
    "authorization:RoleAssignment",
    "authorization/roleAssignment",
    "arm-authorization",
    "9.0.0",
    "2022-04-01",
    "RoleAssignmentCreateParameters",
    ["scope", "roleAssignmentName"],
  ],
  [
    "monitor:AutoscaleSetting",
    "monitor/autoscaleSetting",
    "arm-monitor",
    "7.0.0",
    "2015-04-01",
    "AutoscaleSettingResource",
    ["resourceGroupName", "autoscaleSettingName"],
  ],
  [
    // No @azure/arm-consumption has the provider's 2024-08-01; 9.2.0 (2021-10-01) is the newest published.
    "consumption:Budget",
    "consumption/budget",
    "arm-consumption",
    "9.2.0",
    "2021-10-01",
    "Budget",
    ["scope", "budgetName"],
  ],
  [
    "managedidentity:UserAssignedIdentity",
    "managedidentity/userAssignedIdentity",
    "arm-msi",
    "2.1.0",
    "2023-01-31",
    "Identity",
    ["resourceGroupName", "resourceName"],
  ],
];

const pulumiDir = "node_modules/@pulumi/azure-native";
// Optional type tokens after the folder (`consumption:Budget`) regenerate only those types.
const only = process.argv.slice(3);
for (const [token, dtsPath, pkg, version, sdkApiVersion, model, pathParameters] of TYPES) {
  if (only.length > 0 && !only.includes(token)) continue;
  const { mappers, dts } = await loadPackage(join(root, `azure-${pkg}-${version}`, "package"));
  const decl = declarations(dts);
  const pulumiDts = readFileSync(join(pulumiDir, `${dtsPath}.d.ts`), "utf8");
  const providerApiVersion = /Uses Azure REST API version ([0-9a-z-]+)/.exec(pulumiDts)[1];
  const models = new Map();
  const body = convert(mappers, decl, models, mappers[model], model, "");
  const data = {
    type: `azure-native:${token}`,
    providerApiVersion,
    sdkApiVersion,
    source: `npm @azure/${pkg}@${version} (dist models/mappers.js and Known* enums; generated from Azure/azure-rest-api-specs)`,
    pathParameters,
    body,
    models: Object.fromEntries([...models].sort(([a], [b]) => a.localeCompare(b))),
  };
  const file = join("tests/conformance/data/azure", `${token.replace(":", ".")}.json`);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(data, null, 1)}\n`);
  renameSync(`${file}.tmp`, file);
  console.log(`${file}: ${providerApiVersion} from ${pkg}@${version} (${sdkApiVersion})`);
}
