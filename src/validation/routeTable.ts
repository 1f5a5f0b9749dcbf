/**
 * Defaults and validation for the RouteTable component: a route table with user-defined routes (UDRs).
 * The rules are Azure's ("Virtual network traffic routing", learn.microsoft.com/azure/virtual-network/
 * virtual-networks-udr-overview): a next hop IP address is given for VirtualAppliance routes only, and
 * the networking limits page ("Azure subscription and service limits") allows 400 routes per route table.
 */
import {
  contains,
  formatPrefix,
  hostPrefix,
  isAligned,
  overlaps,
  parseAddress,
  parsePrefix,
  type Prefix,
} from "../cidr/address.ts";
import type { Problem } from "../errors.ts";
import { resolveAzureName, resolveNameParts, type AzureNaming } from "./names.ts";

/** The next hop types a stack file may use. VirtualNetworkGateway needs a gateway, which azlab never deploys. */
export const ROUTE_NEXT_HOP_TYPES = ["VirtualAppliance", "VnetLocal", "Internet", "None"] as const;
export type RouteNextHopType = (typeof ROUTE_NEXT_HOP_TYPES)[number];

/** Routes per route table (Azure networking limits). */
export const MAX_ROUTES = 400;

/** Route names follow the Microsoft.Network rule: 1–80 characters, letters, digits, `_ . -`. */
const ROUTE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/;

/** One user-defined route. */
export interface RouteOptions {
  /** Destination CIDR, host bits clear. Required. */
  readonly addressPrefix: string;
  /** Where matching traffic goes. Required. */
  readonly nextHopType: string;
  /** The appliance's private IP address; required for VirtualAppliance and refused for any other type. */
  readonly nextHopIpAddress?: string;
}

/** The plain (non-Output) settings of a RouteTable. */
export interface RouteTableOptions extends AzureNaming {
  /** Azure name of the route table. Defaults to `rt-<nameParts>`. */
  readonly routeTableName?: string;
  /** Routes keyed by route name. Defaults to none (the table only takes part in the subnet association). */
  readonly routes?: Readonly<Record<string, RouteOptions>>;
  /**
   * Ranges a VirtualAppliance next hop must lie in, such as the hub VNet's address space, so a route
   * never points at an address no peered network holds. Defaults to none (any address).
   */
  readonly nextHopRanges?: readonly string[];
  /**
   * Subnets that hold one service and no appliance, such as the hub's AzureBastionSubnet: no next hop may lie
   * in one, and no route may take its traffic off the peering. Azure picks the route with the longest
   * matching prefix, a user-defined one winning a tie ("Virtual network traffic routing",
   * learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview), so a route overlapping such a
   * subnet at least as specifically as the subnet's own range would carry its traffic. Defaults to none.
   */
  readonly reservedSubnets?: Readonly<Record<string, string>>;
  /** Let a VPN or ExpressRoute gateway propagate its routes into the table. Defaults to true (Azure's default). */
  readonly bgpRoutePropagation?: boolean;
}

export interface NormalizedRoute {
  readonly name: string;
  readonly addressPrefix: string;
  readonly nextHopType: RouteNextHopType;
  readonly nextHopIpAddress?: string;
}

/** The options with every default applied; routes sorted by name. */
export interface NormalizedRouteTable {
  readonly routeTableName: string;
  readonly routes: readonly NormalizedRoute[];
  readonly bgpRoutePropagation: boolean;
}

function nextHopProblems(
  route: RouteOptions,
  prefix: Prefix | undefined,
  ranges: readonly Prefix[],
  path: string,
): Problem[] {
  const ip = route.nextHopIpAddress;
  if (route.nextHopType !== "VirtualAppliance") {
    return ip === undefined
      ? []
      : [
          {
            path: `${path}.nextHopIpAddress`,
            message: `is only for next hop type VirtualAppliance (this route's is ${route.nextHopType})`,
            value: ip,
            allowed: "no nextHopIpAddress, or nextHopType: VirtualAppliance",
          },
        ];
  }
  const rangeText = ranges.map((r) => formatPrefix(r)).join(", ");
  if (ip === undefined) {
    return [
      {
        path: `${path}.nextHopIpAddress`,
        message: "is required for next hop type VirtualAppliance",
        allowed:
          ranges.length > 0 ? `the appliance's private IP address inside ${rangeText}` : "an IP address",
      },
    ];
  }
  const address = typeof ip === "string" ? parseAddress(ip) : undefined;
  if (!address || ip.trim() !== ip) {
    return [
      {
        path: `${path}.nextHopIpAddress`,
        message: "is not an IP address",
        value: ip,
        allowed: "an address such as 10.100.4.4",
      },
    ];
  }
  if (prefix && prefix.version !== address.version) {
    return [
      {
        path: `${path}.nextHopIpAddress`,
        message: `is an IPv${address.version} address for an IPv${prefix.version} route`,
        value: ip,
        allowed: `an IPv${prefix.version} address`,
      },
    ];
  }
  const host = hostPrefix(address);
  if (ranges.length > 0 && !ranges.some((range) => contains(range, host))) {
    return [
      {
        path: `${path}.nextHopIpAddress`,
        message: "is outside the hub's address space",
        value: ip,
        allowed: `an address inside ${rangeText}`,
      },
    ];
  }
  return [];
}

