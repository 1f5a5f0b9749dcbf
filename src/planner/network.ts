/**
 * The network planner: turns the stack's VNet and class requests plus the lock file into
 * concrete, checked address plans. Pure: plain data in, plain data out, every problem collected.
 * Ranges come in as prefix values (or text, see `PrefixInput`) and become values once, at entry;
 * text is made only for the results, the lock and problem messages.
 */
import type { Problem } from "../errors.ts";
import { formatPrefix, inputText, isAligned, parsePrefix, toPrefix } from "../cidr/address.ts";
import type { Prefix, PrefixInput } from "../cidr/address.ts";
import { allocatePrefixes, compareKeys } from "./allocate.ts";
import {
  addressSpaceProblems,
  hostsToPrefixLength,
  layoutProblems,
  reservedCidrProblems,
  subnetNameProblems,
  subnetRequestProblems,
} from "./subnetRules.ts";
import type {
  AllocationLock,
  BlockRequest,
  NetworkLock,
  PlannedSubnet,
  PlannedVnet,
  SubnetRequest,
  VnetLock,
} from "./types.ts";
import { subnetUtilization, vnetUtilization } from "./utilization.ts";

/** One VNet as the planner gets it from the stack config. */
export interface VnetRequest {
  /** Address ranges, IPv4 and optionally IPv6. Sized subnets are placed in the IPv4 ranges. */
  readonly addressSpace: readonly PrefixInput[];
  /** Subnet name → request. */
  readonly subnets: Readonly<Record<string, SubnetRequest>>;
  /** Config path of the VNet, for example `azlab:network.vnets.dev`. */
  readonly path: string;
  /**
   * Whose VNet this is, when several share one `path` (a class's students share `azlab:network`):
   * a problem with a lock entry then names its owner, since the path alone cannot.
   */
  readonly owner?: string;
}

/** A problem with a locked block names the VNet's owner and its lock entry; other problems are shared. */
function ownedLockProblem(problem: Problem, owner: string, key: string): Problem {
  if (!problem.message.startsWith("the locked block")) return problem;
  return { ...problem, message: `${problem.message} (${owner}'s lock entry: vnets.${key}.subnets)` };
}

/** Input of `planNetwork`. */
export interface NetworkRequest {
  /** VNet key → request. */
  readonly vnets: Readonly<Record<string, VnetRequest>>;
  /** Ranges no subnet may use: on-premises networks, peered VNets, space held back inside a VNet. */
  readonly reservedCidrs: readonly PrefixInput[];
  /** Config path of `reservedCidrs`; entries are reported at `${reservedPath}[i]`. */
  readonly reservedPath: string;
}

/** Output of `planNetwork`. */
export interface NetworkPlan {
  /** VNet key → plan. */
  readonly vnets: Record<string, PlannedVnet>;
  /** The lock to store when `problems` is empty: this plan's subnets, and the input lock's `blocks`. */
  readonly lock: NetworkLock;
  /** Every problem found; the plan is only usable when this is empty. */
  readonly problems: Problem[];
}

/** The inputs that are CIDR blocks with host bits clear, as values; the rest are reported elsewhere. */
function alignedPrefixes(inputs: readonly PrefixInput[]): Prefix[] {
  return inputs.map((input) => toPrefix(input)).filter((p): p is Prefix => p !== undefined && isAligned(p));
}

function sortedRecord<T>(entries: Iterable<[string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort((a, b) => compareKeys(a[0], b[0])));
}

/**
 * Plans every subnet of every VNet. Subnets in the lock keep their addresses while their request
 * still fits (a `hosts` request keeps a larger locked block; a `prefixLength` request needs the same
 * length); new and resized subnets fill free space, largest first. Never throws on user input.
 */
