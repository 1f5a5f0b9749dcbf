/**
 * Planner benchmark: `npx tsx bench/planner.bench.ts`.
 * Allocates 10,000 subnets of seeded pseudo-random sizes (/20–/29) in 10.0.0.0/8, 15 times, and prints
 * the median wall time and how tightly the blocks are packed. Then adds 100 subnets to the locked
 * layout, the everyday case, and checks that no existing subnet moved.
 */
import { blockSize, lastAddress, parsePrefix } from "../src/cidr/address.ts";
import type { Prefix } from "../src/cidr/address.ts";
import { allocateBlocks } from "../src/planner/allocate.ts";
import type { BlockRequest } from "../src/planner/types.ts";

const PARENT = "10.0.0.0/8";
const COUNT = 10_000;
const RUNS = 15;

/** Park–Miller LCG: the same sizes on every machine and run. */
function lengths(count: number, seed: number): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 48271) % 2147483647;
    return 20 + (state % 10);
  });
}

function requests(prefix: string, sizes: number[]): Record<string, BlockRequest> {
  return Object.fromEntries(sizes.map((prefixLength, i) => [`${prefix}${i}`, { prefixLength }]));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function time<T>(fn: () => T): { result: T; ms: number } {
  const start = process.hrtime.bigint();
  const result = fn();
  return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

const base = requests("s", lengths(COUNT, 42));
const times: number[] = [];
let allocations: Record<string, string> = {};
let lock: Record<string, string> = {};
for (let run = 0; run < RUNS; run++) {
  const { result, ms } = time(() => allocateBlocks({ parent: PARENT, requests: base, path: "bench" }));
  if (result.problems.length > 0) throw new Error(`unexpected problems: ${result.problems.length}`);
  times.push(ms);
  allocations = result.allocations;
  lock = result.lock;
}

const blocks = Object.values(allocations).map((cidr) => parsePrefix(cidr) as Prefix);
const allocated = blocks.reduce((sum, b) => sum + blockSize(4, b.length), 0n);
const low = blocks.reduce((min, b) => (b.network < min ? b.network : min), blocks[0]?.network ?? 0n);
const high = blocks.reduce((max, b) => (lastAddress(b) > max ? lastAddress(b) : max), 0n);
const span = high - low + 1n;
// Power-of-two blocks sorted largest first tile without gaps, so the optimum span is their sum.
const optimum = allocated;
const pct = (part: bigint, whole: bigint) => ((Number(part) / Number(whole)) * 100).toFixed(2);
console.log(
  `planner: ${COUNT} subnets in ${PARENT}: median ${median(times).toFixed(1)} ms (${RUNS} runs), packing ${pct(allocated, span)}% of span`,
);
console.log(
  `planner: span ${span} addresses, alignment optimum ${optimum} addresses: ${pct(optimum, span)}% of optimum`,
);

const added = { ...base, ...requests("new", lengths(100, 7)) };
const incremental: number[] = [];
let moved = 0;
for (let run = 0; run < RUNS; run++) {
  const { result, ms } = time(() => allocateBlocks({ parent: PARENT, requests: added, lock, path: "bench" }));
  incremental.push(ms);
  moved = Object.entries(allocations).filter(([key, cidr]) => result.allocations[key] !== cidr).length;
}
console.log(
  `planner: +100 subnets on a ${COUNT}-entry lock: median ${median(incremental).toFixed(1)} ms (${RUNS} runs), ${moved} existing subnets moved`,
);
