/**
 * Turns raw stack config (as a stack file or the engine holds it) into a typed StackConfig,
 * or into every problem found, each naming the key path as the user wrote it.
 */
import type { z } from "zod";
import { UserError, type Problem } from "../errors.ts";
import { expiryInstant } from "../schedule/expiry.ts";
import { canonicalTimeZone } from "../schedule/timeZones.ts";
import { configKeys, type ConfigKey, type StackConfig } from "./schema.ts";

export const NAMESPACE = "azlab";

/**
 * The only azlab settings that may be `secure:`. A secure value cannot be read offline, so it is
 * neither validated nor redacted where it flows: in a tag, a name or a rule it would be unchecked and
 * printed in clear. Everything else must be plain.
 */
export const SECRET_SETTINGS: readonly ConfigKey[] = ["adminSshPublicKey", "windowsAdminPassword"];

/** Settings that must be secure: a plain password would sit in the stack file, and in git with it. */
const SECRET_ONLY_SETTINGS: readonly ConfigKey[] = ["windowsAdminPassword"];

/** Student ids become resource group, VNet and namespace names, so they follow one strict pattern. */
const STUDENT_ID_ALLOWED =
  "1–31 lowercase letters, digits and hyphens, starting with a letter or digit; lowercase it " +
  "(Alice → alice) or derive it from the email (Alice.Smith@uni.edu → alice-smith)";

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

/** True when a `secure:` mapping holds the value at `path`: its ciphertext must never be shown. */
function insideSecure(root: unknown, path: readonly PropertyKey[]): boolean {
  let current = root;
  for (const segment of [...path, undefined]) {
    if (current === null || typeof current !== "object") return false;
    if (!Array.isArray(current) && Object.hasOwn(current, "secure")) return true;
    if (segment === undefined) return false;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return false;
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
  issues?: ZodIssueLike[];
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

/** A student id as a student's email or name could become one: `Alice.Smith@uni.edu` → `alice-smith`. */
export function suggestStudentId(text: string): string {
  return (
    text
      .split("@")[0]!
      // Decompose, then drop the accents: Zoë → zoe, not zo-e.
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 31)
      .replace(/-+$/, "") || "student"
  );
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
      // A strict bound (`positive()` is "> 0") must not read as "at least 0", which allows 0.
      const strict = issue.inclusive === false;
      const relation =
        issue.code === "too_small" ? (strict ? "more than" : "at least") : strict ? "less than" : "at most";
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
 * Only SECRET_SETTINGS may be secret: those are accepted as they are, every other secret `azlab:` key
 * is refused. A secret value never appears in a problem.
 */
export function parseStackConfig(
  raw: Readonly<Record<string, unknown>>,
  secretKeys: readonly string[],
): ParsedConfig {
  const problems: Problem[] = [];
  const values: Record<string, unknown> = {};
  const secret: ConfigKey[] = [];
  /** Keys already reported (a refused secure value): their schema problems would only repeat it. */
  const refused: ConfigKey[] = [];
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
    if (SECRET_ONLY_SETTINGS.includes(key as ConfigKey) && !secretKeys.includes(fullKey)) {
      // Never echo the value: it is the password.
      problems.push({
        path: fullKey,
        message: "must be a secure value: a plain-text password would sit in the stack file",
        allowed: `a secret, set with \`pulumi config set --secret ${fullKey} <password>\``,
      });
      refused.push(key as ConfigKey);
      continue;
    }
    if (secretKeys.includes(fullKey)) {
      if (!SECRET_SETTINGS.includes(key as ConfigKey)) {
        // Never echo the value: it is ciphertext (or, offline, a placeholder).
        problems.push({
          path: fullKey,
          message: "cannot be a secure value: it is not a secret, and secure values are not checked",
          allowed: `a plain value; only ${SECRET_SETTINGS.map((k) => `${NAMESPACE}:${k}`).join(", ")} may be secure`,
        });
        refused.push(key as ConfigKey);
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
    if (refused.includes(key)) continue;
    const result = schema.safeParse(values[key]);
    if (result.success) {
      parsed[key] = result.data;
      problems.push(...runtimeProblems(key, result.data));
      continue;
    }
    for (const issue of result.error.issues as unknown as ZodIssueLike[]) {
      if (issue.code === "invalid_key") {
        // The path ends with the key itself; the value under it is not what is wrong.
        const badKey = String(issue.path.at(-1));
        const student = key === "class" && issue.path.length === 2 && issue.path[0] === "students";
        problems.push({
          path: [`${NAMESPACE}:${key}`, ...issue.path.map(String)].join("."),
          message: student
            ? `is not a valid student id (try "${suggestStudentId(badKey)}")`
            : "is not a valid key",
          value: badKey,
          allowed: student ? STUDENT_ID_ALLOWED : keyIssueAllowed(issue),
        });
        continue;
      }
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
        ...(value === undefined ? {} : { value: insideSecure(values[key], path) ? "[secure]" : value }),
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

/** "allowed" for a record key that failed its own schema: the inner issue's message. */
function keyIssueAllowed(issue: ZodIssueLike): string {
  const inner = issue.issues?.[0]?.message ?? "";
  return /allowed: (.*)$/.exec(inner)?.[1] ?? (inner || "a different key");
}

/**
 * Rules the schema cannot express but the program, `azlab expired` or Azure enforce at run time.
 * They run here so that `validate` refuses first whatever `plan` or `pulumi up` would refuse.
 */
function runtimeProblems(key: ConfigKey, value: unknown): Problem[] {
  if (key !== "class" || value === undefined) return [];
  const cls = value as { expiresOn: string; timeZone: string };
  const problems: Problem[] = [];
  const zoneProblem = ianaTimeZoneProblem(cls.timeZone);
  if (zoneProblem) {
    problems.push({ path: `${NAMESPACE}:class.timeZone`, value: cls.timeZone, ...zoneProblem });
  }
  if (!isCalendarDate(cls.expiresOn)) {
    problems.push({
      path: `${NAMESPACE}:class.expiresOn`,
      message: "is not a day in the calendar",
      value: cls.expiresOn,
      allowed: "a real date as YYYY-MM-DD, such as 2027-02-28",
    });
  }
  if (problems.length > 0) return problems;
  // Whatever `azlab expired` and the expiry guardrail cannot read is refused here too (one code path).
  try {
    expiryInstant(cls.expiresOn, cls.timeZone);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    problems.push({
      path: `${NAMESPACE}:class.expiresOn`,
      message: error.message,
      value: cls.expiresOn,
    });
  }
  return problems;
}

/** True when YYYY-MM-DD names a real day (`Date` would read 2026-02-30 as 2 March). */
function isCalendarDate(ymd: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/**
 * Stack files name time zones the IANA way (`Europe/Amsterdam`), the names Intl, `azlab expired` and
 * the guardrails read. Windows ids (`W. Europe Standard Time`) and made-up names are refused.
 */
export function ianaTimeZoneProblem(zone: string): { message: string; allowed: string } | undefined {
  const allowed = 'an IANA time zone name such as "Europe/Amsterdam", "America/New_York" or "UTC"';
  if (canonicalTimeZone(zone) !== undefined) return undefined;
  const windows = / Standard Time$|^UTC[+-]\d{2}$/.test(zone);
  return {
    message: windows
      ? "is a Windows time zone id, not an IANA time zone name"
      : "is not an IANA time zone name",
    allowed,
  };
}
