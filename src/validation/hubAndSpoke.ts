/**
 * Defaults and validation for the HubAndSpoke component: each spoke VNet peered with one hub VNet, in
 * both directions. Peered VNets must have non-overlapping address spaces ("Virtual network peering",
 * learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview), and spokes that reach
 * each other through an appliance in the hub must not overlap either, so every pair is checked.
 * Gateway transit needs a VPN or ExpressRoute gateway in the hub; azlab deploys none, so it is off
 * unless the caller says the hub has one.
 */
import { formatPrefix, isAligned, overlaps, parsePrefix, type Prefix } from "../cidr/address.ts";
import type { Problem } from "../errors.ts";
import { resolveAzureName, resolveNameParts } from "./names.ts";

/** One end of a peering. `Ref` is how the caller refers to the VNet (Pulumi inputs in the component). */
export interface PeeredVnet<Ref = unknown> {
  /** Azure resource id of the VNet. Required. */
  readonly vnetId: Ref;
  /** Azure name of the VNet. Required. */
  readonly vnetName: Ref;
  /** Resource group of the VNet (the peering lives there). Required. */
  readonly resourceGroupName: Ref;
  /** The VNet's address space (planned CIDRs), checked for overlap. Required, at least one. */
  readonly addressSpace: readonly string[];
  /** Parts of the Azure names of this VNet's peerings, e.g. `["azlab", "cls", "alice"]`. Defaults to the key. */
  readonly nameParts?: readonly string[];
}

/** The plain (non-Output) settings of a HubAndSpoke. */
export interface HubAndSpokeOptions<Ref = unknown> {
  readonly hub: PeeredVnet<Ref>;
  /** Spokes keyed by a stable key (a student id); each gets one peering each way. At least one. */
  readonly spokes: Readonly<Record<string, PeeredVnet<Ref>>>;
  /**
   * Spokes accept traffic that an appliance in the hub forwards (a UDR with next hop VirtualAppliance
   * needs it). Defaults to false.
   */
  readonly allowForwardedTraffic?: boolean;
  /** The hub has a VPN or ExpressRoute gateway the spokes should use. Defaults to false: azlab deploys none. */
  readonly hubGateway?: boolean;
}

/** One peering, as the component declares it. */
export interface NormalizedPeering<Ref = unknown> {
  /** Azure name of the peering. */
  readonly name: string;
  /** The VNet the peering lives in. */
  readonly local: PeeredVnet<Ref>;
  /** The VNet it points at. */
  readonly remote: PeeredVnet<Ref>;
  readonly allowForwardedTraffic: boolean;
  readonly allowGatewayTransit: boolean;
  readonly useRemoteGateways: boolean;
}

/** Both peerings of one spoke. */
export interface NormalizedSpoke<Ref = unknown> {
  readonly key: string;
  /** hub → spoke, in the hub's VNet. */
  readonly hubToSpoke: NormalizedPeering<Ref>;
  /** spoke → hub, in the spoke's VNet. */
  readonly spokeToHub: NormalizedPeering<Ref>;
}

export interface NormalizedHubAndSpoke<Ref = unknown> {
  /** Spokes sorted by key. */
  readonly spokes: readonly NormalizedSpoke<Ref>[];
}

/** Parses an address space; a problem for each entry that is not an aligned CIDR. */
function spaceOf(space: readonly string[] | undefined, path: string, problems: Problem[]): Prefix[] {
  if (!Array.isArray(space) || space.length === 0) {
    problems.push({ path, message: "is empty", allowed: "at least one CIDR" });
    return [];
  }
  const out: Prefix[] = [];
  space.forEach((text, i) => {
    const prefix = typeof text === "string" ? parsePrefix(text) : undefined;
    if (prefix && isAligned(prefix)) out.push(prefix);
    else {
      problems.push({
        path: `${path}[${i}]`,
        message: "is not a CIDR block with host bits clear",
        value: text,
        allowed: "a CIDR such as 10.100.0.0/24",
      });
    }
  });
  return out;
}

