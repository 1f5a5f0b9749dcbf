/**
 * Keyed, lock-aware allocation of CIDR blocks inside parent ranges.
 *
 * Order of work, which is what makes allocations stable:
 * 1. locked blocks whose request still fits are kept where they are;
 * 2. pinned blocks (`{ cidr }`) are checked and placed;
 * 3. new or resized requests go into the remaining free space, largest first, then by key,
 *    each into the smallest free aligned block that holds it (lowest address on a tie).
 * Because step 3 only ever uses space nobody holds, adding, removing or resizing one request
 * never moves another one that is in the lock, and key order in the input never matters.
 */
import type { Problem } from "../errors.ts";
import { ADDRESS_BITS, contains, formatPrefix, mergeIntervals, parsePrefix } from "../cidr/address.ts";
import type { IpVersion, Prefix } from "../cidr/address.ts";
import type { AllocationLock, AllocationResult, BlockRequest, SizedBlockRequest } from "./types.ts";

/** Arguments of `allocateBlocks`. */
export interface AllocateBlocksArgs {
  /** Range or ranges to allocate in. Sized requests use the IPv4 ranges when there are any, else IPv6. */
  readonly parent: string | readonly string[];
  /** Key → request. Keys name allocations in the result, the lock and problem paths. */
  readonly requests: Readonly<Record<string, BlockRequest>>;
  /** Allocations of an earlier run; honoured first. */
  readonly lock?: Readonly<AllocationLock>;
  /** Ranges no block may overlap, for example other VNets or the stack's reservedCidrs. */
  readonly reserved?: readonly string[];
  /** Config path of the request record; problems are reported at `${path}.${key}...`. */
  readonly path: string;
}

/** Plain code-unit order, so results never depend on the machine's locale. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A binary min-heap of bigints: the free blocks of one prefix length, lowest address on top. */
class BigintHeap {
  private readonly items: bigint[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): bigint | undefined {
    return this.items[0];
  }

  values(): readonly bigint[] {
    return this.items;
  }

  push(value: bigint): void {
    const items = this.items;
    let i = items.length;
    items.push(value);
    while (i > 0) {
      const up = (i - 1) >> 1;
      const parent = items[up] as bigint;
      if (parent <= value) break;
      items[i] = parent;
      i = up;
    }
    items[i] = value;
  }

  pop(): bigint | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && (items[right] as bigint) < (items[left] as bigint) ? right : left;
      if ((items[child] as bigint) >= last) break;
      items[i] = items[child] as bigint;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

/** Free space of one IP version as aligned blocks, one heap per prefix length (buddy-style). */
class FreeSpace {
  private readonly heaps: BigintHeap[];
  private readonly sizes: bigint[];
  private summaryCache: { addresses: bigint; blocks: number; largest?: string } | undefined;

  constructor(
    readonly version: IpVersion,
    private readonly bits: number,
  ) {
    this.heaps = Array.from({ length: bits + 1 }, () => new BigintHeap());
    this.sizes = Array.from({ length: bits + 1 }, (_, length) => 1n << BigInt(bits - length));
  }

  /** Adds the inclusive range [start, end] as the fewest aligned blocks. */
  addRange(start: bigint, end: bigint): void {
    this.summaryCache = undefined;
    while (start <= end) {
      let length = this.bits - trailingZeros(start, this.bits);
      while (start + (this.sizes[length] as bigint) - 1n > end) length++;
      this.heaps[length]?.push(start);
      start += this.sizes[length] as bigint;
    }
  }

  /** Best fit: splits the smallest free block that holds a /length and returns its network, or undefined. */
  take(length: number): bigint | undefined {
    for (let k = length; k >= 0; k--) {
      const heap = this.heaps[k] as BigintHeap;
      if (heap.size === 0) continue;
      const network = heap.pop() as bigint;
      // Keep the lower half at each split, so space is used from the bottom up.
      for (let j = k + 1; j <= length; j++) this.heaps[j]?.push(network + (this.sizes[j] as bigint));
      this.summaryCache = undefined;
      return network;
    }
    return undefined;
  }