export function planNetwork(request: NetworkRequest, lock?: NetworkLock): NetworkPlan {
  const problems: Problem[] = [...reservedCidrProblems(request.reservedCidrs, request.reservedPath)];
  const reserved = alignedPrefixes(request.reservedCidrs);
  const spaceProblems = addressSpaceProblems(request.vnets);
  problems.push(...spaceProblems);

  const vnets: Record<string, PlannedVnet> = {};
  const lockVnets: Record<string, VnetLock> = {};
  for (const key of Object.keys(request.vnets).sort(compareKeys)) {
    const vnet = request.vnets[key] as VnetRequest;
    const space = alignedPrefixes(vnet.addressSpace);
    const spaceText = space.map((p) => formatPrefix(p));
    const largestIpv4 = space
      .filter((p) => p.version === 4)
      .reduce<Prefix | undefined>(
        (best, p) => (best === undefined || p.length < best.length ? p : best),
        undefined,
      );
    const locked: Readonly<AllocationLock> = lock?.vnets[key]?.subnets ?? {};

    const requests: Record<string, BlockRequest> = {};
    // Lock entries of subnets whose request is wrong this time are kept and their space held,
    // so fixing a typo later does not find the block taken by a newcomer.
    const held: [string, string][] = [];
    for (const name of Object.keys(vnet.subnets).sort(compareKeys)) {
      const subnet = vnet.subnets[name] as SubnetRequest;
      const path = `${vnet.path}.subnets.${name}`;
      const found = [
        ...subnetNameProblems(name, path),
        ...subnetRequestProblems(name, subnet, path, largestIpv4),
      ];
      if (found.length > 0) {
        problems.push(...found);
        const entry = locked[name];
        if (entry !== undefined) held.push([name, entry]);
        continue;
      }
      requests[name] =
        "cidr" in subnet
          ? { cidr: subnet.cidr }
          : "hosts" in subnet
            ? {
                prefixLength: hostsToPrefixLength(subnet.hosts) as number,
                acceptLarger: true,
                field: "hosts",
                value: subnet.hosts,
              }
            : { prefixLength: subnet.prefixLength };
    }

    // Held lock entries are text from the lock file; entries that are no CIDR hold nothing.
    const heldRanges = held.map(([, cidr]) => parsePrefix(cidr)).filter((p) => p !== undefined);
    const result =
      space.length > 0
        ? allocatePrefixes({
            parent: space,
            requests,
            lock: locked,
            reserved: [...reserved, ...heldRanges],
            path: `${vnet.path}.subnets`,
          })
        : { allocations: {}, prefixes: {}, lock: {}, problems: [] };
    problems.push(
      ...(vnet.owner === undefined
        ? result.problems
        : result.problems.map((p) => ownedLockProblem(p, vnet.owner as string, key))),
    );

    const subnets: Record<string, PlannedSubnet> = {};
    for (const [name, prefix] of Object.entries(result.prefixes)) {
      subnets[name] = {
        name,
        prefix,
        ...subnetUtilization(prefix),
        requested: vnet.subnets[name] as SubnetRequest,
      };
    }
    vnets[key] = {
      key,
      addressSpace: spaceText,
      prefixes: space,
      subnets,
      utilization: vnetUtilization(space, Object.values(result.prefixes)),
    };
    lockVnets[key] = {
      addressSpace: spaceText,
      subnets: sortedRecord([...Object.entries(result.lock), ...held]),
    };
  }

  // Within a VNet the allocator already keeps subnets apart; this catches clashes across VNets.
  // When address spaces overlap that is already reported, and every subnet pair would repeat it.
  if (spaceProblems.length === 0) {
    problems.push(
      ...layoutProblems(
        Object.fromEntries(
          Object.entries(vnets).map(([key, plan]) => [
            key,
            {
              path: (request.vnets[key] as VnetRequest).path,
              addressSpace: plan.prefixes,
              subnets: Object.fromEntries(Object.entries(plan.subnets).map(([name, s]) => [name, s.prefix])),
            },
          ]),
        ),
        reserved,
      ),
    );
  }

  return {
    vnets,
    lock: { version: 1, vnets: lockVnets, ...(lock?.blocks ? { blocks: lock.blocks } : {}) },
    problems,
  };
}

/** Input of `planClassBlocks`. */
export interface ClassBlocksRequest {
  /** The class supernet every block is carved from, for example `10.100.0.0/16`. */
  readonly supernet: PrefixInput;
  /** Prefix length of every student's block. */
  readonly studentPrefixLength: number;
  /** Student ids; order does not matter. */
  readonly studentKeys: readonly string[];
  /** Shared block key (for example `hub`) → prefix length. */
  readonly sharedBlocks?: Readonly<Record<string, number>>;
  /** Student id or shared key → a fixed CIDR, overriding the computed block. */
  readonly pinned?: Readonly<Record<string, PrefixInput>>;
  /** Student id or shared key → CIDR, from the lock file (`NetworkLock.blocks`). */
  readonly lock?: Readonly<AllocationLock>;
  /** Ranges no block may overlap. */
  readonly reservedCidrs: readonly PrefixInput[];
  /**
   * Config path of the student record, for example `azlab:class.students`. A block's problems are
   * reported at `${path}.<id or shared key>`; problems of the class as a whole at `path` itself.
   */
  readonly path: string;
}

/** Output of `planClassBlocks`. */
export interface ClassBlocksPlan {
  /** Student id → CIDR, ids sorted. */
  readonly students: Record<string, string>;
  /** Shared key → CIDR, keys sorted. */
  readonly shared: Record<string, string>;
  /** The lock to store: student id or shared key → CIDR. */
  readonly lock: AllocationLock;
  /** Every problem found. */
  readonly problems: Problem[];
}

