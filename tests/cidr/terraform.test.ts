import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { cidrHost, cidrNetmask, cidrSubnet, cidrSubnets, parseCidr } from "../../src/cidr/terraform.ts";
import {
  blockSize,
  contains,
  formatPrefix,
  lastAddress,
  overlaps,
  parsePrefix,
  type Prefix,
} from "../../src/cidr/address.ts";
import { UserError } from "../../src/errors.ts";

/** Runs `fn` and returns the UserError message it throws; fails when it throws anything else or nothing. */
function userErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as UserError).message;
  }
  throw new Error("expected a UserError");
}

const INVALID_PREFIX = (text: string) =>
  `prefix: not a valid CIDR prefix (got ${JSON.stringify(text)}; allowed: an IPv4 or IPv6 prefix such as 10.0.0.0/16 or fd00::/48)`;

// Expected values are Terraform's documented examples and the cases of its own tests (internal/lang/funcs).
describe("cidrHost", () => {
  it.each([
    ["192.168.1.0/24", 5, "192.168.1.5"],
    ["192.168.1.0/24", -5, "192.168.1.251"],
    ["192.168.1.0/24", -256, "192.168.1.0"],
    ["192.168.1.0/24", -1, "192.168.1.255"],
    ["10.0.0.0/8", 2, "10.0.0.2"],
    ["10.0.0.0/8", -2, "10.255.255.254"],
    ["10.12.112.0/20", 16, "10.12.112.16"],
    ["10.12.112.0/20", 268, "10.12.113.12"],
    // Host bits in the prefix are ignored: Terraform works on the network.
    ["10.12.127.0/20", 268, "10.12.113.12"],
    ["fd00:fd12:3456:7890:00a2::/72", 34, "fd00:fd12:3456:7890::22"],
    ["fe80::/64", -1, "fe80::ffff:ffff:ffff:ffff"],
    ["10.0.0.5/32", 0, "10.0.0.5"],
    ["10.0.0.5/32", -1, "10.0.0.5"],
  ] as const)("cidrhost(%s, %s) = %s", (prefix, hostnum, expected) => {
    expect(cidrHost(prefix, hostnum)).toBe(expected);
  });

  it("takes bigint host numbers beyond 2^53 for IPv6", () => {
    expect(cidrHost("fd00::/64", 2n ** 63n + 1n)).toBe("fd00::8000:0:0:1");
    expect(cidrHost("::/0", -(2n ** 128n))).toBe("::");
  });

  it.each([
    [
      "192.168.1.0/30",
      255,
      "hostnum: host number does not fit in 192.168.1.0/30 (got 255; allowed: an integer from -4 to 3)",
    ],
    [
      "192.168.1.0/30",
      -255,
      "hostnum: host number does not fit in 192.168.1.0/30 (got -255; allowed: an integer from -4 to 3)",
    ],
    [
      "192.168.1.0/30",
      4,
      "hostnum: host number does not fit in 192.168.1.0/30 (got 4; allowed: an integer from -4 to 3)",
    ],
    [
      "192.168.1.0/30",
      -5,
      "hostnum: host number does not fit in 192.168.1.0/30 (got -5; allowed: an integer from -4 to 3)",
    ],
    ["192.168.1.0/30", 0.75, "hostnum: must be a whole number (got 0.75; allowed: an integer from -4 to 3)"],
    [
      "10.0.0.0/8",
      Number.NaN,
      "hostnum: must be a whole number (got NaN; allowed: an integer from -16777216 to 16777215)",
    ],
    ["not-a-cidr", 6, INVALID_PREFIX("not-a-cidr")],
    ["10.256.0.0/8", 6, INVALID_PREFIX("10.256.0.0/8")],
    ["10.0.0.300/8", 6, INVALID_PREFIX("10.0.0.300/8")],
    ["10.0.0.0/33", 6, INVALID_PREFIX("10.0.0.0/33")],
    ["fe80::/129", 6, INVALID_PREFIX("fe80::/129")],
    ["10.0.0.0", 6, INVALID_PREFIX("10.0.0.0")],
    // Terraform reads leading zeros as decimal; azlab refuses them (see terraform.ts).
    ["010.001.0.0/24", 6, INVALID_PREFIX("010.001.0.0/24")],
  ] as const)("cidrhost(%s, %s) fails", (prefix, hostnum, message) => {
    expect(userErrorOf(() => cidrHost(prefix, hostnum))).toBe(message);
  });
});

