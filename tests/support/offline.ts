/**
 * The one helper the offline tests share: run a program (a component test) or a whole stack file
 * (a program test) under the offline mock engine, and look up what it registered. Component tests
 * run as stack azlab/dev, so their URNs read the same everywhere.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { loadStackFile, stackNameOf } from "../../src/config/stackFile.ts";
import { UserError } from "../../src/errors.ts";
import { runOffline } from "../../src/engine/mockEngine.ts";
import type { OfflineRun, RecordedResource } from "../../src/model/recorded.ts";
import { planStackOffline, type OfflinePlanOptions } from "../../src/program/offline.ts";

/** The stack every component test runs as. */
export const TEST_STACK = "dev";

/** The URN prefix of a resource registered by `run`: append `<type chain>::<name>`. */
export const URN = `urn:pulumi:${TEST_STACK}::azlab::`;

/** Runs `program` offline as stack azlab/dev with an empty config and returns what it registered. */
export function run(program: () => Record<string, unknown> | void): Promise<OfflineRun> {
  return runOffline({
    project: "azlab",
    stack: TEST_STACK,
    config: {},
    program: async () => program() ?? {},
  });
}

/**
 * How many resources of each type were registered, keyed in type order. The stack resource is left
 * out: every run has exactly one, so counting it says nothing about the component.
 */
export function countByType(result: OfflineRun): Record<string, number> {
  const counts: Record<string, number> = {};
  const types = result.resources.map((r) => r.type).filter((t) => t !== "pulumi:pulumi:Stack");
  for (const type of types.sort()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** Freezes `value` and everything under it, so a test that shares it cannot change it for the next. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * The instant shipped stacks are planned at: before every shipped class ends, so a test's outcome never
 * depends on the day it runs.
 */
export const SHIPPED_AS_OF = new Date("2026-12-01T00:00:00Z");

/** One plan per shipped stack and test worker: files of the pulumi project share a worker. */
const shipped = new Map<string, Promise<OfflineRun>>();

/**
 * Plans a shipped stack (stacks/Pulumi.<stack>.yaml) with its committed lock, at SHIPPED_AS_OF. The
 * result is shared by every test in the worker and frozen, so a test that changed it would fail
 * instead of leaking.
 */
export function planShipped(stack: string): Promise<OfflineRun> {
  let plan = shipped.get(stack);
  if (!plan) {
    plan = planStackOffline(loadStackFile(`stacks/Pulumi.${stack}.yaml`, stack), {
      asOf: SHIPPED_AS_OF,
    }).then(deepFreeze);
    shipped.set(stack, plan);
  }
  return plan;
}

/**
 * Plans a shipped stack's file after `edit` changed its config, from a temporary folder; the lock
 * is copied next to it from `lockFrom` when given, so the planner starts from those addresses.
 * `options` go to the planner (for example `registration: "fast"`, as `azlab plan` plans).
 */
export function planVariant(
  stack: string,
  edit: (config: Record<string, unknown>) => void,
  lockFrom?: string,
  options?: OfflinePlanOptions,
): Promise<OfflineRun> {
  const doc = parse(readFileSync(`stacks/Pulumi.${stack}.yaml`, "utf8")) as {
    config: Record<string, unknown>;
  };
  edit(doc.config);
  const dir = mkdtempSync(join(tmpdir(), "azlab-variant-"));
  const file = join(dir, `Pulumi.${stack}.yaml`);
  writeFileSync(file, stringify(doc));
  if (lockFrom) writeFileSync(join(dir, `Pulumi.${stack}.lock.json`), readFileSync(lockFrom, "utf8"));
  return planStackOffline(loadStackFile(file, stackNameOf(file)), options);
}

/** Every registered resource of this type, in registration order. */
export function ofType(result: OfflineRun, type: string): RecordedResource[] {
  return result.resources.filter((r) => r.type === type);
}

/** The one resource with this Pulumi name; fails the test when there is not exactly one. */
export function named(result: OfflineRun, name: string): RecordedResource {
  const found = result.resources.filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}`);
  return found[0]!;
}

/** The one resource with this type and name; fails the test when there is not exactly one. */
export function resource(result: OfflineRun, type: string, name: string): RecordedResource {
  const found = result.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
  return found[0]!;
}

/** The last segment of a URN: the resource's name. */
export function urnName(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

/** The problems of the UserError the program throws; fails when it throws anything else or nothing. */
export async function problemsOf(program: () => void): Promise<readonly string[]> {
  try {
    await run(program);
  } catch (error) {
    if (error instanceof UserError) return error.problems;
    throw error;
  }
  throw new Error("expected a UserError");
}

/**
 * Runs a program that throws, catching the error inside it, and returns the types registered
 * before the throw (the stack resource included, so "nothing else" reads as just the stack).
 */
export async function registeredBeforeError(
  program: () => void,
): Promise<{ types: string[]; error: unknown }> {
  let error: unknown;
  const result = await run(() => {
    try {
      program();
    } catch (e) {
      error = e;
    }
  });
  return { types: result.resources.map((r) => r.type), error };
}
