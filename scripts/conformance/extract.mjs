/**
 * Regenerates tests/conformance/data/azure/*.json: the subset of Azure's REST API schema that the
 * conformance tier checks azlab's planned inputs against.
 *
 * Source: the model metadata ("mappers") of the generated @azure/arm-* SDKs, which AutoRest builds
 * from Microsoft's azure-rest-api-specs. The mappers carry readOnly, required, constraints and fixed
 * enums; extensible (modelAsString) enums are read from the SDK's `Known<Enum>` declarations.
 *
 * Usage, for each package@version in TYPES below (nothing is installed into the project):
 *   cd /tmp/arm && npm pack @azure/arm-network@33.5.0 && mkdir -p azure-arm-network-33.5.0 \
 *     && tar xzf azure-arm-network-33.5.0.tgz -C azure-arm-network-33.5.0
 *   node scripts/conformance/extract.mjs /tmp/arm && npx prettier --write tests/conformance/data
 * (add type tokens after the folder, e.g. `consumption:Budget`, to regenerate only those)
 * The test reads only the committed JSON.
 */
import { readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

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

async function loadPackage(dir) {
  const candidates = [
    ["dist/commonjs/models/mappers.js", "dist/commonjs/models/index.d.ts"],
    ["dist-esm/src/models/mappers.js", null],
  ];
  for (const [m, d] of candidates) {
    if (!existsSync(join(dir, m))) continue;
    const mappers = await import(pathToFileURL(join(dir, m)).href);
    const dts = d
      ? join(dir, d)
      : join(
          dir,
          "types",
          `${JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name.split("/")[1]}.d.ts`,
        );
    return {
      mappers: mappers.default && !mappers.VirtualNetwork ? mappers.default : mappers,
      dts: readFileSync(dts, "utf8"),
    };
  }
  throw new Error(`no mappers in ${dir}`);
}

/** interface property types and Known enums, read from the SDK's declarations. */
function declarations(dts) {
  const known = new Map();
  for (const m of dts.matchAll(/export declare enum Known(\w+) \{([^}]*)\}/g)) {
    known.set(
      m[1],
      [...m[2].matchAll(/=\s*"([^"]*)"/g)].map((v) => v[1]),
    );
  }
  const props = new Map();
  for (const m of dts.matchAll(
    /export (?:declare )?interface (\w+)(?: extends ([\w, ]+))? \{([\s\S]*?)\n\}/g,
  )) {
    const own = new Map();
    for (const p of m[3].matchAll(/^\s+(?:readonly )?(\w+)\??: (\w+)(?:\[\])?;/gm)) own.set(p[1], p[2]);
    props.set(m[1], { own, bases: m[2] ? m[2].split(",").map((s) => s.trim()) : [] });
  }
  const typeOf = (cls, key) => {
    const entry = props.get(cls);
    if (!entry) return undefined;
    return entry.own.get(key) ?? entry.bases.map((b) => typeOf(b, key)).find(Boolean);
  };
  return { known, typeOf };
}

function convert(mappers, decl, models, mapper, owner, key) {
  const t = mapper.type;
  const node = {};
  if (mapper.readOnly) node.readOnly = true;
  if (mapper.required) node.required = true;
  const c = mapper.constraints ?? {};
  if (c.Pattern) node.pattern = c.Pattern instanceof RegExp ? c.Pattern.source : String(c.Pattern);
  if (c.MaxLength !== undefined) node.maxLength = c.MaxLength;
  if (c.MinLength !== undefined) node.minLength = c.MinLength;
  if (c.InclusiveMaximum !== undefined) node.maximum = c.InclusiveMaximum;
  if (c.InclusiveMinimum !== undefined) node.minimum = c.InclusiveMinimum;
  if (c.MaxItems !== undefined) node.maxItems = c.MaxItems;
  if (c.MinItems !== undefined) node.minItems = c.MinItems;
  switch (t.name) {
    case "Composite": {
      // Models are stored once, by class name, and referenced, so the data stays small.
      const cls = t.className;
      node.type = "object";
      node.model = cls;
      if (models.has(cls)) return node;
      const model = {};
      models.set(cls, model);
      const full = mappers[cls];
      for (const [k, m] of Object.entries(full?.type?.modelProperties ?? t.modelProperties ?? {})) {
        // Keyed by the SDK's client name (x-ms-client-name, camelCased), which is what azure-native
        // names its inputs; `wire` keeps the REST name, envelope included, for messages.
        const wire = m.serializedName;
        if (!wire) continue;
        const flat = wire.startsWith("properties.") ? wire.slice("properties.".length) : wire;
        if (flat.includes(".")) continue;
        model[k] = { ...convert(mappers, decl, models, m, cls, k), wire };
      }
      return node;
    }
    case "Sequence":
      node.type = "array";
      node.items = convert(mappers, decl, models, t.element, owner, key);
      return node;
    case "Dictionary":
      node.type = "map";
      node.values = convert(mappers, decl, models, t.value, owner, key);
      return node;
    case "Enum":
      node.type = "string";
      node.enum = [...t.allowedValues];
      return node;
    case "Number":
      node.type = "number";
      return node;
    case "Boolean":
      node.type = "boolean";
      return node;
    case "Object":
      node.type = "any";
      return node;
    default: {
      node.type = "string";
      const declared = decl.typeOf(owner, key);
      const values = declared ? decl.known.get(declared) : undefined;
      // Extensible enums: the service documents these values; Azure rejects others for these fields.
      if (values && t.name === "String" && !UNMAINTAINED_ENUMS.has(`${owner}.${key}`)) {
        node.enum = values;
        node.extensible = true;
      }
      return node;
    }
  }
}

/**
 * Known-value lists the spec says are no longer kept up to date, so they are no allow-list: the
 * VirtualMachineSizeTypes enum of HardwareProfile.vmSize "is currently deprecated" (its description in
 * the Microsoft.Compute spec and @pulumi/azure-native) and lacks every size newer than v3, such as
 * Standard_D2s_v5; Azure takes any size the region offers.
 */
const UNMAINTAINED_ENUMS = new Set(["HardwareProfile.vmSize"]);
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
