/**
 * Whether an NSG address prefix can ever be seen on traffic into a subnet: the facts behind the
 * "rule that can never match" finding. Pure (no Pulumi); only CIDRs and bare addresses are judged,
 * service tags, `*` and application security groups are always taken to match something.
 */
import { contains, overlaps, parsePrefix, type Prefix } from "../cidr/address.ts";

/**
 * Ranges that are never routed to or between networks (IANA special-purpose registry: RFC 1122
 * loopback, RFC 3927 and RFC 4291 link-local), so a packet into a subnet never carries a source in
 * them. Azure's own 169.254.169.254 (IMDS) is answered on the host and never enters a subnet.
 */
const NEVER_ROUTED: Readonly<Record<string, string>> = {
  "127.0.0.0/8": "a loopback range",
  "169.254.0.0/16": "a link-local range",
  "::1/128": "the IPv6 loopback address",
  "fe80::/10": "a link-local range",
};

/**
 * Private ranges (RFC 1918, RFC 6598 shared space, RFC 4193 unique local): the internet, and so a
 * public IP or public load balancer, never delivers them. They reach a subnet only from inside its
 * VNet or through a connection: peering, a VPN or ExpressRoute gateway, a virtual hub.
 */
const PRIVATE: Readonly<Record<string, string>> = {
  "10.0.0.0/8": "a private range",
  "172.16.0.0/12": "a private range",
  "192.168.0.0/16": "a private range",
  "100.64.0.0/10": "a shared (CGNAT) range",
  "fc00::/7": "a unique local range",
};

const parsed = (table: Readonly<Record<string, string>>): readonly [Prefix, string][] =>
  Object.entries(table).map(([range, kind]) => [parsePrefix(range) as Prefix, kind]);
const NEVER_ROUTED_PREFIXES = parsed(NEVER_ROUTED);
const PRIVATE_PREFIXES = parsed(PRIVATE);

/** A CIDR or a bare address (an NSG prefix may be either) as a prefix; undefined for tags and `*`. */
export function nsgPrefix(text: string): Prefix | undefined {
  const trimmed = text.trim();
  if (trimmed.includes("/")) return parsePrefix(trimmed);
  return parsePrefix(`${trimmed}/${trimmed.includes(":") ? 128 : 32}`);
}

function within(prefix: Prefix, table: readonly [Prefix, string][]): string | undefined {
  // Inside: the whole prefix must lie in the range, or part of it could still be routable.
  return table.find(([range]) => contains(range, prefix))?.[1];
}

export type SourceReach =
  /** Could arrive: public, a tag, `*`, or inside a network that has a path in. */
  | { readonly kind: "reachable" }
  /** Never on any packet into a subnet. */
  | { readonly kind: "never-routed"; readonly what: string }
  /** Private and outside every network with a path in. */
  | { readonly kind: "unconnected"; readonly what: string };

/**
 * How a source prefix of an inbound rule can reach a subnet whose VNet spans `vnetSpace`.
 * `connected` are the other networks with a path in (peered, on-premises), or undefined when the
 * stack's connections are not known; an unknown set never yields "unconnected".
 */
export function sourceReach(
  source: string,
  vnetSpace: readonly Prefix[],
  connected: readonly Prefix[] | undefined,
): SourceReach {
  const prefix = nsgPrefix(source);
  if (!prefix) return { kind: "reachable" };
  const neverRouted = within(prefix, NEVER_ROUTED_PREFIXES);
  if (neverRouted) return { kind: "never-routed", what: neverRouted };
  const isPrivate = within(prefix, PRIVATE_PREFIXES);
  if (!isPrivate || connected === undefined) return { kind: "reachable" };
  if ([...vnetSpace, ...connected].some((network) => overlaps(network, prefix))) return { kind: "reachable" };
  return { kind: "unconnected", what: isPrivate };
}

/** True when a destination prefix shares no address with any of `subnets` (undefined for tags and `*`). */
export function outsideSubnets(destination: string, subnets: readonly Prefix[]): boolean {
  const prefix = nsgPrefix(destination);
  return prefix !== undefined && !subnets.some((subnet) => overlaps(subnet, prefix));
}
