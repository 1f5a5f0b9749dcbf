/**
 * Azure's rules for VNets as pure checks: address spaces, the stack's reserved ranges and a finished
 * layout. Each returns every problem it finds; none throws. Paths: a VNet's config path `P`, its
 * ranges `P.addressSpace[i]` and its subnets `P.subnets.NAME`. Ranges come as prefix values, or as
 * text from the component args (see `PrefixInput`); a problem shows the range as written.
 */
import type { Problem } from "../errors.ts";
import {
  contains,
  formatPrefix,
  inputText,
  isAligned,
  overlaps,
  parsePrefix,
  toPrefix,
} from "../cidr/address.ts";
import type { Prefix, PrefixInput } from "../cidr/address.ts";
import { BlockIndex, compareKeys } from "./blocks.ts";

/** IPv4 ranges Azure refuses in a VNet's address space, with the reason shown to the user. */
export const AZURE_FORBIDDEN_RANGES: Readonly<Record<string, string>> = {
  "224.0.0.0/4": "multicast",
  "255.255.255.255/32": "broadcast",
  "127.0.0.0/8": "loopback",
  "169.254.0.0/16": "link-local",
  "168.63.129.16/32": "Azure's internal DNS and health-probe address",
};

// Parsed once: every address range of every VNet is checked against them.
const FORBIDDEN_PREFIXES: readonly [string, Prefix][] = Object.keys(AZURE_FORBIDDEN_RANGES).map((range) => [
  range,
  parsePrefix(range) as Prefix,
]);

/** One VNet as `addressSpaceProblems` and `layoutProblems` see it. */
export interface VnetLayout {
  /** Config path of the VNet. */
  readonly path: string;
  /** Address ranges as written. */
  readonly addressSpace: readonly PrefixInput[];
  /** Subnet name → block (only for `layoutProblems`). */
  readonly subnets?: Readonly<Record<string, PrefixInput>>;
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
    for (const [i, input] of vnet.addressSpace.entries()) {
      const path = `${vnet.path}.addressSpace[${i}]`;
      const prefix = toPrefix(input);
      const text = inputText(input);
      if (!prefix) {
        problems.push({
          path,
          message: "address range is not a valid CIDR block",
          value: text,
          allowed: "a CIDR such as 10.0.0.0/16",
        });
        continue;
      }
      if (!isAligned(prefix)) {
        problems.push({
          path,
          message: `address range is not aligned to its /${prefix.length} (host bits are set)`,
          value: text,
          allowed: formatPrefix(prefix),
        });
        continue;
      }
      const forbidden = FORBIDDEN_PREFIXES.find(([, range]) => overlaps(range, prefix))?.[0];
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
        value: vnet.addressSpace.map(inputText),
        allowed: "at least one IPv4 CIDR (Azure does not support IPv6-only VNets)",
      });
    }
  }
  return problems;
}

/** Checks the stack's reserved ranges: each a CIDR with host bits clear. `path` is the list's path. */
export function reservedCidrProblems(reserved: readonly PrefixInput[], path: string): Problem[] {
  const problems: Problem[] = [];
  for (const [i, input] of reserved.entries()) {
    const prefix = toPrefix(input);
    if (!prefix || !isAligned(prefix)) {
      problems.push({
        path: `${path}[${i}]`,
        message: prefix
          ? `reserved range is not aligned to its /${prefix.length} (host bits are set)`
          : "reserved range is not a valid CIDR block",
        value: inputText(input),
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
  reservedCidrs: readonly PrefixInput[],
): Problem[] {
  const problems: Problem[] = [];
  const reserved = new BlockIndex();
  for (const input of reservedCidrs) {
    const prefix = toPrefix(input);
    if (prefix) reserved.add(prefix, formatPrefix(prefix));
  }
  const held = new BlockIndex();
  const owners = new Map<string, { vnet: string; name: string; cidr: string }>();
  for (const key of Object.keys(vnets).sort(compareKeys)) {
    const vnet = vnets[key] as VnetLayout;
    const space = vnet.addressSpace.map((input) => toPrefix(input)).filter((p) => p !== undefined);
    const spaceText = space.map((p) => formatPrefix(p)).join(", ");
    const subnets = vnet.subnets ?? {};
    for (const name of Object.keys(subnets).sort(compareKeys)) {
      const input = subnets[name] as PrefixInput;
      const prefix = toPrefix(input);
      if (!prefix) continue;
      const text = inputText(input);
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
