/**
 * Plain data types of the network planner. Addresses come in as prefix values (text is accepted
 * where text is the input, see `PrefixInput`); results carry both the value, for further checks,
 * and its canonical text, for output, the lock file and component args.
 */
import type { Prefix, PrefixInput } from "../cidr/address.ts";
import type { Problem } from "../errors.ts";

/**
 * How the stack config asks for one subnet. Exactly one form per subnet:
 * - `{ prefixLength }`: an IPv4 block of exactly this length, placed by the planner;
 * - `{ hosts }`: the smallest IPv4 block whose usable addresses (size − 5, Azure reserves 5) hold this many hosts;
 * - `{ cidr }`: a pinned block, IPv4 or IPv6, taken as written and checked.
 */
export type SubnetRequest =
  { readonly prefixLength: number } | { readonly hosts: number } | { readonly cidr: PrefixInput };

/**
 * A block asked of the generic allocator (`allocateBlocks`): either sized or pinned.
 */
export type BlockRequest = SizedBlockRequest | PinnedBlockRequest;

/** A block of a given prefix length, placed by the allocator. */
export interface SizedBlockRequest {
  /** Prefix length of the block, for example 24. */
  readonly prefixLength: number;
  /**
   * Keep a locked block that is larger than asked (shorter prefix) instead of re-addressing it.
   * Set for host-count requests: lowering `hosts` must not move a subnet that still holds them.
   */
  readonly acceptLarger?: boolean;
  /** Config field the size came from, for problem paths (default `prefixLength`; `""` for the key itself). */
  readonly field?: string;
  /** Value the user wrote in `field`, shown in problems (default the prefix length). */
  readonly value?: unknown;
}

/** A block fixed by the user. */
export interface PinnedBlockRequest {
  /** The block, canonical (host bits clear), for example `10.0.1.0/24`. */
  readonly cidr: PrefixInput;
}

/** Every allocation of one allocator run: key → canonical CIDR. */
export type AllocationLock = Record<string, string>;

/** The allocations of one VNet in the lock file. */
export interface VnetLock {
  /** The VNet's address space when the lock was written; informational, shown in diffs. */
  readonly addressSpace?: string[];
  /** Subnet name → CIDR. */
  readonly subnets: AllocationLock;
}

/**
 * All address allocations of one stack: one JSON file per stack (`stacks/<stack>.lock.json`).
 * Serialize with `serializeLock` so keys are sorted and diffs stay clean.
 */
export interface NetworkLock {
  /** Format version; bumped only with a migration. */
  readonly version: 1;
  /** VNet key → its subnets. */
  readonly vnets: Record<string, VnetLock>;
  /** Other keyed blocks, for example `blocks.class` for per-student blocks; group → key → CIDR. */
  readonly blocks?: Record<string, AllocationLock>;
}

/** What an allocator run returns. */
export interface AllocationResult {
  /** Key → canonical CIDR, keys sorted. Keys with problems are missing. */
  readonly allocations: Record<string, string>;
  /** The lock to store: every allocation, plus locked entries that had problems (so they are not lost). */
  readonly lock: AllocationLock;
  /** Every problem found; empty when all requests were placed. */
  readonly problems: Problem[];
}

/** Address counts of one subnet. */
export interface SubnetUtilization {
  /** Canonical CIDR. */
  readonly cidr: string;
  /** Addresses in the block. Exact for IPv4; for IPv6 the nearest double (use `exactTotal`). */
  readonly total: number;
  /** Addresses Azure keeps for itself: the first four and the last. */
  readonly reserved: 5;
  /** `total − 5`. Exact for IPv4; for IPv6 the nearest double (use `exactUsable`). */
  readonly usable: number;
  /** `total` as a decimal string, exact for both IP versions. */
  readonly exactTotal: string;
  /** `usable` as a decimal string, exact for both IP versions. */
  readonly exactUsable: string;
}

/** IPv4 address counts of one VNet (IPv6 is left out: a /64 in a /48 says nothing useful). */
export interface VnetUtilization {
  /** IPv4 addresses in the address space (overlapping ranges counted once). */
  readonly total: number;
  /** Of those, addresses inside some subnet (overlapping subnets counted once). */
  readonly allocated: number;
  /** `total − allocated`. */
  readonly free: number;
  /** `allocated ÷ total`, from 0 to 1; 0 when the VNet has no IPv4 space. */
  readonly utilization: number;
}

/** One planned subnet. */
export interface PlannedSubnet extends SubnetUtilization {
  /** Subnet name (the record key), also the Azure name. */
  readonly name: string;
  /** The block as a value; `cidr` is its text. */
  readonly prefix: Prefix;
  /** The request it was planned from, as written in the config. */
  readonly requested: SubnetRequest;
}

/** One planned VNet. */
export interface PlannedVnet {
  /** VNet key in the config. */
  readonly key: string;
  /** Address space as canonical CIDRs, in config order. */
  readonly addressSpace: string[];
  /** The same ranges as values. */
  readonly prefixes: readonly Prefix[];
  /** Subnet name → plan. Subnets with problems are missing. */
  readonly subnets: Record<string, PlannedSubnet>;
  /** IPv4 address use of the VNet. */
  readonly utilization: VnetUtilization;
}
