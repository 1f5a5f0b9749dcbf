/**
 * Address counts of subnets and VNets. IPv4 counts are exact numbers (at most 2³²). IPv6 blocks
 * hold up to 2¹²⁸ addresses, beyond a double's exact range, so subnet counts also come as exact
 * decimal strings, and VNet utilization counts IPv4 only.
 */
import { blockSize, formatPrefix, inputText, mergeIntervals, toPrefix } from "../cidr/address.ts";
import type { Prefix, PrefixInput } from "../cidr/address.ts";
import { AZURE_RESERVED_ADDRESSES } from "./subnetRules.ts";
import type { SubnetUtilization, VnetUtilization } from "./types.ts";

/**
 * Total, reserved and usable addresses of one subnet. Throws on text that is not a CIDR:
 * callers pass planned blocks, so that is a bug, not a user error.
 */
export function subnetUtilization(cidr: PrefixInput): SubnetUtilization {
  const prefix = toPrefix(cidr);
  if (!prefix) throw new Error(`subnetUtilization: not a CIDR: ${JSON.stringify(inputText(cidr))}`);
  const total = blockSize(prefix.version, prefix.length);
  const reserved = BigInt(AZURE_RESERVED_ADDRESSES);
  // Blocks smaller than /29 are invalid in Azure; clamp so the figure is never negative.
  const usable = total > reserved ? total - reserved : 0n;
  return {
    cidr: formatPrefix(prefix),
    total: Number(total),
    reserved: AZURE_RESERVED_ADDRESSES,
    usable: Number(usable),
    exactTotal: total.toString(),
    exactUsable: usable.toString(),
  };
}

/** Sorted, merged inclusive intervals of the IPv4 blocks among `cidrs`; other entries are skipped. */
function ipv4Intervals(cidrs: readonly PrefixInput[]): [bigint, bigint][] {
  return mergeIntervals(
    cidrs.map((input) => toPrefix(input)).filter((p): p is Prefix => p !== undefined && p.version === 4),
  );
}

/**
 * IPv4 utilization of a VNet: addresses in its address space, how many of them lie in subnets,
 * and the ratio. Overlaps are counted once and subnet space outside the address space not at all,
 * so the ratio stays within 0..1 even for an invalid layout. IPv6 ranges and subnets are ignored.
 */
export function vnetUtilization(
  addressSpace: readonly PrefixInput[],
  subnetCidrs: readonly PrefixInput[],
): VnetUtilization {
  const space = ipv4Intervals(addressSpace);
  const used = ipv4Intervals(subnetCidrs);
  let total = 0n;
  for (const [start, end] of space) total += end - start + 1n;
  let allocated = 0n;
  let i = 0;
  // Both lists are sorted and merged, so one sweep finds every intersection.
  for (const [start, end] of used) {
    while (i < space.length && (space[i] as [bigint, bigint])[1] < start) i++;
    for (let j = i; j < space.length && (space[j] as [bigint, bigint])[0] <= end; j++) {
      const [s, e] = space[j] as [bigint, bigint];
      const low = s > start ? s : start;
      const high = e < end ? e : end;
      if (low <= high) allocated += high - low + 1n;
    }
  }
  return {
    total: Number(total),
    allocated: Number(allocated),
    free: Number(total - allocated),
    utilization: total === 0n ? 0 : Number(allocated) / Number(total),
  };
}
