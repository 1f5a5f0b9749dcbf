/**
 * What `azlab teardown` needs from Pulumi, behind a small interface so that the orchestration
 * (./teardown.ts) is tested with a fake and only this file talks to the Pulumi CLI.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import {
  LocalWorkspace,
  PulumiCommand,
  StackNotFoundError,
  type EngineEvent,
} from "@pulumi/pulumi/automation/index.js";
import type { RecordedResource } from "../model/recorded.ts";

export interface ResourceEvent {
  readonly urn: string;
  readonly type: string;
  /** Pulumi's step op, for example "delete". */
  readonly op: string;
  readonly status: "started" | "done" | "failed";
}

export type Availability = { available: true } | { available: false; reason: string };

export interface DestroyOptions {
  /** Clear `protect` on every resource in the stack's state first (teardown.protectedAllowed). */
  readonly unprotect?: boolean;
}

/** What the backend holds for a stack: the state `pulumi destroy` would act on, and its config. */
export interface DeployedStack {
  /** Every resource in the state, as recorded data (names, tags, protect, parents, dependencies). */
  readonly resources: readonly RecordedResource[];
  /** The stack's config as the engine would pass it: `ns:key` → string (secrets left out). */
  readonly config: Readonly<Record<string, string>>;
}

export interface StackDestroyer {
  check(): Promise<Availability>;
  /** The stack file Pulumi reads for `stack`; a real teardown decides from this file only. */
  stackFile(stack: string): string;
  /** The deployed state and config of `stack`, or undefined when the backend has no such stack. */
  inspect(stack: string): Promise<DeployedStack | undefined>;
  destroy(
    stack: string,
    onResource: (event: ResourceEvent) => void,
    options?: DestroyOptions,
  ): Promise<{ deleted: number }>;
}

export const PULUMI_MISSING =
  "The Pulumi CLI is not installed: install it (https://www.pulumi.com/docs/install/) and run `az login`, then re-run with --confirm";

/** The repository root, where Pulumi.yaml lives. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Maps Pulumi engine events to per-resource progress; other events are ignored. */
export function toResourceEvent(event: EngineEvent): ResourceEvent | undefined {
  const pick = (
    metadata: { urn: string; type: string; op: string } | undefined,
    status: ResourceEvent["status"],
  ): ResourceEvent | undefined =>
    metadata ? { urn: metadata.urn, type: metadata.type, op: metadata.op, status } : undefined;
  return (
    pick(event.resourcePreEvent?.metadata, "started") ??
    pick(event.resOutputsEvent?.metadata, "done") ??
    pick(event.resOpFailedEvent?.metadata, "failed")
  );
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/**
 * One resource of an exported deployment (Pulumi's `apitype.ResourceV3`) as recorded data. Inputs
 * keep only plain values; tags are merged from inputs and outputs, as either may carry them.
 */
export function fromStateResource(raw: unknown): RecordedResource {
  const r = record(raw);
  const urn = typeof r["urn"] === "string" ? r["urn"] : "";
  const inputs = { ...record(r["inputs"]) };
  const tags = { ...record(record(r["outputs"])["tags"]), ...record(inputs["tags"]) };
  if (Object.keys(tags).length > 0) inputs["tags"] = tags;
  return {
    urn,
    type: typeof r["type"] === "string" ? r["type"] : "",
    name: urn.slice(urn.lastIndexOf("::") + 2),
    custom: r["custom"] === true,
    ...(typeof r["parent"] === "string" && r["parent"] !== "" ? { parent: r["parent"] } : {}),
    dependencies: strings(r["dependencies"]),
    protect: r["protect"] === true,
    retainOnDelete: r["retainOnDelete"] === true,
    ignoreChanges: [],
    inputs,
    secretInputs: [],
  };
}

/** Where Pulumi reads stack files for the project at `workDir`: Pulumi.yaml's `stackConfigDir`. */
export function stackFileIn(workDir: string, stack: string): string {
  let dir = ".";
  try {
    const project = record(parse(readFileSync(join(workDir, "Pulumi.yaml"), "utf8")) as unknown);
    if (typeof project["stackConfigDir"] === "string") dir = project["stackConfigDir"];
  } catch {
    // No readable Pulumi.yaml: Pulumi itself would fail first; the default folder is the project's.
  }
  return join(workDir, dir, `Pulumi.${stack}.yaml`);
}

/** The real destroyer: Pulumi's Automation API over the local project at `workDir`. */
export function automationDestroyer(workDir: string = REPO_ROOT): StackDestroyer {
  let command: PulumiCommand | undefined;
  return {
    stackFile: (stack) => stackFileIn(workDir, stack),
    async inspect(stackName) {
      let stack;
      try {
        stack = await LocalWorkspace.selectStack(
          { stackName, workDir },
          command ? { pulumiCommand: command } : undefined,
        );
      } catch (error) {
        // A stack never deployed (a shipped demo in a fresh fork) is not an error for teardown.
        if (error instanceof StackNotFoundError) return undefined;
        throw error;
      }
      const state = await stack.exportStack();
      const resources = (record(state.deployment)["resources"] ?? []) as unknown[];
      const config = Object.fromEntries(
        Object.entries(await stack.getAllConfig())
          .filter(([, v]) => !v.secret)
          .map(([k, v]) => [k, v.value]),
      );
      return { resources: resources.map(fromStateResource), config };
    },
    async check() {
      try {
        command = await PulumiCommand.get();
        return { available: true };
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        // A missing binary surfaces as ENOENT from `pulumi version`; anything else is worth showing.
        if (/ENOENT/.test(text)) return { available: false, reason: PULUMI_MISSING };
        const detail = text
          .split("\n")
          .map((line) => line.trim())
          .filter(Boolean)
          .join("; ");
        return { available: false, reason: `The Pulumi CLI cannot be used: ${detail}` };
      }
    },
    async destroy(stackName, onResource, options = {}) {
      const stack = await LocalWorkspace.selectStack(
        { stackName, workDir },
        command ? { pulumiCommand: command } : undefined,
      );
      if (options.unprotect) {
        // The Automation API has no unprotect; clearing the flag in the exported state is the documented route.
        const state = await stack.exportStack();
        const deployment = state.deployment as { resources?: { protect?: boolean }[] };
        for (const resource of deployment.resources ?? []) resource.protect = false;
        await stack.importStack(state);
      }
      let deleted = 0;
      await stack.destroy({
        color: "never",
        onEvent: (event) => {
          const mapped = toResourceEvent(event);
          if (!mapped) return;
          if (mapped.status === "done" && mapped.op === "delete") deleted++;
          onResource(mapped);
        },
      });
      return { deleted };
    },
  };
}