describe("cidrNetmask", () => {
  it.each([
    ["192.168.1.0/24", "255.255.255.0"],
    ["192.168.1.0/32", "255.255.255.255"],
    ["0.0.0.0/0", "0.0.0.0"],
    ["172.16.0.0/12", "255.240.0.0"],
    ["192.168.0.1/20", "255.255.240.0"],
    ["10.0.0.0/1", "128.0.0.0"],
  ])("cidrnetmask(%s) = %s", (prefix, expected) => {
    expect(cidrNetmask(prefix)).toBe(expected);
  });

  it.each([
    [
      "1::/64",
      'prefix: only IPv4 networks are supported; an IPv6 prefix has no netmask (got "1::/64"; allowed: an IPv4 prefix such as 10.0.0.0/16)',
    ],
    ["not-a-cidr", INVALID_PREFIX("not-a-cidr")],
    ["110.256.0.0/8", INVALID_PREFIX("110.256.0.0/8")],
  ])("cidrnetmask(%s) fails", (prefix, message) => {
    expect(userErrorOf(() => cidrNetmask(prefix))).toBe(message);
  });
});

describe("cidrSubnet", () => {
  it.each([
    ["192.168.2.0/20", 4, 6, "192.168.6.0/24"],
    ["172.16.0.0/12", 4, 2, "172.18.0.0/16"],
    ["10.1.2.0/24", 4, 15, "10.1.2.240/28"],
    ["10.3.0.0/16", 8, 5, "10.3.5.0/24"],
    ["fd00:fd12:3456:7890::/56", 16, 162, "fd00:fd12:3456:7800:a200::/72"],
    ["fe80::/48", 16, 6, "fe80:0:0:6::/64"],
    // More than 32 new bits is fine for cidrsubnet; equal zero runs compress the first one (RFC 5952).
    ["fe80::/48", 33, 6, "fe80::3:0:0:0/81"],
    // newbits 0 with netnum 0 returns the network itself, as go-cidr does.
    ["192.168.7.9/16", 0, 0, "192.168.0.0/16"],
    ["10.0.0.0/24", 8, 255, "10.0.0.255/32"],
    ["::/0", 128, 1, "::1/128"],
  ] as const)("cidrsubnet(%s, %s, %s) = %s", (prefix, newbits, netnum, expected) => {
    expect(cidrSubnet(prefix, newbits, netnum)).toBe(expected);
  });

  it.each([
    [
      "192.168.0.0/30",
      4,
      6,
      "newbits: would extend 192.168.0.0/30 to /34, longer than an IPv4 address (32 bits) (got 4; allowed: an integer from 0 to 2)",
    ],
    [
      "fe80::/48",
      81,
      0,
      "newbits: would extend fe80::/48 to /129, longer than an IPv6 address (128 bits) (got 81; allowed: an integer from 0 to 80)",
    ],
    ["10.0.0.0/8", -1, 0, "newbits: must not be negative (got -1; allowed: an integer from 0 to 24)"],
    ["10.0.0.0/8", 2.5, 0, "newbits: must be a whole number (got 2.5; allowed: an integer from 0 to 24)"],
    [
      "192.168.0.0/16",
      2,
      16,
      "netnum: subnet number does not fit in 2 new bits (got 16; allowed: an integer from 0 to 3)",
    ],
    [
      "192.168.0.0/16",
      2,
      4,
      "netnum: subnet number does not fit in 2 new bits (got 4; allowed: an integer from 0 to 3)",
    ],
    [
      "192.168.0.0/16",
      2,
      -1,
      "netnum: subnet number does not fit in 2 new bits (got -1; allowed: an integer from 0 to 3)",
    ],
    [
      "192.168.0.0/16",
      0,
      1,
      "netnum: subnet number does not fit in 0 new bits (got 1; allowed: an integer from 0 to 0)",
    ],
    ["192.168.0.0/16", 2, 0.75, "netnum: must be a whole number (got 0.75; allowed: an integer from 0 to 3)"],
    ["not-a-cidr", 4, 6, INVALID_PREFIX("not-a-cidr")],
    ["10.256.0.0/8", 4, 6, INVALID_PREFIX("10.256.0.0/8")],
  ] as const)("cidrsubnet(%s, %s, %s) fails", (prefix, newbits, netnum, message) => {
    expect(userErrorOf(() => cidrSubnet(prefix, newbits, netnum))).toBe(message);
  });
});

