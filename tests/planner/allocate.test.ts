import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  blockSize,
  contains,
  formatPrefix,
  lastAddress,
  overlaps,
  parsePrefix,
} from "../../src/cidr/address.ts";
import type { Prefix } from "../../src/cidr/address.ts";
import { allocateBlocks, BlockIndex } from "../../src/planner/allocate.ts";
import type { AllocateBlocksArgs } from "../../src/planner/allocate.ts";
import type { BlockRequest } from "../../src/planner/types.ts";

const sized = (lengths: Record<string, number>): Record<string, BlockRequest> =>
  Object.fromEntries(Object.entries(lengths).map(([key, prefixLength]) => [key, { prefixLength }]));

function prefix(text: string): Prefix {
  const parsed = parsePrefix(text);
  if (!parsed) throw new Error(`bad test CIDR ${text}`);
  return parsed;
}

describe("allocateBlocks: placement", () => {
  it.each<[string, Omit<AllocateBlocksArgs, "path">, Record<string, string>]>([
    [
      "largest first, then by key, from the bottom",
      { parent: "10.0.0.0/16", requests: sized({ web: 24, app: 24, aks: 20, data: 26 }) },
      { aks: "10.0.0.0/20", app: "10.0.16.0/24", data: "10.0.18.0/26", web: "10.0.17.0/24" },
    ],
    [
      "best fit around a pinned block keeps the big free blocks whole",
      { parent: "10.0.0.0/16", requests: { ...sized({ aks: 20, app: 24 }), web: { cidr: "10.0.0.0/24" } } },
      { aks: "10.0.16.0/20", app: "10.0.1.0/24", web: "10.0.0.0/24" },
    ],
    [
      "reserved ranges are skipped",
      {
        parent: "10.0.0.0/24",
        requests: sized({ a: 26, b: 26 }),
        reserved: ["10.0.0.0/25", "192.168.0.0/16"],
      },
      { a: "10.0.0.128/26", b: "10.0.0.192/26" },
    ],
    [
      "several parents: the smallest block that fits is used",
      { parent: ["10.1.0.0/24", "10.0.0.0/25"], requests: sized({ big: 25, mid: 25, small: 26 }) },
      { big: "10.0.0.0/25", mid: "10.1.0.0/25", small: "10.1.0.128/26" },
    ],
    [
      "IPv6-only parent",
      { parent: "fd00::/48", requests: sized({ a: 64, b: 56 }) },
      { a: "fd00:0:0:100::/64", b: "fd00::/56" },
    ],
    [
      "host routes: /32 blocks fill the smallest holes, a /31 keeps its aligned pair",
      { parent: "10.0.0.0/30", requests: sized({ a: 32, b: 31, c: 32 }) },
      { a: "10.0.0.2/32", b: "10.0.0.0/31", c: "10.0.0.3/32" },
    ],
    [
      "a pin on the parent's very last address is avoided",
      { parent: "10.0.0.0/30", requests: { ...sized({ a: 32, b: 32, c: 32 }), x: { cidr: "10.0.0.3/32" } } },
      { a: "10.0.0.2/32", b: "10.0.0.0/32", c: "10.0.0.1/32", x: "10.0.0.3/32" },
    ],
    [
      "the whole IPv4 space as parent",
      { parent: "0.0.0.0/0", requests: sized({ a: 1, b: 1 }) },
      { a: "0.0.0.0/1", b: "128.0.0.0/1" },
    ],
    [
      "the whole IPv6 space as parent, down to a /128",
      { parent: "::/0", requests: sized({ a: 1, b: 128 }) },
      { a: "::/1", b: "8000::/128" },
    ],
    [
      "sized requests go to the IPv4 range of a dual-stack parent; pinned IPv6 is accepted",
      {
        parent: ["fd00::/48", "10.0.0.0/24"],
        requests: { a: { prefixLength: 25 }, v6: { cidr: "fd00:0:0:1::/64" } },
      },
      { a: "10.0.0.0/25", v6: "fd00:0:0:1::/64" },
    ],
  ])("%s", (_name, args, expected) => {
    const result = allocateBlocks({ ...args, path: "p" });
    expect(result.problems).toEqual([]);
    expect(result.allocations).toEqual(expected);
    expect(result.lock).toEqual(expected);
    expect(Object.keys(result.lock)).toEqual(Object.keys(expected).sort());
  });
});

