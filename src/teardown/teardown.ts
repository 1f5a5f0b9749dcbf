/**
 * `azlab teardown`: destroys a whole stack, safely. A dry run (the default) lists what would go,
 * from the offline plan. A real run needs the stack name repeated in --confirm and decides from the
 * stack that would be destroyed: the stack file Pulumi reads for it, and that stack's deployed state
 * and config. It refuses prod stacks and protected resources unless that file allows them, and
 * reports progress per resource. Pure orchestration: the Pulumi side is the injected StackDestroyer.
 */
import { realpathSync } from "node:fs";
import { ResourceType } from "../azure/catalog.ts";
import { stackNameMessage } from "../config/stackName.ts";
import { UserError } from "../errors.ts";
import type { RecordedResource } from "../model/recorded.ts";
import { plural } from "../plan/read.ts";
import { describeResources } from "./listing.ts";
import { expiryInstant } from "../schedule/expiry.ts";
import type { DeployedStack, StackDestroyer } from "./destroyer.ts";

/** The parts of a loaded stack file teardown needs (src/config/stackFile.ts's LoadedStack fits). */
export interface TeardownStack {
  readonly stack: string;
  readonly path: string;
  readonly config: {
    readonly environment: "dev" | "prod" | "class";
    readonly teardown: { readonly prodAllowed: boolean; readonly protectedAllowed: boolean };
    readonly class?: { readonly expiresOn: string; readonly timeZone: string } | undefined;
  };
}

export interface TeardownOptions {
  readonly loaded: TeardownStack;
  /** The offline plan of the stack file; run only once the checks that need no plan have passed. */
  readonly plan: () => Promise<{ readonly resources: readonly RecordedResource[] }>;
  /** The stack name, repeated by the user; without it the run is a dry run. */
  readonly confirm?: string;
  /** Refuse unless the stack is a class whose expires-on has passed at `now` (the schedule sets it). */
  readonly onlyIfExpired?: boolean;
  /** The time the expiry check uses; defaults to the current time. */
  readonly now?: Date;
  readonly destroyer: StackDestroyer;
  /** Receives each output line, without a trailing newline. */
  readonly out: (line: string) => void;
}

export interface TeardownResult {
  /** "absent": the backend has no such stack (never deployed, or already destroyed); nothing to do. */
  readonly mode: "dry-run" | "destroyed" | "absent";
  /** Cloud resources listed: from the offline plan in a dry run, from the deployed state otherwise. */
  readonly planned: number;
  readonly deleted: number;
}

const RESOURCE_GROUP: string = ResourceType.ResourceGroup;

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

/** Quotes a word for POSIX shells so that pasting it runs nothing: `$(id)` stays literal. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}

function samePath(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** True when a deployed resource is tagged environment=prod (Azure tag keys ignore case). */
function taggedProd(resource: RecordedResource): boolean {
  const tags = (resource.inputs["tags"] ?? {}) as Record<string, unknown>;
  return Object.entries(tags).some(
    ([key, value]) => key.toLowerCase() === "environment" && String(value).toLowerCase() === "prod",
  );
}

/** Why a real run may not even start: each reason names the value and what is allowed. */
function preflightProblems(options: TeardownOptions, now: Date): string[] {
  const { loaded, confirm, destroyer, onlyIfExpired } = options;
  const { stack } = loaded;
  const problems: string[] = [];
  const badName = stackNameMessage(stack, "stack");
  if (badName) problems.push(badName);
  if (confirm !== undefined && confirm !== stack) {
    problems.push(`--confirm must repeat the stack name exactly: expected "${stack}", got "${confirm}"`);
  }
  if (!badName) {
    const expected = destroyer.stackFile(stack);
    if (!samePath(loaded.path, expected)) {
      problems.push(
        `a real teardown decides from the stack file Pulumi reads for stack "${stack}", ${expected}; got ${loaded.path} (allowed: --stack ${stack}, without --config-file or --stacks-dir)`,
      );
    }
  }
  if (onlyIfExpired) {
    const cls = loaded.config.class;
    if (loaded.config.environment !== "class" || !cls) {
      problems.push(
        `--only-if-expired: "${stack}" is a ${loaded.config.environment} stack (allowed: a class stack whose expires-on date has passed)`,
      );
    } else {
      try {
        const end = expiryInstant(cls.expiresOn, cls.timeZone);
        if (now.getTime() < end.getTime()) {
          problems.push(
            `--only-if-expired: class "${stack}" has not expired: expires-on ${cls.expiresOn} (${cls.timeZone}) ends at ${end.toISOString()}, it is now ${now.toISOString()}`,
          );
        }
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        problems.push(`--only-if-expired: ${loaded.path}: ${error.message}`);
      }
    }
  }
  return problems;
}

