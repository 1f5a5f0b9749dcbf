/**
 * `azlab teardown`: destroys a whole stack, safely. A dry run (the default) lists what would go,
 * from the offline plan; a real run needs the stack name repeated in --confirm, refuses prod stacks
 * and protected resources unless the stack file allows them, and reports progress per resource.
 * Pure orchestration: the Pulumi side is the injected StackDestroyer.
 */
import { UserError } from "../errors.ts";
import type { RecordedResource } from "../model/recorded.ts";
import type { StackDestroyer } from "./destroyer.ts";

/** The parts of a loaded stack file teardown needs (src/config/stackFile.ts's LoadedStack fits). */
export interface TeardownStack {
  readonly stack: string;
  readonly path: string;
  readonly config: {
    readonly environment: "dev" | "prod" | "class";
    readonly teardown: { readonly prodAllowed: boolean; readonly protectedAllowed: boolean };
  };
}

export interface TeardownOptions {
  readonly loaded: TeardownStack;
  readonly run: { readonly resources: readonly RecordedResource[] };
  /** The stack name, repeated by the user; without it the run is a dry run. */
  readonly confirm?: string;
  readonly destroyer: StackDestroyer;
  /** Receives each output line, without a trailing newline. */
  readonly out: (line: string) => void;
}

export interface TeardownResult {
  readonly mode: "dry-run" | "destroyed";
  /** Cloud resources in the offline plan. */
  readonly planned: number;
  readonly deleted: number;
}

const RESOURCE_GROUP = "azure-native:resources:ResourceGroup";

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/**
 * Cloud resources in the order Pulumi would delete them: a resource before anything it depends on.
 * Depending on a component means depending on every cloud resource inside it.
 */
export function destroyOrder(resources: readonly RecordedResource[]): RecordedResource[] {
  const cloud = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  // Component URN → the cloud resources anywhere below it, in registration order; built once, as
  // every dependency on a component reads it.
  const inside = new Map<string, string[]>();
  for (const r of cloud) {
    for (let p = r.parent; p !== undefined; p = byUrn.get(p)?.parent) {
      const below = inside.get(p) ?? [];
      below.push(r.urn);
      inside.set(p, below);
    }
  }
  const cloudUrns = new Set(cloud.map((r) => r.urn));
  // Components pass resource group names as plain strings, which leaves no dependency edge; a
  // resource still goes before the group that holds it.
  const groups = new Map<unknown, string[]>();
  for (const r of cloud) {
    if (r.type !== RESOURCE_GROUP) continue;
    groups.set(r.inputs["resourceGroupName"], [...(groups.get(r.inputs["resourceGroupName"]) ?? []), r.urn]);
  }
  const deps = new Map(
    cloud.map((r) => {
      const explicit = r.dependencies.flatMap((d) => (cloudUrns.has(d) ? [d] : (inside.get(d) ?? [])));
      const group = r.type === RESOURCE_GROUP ? [] : (groups.get(r.inputs["resourceGroupName"]) ?? []);
      return [r.urn, [...new Set([...explicit, ...group])].filter((d) => d !== r.urn)];
    }),
  );
  // Creation order (dependencies first, ties in registration order), then reversed.
  const created: RecordedResource[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (r: RecordedResource): void => {
    if (state.get(r.urn) !== undefined) return; // "visiting" means a cycle; Pulumi rejects those anyway.
    state.set(r.urn, "visiting");
    for (const d of deps.get(r.urn) ?? []) visit(byUrn.get(d)!);
    state.set(r.urn, "done");
    created.push(r);
  };
  cloud.forEach(visit);
  return created.reverse();
}

export async function runTeardown(options: TeardownOptions): Promise<TeardownResult> {
  const { loaded, run, confirm, destroyer, out } = options;
  const { stack } = loaded;
  const order = destroyOrder(run.resources);
  const protectedOnes = order.filter((r) => r.protect);

  out(
    `Stack "${stack}" (${loaded.config.environment}, ${loaded.path}): ${count(order.length, "resource")} to destroy, in this order:`,
  );
  for (const r of order) out(`  ${r.type} ${r.name}${r.protect ? " (protected)" : ""}`);
  out("(From the offline plan of the current stack file; Pulumi destroys what the stack's state holds.)");

  const refusals: string[] = [];
  if (loaded.config.environment === "prod" && !loaded.config.teardown.prodAllowed) {
    refusals.push(
      `"${stack}" is a prod stack; set azlab:teardown.prodAllowed: true in ${loaded.path} to allow it`,
    );
  }
  if (protectedOnes.length > 0 && !loaded.config.teardown.protectedAllowed) {
    refusals.push(
      `${count(protectedOnes.length, "resource")} protected (${protectedOnes.map((r) => r.name).join(", ")}); set azlab:teardown.protectedAllowed: true in ${loaded.path} to destroy them too`,
    );
  }

  if (confirm === undefined) {
    out("");
    out("Dry run: nothing was destroyed.");
    if (refusals.length > 0) {
      out("A real run would be refused:");
      for (const reason of refusals) out(`  - ${reason}`);
    } else {
      out(`To destroy the stack, run: azlab teardown --stack ${stack} --confirm ${stack}`);
    }
    return { mode: "dry-run", planned: order.length, deleted: 0 };
  }

  if (confirm !== stack) {
    throw new UserError(
      `--confirm must repeat the stack name exactly: expected "${stack}", got "${confirm}"`,
    );
  }
  if (refusals.length > 0) {
    throw new UserError(refusals, `azlab teardown refuses to destroy stack "${stack}":`);
  }
  const availability = await destroyer.check();
  if (!availability.available) throw new UserError(availability.reason);

  const unprotect = loaded.config.teardown.protectedAllowed;
  if (unprotect)
    out("Clearing protect on every resource in the state first (azlab:teardown.protectedAllowed is true).");
  out("");
  let failed = 0;
  let deleted: number;
  try {
    ({ deleted } = await destroyer.destroy(
      stack,
      (event) => {
        if (event.status === "failed") failed++;
        out(`[${event.status}] ${event.op} ${event.type} ${nameOf(event.urn)}`);
      },
      { unprotect },
    ));
  } catch (error) {
    // Azure refusals (a subnet still in use, a lock) are for the user to resolve, not azlab bugs.
    const detail = (error instanceof Error ? error.message : String(error))
      .trim()
      .split("\n")
      .slice(-5)
      .join("\n");
    throw new UserError(
      `pulumi destroy failed for stack "${stack}" (${count(failed, "resource")} failed); fix the cause and re-run the same command:\n${detail}`,
    );
  }
  out(`Destroyed ${count(deleted, "resource")} of stack "${stack}".`);
  return { mode: "destroyed", planned: order.length, deleted };
}