describe("allocateBlocks: the lock", () => {
  it("keeps a locked block and fills around it", () => {
    const result = allocateBlocks({
      parent: "10.0.0.0/16",
      requests: sized({ web: 24, app: 24 }),
      lock: { web: "10.0.5.0/24" },
      path: "p",
    });
    expect(result.allocations).toEqual({ app: "10.0.4.0/24", web: "10.0.5.0/24" });
  });

  it("re-allocates a resized request and frees its old block", () => {
    const result = allocateBlocks({
      parent: "10.0.0.0/16",
      requests: sized({ web: 23 }),
      lock: { web: "10.0.5.0/24" },
      path: "p",
    });
    expect(result.allocations).toEqual({ web: "10.0.0.0/23" });
  });

  it("keeps a larger locked block only when acceptLarger is set", () => {
    const lock = { web: "10.0.4.0/23" };
    const larger = allocateBlocks({
      parent: "10.0.0.0/16",
      requests: { web: { prefixLength: 24, acceptLarger: true } },
      lock,
      path: "p",
    });
    expect(larger.allocations).toEqual({ web: "10.0.4.0/23" });
    const exact = allocateBlocks({ parent: "10.0.0.0/16", requests: sized({ web: 24 }), lock, path: "p" });
    expect(exact.allocations).toEqual({ web: "10.0.0.0/24" });
    const grown = allocateBlocks({
      parent: "10.0.0.0/16",
      requests: { web: { prefixLength: 22, acceptLarger: true } },
      lock,
      path: "p",
    });
    expect(grown.allocations).toEqual({ web: "10.0.0.0/22" });
  });

  it("re-allocates a locked block of the other IP version instead of keeping it", () => {
    const result = allocateBlocks({
      parent: ["10.0.0.0/16", "fd00::/48"],
      requests: sized({ web: 24 }),
      lock: { web: "fd00::/24" },
      path: "p",
    });
    expect(result).toEqual({
      allocations: { web: "10.0.0.0/24" },
      lock: { web: "10.0.0.0/24" },
      problems: [],
    });
  });

  it("drops entries that are no longer requested", () => {
    const result = allocateBlocks({
      parent: "10.0.0.0/16",
      requests: sized({ web: 24 }),
      lock: { old: "10.0.0.0/24" },
      path: "p",
    });
    expect(result.allocations).toEqual({ web: "10.0.0.0/24" });
    expect(result.lock).toEqual({ web: "10.0.0.0/24" });
  });

  it("a pin replaces the key's own lock entry", () => {
    const result = allocateBlocks({
      parent: "10.0.0.0/16",
      requests: { web: { cidr: "10.0.9.0/24" } },
      lock: { web: "10.0.0.0/24" },
      path: "p",
    });
    expect(result.allocations).toEqual({ web: "10.0.9.0/24" });
  });

  it.each<[string, Omit<AllocateBlocksArgs, "path">, object[], Record<string, string>]>([
    [
      "a lock entry that is not a CIDR",
      { parent: "10.0.0.0/16", requests: sized({ web: 24 }), lock: { web: "banana" } },
      [
        {
          path: "p.web",
          message: "the lock file entry is not a CIDR block with host bits clear; delete it to re-allocate",
          value: "banana",
        },
      ],
      { web: "banana" },
    ],
    [
      "a locked block outside the parent",
      { parent: "10.0.0.0/16", requests: sized({ web: 24 }), lock: { web: "10.9.0.0/24" } },
      [
        {
          path: "p.web",
          message: "the locked block lies outside 10.0.0.0/16; delete its lock entry to re-address it",
          value: "10.9.0.0/24",
          allowed: "a block inside 10.0.0.0/16",
        },
      ],
      { web: "10.9.0.0/24" },
    ],
    [
      "a locked block inside a reserved range",
      {
        parent: "10.0.0.0/16",
        requests: sized({ web: 24 }),
        lock: { web: "10.0.1.0/24" },
        reserved: ["10.0.0.0/20"],
      },
      [
        {
          path: "p.web",
          message:
            "the locked block overlaps the reserved range 10.0.0.0/20; delete its lock entry to re-address it",
          value: "10.0.1.0/24",
        },
      ],
      { web: "10.0.1.0/24" },
    ],
    [
      "two locked blocks that overlap: the later key is blamed",
      {
        parent: "10.0.0.0/16",
        requests: sized({ a: 23, b: 24 }),
        lock: { a: "10.0.0.0/23", b: "10.0.1.0/24" },
      },
      [
        {
          path: "p.b",
          message: "the locked block overlaps a (10.0.0.0/23); delete its lock entry to re-address it",
          value: "10.0.1.0/24",
        },
      ],
      { a: "10.0.0.0/23", b: "10.0.1.0/24" },
    ],
  ])("reports %s and keeps the entry", (_name, args, problems, lock) => {
    const result = allocateBlocks({ ...args, path: "p" });
    expect(result.problems).toEqual(problems);
    expect(result.lock).toEqual(lock);
  });
});