  /** Free addresses, free blocks and the largest free block (lowest address on a tie). */
  summary(): { addresses: bigint; blocks: number; largest?: string } {
    if (this.summaryCache) return this.summaryCache;
    let addresses = 0n;
    let blocks = 0;
    let largest: string | undefined;
    for (const [length, heap] of this.heaps.entries()) {
      if (heap.size === 0) continue;
      blocks += heap.size;
      addresses += BigInt(heap.size) * (this.sizes[length] as bigint);
      largest ??= formatPrefix({ version: this.version, network: heap.peek() as bigint, length });
    }
    this.summaryCache = { addresses, blocks, ...(largest === undefined ? {} : { largest }) };
    return this.summaryCache;
  }
}

function trailingZeros(value: bigint, bits: number): number {
  let zeros = 0;
  while (zeros < bits && ((value >> BigInt(zeros)) & 1n) === 0n) zeros++;
  return zeros;
}

/**
 * Finds overlaps among aligned blocks in O(bits) per query. Two CIDR blocks overlap exactly when
 * one contains the other, so it is enough to look up the block's ancestors and whether anything
 * lies strictly inside it; a sorted interval list would cost O(n) per insert.
 */
export class BlockIndex {
  // Per IP version and prefix length: network → owner of a block exactly there / of a block inside it.
  private readonly exact: Record<IpVersion, Map<bigint, string>[]> = { 4: [], 6: [] };
  private readonly interior: Record<IpVersion, Map<bigint, string>[]> = { 4: [], 6: [] };

  private level(table: Record<IpVersion, Map<bigint, string>[]>, version: IpVersion, length: number) {
    const levels = table[version];
    let map = levels[length];
    if (!map) {
      map = new Map();
      levels[length] = map;
    }
    return map;
  }

  /** Records `prefix` as held by `owner`. */
  add(prefix: Prefix, owner: string): void {
    const bits = ADDRESS_BITS[prefix.version];
    this.level(this.exact, prefix.version, prefix.length).set(prefix.network, owner);
    for (let length = prefix.length - 1; length >= 0; length--) {
      const map = this.level(this.interior, prefix.version, length);
      const network = mask(prefix.network, bits, length);
      // Ancestors above an already-marked one are marked too.
      if (map.has(network)) break;
      map.set(network, owner);
    }
  }