/** Applies defaults and validates. Returns the settings, or every problem found. */
export function normalizeRouteTable(
  options: RouteTableOptions,
  componentName: string,
): { value: NormalizedRouteTable; problems: [] } | { value?: undefined; problems: Problem[] } {
  const { parts, problems } = resolveNameParts(options, componentName);
  const routeTableName = resolveAzureName(
    "routeTable",
    options.routeTableName,
    "routeTableName",
    parts,
    problems,
  );
  const ranges: Prefix[] = [];
  (options.nextHopRanges ?? []).forEach((text, i) => {
    const range = parsePrefix(text);
    if (range && isAligned(range)) ranges.push(range);
    else {
      problems.push({
        path: `nextHopRanges[${i}]`,
        message: "is not a CIDR block with host bits clear",
        value: text,
        allowed: "a CIDR such as 10.100.0.0/24",
      });
    }
  });
  const entries = Object.entries(options.routes ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length > MAX_ROUTES) {
    problems.push({
      path: "routes",
      message: `has ${entries.length} routes; a route table holds at most ${MAX_ROUTES}`,
      allowed: `at most ${MAX_ROUTES} routes`,
    });
  }
  const routes: NormalizedRoute[] = [];
  for (const [name, route] of entries) {
    const path = `routes.${name}`;
    if (!ROUTE_NAME.test(name)) {
      problems.push({
        path,
        message: "is not a valid route name",
        value: name,
        allowed:
          "1–80 letters, digits, hyphens, underscores and periods, starting with a letter or digit and ending with a letter, digit or underscore",
      });
    }
    const prefix = typeof route.addressPrefix === "string" ? parsePrefix(route.addressPrefix) : undefined;
    if (!prefix) {
      problems.push({
        path: `${path}.addressPrefix`,
        message: "is not a CIDR block",
        value: route.addressPrefix,
        allowed: "a CIDR such as 0.0.0.0/0 or 10.100.0.0/16",
      });
    } else if (!isAligned(prefix)) {
      problems.push({
        path: `${path}.addressPrefix`,
        message: `is not aligned to its /${prefix.length} (host bits are set)`,
        value: route.addressPrefix,
        allowed: formatPrefix(prefix),
      });
    }
    const type = ROUTE_NEXT_HOP_TYPES.find((t) => t === route.nextHopType);
    if (type === undefined) {
      problems.push({
        path: `${path}.nextHopType`,
        message: "is not a next hop type azlab supports",
        value: route.nextHopType,
        allowed: ROUTE_NEXT_HOP_TYPES.join(", "),
      });
    } else {
      problems.push(...nextHopProblems(route, prefix, ranges, path));
    }
    problems.push(...reservedSubnetProblems(route, prefix, options.reservedSubnets ?? {}, path));
    routes.push({
      name,
      addressPrefix: route.addressPrefix,
      nextHopType: type ?? "None",
      ...(route.nextHopIpAddress !== undefined ? { nextHopIpAddress: route.nextHopIpAddress } : {}),
    });
  }
  if (problems.length > 0) return { problems };
  return {
    value: { routeTableName, routes, bgpRoutePropagation: options.bgpRoutePropagation ?? true },
    problems: [],
  };
}

/** A route that would take a reserved subnet's traffic, or an appliance address inside one. */
function reservedSubnetProblems(
  route: RouteOptions,
  prefix: Prefix | undefined,
  reserved: Readonly<Record<string, string>>,
  path: string,
): Problem[] {
  const problems: Problem[] = [];
  for (const [name, text] of Object.entries(reserved)) {
    const subnet = parsePrefix(text);
    if (!subnet) continue;
    if (
      prefix &&
      prefix.version === subnet.version &&
      overlaps(prefix, subnet) &&
      prefix.length >= subnet.length
    ) {
      problems.push({
        path: `${path}.addressPrefix`,
        message: `takes the traffic of ${name} (${text}) off the peering: it is at least as specific as that subnet's route`,
        value: route.addressPrefix,
        allowed: `a prefix outside ${text}, or one shorter than /${subnet.length}`,
      });
    }
    const ip = typeof route.nextHopIpAddress === "string" ? parseAddress(route.nextHopIpAddress) : undefined;
    const host = ip && hostPrefix(ip);
    if (host && host.version === subnet.version && contains(subnet, host)) {
      problems.push({
        path: `${path}.nextHopIpAddress`,
        message: `is inside ${name} (${text}), which holds no appliance`,
        value: route.nextHopIpAddress,
        allowed: `the address of an appliance in another subnet of the hub`,
      });
    }
  }
  return problems;
}
