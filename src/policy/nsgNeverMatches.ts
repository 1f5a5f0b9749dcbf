/**
 * AZL-NSG-004: inbound Allow rules on a subnet NSG that no packet can match, judged from the stack's
 * subnets, VNets and connected networks. Split from ./networkRules.ts; pure: no Pulumi runtime imports.
 */
import { nsgPrefix, outsideSubnets, sourceReach } from "../network/nsgRules.ts";
import { formatPrefix, type Prefix } from "../cidr/address.ts";
import { ResourceType } from "../azure/catalog.ts";
import { rec, list, str, at, lastSegment, stackRule, partsOf } from "./ruleKit.ts";
import { isAllowInbound } from "./networkRules.ts";
import type { PolicyContext, PolicyResource, PolicyStack, StackViolation } from "./types.ts";

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
