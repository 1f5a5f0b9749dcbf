/** Shared lookups for the part 2 component tests. */
import { UserError } from "../../src/errors.ts";
import { runOffline } from "../../src/engine/mockEngine.ts";
import { type OfflineRun, type RecordedResource } from "../../src/model/recorded.ts";

/** Runs `program` offline as stack azlab/dev and returns what it registered. */
export function run(program: () => Record<string, unknown> | void): Promise<OfflineRun> {
  return runOffline({ project: "azlab", stack: "dev", config: {}, program: async () => program() ?? {} });
}

/** The one resource with this type and name; fails the test when it is missing. */
export function resource(result: OfflineRun, type: string, name: string): RecordedResource {
  const found = result.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found;
}

/** How many resources of each type were registered, the stack excluded. */
export function countByType(result: OfflineRun): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of result.resources) {
    if (r.type !== "pulumi:pulumi:Stack") counts[r.type] = (counts[r.type] ?? 0) + 1;
  }
  return counts;
}

/** The problems of the UserError the program throws; fails when it does not throw one. */
export async function problemsOf(program: () => void): Promise<readonly string[]> {
  try {
    await run(program);
  } catch (error) {
    if (error instanceof UserError) return error.problems;
    throw error;
  }
  throw new Error("expected a UserError");
}

/** The last segment of a URN: the resource's name. */
export function urnName(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

/** Runs a program that throws, catching the error inside it, and returns what was registered before the throw. */
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
