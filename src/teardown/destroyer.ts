/**
 * What `azlab teardown` needs from Pulumi, behind a small interface so that the orchestration
 * (./teardown.ts) is tested with a fake and only this file talks to the Pulumi CLI.
 */
import { fileURLToPath } from "node:url";
import { LocalWorkspace, PulumiCommand, type EngineEvent } from "@pulumi/pulumi/automation/index.js";

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

export interface StackDestroyer {
  check(): Promise<Availability>;
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

/** The real destroyer: Pulumi's Automation API over the local project at `workDir`. */
export function automationDestroyer(workDir: string = REPO_ROOT): StackDestroyer {
  let command: PulumiCommand | undefined;
  return {
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
