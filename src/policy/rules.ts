/**
 * azlab's guardrail rules. One array feeds both the Pulumi policy pack (/policy, for
 * `pulumi preview --policy-pack`) and the offline `azlab plan` findings (./evaluate.ts).
 *
 * Rules read azure-native INPUT properties. Offline, secrets arrive as "[secret]" and unknown
 * (computed) values as undefined, so a rule must never treat "absent" as proof of a violation
 * unless Azure's own default for an absent value is the unsafe one.
 * Pure: no Pulumi runtime imports.
 */
import { isSpecialSubnet, SPECIAL_SUBNETS } from "../planner/subnetRules.ts";
import { isInternetSource, MANAGEMENT_PORTS, managementPortsIn } from "../network/nsgRules.ts";
import { TAGGABLE_TYPES } from "../naming/tags.ts";
import { expiryInstant } from "../schedule/expiry.ts";
import type {
  Enforcement,
  PolicyContext,
  PolicyResource,
  ResourceRule,
  Rule,
  Severity,
  StackRule,
  StackViolation,
  Violation,
} from "./types.ts";

export type * from "./types.ts";

export const T = {
  resourceGroup: "azure-native:resources:ResourceGroup",
  virtualNetwork: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  nsg: "azure-native:network:NetworkSecurityGroup",
  securityRule: "azure-native:network:SecurityRule",
  publicIp: "azure-native:network:PublicIPAddress",
  natGateway: "azure-native:network:NatGateway",
  loadBalancer: "azure-native:network:LoadBalancer",
  asg: "azure-native:network:ApplicationSecurityGroup",
  vmss: "azure-native:compute:VirtualMachineScaleSet",
  autoscale: "azure-native:monitor:AutoscaleSetting",
  storageAccount: "azure-native:storage:StorageAccount",
  blobService: "azure-native:storage:BlobServiceProperties",
  registry: "azure-native:containerregistry:Registry",
  managedCluster: "azure-native:containerservice:ManagedCluster",
  agentPool: "azure-native:containerservice:AgentPool",
} as const;

/** Tag in which the StorageAccount component names who still needs shared-key auth. */
export const SHARED_KEY_CONSUMERS_TAG = "azlab-shared-key-consumers";

// ---- small readers for untyped input bags -------------------------------------------------------

function rec(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = rec(current)?.[key];
  return current;
}

function eqi(a: unknown, b: string): boolean {
  return typeof a === "string" && a.toLowerCase() === b.toLowerCase();
}

function lastSegment(id: unknown): string | undefined {
  return typeof id === "string" && id.length > 0 ? id.split("/").pop() : undefined;
}

/** What a rule's definition spells out; the kind and the default enforcement follow from it. */
type RuleSpec<R extends Rule> = Omit<R, "kind" | "defaultEnforcement">;

/** Errors block (mandatory) and warnings advise, unless a stack lowers the rule. */
function defaultEnforcement(severity: Severity): Enforcement {
  return severity === "error" ? "mandatory" : "advisory";
}

function resourceRule(rule: RuleSpec<ResourceRule>): ResourceRule {
  return { kind: "resource", defaultEnforcement: defaultEnforcement(rule.severity), ...rule };
}

function stackRule(rule: RuleSpec<StackRule>): StackRule {
  return { kind: "stack", defaultEnforcement: defaultEnforcement(rule.severity), ...rule };
}

/**
 * A rule that flags one top-level boolean input set to its unsafe value. An absent input passes:
 * Azure's default is the safe value for every property checked this way.
 */
function unsafeFlagRule(
  rule: Omit<RuleSpec<ResourceRule>, "check"> & { property: string; unsafe: boolean; fix: string },
): ResourceRule {
  const { property, unsafe, fix, ...spec } = rule;
  return resourceRule({
    ...spec,
    check(resource) {
      return resource.props[property] === unsafe ? [{ message: `${property} is ${unsafe}`, fix }] : [];
    },
  });
}

