/**
 * The data structures behind the allocator: free space as buddy-style heaps of aligned blocks, and
 * an index that finds overlapping blocks in O(address bits). Plain bigint arithmetic on prefixes.
 */
import { ADDRESS_BITS, formatPrefix } from "../cidr/address.ts";
import type { IpVersion, Prefix } from "../cidr/address.ts";

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
export class FreeSpace {
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