describe("allocateBlocks: problems", () => {
  it.each<[string, Omit<AllocateBlocksArgs, "path">, object[]]>([
    [
      "a pin that is not a CIDR",
      { parent: "10.0.0.0/16", requests: { x: { cidr: "10.0.0.0/33" } } },
      [
        {
          path: "p.x.cidr",
          message: "cidr is not a valid CIDR block",
          value: "10.0.0.0/33",
          allowed: "a CIDR such as 10.0.1.0/24",
        },
      ],
    ],
    [
      "a pin with host bits set",
      { parent: "10.0.0.0/16", requests: { x: { cidr: "10.0.0.1/24" } } },
      [
        {
          path: "p.x.cidr",
          message: "cidr is not aligned to its /24 (host bits are set)",
          value: "10.0.0.1/24",
          allowed: "10.0.0.0/24",
        },
      ],
    ],
    [
      "a pin outside the parent",
      { parent: ["10.0.0.0/16", "fd00::/48"], requests: { x: { cidr: "10.1.0.0/24" } } },
      [
        {
          path: "p.x.cidr",
          message: "cidr lies outside 10.0.0.0/16",
          value: "10.1.0.0/24",
          allowed: "a block inside 10.0.0.0/16",
        },
      ],
    ],
    [
      "a pin in a reserved range",
      { parent: "10.0.0.0/16", requests: { x: { cidr: "10.0.255.0/25" } }, reserved: ["10.0.255.0/24"] },
      [
        {
          path: "p.x.cidr",
          message: "cidr overlaps the reserved range 10.0.255.0/24",
          value: "10.0.255.0/25",
          allowed: "a block that avoids 10.0.255.0/24",
        },
      ],
    ],
    [
      "two overlapping pins: the later key is blamed",
      { parent: "10.0.0.0/16", requests: { x: { cidr: "10.0.0.0/24" }, y: { cidr: "10.0.0.128/25" } } },
      [
        {
          path: "p.y.cidr",
          message: "cidr overlaps x (10.0.0.0/24)",
          value: "10.0.0.128/25",
          allowed: "a block that overlaps no other allocation",
        },
      ],
    ],
    [
      "a pin on a locked block: the newcomer is blamed",
      {
        parent: "10.0.0.0/16",
        requests: { a: { prefixLength: 24 }, p: { cidr: "10.0.0.0/25" } },
        lock: { a: "10.0.0.0/24" },
      },
      [
        {
          path: "p.p.cidr",
          message: "cidr overlaps a (10.0.0.0/24)",
          value: "10.0.0.0/25",
          allowed: "a block that overlaps no other allocation",
        },
      ],
    ],
    [
      "no space left at all",
      {
        parent: "10.0.0.0/24",
        requests: {
          a: { prefixLength: 25 },
          b: { prefixLength: 25 },
          c: { prefixLength: 26, field: "hosts", value: 60 },
        },
      },
      [
        {
          path: "p.c.hosts",
          message: "no free /26 block (64 addresses) is left for c",
          value: 60,
          allowed: "a larger parent range: no free addresses are left in 10.0.0.0/24",
        },
      ],
    ],
    [
      "free space too fragmented",
      { parent: "10.0.0.0/24", requests: { x: { cidr: "10.0.0.64/26" }, big: { prefixLength: 24 } } },
      [
        {
          path: "p.big.prefixLength",
          message: "no free /24 block (256 addresses) is left for big",
          value: 24,
          allowed:
            "a smaller block: the largest free one is 10.0.0.128/25; 192 addresses are free in 2 blocks",
        },
      ],
    ],
    [
      "an empty field names the key itself",
      { parent: "10.0.0.0/25", requests: { alice: { prefixLength: 24, field: "" } } },
      [
        {
          path: "p.alice",
          message: "a /24 block does not fit in 10.0.0.0/25",
          value: 24,
          allowed: "a prefix length from 25 to 32",
        },
      ],
    ],
    [
      "prefix lengths that no block can have",
      { parent: "10.0.0.0/16", requests: sized({ a: 33, b: 15, c: 24.5 }) },
      [33, 15, 24.5].map((length, i) => ({
        path: `p.${"abc"[i]}.prefixLength`,
        message: `a /${length} block does not fit in 10.0.0.0/16`,
        value: length,
        allowed: "a prefix length from 16 to 32",
      })),
    ],
    [
      "no parent range",
      { parent: [], requests: sized({ a: 24 }) },
      [{ path: "p.a.prefixLength", message: "there is no valid parent range to allocate from", value: 24 }],
    ],
    [
      "a parent or reserved range that is not a CIDR block",
      { parent: ["10.0.0.1/16"], requests: {}, reserved: ["nope"] },
      [
        {
          path: "p",
          message: "parent range is not a CIDR block with host bits clear",
          value: "10.0.0.1/16",
          allowed: "10.0.0.0/16",
        },
        {
          path: "p",
          message: "reserved range is not a CIDR block with host bits clear",
          value: "nope",
          allowed: "a CIDR such as 10.0.0.0/16",
        },
      ],
    ],
  ])("%s", (_name, args, problems) => {
    const result = allocateBlocks({ ...args, path: "p" });
    expect(result.problems).toEqual(problems);
  });

  it("places everything else when one request fails", () => {
    const result = allocateBlocks({
      parent: "10.0.0.0/24",
      requests: sized({ a: 25, b: 25, c: 26, d: 27 }),
      path: "p",
    });
    expect(result.allocations).toEqual({ a: "10.0.0.0/25", b: "10.0.0.128/25" });
    expect(result.lock).toEqual({ a: "10.0.0.0/25", b: "10.0.0.128/25" });
    expect(result.problems).toEqual([
      {
        path: "p.c.prefixLength",
        message: "no free /26 block (64 addresses) is left for c",
        value: 26,
        allowed: "a larger parent range: no free addresses are left in 10.0.0.0/24",
      },
      {
        path: "p.d.prefixLength",
        message: "no free /27 block (32 addresses) is left for d",
        value: 27,
        allowed: "a larger parent range: no free addresses are left in 10.0.0.0/24",
      },
    ]);
  });

  // Azure requires a subnet to lie inside one address-space range: adjacent ranges never make a larger block.
  it("never places a fresh block across two adjacent parent ranges", () => {
    const args = {
      parent: ["10.0.0.0/25", "10.0.0.128/25", "10.5.0.0/24"],
      requests: sized({ a: 24, b: 24 }),
      path: "p",
    };
    const first = allocateBlocks(args);
    expect(first).toEqual({
      allocations: { a: "10.5.0.0/24" },
      lock: { a: "10.5.0.0/24" },
      problems: [
        {
          path: "p.b.prefixLength",
          message: "no free /24 block (256 addresses) is left for b",
          value: 24,
          allowed: "a smaller block: the largest free one is 10.0.0.0/25; 256 addresses are free in 2 blocks",
        },
      ],
    });
    // And whatever it placed, the next run accepts its own lock unchanged.
    expect(allocateBlocks({ ...args, lock: first.lock })).toEqual(first);
  });
});

