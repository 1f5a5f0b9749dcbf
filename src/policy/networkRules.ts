/**
 * Network guardrails: NSG rules open to the internet, subnets without an NSG, retired Basic SKUs.
 * Pure: no Pulumi runtime imports.
 */
import { isSpecialSubnet, SPECIAL_SUBNETS } from "../planner/subnetRules.ts";
import {
  isInternetSource,
  isWaived,
  MANAGEMENT_PORTS,
  managementPortsIn,
  nsgPrefix,
  outsideSubnets,
  sourceReach,
} from "../network/nsgRules.ts";
import { formatPrefix, type Prefix } from "../cidr/address.ts";
import { ResourceType } from "../azure/catalog.ts";
import {
  rec,
  list,
  str,
  at,
  eqi,
  lastSegment,
  resourceRule,
  stackRule,
  partsOf,
  type Part,
} from "./ruleKit.ts";
import type { PolicyContext, PolicyResource, PolicyStack, ResourceRule, StackViolation } from "./types.ts";

// ---- NSG ----------------------------------------------------------------------------------------

function securityRulesOf(resource: PolicyResource): Part[] {
  return partsOf(resource, ResourceType.SecurityRule, "securityRuleName", "securityRules");
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

/**
 * The resource's inbound Allow rules that admit internet sources, with those sources. A rule waived in
 * azlab:nsg.waivers (with its reason) passed the NSG validation on purpose and is left out.
 */
function internetInboundRules(
  resource: Parameters<typeof securityRulesOf>[0],
  waivers: Parameters<typeof isWaived>[0],
): { label: string; props: Record<string, unknown>; sources: string[] }[] {
  return securityRulesOf(resource).flatMap(({ label, props }) => {
    if (!isAllowInbound(props) || isWaived(waivers, label)) return [];
    const sources = internetSources(props);
    return sources.length === 0 ? [] : [{ label, props, sources }];
  });
}

export const nsgSensitivePorts = resourceRule({
  id: "AZL-NSG-001",
  title: "No remote-admin or database port open to the internet",
  severity: "error",
  equivalents: ["CKV_AZURE_10", "CKV_AZURE_9", "AVD-AZU-0050", "AVD-AZU-0048", "AVD-AZU-0047"],
  resourceTypes: [ResourceType.NetworkSecurityGroup, ResourceType.SecurityRule],
  check(resource, context) {
    return internetInboundRules(resource, context.nsgWaivers).flatMap(({ label, props, sources }) => {
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

export const nsgAnyPort = resourceRule({
  id: "AZL-NSG-002",
  title: "No inbound rule allowing every port from the internet",
  severity: "error",
  equivalents: ["Azure.NSG.AnyInboundSource", "AVD-AZU-0047"],
  resourceTypes: [ResourceType.NetworkSecurityGroup, ResourceType.SecurityRule],
  check(resource, context) {
    return internetInboundRules(resource, context.nsgWaivers).flatMap(({ label, props, sources }) => {
      if (!portRanges(props).some((p) => p.trim() === "*")) return [];
      return [
        {
          message: `Security rule "${label}" allows inbound traffic on every port from ${sources.map((s) => `"${s}"`).join(", ")}`,
          fix: "Name the destination ports the service needs and restrict the sources",
        },
      ];
    });
  },
});

export const subnetWithoutNsg = resourceRule({
  id: "AZL-NSG-003",
  title: "Every subnet has a network security group",
  severity: "warning",
  equivalents: ["CKV2_AZURE_31", "Azure.VNET.UseNSGs"],
  resourceTypes: [ResourceType.Subnet, ResourceType.VirtualNetwork],
  check(resource) {
    return partsOf(resource, ResourceType.Subnet, "subnetName", "subnets").flatMap(
      ({ label: name, props }) => {
        if (isSpecialSubnet(name)) return [];
        // An NSG given by reference whose id is still unknown counts as present.
        if (rec(props["networkSecurityGroup"])) return [];
        return [
          {
            message: `Subnet "${name}" has no network security group`,
            fix: `Set networkSecurityGroup.id on the subnet (only ${Object.keys(SPECIAL_SUBNETS).join(", ")} are exempt)`,
          },
        ];
      },
    );
  },
});

// ---- NSG rules that can never match ------------------------------------------------------------

/** Resource types that join a VNet to other networks; with any of them the private sources that arrive are unknown. */
const CONNECTION_TYPE =
  /^azure-native:network:(VirtualNetworkPeering|VirtualNetworkGateway\w*|VirtualHub\w*|HubVirtualNetworkConnection|VpnGateway|VpnSite|ExpressRoute\w*)$/;

function prefixesOf(values: unknown[]): Prefix[] | undefined {
  const prefixes = values.map((v) => (typeof v === "string" ? nsgPrefix(v) : undefined));
  return prefixes.every((p): p is Prefix => p !== undefined) ? prefixes : undefined;
}

/** Whether `resource` points at `nsg`: by dependency (ids unknown offline and in a preview) or by the id's last segment. */
function refersTo(resource: PolicyResource, ref: unknown, nsg: PolicyResource, nsgName: string): boolean {
  if (nsg.urn !== undefined && (resource.dependencies ?? []).includes(nsg.urn) && rec(ref)) return true;
  return lastSegment(at(ref, "id")) === nsgName;
}

/**
 * Networks other than the VNet itself whose addresses can be the source of traffic into it: the
 * stack's declared outside networks (azlab:network.reservedCidrs) and AKS pod and service ranges
 * (Azure CNI Overlay routes pod traffic inside the VNet unNATed). Undefined when unknown: the context
 * does not say, or the stack holds a peering, gateway or hub whose far side it cannot see.
 */
function connectedNetworks(stack: PolicyStack, context: PolicyContext): Prefix[] | undefined {
  if (context.connectedCidrs === undefined) return undefined;
  const peered = stack.resources.some(
    (r) =>
      CONNECTION_TYPE.test(r.type) ||
      (r.type === ResourceType.VirtualNetwork && list(r.props["virtualNetworkPeerings"]).length > 0),
  );
  if (peered) return undefined;
  const clusterRanges = stack.resources
    .filter((r) => r.type === ResourceType.ManagedCluster)
    .flatMap((r) => {
      const profile = at(r.props, "networkProfile");
      return [
        at(profile, "podCidr"),
        at(profile, "serviceCidr"),
        ...list(at(profile, "podCidrs")),
        ...list(at(profile, "serviceCidrs")),
      ];
    })
    .filter((v) => v !== undefined);
  return prefixesOf([...context.connectedCidrs, ...clusterRanges]);
}

function quoted(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(", ");
}

/**
 * An inbound Allow rule on a subnet NSG that no packet can match: every destination prefix lies outside
 * the NSG's subnets (a subnet NSG sees only traffic addressed into its subnets), or every source is a
 * range that cannot arrive there: loopback or link-local, or private (RFC 1918, RFC 6598) while the VNet
 * has no connection to it; the internet, and so a public IP or load balancer, never delivers private
 * sources ("Network security groups: how network security groups filter network traffic",
 * learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works). Tags, `*` and
 * application security groups always count as matching, and an NSG also attached to anything but
 * subnets is skipped, so the finding is never a guess.
 */
export const nsgRuleNeverMatches = stackRule({
  id: "AZL-NSG-004",
  title: "Inbound allow rules can match some traffic",
  severity: "info",
  equivalents: [],
  resourceTypes: [ResourceType.NetworkSecurityGroup, ResourceType.SecurityRule, ResourceType.Subnet],
  inPolicyPack: true,
  check(stack, context) {
    const connected = connectedNetworks(stack, context);
    const index = nsgIndex(stack);
    return stack.resources
      .filter((r) => r.type === ResourceType.NetworkSecurityGroup)
      .flatMap((nsg) => neverMatching(nsg, index, connected));
  },
});

/** What AZL-NSG-004 looks up for every NSG, gathered in one pass: a class plans hundreds of NSGs. */
interface NsgIndex {
  readonly subnets: readonly PolicyResource[];
  readonly securityRules: readonly PolicyResource[];
  /** VNets by resource group and Azure name. */
  readonly vnets: ReadonlyMap<string, PolicyResource>;
  /** NSG names that resources other than subnets and security rules mention by id. */
  readonly mentioned: ReadonlyMap<string, readonly PolicyResource[]>;
  /** URNs that resources other than subnets and security rules depend on. */
  readonly dependedOn: ReadonlyMap<string, readonly PolicyResource[]>;
}

const NSG_ID_MENTION = /networkSecurityGroups\/([^"/]+)"/g;
const vnetKey = (group: string | undefined, name: string | undefined) => `${group ?? ""}\u0000${name ?? ""}`;

function nsgIndex(stack: PolicyStack): NsgIndex {
  const subnets: PolicyResource[] = [];
  const securityRules: PolicyResource[] = [];
  const vnets = new Map<string, PolicyResource>();
  const mentioned = new Map<string, PolicyResource[]>();
  const dependedOn = new Map<string, PolicyResource[]>();
  const add = (map: Map<string, PolicyResource[]>, key: string, r: PolicyResource) => {
    const found = map.get(key);
    if (found) found.push(r);
    else map.set(key, [r]);
  };
  for (const r of stack.resources) {
    if (r.type === ResourceType.Subnet) subnets.push(r);
    else if (r.type === ResourceType.SecurityRule) securityRules.push(r);
    else {
      if (r.type === ResourceType.VirtualNetwork) {
        const key = vnetKey(str(r.props["resourceGroupName"]), str(r.props["virtualNetworkName"]) ?? r.name);
        if (!vnets.has(key)) vnets.set(key, r);
      }
      for (const match of JSON.stringify(r.props).matchAll(NSG_ID_MENTION)) add(mentioned, match[1]!, r);
      for (const urn of new Set(r.dependencies ?? [])) add(dependedOn, urn, r);
    }
  }
  return { subnets, securityRules, vnets, mentioned, dependedOn };
}

function neverMatching(
  nsg: PolicyResource,
  index: NsgIndex,
  connected: Prefix[] | undefined,
): StackViolation[] {
  const nsgName = str(nsg.props["networkSecurityGroupName"]) ?? nsg.name;
  const group = str(nsg.props["resourceGroupName"]);
  const subnets = index.subnets.filter((r) => refersTo(r, r.props["networkSecurityGroup"], nsg, nsgName));
  // Attached elsewhere too (a NIC, a scale set's NIC configuration, an inline VNet subnet): not judged.
  const elsewhere = [
    ...(index.mentioned.get(nsgName) ?? []),
    ...(nsg.urn !== undefined ? (index.dependedOn.get(nsg.urn) ?? []) : []),
  ].some((r) => r !== nsg);
  if (subnets.length === 0 || elsewhere) return [];
  const subnetPrefixes = prefixesOf(
    subnets.flatMap((s) =>
      [s.props["addressPrefix"], ...list(s.props["addressPrefixes"])].filter((v) => v !== undefined),
    ),
  );
  if (!subnetPrefixes || subnetPrefixes.length === 0) return [];
  const vnets = subnets.map((s) =>
    index.vnets.get(vnetKey(str(s.props["resourceGroupName"]), str(s.props["virtualNetworkName"]))),
  );
  const vnetSpace = vnets.every((v) => v !== undefined)
    ? prefixesOf([...new Set(vnets)].flatMap((v) => list(at(v.props, "addressSpace", "addressPrefixes"))))
    : undefined;

  const standalone = index.securityRules.filter(
    (r) =>
      (nsg.urn !== undefined && (r.dependencies ?? []).includes(nsg.urn)) ||
      (str(r.props["networkSecurityGroupName"]) === nsgName && str(r.props["resourceGroupName"]) === group),
  );
  const rules = [
    ...partsOf(nsg, ResourceType.SecurityRule, "securityRuleName", "securityRules").map((part) => ({
      ...part,
      resource: nsg.urn ?? nsg.name,
    })),
    ...standalone.flatMap((r) =>
      partsOf(r, ResourceType.SecurityRule, "securityRuleName", "securityRules").map((part) => ({
        ...part,
        resource: r.urn ?? r.name,
      })),
    ),
  ];
  const subnetText = subnetPrefixes.map(formatPrefix).join(", ");
  return rules.flatMap(({ label, props, resource }): StackViolation[] => {
    if (!isAllowInbound(props)) return [];
    const texts = (one: string, many: string) =>
      [str(props[one]), ...list(props[many]).map(str)].filter((v): v is string => v !== undefined);
    const destinations = texts("destinationAddressPrefix", "destinationAddressPrefixes");
    if (destinations.length > 0 && destinations.every((d) => outsideSubnets(d, subnetPrefixes))) {
      return [
        {
          resource,
          message: `Security rule "${label}" can never match: its destination ${quoted(destinations)} is outside the subnets of NSG "${nsgName}" (${subnetText})`,
          fix: "Set the destination to addresses inside those subnets (or *), or remove the rule",
        },
      ];
    }
    const sources = texts("sourceAddressPrefix", "sourceAddressPrefixes");
    if (!vnetSpace || sources.length === 0) return [];
    const vnetText = vnetSpace.map(formatPrefix).join(", ");
    const why: string[] = [];
    for (const source of sources) {
      const r = sourceReach(source, vnetSpace, connected);
      if (r.kind === "reachable") return [];
      why.push(
        r.kind === "never-routed"
          ? `"${source}" is ${r.what}, which is never routed`
          : `"${source}" is ${r.what} outside the VNet (${vnetText}) with no peering or gateway to it`,
      );
    }
    return [
      {
        resource,
        message: `Security rule "${label}" can never match: ${why.join("; ")}`,
        fix: "Allow the public addresses the traffic arrives from; a private range needs a connection (peering, VPN or ExpressRoute) listed in azlab:network.reservedCidrs",
      },
    ];
  });
}

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

export const publicIpBasic = basicSkuRule(
  "AZL-NET-001",
  ResourceType.PublicIPAddress,
  "Public IP",
  "Azure.PublicIP.StandardSKU",
);
export const loadBalancerBasic = basicSkuRule(
  "AZL-NET-002",
  ResourceType.LoadBalancer,
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
      r.type === ResourceType.PublicIPAddress &&
      (ids.has(str(r.props["publicIpAddressName"]) ?? r.name) ||
        ids.has(r.name) ||
        (r.urn !== undefined && dependsOn.has(r.urn))),
  );
}

/** The SKU as declared; undefined when left to Azure (not compared: its default depends on the API version). */
function skuName(resource: PolicyResource): string | undefined {
  return str(at(resource.props, "sku", "name"));
}

export const lbIpSkuMismatch = stackRule({
  id: "AZL-NET-003",
  title: "Load balancer and its frontend public IPs share a SKU",
  severity: "error",
  equivalents: [],
  resourceTypes: [ResourceType.LoadBalancer, ResourceType.PublicIPAddress],
  inPolicyPack: true,
  check(stack) {
    return stack.resources
      .filter((r) => r.type === ResourceType.LoadBalancer)
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