// ---- NSG ----------------------------------------------------------------------------------------

/** One security rule, node pool or subnet, with the name a message shows for it. */
interface Part {
  readonly label: string;
  readonly props: Record<string, unknown>;
}

/**
 * The parts a rule checks one by one: a standalone child resource (SecurityRule, AgentPool, Subnet)
 * is one part; its parent (NSG, ManagedCluster, VirtualNetwork) holds them inline in `listKey`.
 * A part is labelled by its Azure name (`<child>Name`, else `name`), else the Pulumi name or position.
 */
function partsOf(resource: PolicyResource, childType: string, nameKey: string, listKey: string): Part[] {
  const labelOf = (props: Record<string, unknown>) => str(props[nameKey]) ?? str(props["name"]);
  if (resource.type === childType) {
    return [{ label: labelOf(resource.props) ?? resource.name, props: resource.props }];
  }
  return list(resource.props[listKey]).flatMap((item, index) => {
    const props = rec(item);
    return props ? [{ label: labelOf(props) ?? `#${index}`, props }] : [];
  });
}

function securityRulesOf(resource: PolicyResource): Part[] {
  return partsOf(resource, T.securityRule, "securityRuleName", "securityRules");
}

function isAllowInbound(props: Record<string, unknown>): boolean {
  return eqi(props["access"], "Allow") && eqi(props["direction"], "Inbound");
}

function internetSources(props: Record<string, unknown>): string[] {
  const sources = [str(props["sourceAddressPrefix"]), ...list(props["sourceAddressPrefixes"]).map(str)];
  return sources.filter((s): s is string => s !== undefined && isInternetSource(s));
}

function portRanges(props: Record<string, unknown>): string[] {
  return [str(props["destinationPortRange"]), ...list(props["destinationPortRanges"]).map(str)].filter(
    (p): p is string => p !== undefined,
  );
}

const nsgSensitivePorts = resourceRule({
  id: "AZL-NSG-001",
  title: "No remote-admin or database port open to the internet",
  severity: "error",
  equivalents: ["CKV_AZURE_10", "CKV_AZURE_9", "AVD-AZU-0050", "AVD-AZU-0048", "AVD-AZU-0047"],
  resourceTypes: [T.nsg, T.securityRule],
  check(resource) {
    return securityRulesOf(resource).flatMap(({ label, props }) => {
      if (!isAllowInbound(props)) return [];
      const sources = internetSources(props);
      if (sources.length === 0) return [];
      const ports = [...new Set(portRanges(props).flatMap(managementPortsIn))].sort((a, b) => a - b);
      if (ports.length === 0) return [];
      const named = ports.map((p) => `${p} (${MANAGEMENT_PORTS[p]})`).join(", ");
      return [
        {
          message: `Security rule "${label}" allows inbound port ${named} from ${sources.map((s) => `"${s}"`).join(", ")}`,
          fix: "Restrict sourceAddressPrefix(es) to known addresses, or reach the machines through Azure Bastion or a VPN",
        },
      ];
    });
  },
});

const nsgAnyPort = resourceRule({
  id: "AZL-NSG-002",
  title: "No inbound rule allowing every port from the internet",
  severity: "error",
  equivalents: ["Azure.NSG.AnyInboundSource", "AVD-AZU-0047"],
  resourceTypes: [T.nsg, T.securityRule],
  check(resource) {
    return securityRulesOf(resource).flatMap(({ label, props }) => {
      if (!isAllowInbound(props)) return [];
      const sources = internetSources(props);
      if (sources.length === 0 || !portRanges(props).some((p) => p.trim() === "*")) return [];
      return [
        {
          message: `Security rule "${label}" allows inbound traffic on every port from ${sources.map((s) => `"${s}"`).join(", ")}`,
          fix: "Name the destination ports the service needs and restrict the sources",
        },
      ];
    });
  },
});

