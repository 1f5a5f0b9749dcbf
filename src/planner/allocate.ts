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
import {
  ADDRESS_BITS,
  contains,
  formatPrefix,
  inputText,
  isAligned,
  mergeIntervals,
  parsePrefix,
  toPrefix,
} from "../cidr/address.ts";
import type { IpVersion, Prefix, PrefixInput } from "../cidr/address.ts";
import { BlockIndex, compareKeys, FreeSpace } from "./blocks.ts";
import type { AllocationLock, AllocationResult, BlockRequest, SizedBlockRequest } from "./types.ts";

export { BlockIndex, compareKeys } from "./blocks.ts";

/** Arguments of `allocateBlocks`. */
export interface AllocateBlocksArgs {
  /** Range or ranges to allocate in. Sized requests use the IPv4 ranges when there are any, else IPv6. */
  readonly parent: PrefixInput | readonly PrefixInput[];
  /** Key → request. Keys name allocations in the result, the lock and problem paths. */
  readonly requests: Readonly<Record<string, BlockRequest>>;
  /** Allocations of an earlier run; honoured first. */
  readonly lock?: Readonly<AllocationLock>;
  /** Ranges no block may overlap, for example other VNets or the stack's reservedCidrs. */
  readonly reserved?: readonly PrefixInput[];
  /** Config path of the request record; problems are reported at `${path}.${key}...`. */
  readonly path: string;
}

/** What `allocatePrefixes` returns: `allocateBlocks`' result plus the placed blocks as values. */
export interface PrefixAllocation extends AllocationResult {
  /** Key → placed block, keys sorted; the same blocks as `allocations`. */
  readonly prefixes: Readonly<Record<string, Prefix>>;
}

/** The ranges as values; reports the ones that are not CIDR blocks with host bits clear. */
function parseRanges(
  inputs: readonly PrefixInput[],
  path: string,
  what: string,
  problems: Problem[],
): Prefix[] {
  const ranges: Prefix[] = [];
  for (const input of inputs) {
    const prefix = toPrefix(input);
    if (!prefix || !isAligned(prefix)) {
      problems.push({
        path,
        message: `${what} is not a CIDR block with host bits clear`,
        value: inputText(input),
        allowed: prefix ? formatPrefix(prefix) : "a CIDR such as 10.0.0.0/16",
      });
    } else {
      ranges.push(prefix);
    }
  }
  return ranges;
}

function isParentList(parent: AllocateBlocksArgs["parent"]): parent is readonly PrefixInput[] {
  return Array.isArray(parent);
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
  const { allocations, lock, problems } = allocatePrefixes(args);
  return { allocations, lock, problems };
}

/** `allocateBlocks`, also returning the placed blocks as values for callers that keep computing. */
export function allocatePrefixes(args: AllocateBlocksArgs): PrefixAllocation {
  const problems: Problem[] = [];
  const parentInputs: readonly PrefixInput[] = isParentList(args.parent) ? args.parent : [args.parent];
  const parents = parseRanges(parentInputs, args.path, "parent range", problems);
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
  const placed = new Map<string, Prefix>();
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
      // The lock file is text: this is where its entries become values.
      const prefix = parsePrefix(locked);
      if (!prefix || !isAligned(prefix)) {
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
    placed.set(key, prefix);
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
    const input = (args.requests[key] as { cidr: PrefixInput }).cidr;
    const base = { path: `${args.path}.${key}.cidr`, value: inputText(input) };
    const prefix = toPrefix(input);
    if (!prefix) {
      problems.push({
        ...base,
        message: "cidr is not a valid CIDR block",
        allowed: "a CIDR such as 10.0.1.0/24",
      });
      continue;
    }
    if (!isAligned(prefix)) {
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

  // Every key of the three maps is a request key, and `keys` is sorted: no further sort is needed.
  const out = {
    allocations: {} as Record<string, string>,
    lock: {} as AllocationLock,
    prefixes: {} as Record<string, Prefix>,
  };
  for (const key of keys) {
    const prefix = placed.get(key);
    if (prefix !== undefined) {
      out.allocations[key] = allocations.get(key) as string;
      out.prefixes[key] = prefix;
    }
    const entry = lock.get(key);
    if (entry !== undefined) out.lock[key] = entry;
  }
  return { ...out, problems };
}
