/**
 * Azure's rules for one subnet as pure checks: its name, its size request and the sizes of the
 * service subnets. Each returns every problem it finds; none throws. Paths: a subnet's config path
 * `P.subnets.NAME` and its fields `P.subnets.NAME.hosts|prefixLength|cidr`. The rules for a VNet's
 * address space and a whole layout are in vnetRules.ts, re-exported here.
 */
import type { Problem } from "../errors.ts";
import { formatPrefix, inputText, isAligned, toPrefix } from "../cidr/address.ts";
import type { Prefix } from "../cidr/address.ts";
import type { SubnetRequest } from "./types.ts";

export {
  addressSpaceProblems,
  AZURE_FORBIDDEN_RANGES,
  layoutProblems,
  reservedCidrProblems,
} from "./vnetRules.ts";
export type { VnetLayout } from "./vnetRules.ts";

/** Azure keeps the first four and the last address of every subnet. */
export const AZURE_RESERVED_ADDRESSES = 5;
/** Longest IPv4 prefix Azure accepts for a subnet: a /29 (8 addresses, 3 usable). */
export const SMALLEST_IPV4_SUBNET_PREFIX = 29;
/** Azure IPv6 subnets are always /64. */
export const IPV6_SUBNET_PREFIX = 64;

/** Subnets whose name Azure reserves for a service, with the size that service needs. */
export const SPECIAL_SUBNETS: Readonly<
  Record<string, { readonly maxPrefixLength: number; readonly exact: boolean; readonly allowed: string }>
> = {
  GatewaySubnet: {
    maxPrefixLength: 27,
    exact: false,
    allowed: "/27 or larger (Azure's recommended minimum; /29 is the hard floor)",
  },
  AzureBastionSubnet: {
    maxPrefixLength: 26,
    exact: false,
    allowed: "/26 or larger (Azure Bastion's minimum)",
  },
  AzureFirewallSubnet: {
    maxPrefixLength: 26,
    exact: true,
    allowed: "/26 (the size Azure Firewall requires)",
  },
  AzureFirewallManagementSubnet: {
    maxPrefixLength: 26,
    exact: true,
    allowed: "/26 (the size Azure Firewall requires)",
  },
  RouteServerSubnet: {
    maxPrefixLength: 27,
    exact: false,
    allowed: "/27 or larger (Azure Route Server's minimum)",
  },
};

/** True when Azure reserves `name` for a service subnet (a key of `SPECIAL_SUBNETS`). */
export function isSpecialSubnet(name: string): boolean {
  return Object.hasOwn(SPECIAL_SUBNETS, name);
}

const SUBNET_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/;
const SUBNET_NAME_ALLOWED =
  "1 to 80 letters, digits, underscores, periods and hyphens, starting with a letter or digit and ending with a letter, digit or underscore";

/** Usable addresses of an IPv4 subnet of this length (size − 5). */
export function usableHosts(prefixLength: number): number {
  return 2 ** (32 - prefixLength) - AZURE_RESERVED_ADDRESSES;
}

/**
 * The longest IPv4 prefix whose usable addresses hold `hosts`, never longer than /29:
 * 3 → /29, 251 → /24, 252 → /23. Undefined when `hosts` is not an integer from 1 to 2³² − 5.
 */
export function hostsToPrefixLength(hosts: number): number | undefined {
  if (!Number.isInteger(hosts) || hosts < 1) return undefined;
  for (let length = SMALLEST_IPV4_SUBNET_PREFIX; length >= 0; length--) {
    if (usableHosts(length) >= hosts) return length;
  }
  return undefined;
}

/** The prefix length a request asks for, or undefined when it is not a well-formed request. */
export function resolvePrefixLength(request: SubnetRequest): number | undefined {
  if ("cidr" in request) return toPrefix(request.cidr)?.length;
  if ("hosts" in request) return hostsToPrefixLength(request.hosts);
  return Number.isInteger(request.prefixLength) ? request.prefixLength : undefined;
}

/** Checks a subnet name against Azure's naming rules. `path` is the subnet's path. */
export function subnetNameProblems(name: string, path: string): Problem[] {
  return SUBNET_NAME.test(name)
    ? []
    : [{ path, message: "subnet name is not valid in Azure", value: name, allowed: SUBNET_NAME_ALLOWED }];
}

/**
 * Checks one subnet request on its own: its shape, the hosts/prefixLength/cidr value, Azure's
 * size limits and the sizes of the service subnets (GatewaySubnet and friends).
 * `largestIpv4Range` is the VNet's IPv4 range with the shortest prefix; sized requests must fit it.
 * Placement (inside the VNet, no overlaps) is checked by the allocator and `layoutProblems`.
 */