const subnetWithoutNsg = resourceRule({
  id: "AZL-NSG-003",
  title: "Every subnet has a network security group",
  severity: "warning",
  equivalents: ["CKV2_AZURE_31", "Azure.VNET.UseNSGs"],
  resourceTypes: [T.subnet, T.virtualNetwork],
  check(resource) {
    return partsOf(resource, T.subnet, "subnetName", "subnets").flatMap(({ label: name, props }) => {
      if (isSpecialSubnet(name)) return [];
      // An NSG given by reference whose id is still unknown counts as present.
      if (rec(props["networkSecurityGroup"])) return [];
      return [
        {
          message: `Subnet "${name}" has no network security group`,
          fix: `Set networkSecurityGroup.id on the subnet (only ${Object.keys(SPECIAL_SUBNETS).join(", ")} are exempt)`,
        },
      ];
    });
  },
});

// ---- Storage ------------------------------------------------------------------------------------

const storageHttpsOnly = unsafeFlagRule({
  id: "AZL-STG-001",
  title: "Storage accepts HTTPS only",
  severity: "error",
  equivalents: ["CKV_AZURE_3", "AVD-AZU-0008", "Azure.Storage.SecureTransfer"],
  resourceTypes: [T.storageAccount],
  property: "enableHttpsTrafficOnly",
  unsafe: false,
  fix: "Set enableHttpsTrafficOnly: true",
});

const TLS_ORDER = ["TLS1_0", "TLS1_1", "TLS1_2", "TLS1_3"];