describe("BlockIndex", () => {
  it("finds containing, contained and equal blocks, and nothing beside them", () => {
    const index = new BlockIndex();
    index.add(prefix("10.0.1.0/24"), "a");
    expect(index.find(prefix("10.0.0.0/16"))).toBe("a");
    expect(index.find(prefix("10.0.1.128/25"))).toBe("a");
    expect(index.find(prefix("10.0.1.0/24"))).toBe("a");
    expect(index.find(prefix("10.0.0.0/24"))).toBeUndefined();
    expect(index.find(prefix("10.0.2.0/23"))).toBeUndefined();
    expect(index.find(prefix("fd00::/8"))).toBeUndefined();
  });
});

// ---- properties ----

const PARENT = "10.0.0.0/12";
const parentPrefix = prefix(PARENT);
const keyArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,7}$/);
const requestsArb = fc.dictionary(keyArb, fc.integer({ min: 18, max: 32 }), { maxKeys: 30 });

function run(lengths: Record<string, number>, lock?: Record<string, string>) {
  return allocateBlocks({ parent: PARENT, requests: sized(lengths), path: "p", ...(lock ? { lock } : {}) });
}

function reversed<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).reverse());
}

type Placed = readonly (readonly [string, Prefix])[];

const placedBlocks = (allocations: Record<string, string>): Placed =>
  Object.entries(allocations).map(([key, cidr]) => [key, prefix(cidr)] as const);