  /** The owner of some recorded block that overlaps `prefix`, or undefined. */
  find(prefix: Prefix): string | undefined {
    const bits = ADDRESS_BITS[prefix.version];
    const exact = this.exact[prefix.version];
    for (let length = 0; length <= prefix.length; length++) {
      const owner = exact[length]?.get(mask(prefix.network, bits, length));
      if (owner !== undefined) return owner;
    }
    return this.interior[prefix.version][prefix.length]?.get(prefix.network);
  }
}

const SHIFTS = Array.from({ length: 129 }, (_, i) => BigInt(i));

function mask(network: bigint, bits: number, length: number): bigint {
  const host = SHIFTS[bits - length] as bigint;
  return (network >> host) << host;
}

/** Parses a list of CIDRs; reports the ones that are not canonical CIDR blocks. */
function parseRanges(texts: readonly string[], path: string, what: string, problems: Problem[]): Prefix[] {
  const ranges: Prefix[] = [];
  for (const text of texts) {
    const prefix = parsePrefix(text);
    if (!prefix || prefix.address !== prefix.network) {
      problems.push({
        path,
        message: `${what} is not a CIDR block with host bits clear`,
        value: text,
        allowed: prefix ? formatPrefix(prefix) : "a CIDR such as 10.0.0.0/16",
      });
    } else {
      ranges.push(prefix);
    }
  }
  return ranges;
}

function isSized(request: BlockRequest): request is SizedBlockRequest {
  return !("cidr" in request);
}

/** `a, b and c` for problem texts. */
function listText(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/**
 * The parents' address ranges, merged where they overlap but cut again at every parent's start, so
 * that a block never spans two adjacent parents (10.0.0.0/25 + 10.0.0.128/25 is not a /24: Azure
 * requires a subnet to lie inside one address-space range).
 */
function parentRanges(parents: readonly Prefix[]): [bigint, bigint][] {
  const starts = [...new Set(parents.map((p) => p.network))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const ranges: [bigint, bigint][] = [];
  for (const [first, last] of mergeIntervals(parents)) {
    let start = first;
    for (const cut of starts) {
      if (cut <= start || cut > last) continue;
      ranges.push([start, cut - 1n]);
      start = cut;
    }
    ranges.push([start, last]);
  }
  return ranges;
}

/**
 * Allocates one block per key inside the parent range(s), honouring the lock first.
 * Never throws on user input: everything wrong is returned in `problems`, and keys with
 * problems are left out of `allocations`.
 */
export function allocateBlocks(args: AllocateBlocksArgs): AllocationResult {
  const problems: Problem[] = [];
  const parentTexts = typeof args.parent === "string" ? [args.parent] : [...args.parent];
  const parents = parseRanges(parentTexts, args.path, "parent range", problems);
  const reserved = parseRanges(args.reserved ?? [], args.path, "reserved range", problems);
  const family: IpVersion | undefined = parents.some((p) => p.version === 4) ? 4 : parents[0]?.version;
  const familyParents = parents.filter((p) => p.version === family);
  const bits = family === undefined ? 0 : ADDRESS_BITS[family];
  const parentsText = listText(parents.map((p) => formatPrefix(p)));
  const familyText = listText(familyParents.map((p) => formatPrefix(p)));
  const shortest = Math.min(...familyParents.map((p) => p.length));

  const reservedIndex = new BlockIndex();
  for (const range of reserved) reservedIndex.add(range, formatPrefix(range));
  const held = new BlockIndex();
  const heldBlocks: Prefix[] = [];
  const allocations = new Map<string, string>();
  const lock = new Map<string, string>();

  const keys = Object.keys(args.requests).sort(compareKeys);
  const pinned: string[] = [];
  const kept: { key: string; prefix: Prefix }[] = [];
  const fresh: { key: string; length: number; request: SizedBlockRequest; fieldPath: string }[] = [];

  for (const key of keys) {
    const request = args.requests[key] as BlockRequest;
    const where = `${args.path}.${key}`;
    if (!isSized(request)) {
      pinned.push(key);
      continue;
    }
    const length = request.prefixLength;
    const locked = args.lock?.[key];
    // An empty `field` means the size is not the key's own setting (one length for every student).
    const fieldPath = request.field === "" ? where : `${where}.${request.field ?? "prefixLength"}`;
    if (family === undefined || !Number.isInteger(length) || length < shortest || length > bits) {
      problems.push({
        path: fieldPath,
        message:
          family === undefined
            ? "there is no valid parent range to allocate from"
            : `a /${length} block does not fit in ${familyText}`,
        value: request.value ?? length,
        ...(family === undefined ? {} : { allowed: `a prefix length from ${shortest} to ${bits}` }),
      });
      if (locked !== undefined) lock.set(key, locked);
      continue;
    }
    if (locked !== undefined) {
      const prefix = parsePrefix(locked);
      if (!prefix || prefix.network !== prefix.address) {
        problems.push({
          path: where,
          message: "the lock file entry is not a CIDR block with host bits clear; delete it to re-allocate",
          value: locked,
        });
        lock.set(key, locked);
        continue;
      }
      const fits = prefix.length === length || (request.acceptLarger === true && prefix.length <= length);
      if (prefix.version === family && fits) {
        kept.push({ key, prefix });
        continue;
      }
      // Otherwise the request was resized: the block is allocated afresh below.
    }
    fresh.push({ key, length, request, fieldPath });
  }

  const accept = (key: string, prefix: Prefix): void => {
    const cidr = formatPrefix(prefix);
    allocations.set(key, cidr);
    lock.set(key, cidr);
  };
  // Fixed blocks are indexed for overlap checks; fresh ones come from free space and need no check.
  const acceptFixed = (key: string, prefix: Prefix): void => {
    held.add(prefix, key);
    heldBlocks.push(prefix);
    accept(key, prefix);
  };

  // Locked blocks come first: they were valid when written, so a conflict is blamed on the newcomer.
  for (const { key, prefix } of kept) {
    const cidr = formatPrefix(prefix);
    const hint = "; delete its lock entry to re-address it";
    const base = { path: `${args.path}.${key}`, value: cidr };
    const owner = held.find(prefix);
    const blocked = reservedIndex.find(prefix);
    if (!parents.some((p) => contains(p, prefix))) {
      problems.push({
        ...base,
        message: `the locked block lies outside ${parentsText}${hint}`,
        allowed: `a block inside ${parentsText}`,
      });
    } else if (blocked !== undefined) {
      problems.push({ ...base, message: `the locked block overlaps the reserved range ${blocked}${hint}` });
    } else if (owner !== undefined) {
      problems.push({
        ...base,
        message: `the locked block overlaps ${owner} (${allocations.get(owner)})${hint}`,
      });
    } else {
      acceptFixed(key, prefix);
      continue;
    }
    lock.set(key, cidr);
  }

  for (const key of pinned) {
    const text = (args.requests[key] as { cidr: string }).cidr;
    const base = { path: `${args.path}.${key}.cidr`, value: text };
    const prefix = parsePrefix(text);
    if (!prefix) {
      problems.push({
        ...base,
        message: "cidr is not a valid CIDR block",
        allowed: "a CIDR such as 10.0.1.0/24",
      });
      continue;
    }
    if (prefix.address !== prefix.network) {
      problems.push({
        ...base,
        message: `cidr is not aligned to its /${prefix.length} (host bits are set)`,
        allowed: formatPrefix(prefix),
      });
      continue;
    }
    const blocked = reservedIndex.find(prefix);
    const owner = held.find(prefix);
    if (!parents.some((p) => contains(p, prefix))) {
      // Name the ranges of the block's own IP version: an IPv6 range is no help to an IPv4 block.
      const sameVersion = parents.filter((p) => p.version === prefix.version);
      const inside = sameVersion.length > 0 ? listText(sameVersion.map((p) => formatPrefix(p))) : parentsText;
      problems.push({ ...base, message: `cidr lies outside ${inside}`, allowed: `a block inside ${inside}` });
    } else if (blocked !== undefined) {
      problems.push({
        ...base,
        message: `cidr overlaps the reserved range ${blocked}`,
        allowed: `a block that avoids ${blocked}`,
      });
    } else if (owner !== undefined) {
      problems.push({
        ...base,
        message: `cidr overlaps ${owner} (${allocations.get(owner)})`,
        allowed: "a block that overlaps no other allocation",
      });
    } else {
      acceptFixed(key, prefix);
    }
  }

  if (family !== undefined && fresh.length > 0) {
    const free = new FreeSpace(family, bits);
    const taken = mergeIntervals([...reserved, ...heldBlocks].filter((b) => b.version === family));
    for (const [first, end] of parentRanges(familyParents)) {
      let start = first;
      for (const [usedStart, usedEnd] of taken) {
        if (usedEnd < start || usedStart > end) continue;
        if (usedStart > start) free.addRange(start, usedStart - 1n);
        start = usedEnd + 1n;
      }
      if (start <= end) free.addRange(start, end);
    }
    fresh.sort((a, b) => a.length - b.length || compareKeys(a.key, b.key));
    for (const { key, length, request, fieldPath } of fresh) {
      const network = free.take(length);
      if (network !== undefined) {
        accept(key, { version: family, address: network, network, length });
        continue;
      }
      const left = free.summary();
      problems.push({
        path: fieldPath,
        message: `no free /${length} block (${1n << BigInt(bits - length)} addresses) is left for ${key}`,
        value: request.value ?? length,
        allowed:
          left.largest === undefined
            ? `a larger parent range: no free addresses are left in ${familyText}`
            : `a smaller block: the largest free one is ${left.largest}; ${left.addresses} addresses are free in ${left.blocks} blocks`,
      });
    }
  }

  return {
    allocations: Object.fromEntries([...allocations].sort((a, b) => compareKeys(a[0], b[0]))),
    lock: Object.fromEntries([...lock].sort((a, b) => compareKeys(a[0], b[0]))),
    problems,
  };
}
