/**
 * Turns raw stack config (as a stack file or the engine holds it) into a typed StackConfig,
 * or into every problem found, each naming the key path as the user wrote it.
 */
import type { z } from "zod";
import type { Problem } from "../errors.ts";
import { configKeys, type ConfigKey, type StackConfig } from "./schema.ts";

export const NAMESPACE = "azlab";

interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  valueType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
}

const defOf = (schema: z.ZodType): SchemaDef => (schema as unknown as { def: SchemaDef }).def;

/** Strips optional/default/nullable/pipe wrappers to reach the schema that holds the shape. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    const next = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
    if (!next) return current;
    current = next;
  }
}

/** The keys an object schema accepts at `path`, for "allowed:" in unknown-key messages. */
function allowedKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current = unwrap(schema);
  for (const segment of path) {
    const def = defOf(current);
    if (def.type === "object" && def.shape) {
      const child = def.shape[String(segment)];
      if (!child) return [];
      current = unwrap(child);
    } else if (def.type === "record" && def.valueType) {
      current = unwrap(def.valueType);
    } else {
      return [];
    }
  }
  const def = defOf(current);
  return def.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

/** True when the key holds a plain string (so the engine's raw string is the value, not JSON). */
export function isStringKey(key: ConfigKey): boolean {
  return defOf(unwrap(configKeys[key])).type === "string";
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

interface ZodIssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  values?: unknown[];
  keys?: string[];
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
  inclusive?: boolean;
}

function describeIssue(issue: ZodIssueLike, value: unknown): { message: string; allowed?: string } {
  // Our own messages put the allowed values after "allowed: ".
  const own = /^(?:(.*?);?\s*)?allowed: (.*)$/.exec(issue.message);
  switch (issue.code) {
    case "invalid_type":
      if (value === undefined) return { message: "is required", allowed: `a ${issue.expected ?? "value"}` };
      return { message: `must be ${article(issue.expected)}`, allowed: `${article(issue.expected)}` };
    case "invalid_value":
      return {
        message: "is not one of the allowed values",
        allowed: (issue.values ?? []).map((v) => String(v)).join(", "),
      };
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      const unit =
        issue.origin === "string"
          ? " characters"
          : issue.origin === "array"
            ? " items"
            : issue.origin === "record"
              ? " entries"
              : "";
      const relation = issue.code === "too_small" ? "at least" : "at most";
      return {
        message: `is too ${issue.code === "too_small" ? "small" : "large"}`,
        allowed: `${relation} ${String(bound)}${unit}`,
      };
    }
    default:
      if (own) return { message: own[1] ? own[1] : "is not valid", allowed: own[2] ?? "" };
      return { message: issue.message };
  }
}

function article(kind: string | undefined): string {
  const word = kind === "int" ? "integer" : (kind ?? "value");
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

export interface ParsedConfig {
  readonly config?: StackConfig;
  readonly problems: readonly Problem[];
}

/**
 * Parses the raw config map (`azlab:network` → object, `azure-native:location` → string, …).
 * Keys of other namespaces pass through unchecked; unknown `azlab:` keys are problems.
 * Secret keys are accepted as they are and their values never appear in a problem.
 */
export function parseStackConfig(
  raw: Readonly<Record<string, unknown>>,
  secretKeys: readonly string[],
): ParsedConfig {
  const problems: Problem[] = [];
  const values: Record<string, unknown> = {};
  const secret: ConfigKey[] = [];
  const known = Object.keys(configKeys) as ConfigKey[];

  for (const [fullKey, value] of Object.entries(raw)) {
    const [namespace, key, ...rest] = fullKey.split(":");
    if (namespace !== NAMESPACE) continue;
    if (!key || rest.length > 0 || !known.includes(key as ConfigKey)) {
      problems.push({
        path: fullKey,
        message: "is not an azlab setting",
        allowed: known.map((k) => `${NAMESPACE}:${k}`).join(", "),
      });
      continue;
    }
    if (secretKeys.includes(fullKey)) {
      if (!isStringKey(key as ConfigKey)) {
        problems.push({
          path: fullKey,
          message: "cannot be a secure value",
          allowed: "a plain (non-secret) value",
        });
        continue;
      }
      secret.push(key as ConfigKey);
    }
    values[key] = value;
  }

  const parsed: Record<string, unknown> = {};
  for (const key of known) {
    const schema = configKeys[key];
    if (secret.includes(key)) {
      parsed[key] = values[key];
      continue;
    }
    const result = schema.safeParse(values[key]);
    if (result.success) {
      parsed[key] = result.data;
      continue;
    }
    for (const issue of result.error.issues as unknown as ZodIssueLike[]) {
      if (issue.code === "unrecognized_keys") {
        const allowed = allowedKeysAt(schema, issue.path);
        for (const extra of issue.keys ?? []) {
          problems.push({
            path: [`${NAMESPACE}:${key}`, ...issue.path.map(String), extra].join("."),
            message: "is not a known setting",
            ...(allowed.length > 0 ? { allowed: allowed.join(", ") } : {}),
          });
        }
        continue;
      }
      // A list written as a single string reports index 0; point at the key the user wrote.
      const path =
        typeof issue.path.at(-1) === "number" &&
        typeof valueAt(values[key], issue.path.slice(0, -1)) === "string"
          ? issue.path.slice(0, -1)
          : issue.path;
      const value = valueAt(values[key], path);
      const { message, allowed } = describeIssue(issue, value);
      problems.push({
        path: [`${NAMESPACE}:${key}`, ...path.map(String)].join("."),
        message,
        ...(value === undefined ? {} : { value }),
        ...(allowed === undefined ? {} : { allowed }),
      });
    }
  }

  if (problems.length > 0) return { problems };
  return {
    config: { ...(parsed as Omit<StackConfig, "secretKeys">), secretKeys: secret } as StackConfig,
    problems,
  };
}
