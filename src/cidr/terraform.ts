/**
 * Terraform's IP network functions (cidrhost, cidrnetmask, cidrsubnet, cidrsubnets) with the same results,
 * so that address plans written for Terraform carry over to azlab unchanged.
 *
 * Semantics were checked against hashicorp/terraform internal/lang/funcs/cidr.go (and its tests) and
 * apparentlymart/go-cidr, which it calls:
 * - Every function works on the network of the prefix: host bits in the input are cleared first.
 * - cidrhost: a negative hostnum counts back from the end (-1 is the last address); the allowed range
 *   for h host bits is -2^h to 2^h - 1.
 * - cidrsubnet: newbits 0 with netnum 0 is accepted and returns the prefix itself; newbits may exceed 32
 *   (cidrsubnet("fe80::/48", 33, 6) = "fe80::3:0:0:0/81").
 * - cidrsubnets: each newbits must be 1 to 32 ("must extend prefix by at least one bit",
 *   "may not extend prefix by more than 32 bits"); each block starts at the first address after the
 *   previous one that is aligned to its own size; no arguments return an empty list.
 * Deliberate differences, all where Terraform fails or guesses:
 * - Go's go-cidr treats a negative netnum or newbits as undefined behaviour; azlab rejects them.
 * - Terraform reads IPv4 octets with leading zeros ("010.1.0.0/16") as decimal; azlab rejects them,
 *   since other tools read them as octal.
 * - Terraform's cidrsubnets fails for a prefix that starts at address zero (0.0.0.0/8, ::/16) because
 *   go-cidr reports a wrap-around when stepping back from it; azlab allocates from the start normally.
 * Not covered: IPv4-mapped IPv6 input (::ffff:192.168.0.0/112) keeps its IPv6 form here, where Terraform
 * prints IPv4; no azlab setting takes such prefixes.
 * Error messages are azlab's own and name the argument, the bad value and what is allowed.
 */
import { UserError } from "../errors.ts";
import {
  ADDRESS_BITS,
  blockSize,
  formatAddress,
  formatPrefix,
  lastAddress,
  parsePrefix,
  type IpVersion,
  type Prefix,
} from "./address.ts";

/** Terraform caps one cidrsubnets extension at 32 bits for portability with 32-bit hosts; azlab follows. */
const MAX_CIDRSUBNETS_NEWBITS = 32;

/** One line in the shape of formatProblem, but with the value already rendered (bigints cannot go through JSON). */
function argumentError(argument: string, message: string, got: string, allowed: string): UserError {
  return new UserError(`${argument}: ${message} (got ${got}; allowed: ${allowed})`);
}

function family(version: IpVersion): string {
  return version === 4 ? "an IPv4" : "an IPv6";
}

/**
 * Parses a CIDR prefix or throws a UserError naming `argument`.
 * @param text - The prefix as the user wrote it, for example `10.0.0.0/16`.
 * @param argument - The argument or key name used in the message. Defaults to `prefix`.
 */
export function parseCidr(text: string, argument = "prefix"): Prefix {
  const prefix = parsePrefix(text);
  if (!prefix) {
    throw argumentError(
      argument,
      "not a valid CIDR prefix",
      JSON.stringify(text),
      "an IPv4 or IPv6 prefix such as 10.0.0.0/16 or fd00::/48",
    );
  }
  return prefix;
}

/** Converts a number or bigint argument to bigint, rejecting fractions, NaN and infinities. */
function toInteger(value: bigint | number, argument: string, allowed: string): bigint {
  if (typeof value === "bigint") return value;
  if (!Number.isInteger(value)) {
    throw argumentError(argument, "must be a whole number", String(value), allowed);
  }
  return BigInt(value);
}

/**
 * Terraform's `cidrhost`: the address with host number `hostnum` inside `prefix`.
 * @param prefix - A CIDR prefix; host bits are ignored.
 * @param hostnum - Host number; negative numbers count back from the last address (-1 is the last).
 * @returns The address in canonical form (IPv6 lowercase, RFC 5952 compressed).
 */
export function cidrHost(prefix: string, hostnum: bigint | number): string {
  const network = parseCidr(prefix);
  const size = blockSize(network.version, network.length);
  const allowed = `an integer from ${-size} to ${size - 1n}`;
  const number = toInteger(hostnum, "hostnum", allowed);
  if (number >= size || number < -size) {
    throw argumentError(
      "hostnum",
      `host number does not fit in ${formatPrefix(network)}`,
      String(number),
      allowed,
    );
  }
  const offset = number < 0n ? size + number : number;
  return formatAddress(network.version, network.network + offset);
}

/**
 * Terraform's `cidrnetmask`: the dotted netmask of an IPv4 prefix, for example `255.255.240.0` for a /20.
 * @param prefix - An IPv4 CIDR prefix. IPv6 prefixes are rejected, as in Terraform.
 */
export function cidrNetmask(prefix: string): string {
  const network = parseCidr(prefix);
  if (network.version !== 4) {
    throw argumentError(
      "prefix",
      "only IPv4 networks are supported; an IPv6 prefix has no netmask",
      JSON.stringify(prefix),
      "an IPv4 prefix such as 10.0.0.0/16",
    );
  }
  const hostBits = BigInt(32 - network.length);
  return formatAddress(4, ((1n << 32n) - 1n) ^ ((1n << hostBits) - 1n));
}

