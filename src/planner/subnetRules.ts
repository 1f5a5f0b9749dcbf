/**
 * Azure's rules for VNets and subnets as pure checks. Each returns every problem it finds;
 * none throws. Paths: a VNet's config path `P`, its ranges `P.addressSpace[i]`, its subnets
 * `P.subnets.NAME` and their fields `P.subnets.NAME.hosts|prefixLength|cidr`.
 */
import type { Problem } from "../errors.ts";
import { contains, formatPrefix, overlaps, parsePrefix } from "../cidr/address.ts";
import type { Prefix } from "../cidr/address.ts";
import { BlockIndex, compareKeys } from "./allocate.ts";
import type { SubnetRequest } from "./types.ts";

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

/** IPv4 ranges Azure refuses in a VNet's address space, with the reason shown to the user. */
export const AZURE_FORBIDDEN_RANGES: Readonly<Record<string, string>> = {
  "224.0.0.0/4": "multicast",
  "255.255.255.255/32": "broadcast",
  "127.0.0.0/8": "loopback",
  "169.254.0.0/16": "link-local",
  "168.63.129.16/32": "Azure's internal DNS and health-probe address",
};

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
  if ("cidr" in request) return parsePrefix(request.cidr)?.length;
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
    const prefix = parsePrefix(request.cidr);
    if (!prefix) {
      return [
        {
          path: fieldPath,
          message: "cidr is not a valid CIDR block",
          value: request.cidr,
          allowed: "a CIDR such as 10.0.1.0/24",
        },
      ];
    }
    if (prefix.address !== prefix.network) {
      return [
        {
          path: fieldPath,
          message: `cidr is not aligned to its /${prefix.length} (host bits are set)`,
          value: request.cidr,
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
              value: request.cidr,
              allowed: "a /64",
            },
          ];
    }
    if (prefix.length > SMALLEST_IPV4_SUBNET_PREFIX) {
      return [
        {
          path: fieldPath,
          message: "cidr is smaller than Azure's smallest IPv4 subnet, /29",
          value: request.cidr,
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
        value: record[field],
        allowed: special.allowed,
      },
    ];
  }
  return [];
}

/** One VNet as `addressSpaceProblems` and `layoutProblems` see it. */
export interface VnetLayout {
  /** Config path of the VNet. */
  readonly path: string;
  /** Address ranges as written. */
  readonly addressSpace: readonly string[];
  /** Subnet name → CIDR (only for `layoutProblems`). */
  readonly subnets?: Readonly<Record<string, string>>;
}

/**
 * Checks the VNets' address spaces: each range a CIDR with host bits clear and clear of the ranges
 * Azure forbids, at least one IPv4 range per VNet, and no overlap within a VNet or across VNets.
 * On an overlap the range that comes later (VNet key order, then list order) is blamed.
 */
export function addressSpaceProblems(
  vnets: Readonly<Record<string, Pick<VnetLayout, "path" | "addressSpace">>>,
): Problem[] {
  const problems: Problem[] = [];
  const seen: { key: string; prefix: Prefix }[] = [];
  for (const key of Object.keys(vnets).sort(compareKeys)) {
    const vnet = vnets[key] as Pick<VnetLayout, "path" | "addressSpace">;
    const valid: Prefix[] = [];
    if (vnet.addressSpace.length === 0) {
      problems.push({
        path: `${vnet.path}.addressSpace`,
        message: "VNet has no address space",
        allowed: "at least one IPv4 CIDR such as 10.0.0.0/16",
      });
    }
    for (const [i, text] of vnet.addressSpace.entries()) {
      const path = `${vnet.path}.addressSpace[${i}]`;
      const prefix = parsePrefix(text);
      if (!prefix) {
        problems.push({
          path,
          message: "address range is not a valid CIDR block",
          value: text,
          allowed: "a CIDR such as 10.0.0.0/16",
        });
        continue;
      }
      if (prefix.address !== prefix.network) {
        problems.push({
          path,
          message: `address range is not aligned to its /${prefix.length} (host bits are set)`,
          value: text,
          allowed: formatPrefix(prefix),
        });
        continue;
      }
      const forbidden = Object.keys(AZURE_FORBIDDEN_RANGES).find((range) =>
        overlaps(parsePrefix(range) as Prefix, prefix),
      );
      if (forbidden !== undefined) {
        problems.push({
          path,
          message: `address range overlaps ${forbidden} (${AZURE_FORBIDDEN_RANGES[forbidden]}), which Azure does not allow in a VNet`,
          value: text,
          allowed: `a range outside ${Object.keys(AZURE_FORBIDDEN_RANGES).join(", ")}`,
        });
        continue;
      }
      valid.push(prefix);
      const other = seen.find((s) => overlaps(s.prefix, prefix));
      if (other) {
        const whose = other.key === key ? "the same VNet" : `VNet ${other.key}`;
        problems.push({
          path,
          message: `address range overlaps ${formatPrefix(other.prefix)} of ${whose}`,
          value: text,
          allowed: "a range that overlaps no other address range of the stack",
        });
        continue;
      }
      seen.push({ key, prefix });
    }
    if (valid.length > 0 && !valid.some((p) => p.version === 4)) {
      problems.push({
        path: `${vnet.path}.addressSpace`,
        message: "VNet has no IPv4 address range",
        value: vnet.addressSpace,
        allowed: "at least one IPv4 CIDR (Azure does not support IPv6-only VNets)",
      });
    }
  }
  return problems;
}

