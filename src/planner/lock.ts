/**
 * The stack's address lock file: reading, checking and writing it. One JSON file per stack holds
 * every allocation (each VNet's subnets, the class blocks), written with sorted keys so that a diff
 * shows exactly the allocations that changed.
 */
import type { Problem } from "../errors.ts";
import { compareKeys } from "./allocate.ts";
import type { AllocationLock, NetworkLock, VnetLock } from "./types.ts";

/** A lock with no allocations, for a stack that has never been planned. */
export function emptyLock(): NetworkLock {
  return { version: 1, vnets: {} };
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort(compareKeys)
        .map((key) => [key, sortDeep((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** The lock as JSON: object keys sorted at every level (array order kept), 2-space indent, final newline. */
export function serializeLock(lock: NetworkLock): string {
  return `${JSON.stringify(sortDeep(lock), null, 2)}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Checks that `value` is a key → string record; reports at `path` otherwise. */
function readAllocations(value: unknown, path: string, problems: Problem[]): AllocationLock {
  if (!isRecord(value)) {
    problems.push({ path, message: "lock entry must be an object of key → CIDR", value });
    return {};
  }
  const out: AllocationLock = {};
  for (const [key, cidr] of Object.entries(value)) {
    if (typeof cidr === "string") out[key] = cidr;
    else problems.push({ path: `${path}.${key}`, message: "lock entry must be a CIDR string", value: cidr });
  }
  return out;
}

/**
 * Parses lock file text. Only the shape is checked here; CIDRs that no longer fit are reported by
 * the planner, which knows the request. Problem paths are relative to the file (`vnets.dev.subnets`).
 */
export function parseLock(text: string): { lock: NetworkLock; problems: Problem[] } {
  const problems: Problem[] = [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      lock: emptyLock(),
      problems: [{ path: "(lock file)", message: `lock file is not valid JSON: ${reason}` }],
    };
  }
  if (!isRecord(data)) {
    return {
      lock: emptyLock(),
      problems: [{ path: "(lock file)", message: "lock file must hold a JSON object" }],
    };
  }
  if (data.version !== 1) {
    problems.push({
      path: "version",
      message: "unsupported lock file version",
      value: data.version,
      allowed: "1",
    });
  }
  const vnets: Record<string, VnetLock> = {};
  if (!isRecord(data.vnets)) {
    problems.push({
      path: "vnets",
      message: "vnets must be an object of VNet key → allocations",
      value: data.vnets,
    });
  } else {
    for (const [key, entry] of Object.entries(data.vnets)) {
      const path = `vnets.${key}`;
      if (!isRecord(entry)) {
        problems.push({ path, message: "VNet entry must be an object with subnets", value: entry });
        continue;
      }
      const space = entry.addressSpace;
      const addressSpace =
        Array.isArray(space) && space.every((s) => typeof s === "string") ? (space as string[]) : undefined;
      if (space !== undefined && addressSpace === undefined) {
        problems.push({
          path: `${path}.addressSpace`,
          message: "addressSpace must be a list of CIDRs",
          value: space,
        });
      }
      const subnets = readAllocations(entry.subnets, `${path}.subnets`, problems);
      vnets[key] = addressSpace ? { addressSpace, subnets } : { subnets };
    }
  }
  let blocks: Record<string, AllocationLock> | undefined;
  if (data.blocks !== undefined) {
    if (!isRecord(data.blocks)) {
      problems.push({
        path: "blocks",
        message: "blocks must be an object of group → allocations",
        value: data.blocks,
      });
    } else {
      blocks = {};
      for (const [group, entry] of Object.entries(data.blocks)) {
        blocks[group] = readAllocations(entry, `blocks.${group}`, problems);
      }
    }
  }
  return { lock: { version: 1, vnets, ...(blocks ? { blocks } : {}) }, problems };
}