const storageMinTls = resourceRule({
  id: "AZL-STG-002",
  title: "Storage requires TLS 1.2 or later",
  severity: "error",
  equivalents: ["CKV_AZURE_44", "AVD-AZU-0011", "Azure.Storage.MinTLS"],
  resourceTypes: [T.storageAccount],
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

const storageBlobPublic = unsafeFlagRule({
  id: "AZL-STG-003",
  title: "Storage forbids anonymous blob access",
  severity: "error",
  equivalents: ["CKV_AZURE_190", "CKV2_AZURE_47", "AVD-AZU-0007", "Azure.Storage.BlobPublicAccess"],
  resourceTypes: [T.storageAccount],
  property: "allowBlobPublicAccess",
  unsafe: true,
  fix: "Set allowBlobPublicAccess: false",
});

const storageSharedKey = resourceRule({
  id: "AZL-STG-004",
  title: "Shared-key access only with a declared consumer",
  severity: "warning",
  equivalents: ["CKV2_AZURE_40", "Azure.Storage.LocalAuth"],
  resourceTypes: [T.storageAccount],
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

function accountNameOf(account: PolicyResource): string {
  return str(account.props["accountName"]) ?? account.name;
}

/** The BlobServiceProperties that belong to a storage account, by name or by dependency. */
function blobServicesOf(account: PolicyResource, all: readonly PolicyResource[]): PolicyResource[] {
  return all.filter(
    (r) =>
      r.type === T.blobService &&
      (r.props["accountName"] === accountNameOf(account) ||
        (account.urn !== undefined && (r.dependencies ?? []).includes(account.urn))),
  );
}

const storageSoftDelete = stackRule({
  id: "AZL-STG-005",
  title: "Blob soft delete is on",
  severity: "warning",
  equivalents: ["CKV2_AZURE_38", "Azure.Storage.SoftDelete"],
  resourceTypes: [T.storageAccount, T.blobService],
  inPolicyPack: true,
  check(stack) {
    const out: StackViolation[] = [];
    for (const service of stack.resources.filter((r) => r.type === T.blobService)) {
      if (at(service.props, "deleteRetentionPolicy", "enabled") === true) continue;
      out.push({
        resource: service.urn ?? service.name,
        message: `Blob service "${service.name}" has soft delete off`,
        fix: "Set deleteRetentionPolicy: { enabled: true, days: 7 } (or more)",
      });
    }
    for (const account of stack.resources.filter((r) => r.type === T.storageAccount)) {
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

const acrAdminUser = unsafeFlagRule({
  id: "AZL-ACR-001",
  title: "Registry admin user is off",
  severity: "error",
  equivalents: ["CKV_AZURE_137", "Azure.ACR.AdminUser"],
  resourceTypes: [T.registry],
  property: "adminUserEnabled",
  unsafe: true,
  fix: "Set adminUserEnabled: false and grant AcrPull/AcrPush roles to identities instead",
});

const acrAnonymousPull = unsafeFlagRule({
  id: "AZL-ACR-002",
  title: "Registry forbids anonymous pull",
  severity: "error",
  equivalents: ["CKV_AZURE_138", "Azure.ACR.AnonymousAccess"],
  resourceTypes: [T.registry],
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

const acrPremiumOnLowerSku = resourceRule({
  id: "AZL-ACR-003",
  title: "Premium registry features only on the Premium SKU",
  severity: "error",
  equivalents: [],
  resourceTypes: [T.registry],
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

// ---- AKS ----------------------------------------------------------------------------------------

const aksRbac = unsafeFlagRule({
  id: "AZL-AKS-001",
  title: "AKS uses Kubernetes RBAC",
  severity: "error",
  equivalents: ["CKV_AZURE_5", "AVD-AZU-0042", "Azure.AKS.UseRBAC"],
  resourceTypes: [T.managedCluster],
  property: "enableRBAC",
  unsafe: false,
  fix: "Set enableRBAC: true (this replaces the cluster)",
});

const aksNetworkPolicy = resourceRule({
  id: "AZL-AKS-002",
  title: "AKS enforces network policies",
  severity: "warning",
  equivalents: ["CKV_AZURE_7", "AVD-AZU-0043", "Azure.AKS.NetworkPolicy"],
  resourceTypes: [T.managedCluster],
  check(resource) {
    const policy = at(resource.props, "networkProfile", "networkPolicy");
    if (typeof policy === "string" && !eqi(policy, "none")) return [];
    return [
      {
        message:
          policy === undefined
            ? "networkProfile.networkPolicy is not set"
            : `networkProfile.networkPolicy is "${policy}"`,
        fix: 'Set networkProfile.networkPolicy to "cilium" (with Azure CNI powered by Cilium), "azure" or "calico"',
      },
    ];
  },
});

const aksLocalAccounts = resourceRule({
  id: "AZL-AKS-003",
  title: "AKS with Entra ID disables local accounts",
  severity: "warning",
  equivalents: ["CKV_AZURE_141", "Azure.AKS.LocalAccounts"],
  resourceTypes: [T.managedCluster],
  check(resource) {
    if (!rec(resource.props["aadProfile"]) || resource.props["disableLocalAccounts"] === true) return [];
    return [
      {
        message: "aadProfile is set but local accounts are still enabled",
        fix: "Set disableLocalAccounts: true so that every sign-in goes through Entra ID",
      },
    ];
  },
});

const aksAuthorizedIps = resourceRule({
  id: "AZL-AKS-004",
  title: "Prod AKS API server is private or limited to authorized IP ranges",
  severity: "error",
  equivalents: ["CKV_AZURE_6", "AVD-AZU-0041", "Azure.AKS.AuthorizedIPs"],
  resourceTypes: [T.managedCluster],
  check(resource, context) {
    // Class and dev clusters are reached from students' changing addresses.
    if (context.environment !== "prod") return [];
    const profile = rec(resource.props["apiServerAccessProfile"]);
    if (profile?.["enablePrivateCluster"] === true || list(profile?.["authorizedIPRanges"]).length > 0)
      return [];
    return [
      {
        message:
          "The API server is public and apiServerAccessProfile.authorizedIPRanges is empty in a prod stack",
        fix: "Set apiServerAccessProfile.authorizedIPRanges to the admins' ranges, or enablePrivateCluster: true",
      },
    ];
  },
});

function poolsOf(resource: PolicyResource): Part[] {
  return partsOf(resource, T.agentPool, "agentPoolName", "agentPoolProfiles");
}

const aksAutoscaling = resourceRule({
  id: "AZL-AKS-005",
  title: "AKS node pools autoscale",
  severity: "warning",
  equivalents: ["Azure.AKS.AutoScaling"],
  resourceTypes: [T.managedCluster, T.agentPool],
  check(resource) {
    return poolsOf(resource).flatMap(({ label, props }) =>
      props["enableAutoScaling"] === true
        ? []
        : [
            {
              message: `Node pool "${label}" does not autoscale`,
              fix: "Set enableAutoScaling: true with minCount and maxCount, and ignore changes to count",
            },
          ],
    );
  },
});

const aksMaxPods = resourceRule({
  id: "AZL-AKS-006",
  title: "AKS maxPods is within 10-250",
  severity: "error",
  equivalents: [],
  resourceTypes: [T.managedCluster, T.agentPool],
  check(resource) {
    return poolsOf(resource).flatMap(({ label, props }) => {
      const maxPods = props["maxPods"];
      if (typeof maxPods !== "number" || (maxPods >= 10 && maxPods <= 250)) return [];
      return [
        {
          message: `Node pool "${label}" has maxPods ${maxPods}; Azure accepts 10 to 250`,
          fix: "Set maxPods between 10 and 250 (defaults: overlay 250, Azure CNI 30, kubenet 110)",
        },
      ];
    });
  },
});

const KUBECONFIG_OUTPUT = /kube_?config/i;

/** Output paths (dotted) whose last key names a kubeconfig and whose value is not secret. */
function plainKubeconfigs(value: unknown, path: string[] = []): string[] {
  if (value === "[secret]" || value === undefined || value === null) return [];
  const key = path.at(-1);
  if (key !== undefined && KUBECONFIG_OUTPUT.test(key)) return [path.join(".")];
  if (Array.isArray(value)) return value.flatMap((v, i) => plainKubeconfigs(v, [...path, String(i)]));
  const record = rec(value);
  return record ? Object.entries(record).flatMap(([k, v]) => plainKubeconfigs(v, [...path, k])) : [];
}

const aksKubeconfigSecret = stackRule({
  id: "AZL-AKS-007",
  title: "Kubeconfig stack outputs are secret",
  severity: "error",
  equivalents: [],
  resourceTypes: [],
  // The policy pack receives secrets already decrypted, so it cannot tell; azlab plan can.
  inPolicyPack: false,
  check(stack) {
    if (!stack.outputs) return [];
    return plainKubeconfigs(stack.outputs).map((path) => ({
      resource: "stack",
      message: `Stack output "${path}" holds a kubeconfig in plain text`,
      fix: "Wrap it: pulumi.secret(...) (or export it from an Output that is already secret)",
    }));
  },
});

// ---- VM scale sets ------------------------------------------------------------------------------

const vmssPasswordAuth = resourceRule({
  id: "AZL-VMSS-001",
  title: "Linux scale sets use SSH keys only",
  severity: "error",
  equivalents: ["CKV_AZURE_49", "AVD-AZU-0039", "Azure.VMSS.PublicKey"],
  resourceTypes: [T.vmss],
  check(resource) {
    const linux = rec(at(resource.props, "virtualMachineProfile", "osProfile", "linuxConfiguration"));
    if (!linux || linux["disablePasswordAuthentication"] === true) return [];
    return [
      {
        message:
          "virtualMachineProfile.osProfile.linuxConfiguration.disablePasswordAuthentication is not true",
        fix: "Set disablePasswordAuthentication: true and provide ssh.publicKeys",
      },
    ];
  },
});

const vmssAutoOsUpgrade = resourceRule({
  id: "AZL-VMSS-002",
  title: "Scale sets upgrade their OS image automatically",
  severity: "warning",
  equivalents: ["CKV_AZURE_95"],
  resourceTypes: [T.vmss],
  check(resource) {
    if (at(resource.props, "upgradePolicy", "automaticOSUpgradePolicy", "enableAutomaticOSUpgrade") === true)
      return [];
    return [
      {
        message: "upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade is not true",
        fix: "Set upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade: true (needs a health probe or the Application Health extension)",
      },
    ];
  },
});

const HEALTH_EXTENSIONS = ["ApplicationHealthLinux", "ApplicationHealthWindows"];

const vmssRollingHealth = resourceRule({
  id: "AZL-VMSS-003",
  title: "Rolling upgrades have a health signal",
  severity: "error",
  equivalents: [],
  resourceTypes: [T.vmss],
  check(resource) {
    if (!eqi(at(resource.props, "upgradePolicy", "mode"), "Rolling")) return [];
    const profile = rec(resource.props["virtualMachineProfile"]);
    if (rec(at(profile, "networkProfile", "healthProbe"))) return [];
    const extensions = list(at(profile, "extensionProfile", "extensions"));
    if (extensions.some((e) => HEALTH_EXTENSIONS.some((h) => eqi(at(e, "type"), h)))) return [];
    return [
      {
        message: "upgradePolicy.mode is Rolling without a health probe or the Application Health extension",
        fix: "Set virtualMachineProfile.networkProfile.healthProbe.id to a load balancer probe, or add the ApplicationHealthLinux extension",
      },
    ];
  },
});

// ---- Public IP and load balancer ----------------------------------------------------------------

function basicSkuRule(id: string, type: string, what: string, psrule: string): ResourceRule {
  return resourceRule({
    id,
    title: `${what} uses the Standard SKU`,
    severity: "error",
    equivalents: [psrule],
    resourceTypes: [type],
    check(resource) {
      if (!eqi(at(resource.props, "sku", "name"), "Basic")) return [];
      return [
        {
          message: `${what} uses the Basic SKU, retired on 30 September 2025`,
          fix: 'Set sku.name: "Standard"',
        },
      ];
    },
  });
}

const publicIpBasic = basicSkuRule("AZL-NET-001", T.publicIp, "Public IP", "Azure.PublicIP.StandardSKU");
const loadBalancerBasic = basicSkuRule(
  "AZL-NET-002",
  T.loadBalancer,
  "Load balancer",
  "Azure.LB.StandardSKU",
);

/**
 * Public IPs used as a load balancer's frontends: by the last segment of the referenced id, or by
 * dependency (an id that is unknown in a preview, or a generated Azure name, still shows up there).
 */
function frontendIpsOf(lb: PolicyResource, all: readonly PolicyResource[]): PolicyResource[] {
  const refs = list(lb.props["frontendIPConfigurations"]).map((f) => at(f, "publicIPAddress"));
  const ids = new Set(refs.map((r) => lastSegment(at(r, "id"))).filter((s): s is string => s !== undefined));
  const dependsOn = new Set(lb.dependencies ?? []);
  return all.filter(
    (r) =>
      r.type === T.publicIp &&
      (ids.has(str(r.props["publicIpAddressName"]) ?? r.name) ||
        ids.has(r.name) ||
        (r.urn !== undefined && dependsOn.has(r.urn))),
  );
}

/** The SKU as declared; undefined when left to Azure (not compared: its default depends on the API version). */
function skuName(resource: PolicyResource): string | undefined {
  return str(at(resource.props, "sku", "name"));
}

const lbIpSkuMismatch = stackRule({
  id: "AZL-NET-003",
  title: "Load balancer and its frontend public IPs share a SKU",
  severity: "error",
  equivalents: [],
  resourceTypes: [T.loadBalancer, T.publicIp],
  inPolicyPack: true,
  check(stack) {
    return stack.resources
      .filter((r) => r.type === T.loadBalancer)
      .flatMap((lb) => {
        const lbSku = skuName(lb);
        if (lbSku === undefined) return [];
        return frontendIpsOf(lb, stack.resources).flatMap((ip) => {
          const ipSku = skuName(ip);
          if (ipSku === undefined || eqi(ipSku, lbSku)) return [];
          return [
            {
              resource: lb.urn ?? lb.name,
              message: `Load balancer "${lb.name}" is ${lbSku} but its frontend public IP "${ip.name}" is ${ipSku}`,
              fix: 'Use sku.name "Standard" on both; Azure rejects a mix',
            },
          ];
        });
      });
  },
});

// ---- Class hygiene ------------------------------------------------------------------------------

function expiryProblem(context: PolicyContext): Violation | undefined {
  if (context.environment !== "class") return undefined;
  if (!context.expiresOn) {
    return {
      message: `Class stack "${context.stack}" has no expires-on date`,
      fix: "Set azlab:class.expiresOn (YYYY-MM-DD, the last day of the class) in the stack file",
    };
  }
  const zone = context.timeZone ?? "UTC";
  let end: Date;
  try {
    end = expiryInstant(context.expiresOn, zone);
  } catch (error) {
    return {
      message: (error as Error).message,
      fix: "Fix azlab:class.expiresOn / timeZone in the stack file",
    };
  }
  if (context.asOf.getTime() < end.getTime()) return undefined;
  return {
    message: `Class stack "${context.stack}" expired at the end of ${context.expiresOn} (${zone})`,
    fix: `Tear it down (azlab teardown --stack ${context.stack} --confirm ${context.stack}) or move azlab:class.expiresOn`,
  };
}

const classExpiry = stackRule({
  id: "AZL-CLS-001",
  title: "Class stacks carry a future expiry date",
  severity: "error",
  equivalents: [],
  resourceTypes: [],
  inPolicyPack: true,
  check(_stack, context) {
    const problem = expiryProblem(context);
    return problem ? [{ resource: "stack", ...problem }] : [];
  },
});

const requiredTags = resourceRule({
  id: "AZL-TAG-001",
  title: "Taggable resources carry the required tags",
  severity: "warning",
  equivalents: ["Azure.Resource.UseTags"],
  resourceTypes: TAGGABLE_TYPES,
  check(resource, context) {
    const raw = resource.props["tags"];
    // A tag map that is secret as a whole cannot be read; do not guess.
    if (raw === "[secret]") return [];
    const tags = rec(raw) ?? {};
    const missing = context.requiredTags.filter((key) => {
      const value = tags[key];
      return typeof value !== "string" || value.trim() === "";
    });
    if (missing.length === 0) return [];
    return [
      {
        message: `Missing required tags: ${missing.join(", ")}`,
        fix: "Pass the stack's standard tags to the component that declares this resource",
      },
    ];
  },
});

/** Every rule, in the order they are documented. */
export const rules: readonly Rule[] = [
  nsgSensitivePorts,
  nsgAnyPort,
  subnetWithoutNsg,
  storageHttpsOnly,
  storageMinTls,
  storageBlobPublic,
  storageSharedKey,
  storageSoftDelete,
  acrAdminUser,
  acrAnonymousPull,
  acrPremiumOnLowerSku,
  aksRbac,
  aksNetworkPolicy,
  aksLocalAccounts,
  aksAuthorizedIps,
  aksAutoscaling,
  aksMaxPods,
  aksKubeconfigSecret,
  vmssPasswordAuth,
  vmssAutoOsUpgrade,
  vmssRollingHealth,
  publicIpBasic,
  loadBalancerBasic,
  lbIpSkuMismatch,
  classExpiry,
  requiredTags,
];

export function ruleById(id: string): Rule | undefined {
  return rules.find((rule) => rule.id === id);
}