describe("bigint and non-finite arguments at the edges of the address space", () => {
  it("reaches the very last IPv6 address and network", () => {
    expect(cidrSubnet("::/0", 128, 2n ** 128n - 1n)).toBe("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
    expect(cidrHost("::/0", 2n ** 128n - 1n)).toBe("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    expect(cidrSubnets("::/96", 32n)).toEqual(["::/128"]);
  });

  it("reports values one past the edge exactly, without rounding", () => {
    expect(userErrorOf(() => cidrHost("::/0", 2n ** 128n))).toBe(
      "hostnum: host number does not fit in ::/0 (got 340282366920938463463374607431768211456; allowed: an integer from -340282366920938463463374607431768211456 to 340282366920938463463374607431768211455)",
    );
    expect(userErrorOf(() => cidrSubnet("fd00::/64", 64, 2n ** 64n))).toBe(
      "netnum: subnet number does not fit in 64 new bits (got 18446744073709551616; allowed: an integer from 0 to 18446744073709551615)",
    );
    expect(userErrorOf(() => cidrSubnet("10.0.0.0/8", Number.POSITIVE_INFINITY, 0))).toBe(
      "newbits: must be a whole number (got Infinity; allowed: an integer from 0 to 24)",
    );
  });
});

describe("cidrSubnets", () => {
  it.each([
    ["10.1.0.0/16", [4, 4, 8, 4], ["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"]],
    [
      "fd00:fd12:3456:7890::/56",
      [16, 16, 16, 32],
      [
        "fd00:fd12:3456:7800::/72",
        "fd00:fd12:3456:7800:100::/72",
        "fd00:fd12:3456:7800:200::/72",
        "fd00:fd12:3456:7800:300::/88",
      ],
    ],
    [
      "10.0.0.0/21",
      [3, 3, 3, 4, 4, 4, 7, 7, 7],
      [
        "10.0.0.0/24",
        "10.0.1.0/24",
        "10.0.2.0/24",
        "10.0.3.0/25",
        "10.0.3.128/25",
        "10.0.4.0/25",
        "10.0.4.128/28",
        "10.0.4.144/28",
        "10.0.4.160/28",
      ],
    ],
    // A larger block after a smaller one skips to its own alignment.
    ["10.0.0.0/24", [2, 1], ["10.0.0.0/26", "10.0.0.128/25"]],
    // Host bits are ignored; the whole space can be used up exactly.
    ["10.0.0.77/24", [1, 2, 2], ["10.0.0.0/25", "10.0.0.128/26", "10.0.0.192/26"]],
    // Terraform fails at address zero (go-cidr sees a wrap-around); azlab allocates from the start.
    ["0.0.0.0/8", [8, 8], ["0.0.0.0/16", "0.1.0.0/16"]],
    ["10.0.0.0/8", [], []],
  ] as const)("cidrsubnets(%s, %j)", (prefix, newbits, expected) => {
    expect(cidrSubnets(prefix, ...newbits)).toEqual(expected);
  });

  it.each([
    [
      "10.0.0.0/30",
      [1, 3],
      "newbits[1]: would extend 10.0.0.0/30 to /33, longer than an IPv4 address (32 bits) (got 3; allowed: an integer from 1 to 2)",
    ],
    [
      "10.0.0.0/8",
      [1, 1, 1],
      "newbits[2]: not enough remaining address space in 10.0.0.0/8 for a /9 after 10.128.0.0/9 (got 1; allowed: no value: 10.0.0.0/8 is full)",
    ],
    [
      "10.0.0.0/24",
      [2, 1, 1],
      "newbits[2]: not enough remaining address space in 10.0.0.0/24 for a /25 after 10.0.0.128/25 (got 1; allowed: no value: 10.0.0.0/24 is full)",
    ],
    [
      "10.0.0.0/24",
      [1, 2, 1],
      "newbits[2]: not enough remaining address space in 10.0.0.0/24 for a /25 after 10.0.0.128/26 (got 1; allowed: an integer from 2 to 8)",
    ],
    [
      "10.0.0.0/8",
      [1, 0],
      "newbits[1]: must extend the prefix by at least one bit (got 0; allowed: an integer from 1 to 24)",
    ],
    [
      "10.0.0.0/8",
      [1, -1],
      "newbits[1]: must extend the prefix by at least one bit (got -1; allowed: an integer from 1 to 24)",
    ],
    ["10.0.0.0/8", [1.5], "newbits[0]: must be a whole number (got 1.5; allowed: an integer from 1 to 24)"],
    [
      "fe80::/48",
      [1, 33],
      "newbits[1]: may not extend the prefix by more than 32 bits in one call, as in Terraform (got 33; allowed: an integer from 1 to 32)",
    ],
    [
      "10.0.0.1/32",
      [1],
      "newbits[0]: would extend 10.0.0.1/32 to /33, longer than an IPv4 address (32 bits) (got 1; allowed: no value: the prefix has no bits left)",
    ],
    ["fe80::/4g", [1], INVALID_PREFIX("fe80::/4g")],
  ] as const)("cidrsubnets(%s, %j) fails", (prefix, newbits, message) => {
    expect(userErrorOf(() => cidrSubnets(prefix, ...newbits))).toBe(message);
  });

  const prefixArbitrary = fc.oneof(
    fc
      .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 30 }))
      .map(([value, length]) => formatPrefix(prefixFrom(4, BigInt(value), length))),
    fc
      .tuple(fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }), fc.integer({ min: 0, max: 126 }))
      .map(([value, length]) => formatPrefix(prefixFrom(6, value, length))),
  );

  it("allocates inside the prefix, without overlaps, in ascending order, as early as alignment allows (property)", () => {
    let allocated = 0;
    fc.assert(
      fc.property(
        prefixArbitrary,
        fc.array(fc.integer({ min: 1, max: 32 }), { maxLength: 12 }),
        (text, raw) => {
          const base = parsePrefix(text) as Prefix;
          // Keep every newbits within the address so that running out of space is the only possible failure.
          const room = Math.min(32, (base.version === 4 ? 32 : 128) - base.length);
          const newbits = raw.map((value) => ((value - 1) % room) + 1);
          let results: string[];
          try {
            results = cidrSubnets(text, ...newbits);
          } catch (error) {
            expect(error).toBeInstanceOf(UserError);
            const message = (error as UserError).message;
            const index = Number(/^newbits\[(\d+)\]: /.exec(message)?.[1]);
            // The blocks before the failing one fit; the message names the exact block and the one before it.
            const before = cidrSubnets(text, ...newbits.slice(0, index));
            expect(before).toHaveLength(index);
            const extension = newbits[index] as number;
            expect(message.split(" (got ")[0]).toBe(
              `newbits[${index}]: not enough remaining address space in ${formatPrefix(base)} for a /${base.length + extension} after ${before.at(-1)}`,
            );
            expect(message.split(" (got ")[1]?.startsWith(`${extension}; allowed: `)).toBe(true);
            return;
          }
          allocated++;
          expect(results).toHaveLength(newbits.length);
          const blocks = results.map((cidr) => parsePrefix(cidr) as Prefix);
          if (blocks[0]) expect(blocks[0].network).toBe(base.network);
          // One expect over the list of faults per run, not five per block: expect was most of the time.
          const faults = blocks.flatMap((block, i) => {
            const found: string[] = [];
            if (!contains(base, block)) found.push(`${results[i]} is outside ${text}`);
            if (block.length !== base.length + (newbits[i] ?? 0))
              found.push(`${results[i]} has the wrong length`);
            const next = blocks[i + 1];
            if (next) {
              if (overlaps(block, next)) found.push(`${results[i + 1]} overlaps ${results[i]}`);
              if (!(next.network > block.network)) found.push(`${results[i + 1]} is not after ${results[i]}`);
              // One block of its own size earlier would have overlapped the previous block.
              if (!(next.network - blockSize(next.version, next.length) <= lastAddress(block)))
                found.push(`${results[i + 1]} could have started earlier`);
            }
            return found;
          });
          expect(faults).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
    // Guards against a generator that only ever produces failures.
    expect(allocated).toBeGreaterThan(100);
  });
});

describe("parseCidr", () => {
  it("names the argument it was given", () => {
    expect(userErrorOf(() => parseCidr("10.0.0/8", "azlab:network.vnets.hub.addressSpace[0]"))).toBe(
      'azlab:network.vnets.hub.addressSpace[0]: not a valid CIDR prefix (got "10.0.0/8"; allowed: an IPv4 or IPv6 prefix such as 10.0.0.0/16 or fd00::/48)',
    );
  });
});

function prefixFrom(version: 4 | 6, value: bigint, length: number): Prefix {
  const hostBits = BigInt((version === 4 ? 32 : 128) - length);
  const network = (value >> hostBits) << hostBits;
  return { version, address: value, network, length };
}