/**
 * Every pair of placed blocks that overlap, and every block outside `parent`. A property asserts these
 * lists are empty: one expect per run instead of one per pair, which made `expect` most of the file's time.
 */
function overlapsAndStrays(blocks: Placed, parent: Prefix): string[] {
  const found: string[] = [];
  for (const [i, [key, block]] of blocks.entries()) {
    if (!contains(parent, block)) found.push(`${key} outside ${formatPrefix(parent)}`);
    for (const [other, otherBlock] of blocks.slice(i + 1))
      if (overlaps(block, otherBlock)) found.push(`${key} overlaps ${other}`);
  }
  return found;
}

/** Each placed block's key and length, to compare with the lengths asked for. */
const lengthsOf = (blocks: Placed): Record<string, number> =>
  Object.fromEntries(blocks.map(([key, block]) => [key, block.length]));

describe("allocateBlocks: properties", () => {
  it("places every request of the asked size inside the parent, without overlaps", () => {
    fc.assert(
      fc.property(requestsArb, (lengths) => {
        const result = run(lengths);
        expect(result.problems).toEqual([]);
        const blocks = placedBlocks(result.allocations);
        expect(blocks.map(([key]) => key).sort()).toEqual(Object.keys(lengths).sort());
        expect(lengthsOf(blocks)).toEqual(lengths);
        expect(overlapsAndStrays(blocks, parentPrefix)).toEqual([]);
      }),
    );
  });

  it("is deterministic and ignores key order, with and without a lock", () => {
    fc.assert(
      fc.property(requestsArb, requestsArb, (first, extra) => {
        const lock = run(first).lock;
        const lengths = { ...first, ...extra };
        const expected = run(lengths);
        expect(run(lengths)).toEqual(expected);
        expect(run(reversed(lengths))).toEqual(expected);
        expect(run(reversed(lengths), reversed(lock))).toEqual(run(lengths, lock));
      }),
    );
  });

  it("never moves a locked block when others are added", () => {
    fc.assert(
      fc.property(requestsArb, requestsArb, (first, added) => {
        const before = run(first);
        const after = run({ ...added, ...first }, before.lock);
        expect(after.problems).toEqual([]);
        const kept = Object.keys(before.allocations).map((key) => [key, after.allocations[key]]);
        expect(Object.fromEntries(kept)).toEqual(before.allocations);
      }),
    );
  });

  it("never moves a locked block when others are removed or resized", () => {
    fc.assert(
      fc.property(
        requestsArb.filter((r) => Object.keys(r).length > 0),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 18, max: 32 }),
        (first, pick, newLength) => {
          const before = run(first);
          const keys = Object.keys(first).sort();
          const changed = keys[pick % keys.length] as string;
          const removedKey = keys[(pick + 1) % keys.length] as string;
          const next = { ...first, [changed]: newLength };
          if (removedKey !== changed) delete next[removedKey];
          const after = run(next, before.lock);
          expect(after.problems).toEqual([]);
          const unmoved = Object.keys(next).filter((key) => key !== changed || newLength === first[key]);
          expect(unmoved.map((key) => after.allocations[key])).toEqual(
            unmoved.map((key) => before.allocations[key]),
          );
          expect(after.allocations[changed]?.endsWith(`/${newLength}`)).toBe(true);
        },
      ),
    );
  });

  it("packs without a lock into one contiguous run from the parent's first address", () => {
    fc.assert(
      fc.property(
        requestsArb.filter((r) => Object.keys(r).length > 0),
        (lengths) => {
          const blocks = Object.values(run(lengths).allocations).map(prefix);
          const sum = blocks.reduce((acc, b) => acc + blockSize(4, b.length), 0n);
          const low = blocks.reduce(
            (acc, b) => (b.network < acc ? b.network : acc),
            blocks[0]?.network ?? 0n,
          );
          const high = blocks.reduce((acc, b) => (lastAddress(b) > acc ? lastAddress(b) : acc), 0n);
          expect(low).toBe(parentPrefix.network);
          // Allocated addresses ÷ span used = 100%: no gap beyond what alignment forces (none when sorted).
          expect(high - low + 1n).toBe(sum);
        },
      ),
    );
  });

  it("reports exactly the requests that do not fit, and places the rest without overlaps", () => {
    fc.assert(
      // From the parent's own length down to /32, so a request that takes the whole parent and host routes occur.
      fc.property(fc.dictionary(keyArb, fc.integer({ min: 20, max: 32 }), { maxKeys: 30 }), (lengths) => {
        const result = allocateBlocks({ parent: "10.0.0.0/20", requests: sized(lengths), path: "p" });
        const placed = Object.keys(result.allocations);
        const failed = result.problems.map((p) => p.path.slice(2, -".prefixLength".length));
        expect([...placed, ...failed].sort()).toEqual(Object.keys(lengths).sort());
        const blocks = placedBlocks(result.allocations);
        expect(lengthsOf(blocks)).toEqual(Object.fromEntries(placed.map((key) => [key, lengths[key]])));
        expect(overlapsAndStrays(blocks, prefix("10.0.0.0/20"))).toEqual([]);
        const sum = blocks.reduce((acc, [, b]) => acc + blockSize(4, b.length), 0n);
        expect(sum <= 4096n).toBe(true);
        // Sorted largest first, a request fails only when every remaining address is too few.
        for (const [index, key] of failed.entries()) {
          const length = lengths[key] as number;
          expect(blockSize(4, length) > 4096n - sum).toBe(true);
          expect(result.problems[index]?.message).toBe(
            `no free /${length} block (${blockSize(4, length)} addresses) is left for ${key}`,
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("allocateBlocks: properties with reserved ranges and pins", () => {
  // Aligned blocks from /14 to /26 anywhere in the parent; they may overlap each other.
  const blockArb = fc
    .tuple(fc.integer({ min: 14, max: 26 }), fc.integer({ min: 0, max: 2 ** 20 - 1 }))
    .map(([length, offset]) => {
      const host = BigInt(32 - length);
      const network = ((parentPrefix.network + BigInt(offset)) >> host) << host;
      return formatPrefix({ version: 4, network, length });
    });

  it("never places a block on a reserved range or another block, and keeps pins exactly", () => {
    fc.assert(
      fc.property(
        fc.array(blockArb, { maxLength: 4 }),
        fc.dictionary(keyArb, blockArb, { maxKeys: 4 }),
        fc.dictionary(keyArb, fc.integer({ min: 13, max: 32 }), { maxKeys: 20 }),
        (reserved, pins, lengths) => {
          const requests: Record<string, BlockRequest> = {};
          for (const [key, cidr] of Object.entries(pins)) requests[`pin-${key}`] = { cidr };
          for (const [key, prefixLength] of Object.entries(lengths)) requests[`s-${key}`] = { prefixLength };
          const result = allocateBlocks({ parent: PARENT, requests, reserved, path: "p" });
          const blocks = placedBlocks(result.allocations);
          const asked = Object.fromEntries(
            blocks.map(([key]) =>
              key.startsWith("pin-") ? [key, pins[key.slice(4)]] : [key, `/${lengths[key.slice(2)]}`],
            ),
          );
          const got = Object.fromEntries(
            blocks.map(([key, block]) =>
              key.startsWith("pin-") ? [key, result.allocations[key]] : [key, `/${block.length}`],
            ),
          );
          expect(got).toEqual(asked);
          expect(overlapsAndStrays(blocks, parentPrefix)).toEqual([]);
          const onReserved = blocks.flatMap(([key, block]) =>
            reserved.filter((range) => overlaps(block, prefix(range))).map((range) => `${key} on ${range}`),
          );
          expect(onReserved).toEqual([]);
          // Whatever was not placed is explained: a pin that collides, or a block with no room left.
          expect([...Object.keys(result.allocations), ...result.problems.map((p) => p.path)].length).toBe(
            Object.keys(requests).length,
          );
          for (const problem of result.problems) {
            expect(
              /^p\.pin-[^.]+\.cidr$/.test(problem.path)
                ? /^cidr overlaps /.test(problem.message)
                : /^p\.s-[^.]+\.prefixLength$/.test(problem.path) &&
                    problem.message.startsWith("no free /") &&
                    problem.message.endsWith(
                      ` is left for ${problem.path.slice(2, -".prefixLength".length)}`,
                    ),
              JSON.stringify(problem),
            ).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("allocateBlocks: scale", () => {
  it("places 10,000 mixed-size blocks in 10.0.0.0/8 contiguously", () => {
    let seed = 7;
    const lengths: Record<string, number> = {};
    for (let i = 0; i < 10_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      lengths[`s${i}`] = 20 + (seed % 10);
    }
    const result = allocateBlocks({ parent: "10.0.0.0/8", requests: sized(lengths), path: "p" });
    expect(result.problems).toEqual([]);
    const blocks = Object.values(result.allocations)
      .map(prefix)
      .sort((a, b) => (a.network < b.network ? -1 : 1));
    // Sorted by address, each block starts right after the previous one ends.
    expect(blocks).toHaveLength(10_000);
    let next = prefix("10.0.0.0/8").network;
    const gaps: string[] = [];
    for (const block of blocks) {
      if (block.network !== next) gaps.push(`${formatPrefix(block)} after a gap`);
      next = lastAddress(block) + 1n;
    }
    expect(gaps).toEqual([]);
  });
});