/** Prod and protection refusals, from the stack file and, in a real run, the deployed stack. */
function refusalsFor(
  loaded: TeardownStack,
  planned: readonly RecordedResource[],
  deployed: DeployedStack | undefined,
): string[] {
  const { stack, path } = loaded;
  const refusals: string[] = [];
  if (!loaded.config.teardown.prodAllowed) {
    if (loaded.config.environment === "prod") {
      refusals.push(
        `"${stack}" is a prod stack; set azlab:teardown.prodAllowed: true in ${path} to allow it`,
      );
    } else if (deployed?.config["azlab:environment"] === "prod") {
      refusals.push(
        `the deployed config of stack "${stack}" says azlab:environment: prod; set azlab:teardown.prodAllowed: true in ${path} to allow it`,
      );
    }
    const prodTagged = (deployed?.resources ?? []).filter((r) => r.custom && taggedProd(r));
    if (prodTagged.length > 0) {
      refusals.push(
        `${plural(prodTagged.length, "deployed resource")} of stack "${stack}" tagged environment=prod (${prodTagged.map((r) => r.name).join(", ")}); set azlab:teardown.prodAllowed: true in ${path} to allow it`,
      );
    }
  }
  if (!loaded.config.teardown.protectedAllowed) {
    const guarded = [
      ...new Set([...planned, ...(deployed?.resources ?? [])].filter((r) => r.protect).map((r) => r.name)),
    ];
    if (guarded.length > 0) {
      refusals.push(
        `${plural(guarded.length, "resource")} protected (${guarded.join(", ")}); set azlab:teardown.protectedAllowed: true in ${path} to destroy them too`,
      );
    }
  }
  return refusals;
}

function userError(problems: readonly string[], heading: string): UserError {
  return problems.length === 1 ? new UserError(problems[0]!) : new UserError(problems, heading);
}

export async function runTeardown(options: TeardownOptions): Promise<TeardownResult> {
  const { loaded, plan, confirm, destroyer, out } = options;
  const { stack } = loaded;
  const now = options.now ?? new Date();

  if (confirm === undefined) {
    const order = destroyOrder((await plan()).resources);
    out(
      `Stack "${stack}" (${loaded.config.environment}, ${loaded.path}): ${plural(order.length, "resource")} to destroy.`,
    );
    for (const line of describeResources(order)) out(line);
    out(
      "(From the offline plan of this stack file; a real run lists and destroys what the stack's deployed state holds.)",
    );
    out("");
    out("Dry run: nothing was destroyed.");
    const refusals = [...preflightProblems(options, now), ...refusalsFor(loaded, order, undefined)];
    if (refusals.length > 0) {
      out("A real run would be refused:");
      for (const reason of refusals) out(`  - ${reason}`);
    } else {
      const name = shellQuote(stack);
      out(`To destroy the stack, run: azlab teardown --stack ${name} --confirm ${name}`);
    }
    return { mode: "dry-run", planned: order.length, deleted: 0 };
  }

  // Everything that stops a real run is reported before anything is listed.
  const problems = preflightProblems(options, now);
  const availability = await destroyer.check();
  if (!availability.available) problems.push(availability.reason);
  if (problems.length > 0) throw userError(problems, `azlab teardown cannot destroy stack "${stack}":`);

  let deployed: DeployedStack | undefined;
  try {
    deployed = await destroyer.inspect(stack);
  } catch (error) {
    // Not logged in to the backend, no access: the user's to fix, and nothing was touched.
    const detail = (error instanceof Error ? error.message : String(error))
      .trim()
      .split("\n")
      .slice(-3)
      .join("\n");
    throw new UserError(
      `cannot read the deployed state of stack "${stack}" (pulumi login, PULUMI_ACCESS_TOKEN?); nothing was destroyed:\n${detail}`,
    );
  }
  if (!deployed) {
    out(
      `Stack "${stack}" does not exist in the Pulumi backend (never deployed, or already destroyed): nothing to destroy.`,
    );
    return { mode: "absent", planned: 0, deleted: 0 };
  }
  const order = destroyOrder(deployed.resources);
  const refusals = refusalsFor(loaded, destroyOrder((await plan()).resources), deployed);
  if (refusals.length > 0) {
    throw new UserError(refusals, `azlab teardown refuses to destroy stack "${stack}":`);
  }

  out(
    `Stack "${stack}" (${loaded.config.environment}, ${loaded.path}): ${plural(order.length, "deployed resource")} to destroy.`,
  );
  for (const line of describeResources(order)) out(line);
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
      `pulumi destroy failed for stack "${stack}" (${plural(failed, "resource")} failed); fix the cause and re-run the same command:\n${detail}`,
    );
  }
  out(`Destroyed ${plural(deleted, "resource")} of stack "${stack}".`);
  return { mode: "destroyed", planned: order.length, deleted };
}