/** `planClassBlocks`' result plus every placed block as a value, for callers that keep computing. */
export interface ClassBlockPrefixes extends ClassBlocksPlan {
  /** Student id or shared key → block. */
  readonly prefixes: Readonly<Record<string, Prefix>>;
}

/**
 * Carves one block per student, plus the shared blocks, out of the class supernet. Blocks are keyed
 * by student id, never by roster position, so with the lock fed back in, adding or removing a
 * student moves nobody else, and roster order changes nothing. Never throws on user input.
 */
export function planClassBlocks(args: ClassBlocksRequest): ClassBlocksPlan {
  const { students, shared, lock, problems } = planClassBlockPrefixes(args);
  return { students, shared, lock, problems };
}

/** `planClassBlocks`, also returning the blocks as values. */
export function planClassBlockPrefixes(args: ClassBlocksRequest): ClassBlockPrefixes {
  const problems: Problem[] = [];
  const supernet = toPrefix(args.supernet);
  const supernetText = inputText(args.supernet);
  if (!supernet || !isAligned(supernet)) {
    problems.push({
      path: args.path,
      message: supernet
        ? `class supernet is not aligned to its /${supernet.length} (host bits are set)`
        : "class supernet is not a valid CIDR block",
      value: supernetText,
      allowed: supernet ? formatPrefix(supernet) : "a CIDR such as 10.100.0.0/16",
    });
  }
  const bits = supernet?.version === 6 ? 128 : 32;
  const minLength = supernet?.length ?? 0;
  const studentLength = args.studentPrefixLength;
  const studentLengthOk =
    Number.isInteger(studentLength) && studentLength >= minLength && studentLength <= bits;
  if (!studentLengthOk) {
    problems.push({
      path: args.path,
      message: `a /${studentLength} student block does not fit in the class supernet ${supernetText}`,
      value: studentLength,
      allowed: `a student prefix length from ${minLength} to ${bits}`,
    });
  }

  const requests: Record<string, BlockRequest> = {};
  const students = new Set<string>();
  for (const id of [...args.studentKeys].sort(compareKeys)) {
    if (students.has(id)) {
      problems.push({
        path: args.path,
        message: "student id is listed more than once",
        value: id,
        allowed: "each student id once",
      });
      continue;
    }
    students.add(id);
    // `field: ""`: the size is the class's setting, so a problem names the student, not a field.
    if (studentLengthOk) requests[id] = { prefixLength: studentLength, field: "" };
  }
  const shared = args.sharedBlocks ?? {};
  for (const key of Object.keys(shared).sort(compareKeys)) {
    if (students.has(key)) {
      problems.push({
        path: `${args.path}.${key}`,
        message: "shared block key is also a student id",
        value: key,
        allowed: "a key that is not a student id",
      });
      continue;
    }
    requests[key] = { prefixLength: shared[key] as number, field: "" };
  }
  for (const key of Object.keys(args.pinned ?? {}).sort(compareKeys)) {
    if (requests[key] === undefined) {
      problems.push({
        path: `${args.path}.${key}`,
        message: "pinned block names neither a student with a valid block size nor a shared block",
        value: inputText(args.pinned?.[key] as PrefixInput),
      });
    } else {
      requests[key] = { cidr: args.pinned?.[key] as PrefixInput };
    }
  }

  const result =
    supernet && isAligned(supernet)
      ? allocatePrefixes({
          parent: supernet,
          requests,
          lock: args.lock ?? {},
          reserved: args.reservedCidrs,
          path: args.path,
        })
      : { allocations: {}, prefixes: {}, lock: {}, problems: [] };
  problems.push(...result.problems);

  const studentBlocks: [string, string][] = [];
  const sharedBlocks: [string, string][] = [];
  for (const [key, cidr] of Object.entries(result.allocations)) {
    (students.has(key) ? studentBlocks : sharedBlocks).push([key, cidr]);
  }
  // Students left out of this run (invalid block size) keep their lock entries, as planNetwork does.
  const lockEntries: [string, string][] = Object.entries(result.lock);
  for (const id of students) {
    const entry = args.lock?.[id];
    if (entry !== undefined && result.lock[id] === undefined && requests[id] === undefined) {
      lockEntries.push([id, entry]);
    }
  }
  return {
    students: sortedRecord(studentBlocks),
    shared: sortedRecord(sharedBlocks),
    lock: sortedRecord(lockEntries),
    problems,
    prefixes: result.prefixes,
  };
}