/**
 * Terraform's `cidrsubnet`: subnet number `netnum` of the blocks made by extending `prefix` by `newbits` bits.
 * @param prefix - A CIDR prefix; host bits are ignored.
 * @param newbits - Bits to add to the prefix length, 0 up to the bits left in the address.
 * @param netnum - Subnet number, 0 to 2^newbits - 1.
 * @returns The subnet in canonical CIDR form, for example `10.1.2.240/28`.
 */
export function cidrSubnet(prefix: string, newbits: bigint | number, netnum: bigint | number): string {
  const network = parseCidr(prefix);
  const bits = ADDRESS_BITS[network.version];
  const room = bits - network.length;
  const newbitsAllowed = `an integer from 0 to ${room}`;
  // Range checks run on the bigint so that a huge value is reported as given, not rounded.
  const wide = toInteger(newbits, "newbits", newbitsAllowed);
  if (wide < 0n) {
    throw argumentError("newbits", "must not be negative", String(wide), newbitsAllowed);
  }
  if (wide > BigInt(room)) {
    throw argumentError(
      "newbits",
      `would extend ${formatPrefix(network)} to /${BigInt(network.length) + wide}, longer than ${family(network.version)} address (${bits} bits)`,
      String(wide),
      newbitsAllowed,
    );
  }
  const extension = Number(wide);
  const count = 1n << BigInt(extension);
  const netnumAllowed = `an integer from 0 to ${count - 1n}`;
  const number = toInteger(netnum, "netnum", netnumAllowed);
  if (number < 0n || number >= count) {
    throw argumentError(
      "netnum",
      `subnet number does not fit in ${extension} new bits`,
      String(number),
      netnumAllowed,
    );
  }
  const length = network.length + extension;
  return formatPrefix({
    version: network.version,
    network: network.network + number * blockSize(network.version, length),
    length,
  });
}

/**
 * Terraform's `cidrsubnets`: consecutive blocks inside `prefix`, one per `newbits` value, each placed at the
 * first address after the previous block that is aligned to its own size (so gaps can appear before a
 * larger block, exactly as in Terraform).
 * @param prefix - A CIDR prefix; host bits are ignored.
 * @param newbits - Bits to add to the prefix length for each block, each 1 to 32 and within the address.
 * @returns One CIDR per `newbits` value, in order; an empty list for no values.
 */
export function cidrSubnets(prefix: string, ...newbits: (bigint | number)[]): string[] {
  const network = parseCidr(prefix);
  const bits = ADDRESS_BITS[network.version];
  const maxExtension = Math.min(MAX_CIDRSUBNETS_NEWBITS, bits - network.length);
  const last = lastAddress(network);
  const results: string[] = [];
  let previous: Prefix | undefined;
  for (const [index, value] of newbits.entries()) {
    const argument = `newbits[${index}]`;
    const allowed =
      maxExtension >= 1 ? `an integer from 1 to ${maxExtension}` : "no value: the prefix has no bits left";
    const wide = toInteger(value, argument, allowed);
    if (wide < 1n) {
      throw argumentError(argument, "must extend the prefix by at least one bit", String(wide), allowed);
    }
    if (wide > BigInt(MAX_CIDRSUBNETS_NEWBITS)) {
      throw argumentError(
        argument,
        `may not extend the prefix by more than ${MAX_CIDRSUBNETS_NEWBITS} bits in one call, as in Terraform`,
        String(wide),
        allowed,
      );
    }
    const extension = Number(wide);
    if (network.length + extension > bits) {
      throw argumentError(
        argument,
        `would extend ${formatPrefix(network)} to /${network.length + extension}, longer than ${family(network.version)} address (${bits} bits)`,
        String(extension),
        allowed,
      );
    }
    const start = nextAlignedStart(network, previous, network.length + extension);
    if (start + blockSize(network.version, network.length + extension) - 1n > last) {
      // The first block starts at the network and always fits, so there is a previous block here.
      const after = formatPrefix(previous ?? network);
      const smallest = smallestFittingExtension(network, previous, extension + 1, maxExtension);
      throw argumentError(
        argument,
        `not enough remaining address space in ${formatPrefix(network)} for a /${network.length + extension} after ${after}`,
        String(extension),
        smallest === undefined
          ? `no value: ${formatPrefix(network)} is full`
          : `an integer from ${smallest} to ${maxExtension}`,
      );
    }
    previous = {
      version: network.version,
      address: start,
      network: start,
      length: network.length + extension,
    };
    results.push(formatPrefix(previous));
  }
  return results;
}

/** The first address after `previous` aligned to a block of `length`; the network itself for the first block. */
function nextAlignedStart(network: Prefix, previous: Prefix | undefined, length: number): bigint {
  if (!previous) return network.network;
  const size = blockSize(network.version, length);
  // Round the end of the previous block up to the next multiple of this block's size.
  return (lastAddress(previous) / size + 1n) * size;
}

/** The smallest newbits from `from` to `to` whose block still fits after `previous`, or undefined. */
function smallestFittingExtension(
  network: Prefix,
  previous: Prefix | undefined,
  from: number,
  to: number,
): number | undefined {
  for (let extension = from; extension <= to; extension++) {
    const length = network.length + extension;
    const start = nextAlignedStart(network, previous, length);
    if (start + blockSize(network.version, length) - 1n <= lastAddress(network)) return extension;
  }
  return undefined;
}
