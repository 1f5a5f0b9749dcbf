/**
 * The policy pack learns which stack it is checking from the URNs (`urn:pulumi:STACK::PROJECT::…`)
 * and reads that stack's file, so that environment, class dates and overrides match `azlab plan`.
 */
import { join } from "node:path";
import { loadStackFile, resolveStackFile } from "../src/config/stackFile.ts";
import { policyContextFromConfig } from "../src/policy/evaluate.ts";
import type { ContextFor } from "./pack.ts";

export function stackOfUrn(urn: string): string | undefined {
  return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
}

/** Builds and caches one context per stack. `stacksDir` defaults to the repository's stacks/. */
export function stackFileContexts(stacksDir: string, asOf: () => Date = () => new Date()): ContextFor {
  const cache = new Map<string, ReturnType<ContextFor>>();
  return (urn) => {
    const stack = stackOfUrn(urn);
    if (stack === undefined) return { error: `cannot tell the stack from URN ${JSON.stringify(urn)}` };
    let found = cache.get(stack);
    if (!found) {
      try {
        const ref = resolveStackFile({ stack, stacksDir });
        found = { context: policyContextFromConfig(loadStackFile(ref.path, ref.stack), asOf()) };
      } catch (error) {
        found = { error: `azlab guardrails could not read the stack file: ${(error as Error).message}` };
      }
      cache.set(stack, found);
    }
    return found;
  };
}

/** stacks/ next to this policy/ folder, unless AZLAB_STACKS_DIR names another. */
export function defaultStacksDir(): string {
  return process.env["AZLAB_STACKS_DIR"] ?? join(import.meta.dirname, "..", "stacks");
}