export function subnetRequestProblems(
  name: string,
  request: SubnetRequest,
  path: string,
  largestIpv4Range: Prefix | undefined,
): Problem[] {
  // Guard against data that skipped the schema: this check must never throw.
  const record: Record<string, unknown> =
    typeof request === "object" && request !== null ? (request as Record<string, unknown>) : {};
  const fields = (["prefixLength", "hosts", "cidr"] as const).filter((field) => record[field] !== undefined);
  if (fields.length !== 1) {
    return [
      {
        path,
        message: "subnet must set exactly one of prefixLength, hosts and cidr",
        value: fields,
        allowed: "one of { prefixLength }, { hosts }, { cidr }",
      },
    ];
  }
  const field = fields[0] as "prefixLength" | "hosts" | "cidr";
  const fieldPath = `${path}.${field}`;
  const largest = largestIpv4Range ? formatPrefix(largestIpv4Range) : undefined;
  const shortest = largestIpv4Range?.length ?? 0;
  let resolved: number;

  if ("cidr" in request) {
    const prefix = toPrefix(request.cidr);
    const text = inputText(request.cidr);
    if (!prefix) {
      return [
        {
          path: fieldPath,
          message: "cidr is not a valid CIDR block",
          value: text,
          allowed: "a CIDR such as 10.0.1.0/24",
        },
      ];
    }
    if (!isAligned(prefix)) {
      return [
        {
          path: fieldPath,
          message: `cidr is not aligned to its /${prefix.length} (host bits are set)`,
          value: text,
          allowed: formatPrefix(prefix),
        },
      ];
    }
    if (prefix.version === 6) {
      return prefix.length === IPV6_SUBNET_PREFIX
        ? []
        : [
            {
              path: fieldPath,
              message: "IPv6 subnets must be exactly /64",
              value: text,
              allowed: "a /64",
            },
          ];
    }
    if (prefix.length > SMALLEST_IPV4_SUBNET_PREFIX) {
      return [
        {
          path: fieldPath,
          message: "cidr is smaller than Azure's smallest IPv4 subnet, /29",
          value: text,
          allowed: "a prefix length of 29 or less",
        },
      ];
    }
    resolved = prefix.length;
  } else if ("hosts" in request) {
    const hosts = request.hosts;
    const allowed = largestIpv4Range
      ? `an integer from 1 to ${usableHosts(shortest)}`
      : "an integer of at least 1, once the VNet has an IPv4 address range";
    if (!Number.isInteger(hosts) || hosts < 1) {
      return [
        { path: fieldPath, message: "hosts must be a whole number of at least 1", value: hosts, allowed },
      ];
    }
    const length = hostsToPrefixLength(hosts);
    if (length === undefined || (largestIpv4Range && length < shortest)) {
      return [
        {
          path: fieldPath,
          message: `${hosts} hosts do not fit in the VNet's largest IPv4 range${largest ? ` ${largest}` : ""}`,
          value: hosts,
          allowed,
        },
      ];
    }
    resolved = length;
  } else {
    const length = request.prefixLength;
    const allowed = `an integer from ${Math.min(shortest, SMALLEST_IPV4_SUBNET_PREFIX)} to ${SMALLEST_IPV4_SUBNET_PREFIX}`;
    const message = !Number.isInteger(length)
      ? "prefixLength must be a whole number"
      : length > SMALLEST_IPV4_SUBNET_PREFIX
        ? "prefixLength is smaller than Azure's smallest IPv4 subnet, /29"
        : length < 0 || (largestIpv4Range !== undefined && length < shortest)
          ? `a /${length} does not fit in the VNet's largest IPv4 range${largest ? ` ${largest}` : ""}`
          : undefined;
    if (message !== undefined) return [{ path: fieldPath, message, value: length, allowed }];
    resolved = length;
  }

  const special = isSpecialSubnet(name) ? SPECIAL_SUBNETS[name] : undefined;
  if (
    special &&
    (special.exact ? resolved !== special.maxPrefixLength : resolved > special.maxPrefixLength)
  ) {
    const size = special.exact
      ? `exactly /${special.maxPrefixLength}`
      : `/${special.maxPrefixLength} or larger`;
    const because = "hosts" in request ? ` (${request.hosts} hosts resolve to /${resolved})` : "";
    return [
      {
        path: fieldPath,
        message: `${name} must be ${size}${because}`,
        value: "cidr" in request ? inputText(request.cidr) : record[field],
        allowed: special.allowed,
      },
    ];
  }
  return [];
}
