/**
 * IP addresses and prefixes as bigints: the one representation every CIDR routine in azlab uses.
 * bigint keeps IPv4 and IPv6 on the same code path and never loses precision on 128-bit math.
 * ip-cidr does the syntax check so that what azlab accepts matches a well-known parser.
 */
import IPCIDR from "ip-cidr";

export type IpVersion = 4 | 6;

/** A parsed CIDR block. `network` is the first address of the block (host bits cleared). */
export interface Prefix {
  readonly version: IpVersion;
  /** The address as written, which may have host bits set (Terraform's cidrhost accepts that). */
  readonly address: bigint;
  /** The block's first address. */
  readonly network: bigint;
  readonly length: number;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export const ADDRESS_BITS: Record<IpVersion, number> = { 4: 32, 6: 128 };

/** Parses an IPv4 or IPv6 address without a prefix length. Returns undefined when it is not one. */
export function parseAddress(text: string): { version: IpVersion; value: bigint } | undefined {
  const trimmed = text.trim();
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(trimmed)) {
    const octets = trimmed.split(".").map(Number);
    if (octets.some((o) => o > 255)) return undefined;
    if (trimmed.split(".").some((o) => o.length > 1 && o.startsWith("0"))) return undefined;
    return { version: 4, value: octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n) };
  }
  if (trimmed.includes(":")) {
    return parseIpv6(trimmed);
  }
  return undefined;
}

function parseIpv6(text: string): { version: 6; value: bigint } | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const toGroups = (part: string): number[] | undefined => {
    if (part === "") return [];
    const groups: number[] = [];
    const pieces = part.split(":");
    for (const [i, piece] of pieces.entries()) {
      if (piece.includes(".")) {
        // Embedded IPv4 (::ffff:1.2.3.4) may only be the last piece.
        const v4 = i === pieces.length - 1 ? parseAddress(piece) : undefined;
        if (!v4 || v4.version !== 4) return undefined;
        groups.push(Number(v4.value >> 16n), Number(v4.value & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
        groups.push(parseInt(piece, 16));
      }
    }
    return groups;
  };
  const head = toGroups(halves[0] ?? "");
  const tail = halves.length === 2 ? toGroups(halves[1] ?? "") : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return { version: 6, value: groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n) };
}

/** Formats an address the way Go's net package (and so Terraform) prints it. */
/** One address as the block that holds it alone: a /32 (IPv4) or /128 (IPv6). */
export function hostPrefix(address: { readonly version: IpVersion; readonly value: bigint }): Prefix {
  return {
    version: address.version,
    address: address.value,
    network: address.value,
    length: ADDRESS_BITS[address.version],
  };
}

export function formatAddress(version: IpVersion, value: bigint): string {
  if (version === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join(".");
  }
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: compress the longest run of two or more zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  const head = hex.slice(0, bestStart).join(":");
  const tail = hex.slice(bestStart + bestLength).join(":");
  return `${head}::${tail}`;
}

/** Parses `address/length`. Returns undefined for anything that is not a valid CIDR. */
export function parsePrefix(text: string): Prefix | undefined {
  if (typeof text !== "string") return undefined;
  const match = /^([^/\s]+)\/(\d{1,3})$/.exec(text.trim());
  if (!match) return undefined;
  // Dotted-quad IPv4 is fully checked by parseAddress; ip-cidr vets the many spellings of IPv6.
  // Skipping it for IPv4 matters: planning re-parses every locked CIDR (thousands in a large class).
  if (!IPV4.test(match[1] ?? "") && !IPCIDR.isValidCIDR(text.trim())) return undefined;
  const address = parseAddress(match[1] ?? "");
  const length = Number(match[2]);
  if (!address || length > ADDRESS_BITS[address.version]) return undefined;
  const hostBits = BigInt(ADDRESS_BITS[address.version] - length);
  const network = (address.value >> hostBits) << hostBits;
  return { version: address.version, address: address.value, network, length };
}

/**
 * A prefix as a value, or as text where text is the input: JSON fixtures, the lock file and the
 * component args (components are reusable and take CIDR strings). The stack config is parsed into
 * values once, in src/config, so a planner run fed from it never parses a CIDR again.
 */
export type PrefixInput = Prefix | string;

/** The prefix of `input`: a value as it is, text parsed. Undefined for text that is not a CIDR. */
export function toPrefix(input: PrefixInput): Prefix | undefined {
  return typeof input === "string" ? parsePrefix(input) : input;
}

/** True when the prefix has no host bits set: `10.0.0.0/24`, not `10.0.0.5/24`. */
export function isAligned(prefix: Prefix): boolean {
  return prefix.address === prefix.network;
}

/** `input` as text for a problem's value: text as written, a value with its host bits as written. */
export function inputText(input: PrefixInput): string {
  return typeof input === "string" ? input : `${formatAddress(input.version, input.address)}/${input.length}`;
}

/** Number of addresses in a block of this prefix length. */
export function blockSize(version: IpVersion, length: number): bigint {
  return 1n << BigInt(ADDRESS_BITS[version] - length);
}

/** The last address of the block. */
export function lastAddress(prefix: Prefix): bigint {
  return prefix.network + blockSize(prefix.version, prefix.length) - 1n;
}

/** Canonical text of the block, host bits cleared: `10.0.0.0/24`. */
export function formatPrefix(prefix: Pick<Prefix, "version" | "network" | "length">): string {
  return `${formatAddress(prefix.version, prefix.network)}/${prefix.length}`;
}

/** True when the two blocks share at least one address. Different IP versions never overlap. */
export function overlaps(a: Prefix, b: Prefix): boolean {
  return a.version === b.version && a.network <= lastAddress(b) && b.network <= lastAddress(a);
}

/** True when `inner` lies wholly inside `outer`. */
export function contains(outer: Prefix, inner: Prefix): boolean {
  return (
    outer.version === inner.version &&
    inner.length >= outer.length &&
    inner.network >= outer.network &&
    lastAddress(inner) <= lastAddress(outer)
  );
}

/** The blocks as merged, sorted, inclusive [first, last] address intervals (adjacent blocks join). */
export function mergeIntervals(blocks: readonly Prefix[]): [bigint, bigint][] {
  const sorted = blocks
    .map((b): [bigint, bigint] => [b.network, lastAddress(b)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const merged: [bigint, bigint][] = [];
  for (const [start, end] of sorted) {
    const top = merged[merged.length - 1];
    if (top && start <= top[1] + 1n) {
      if (end > top[1]) top[1] = end;
    } else {
      merged.push([start, end]);
    }
  }
  return merged;
}