/** Checks the stack's reserved ranges: each a CIDR with host bits clear. `path` is the list's path. */
export function reservedCidrProblems(reserved: readonly string[], path: string): Problem[] {
  const problems: Problem[] = [];
  for (const [i, text] of reserved.entries()) {
    const prefix = parsePrefix(text);
    if (!prefix || prefix.address !== prefix.network) {
      problems.push({
        path: `${path}[${i}]`,
        message: prefix
          ? `reserved range is not aligned to its /${prefix.length} (host bits are set)`
          : "reserved range is not a valid CIDR block",
        value: text,
        allowed: prefix ? formatPrefix(prefix) : "a CIDR such as 192.168.0.0/16",
      });
    }
  }
  return problems;
}

/**
 * Checks a finished layout: every subnet inside its VNet's address space, no subnet overlapping
 * another (within a VNet or across VNets) or a reserved range. Subnets are visited in VNet key
 * order, then name order, and the later one of an overlapping pair is blamed.
 * Unparsable CIDRs are skipped here; `subnetRequestProblems` reports them.
 */
export function layoutProblems(
  vnets: Readonly<Record<string, VnetLayout>>,
  reservedCidrs: readonly string[],
): Problem[] {
  const problems: Problem[] = [];
  const reserved = new BlockIndex();
  for (const text of reservedCidrs) {
    const prefix = parsePrefix(text);
    if (prefix) reserved.add(prefix, formatPrefix(prefix));
  }
  const held = new BlockIndex();
  const owners = new Map<string, { vnet: string; name: string; cidr: string }>();
  for (const key of Object.keys(vnets).sort(compareKeys)) {
    const vnet = vnets[key] as VnetLayout;
    const space = vnet.addressSpace.map((text) => parsePrefix(text)).filter((p) => p !== undefined);
    const spaceText = space.map((p) => formatPrefix(p)).join(", ");
    const subnets = vnet.subnets ?? {};
    for (const name of Object.keys(subnets).sort(compareKeys)) {
      const text = subnets[name] as string;
      const prefix = parsePrefix(text);
      if (!prefix) continue;
      const cidr = formatPrefix(prefix);
      const path = `${vnet.path}.subnets.${name}`;
      if (!space.some((range) => contains(range, prefix))) {
        problems.push({
          path,
          message: `subnet ${cidr} lies outside the VNet's address space`,
          value: text,
          allowed: `a block inside ${spaceText || "the VNet's address space"}`,
        });
        continue;
      }
      const blocked = reserved.find(prefix);
      if (blocked !== undefined) {
        problems.push({
          path,
          message: `subnet ${cidr} overlaps the reserved range ${blocked}`,
          value: text,
          allowed: `a block that avoids ${blocked}`,
        });
        continue;
      }
      const ownerId = held.find(prefix);
      const owner = ownerId === undefined ? undefined : owners.get(ownerId);
      if (owner) {
        const where = owner.vnet === key ? "the same VNet" : `VNet ${owner.vnet}`;
        problems.push({
          path,
          message: `subnet ${cidr} overlaps subnet ${owner.name} (${owner.cidr}) of ${where}`,
          value: text,
          allowed: "a block that overlaps no other subnet of the stack",
        });
        continue;
      }
      const id = `${key}\u0000${name}`;
      owners.set(id, { vnet: key, name, cidr });
      held.add(prefix, id);
    }
  }
  return problems;
}