/**
 * Overlaps between the hub and each spoke, and between spokes, as problems at the later one's
 * address space. Pure and exported so the stack planner's tests can prove a class has none.
 */
export function peeringOverlapProblems(
  hub: readonly Prefix[],
  spokes: Readonly<Record<string, readonly Prefix[]>>,
): Problem[] {
  const problems: Problem[] = [];
  const seen: [string, readonly Prefix[]][] = [["hub", hub]];
  for (const key of Object.keys(spokes).sort()) {
    const space = spokes[key] ?? [];
    space.forEach((prefix, i) => {
      for (const [other, otherSpace] of seen) {
        const clash = otherSpace.find((o) => overlaps(o, prefix));
        if (clash) {
          problems.push({
            path: `spokes.${key}.addressSpace[${i}]`,
            message: `overlaps ${other === "hub" ? "the hub's" : `spoke ${other}'s`} ${formatPrefix(clash)}; peered address spaces must not overlap`,
            value: formatPrefix(prefix),
            allowed: "a range outside the hub's and every other spoke's address space",
          });
        }
      }
    });
    seen.push([key, space]);
  }
  return problems;
}

/** Applies defaults and validates. Returns the peerings, or every problem found. */
export function normalizeHubAndSpoke<Ref>(
  options: HubAndSpokeOptions<Ref>,
): { value: NormalizedHubAndSpoke<Ref>; problems: [] } | { value?: undefined; problems: Problem[] } {
  const problems: Problem[] = [];
  const keys = Object.keys(options.spokes ?? {}).sort();
  if (keys.length === 0) {
    problems.push({ path: "spokes", message: "is empty", allowed: "at least one spoke VNet" });
  }
  const hubSpace = spaceOf(options.hub?.addressSpace, "hub.addressSpace", problems);
  const spokeSpaces: Record<string, Prefix[]> = {};
  for (const key of keys) {
    spokeSpaces[key] = spaceOf(options.spokes[key]?.addressSpace, `spokes.${key}.addressSpace`, problems);
  }
  if (problems.length === 0) problems.push(...peeringOverlapProblems(hubSpace, spokeSpaces));

  const gateway = options.hubGateway ?? false;
  const forwarded = options.allowForwardedTraffic ?? false;
  const hubParts = resolveNameParts(options.hub, "hub");
  problems.push(...hubParts.problems.map((p) => ({ ...p, path: `hub.${p.path}` })));
  const spokes: NormalizedSpoke<Ref>[] = [];
  for (const key of keys) {
    const spoke = options.spokes[key]!;
    const parts = resolveNameParts(spoke, key);
    problems.push(...parts.problems.map((p) => ({ ...p, path: `spokes.${key}.${p.path}` })));
    const found: Problem[] = [];
    const hubToSpoke = resolveAzureName(
      "virtualNetworkPeering",
      undefined,
      "",
      [...hubParts.parts, "to", key],
      found,
    );
    const spokeToHub = resolveAzureName(
      "virtualNetworkPeering",
      undefined,
      "",
      [...parts.parts, "to", "hub"],
      found,
    );
    problems.push(...found.map((p) => ({ ...p, path: `spokes.${key}.nameParts` })));
    spokes.push({
      key,
      // The hub never takes forwarded traffic from a spoke; it offers its gateway, if any.
      hubToSpoke: {
        name: hubToSpoke,
        local: options.hub,
        remote: spoke,
        allowForwardedTraffic: false,
        allowGatewayTransit: gateway,
        useRemoteGateways: false,
      },
      spokeToHub: {
        name: spokeToHub,
        local: spoke,
        remote: options.hub,
        allowForwardedTraffic: forwarded,
        allowGatewayTransit: false,
        useRemoteGateways: gateway,
      },
    });
  }
  if (problems.length > 0) return { problems };
  return { value: { spokes }, problems: [] };
}
