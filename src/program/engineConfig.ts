/**
 * Reads the stack config the way the engine hands it to the program (`pulumi up` or the offline
 * plan): `ns:key` → string, objects JSON-encoded, plus the list of secret keys.
 */
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE, isStringKey, parseStackConfig } from "../config/parse.ts";
import { configKeys, type ConfigKey, type StackConfig } from "../config/schema.ts";
import type { Problem } from "../errors.ts";

const runtimeWithSecrets = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };

/** The engine's config as raw values, plus which keys are secret. */
export function readEngineConfig(): { raw: Record<string, unknown>; secretKeys: string[] } {
  const all = pulumi.runtime.allConfig();
  const raw: Record<string, unknown> = {};
  const secretKeys: string[] = [];
  for (const [fullKey, text] of Object.entries(all)) {
    const [namespace, key] = fullKey.split(":");
    if (runtimeWithSecrets.isConfigSecret?.(fullKey)) secretKeys.push(fullKey);
    const knownString =
      namespace === NAMESPACE && key !== undefined && key in configKeys && isStringKey(key as ConfigKey);
    raw[fullKey] = knownString ? text : parseJsonOrText(text);
  }
  return { raw, secretKeys };
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Parses the engine config; problems come back rather than throw, so the caller can add context. */
export function parseEngineConfig(): { config?: StackConfig; problems: readonly Problem[] } {
  const { raw, secretKeys } = readEngineConfig();
  return parseStackConfig(raw, secretKeys);
}
