/**
 * Reads stack files (`stacks/Pulumi.<stack>.yaml`) the way the Pulumi CLI does, for the commands
 * that run without it: `validate`, `plan`, `expired`, `teardown`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { parseDocument } from "yaml";
import { UserError, formatProblem, type Problem } from "../errors.ts";
import { parseStackConfig } from "./parse.ts";
import type { StackConfig } from "./schema.ts";

export const DEFAULT_STACKS_DIR = "stacks";
export const PROJECT_NAME = "azlab";
/** Stand-in for a `secure:` value offline: marked secret, so it is redacted wherever it flows. */
export const OFFLINE_SECRET_PLACEHOLDER = "offline-secret-placeholder";

export interface StackFileRef {
  readonly path: string;
  readonly stack: string;
}

export interface LoadedStack extends StackFileRef {
  readonly config: StackConfig;
  /** Config as the engine passes it to the program: `ns:key` → string, objects JSON-encoded. */
  readonly engineConfig: Record<string, string>;
  /** Engine config keys that are secret. */
  readonly secretKeys: string[];
  /** Where the stack's address lock lives (it may not exist yet). */
  readonly lockPath: string;
}

/** Stack name from a file name: `Pulumi.class-demo.yaml` → `class-demo`. */
export function stackNameOf(path: string): string {
  const match = /^Pulumi\.(.+)\.ya?ml$/.exec(basename(path));
  return match?.[1] ?? basename(path).replace(/\.ya?ml$/, "");
}

/** The lock file kept next to a stack file: `Pulumi.dev.yaml` → `Pulumi.dev.lock.json`. */
export function lockPathFor(stackFile: string): string {
  return join(dirname(stackFile), `${basename(stackFile).replace(/\.ya?ml$/, "")}.lock.json`);
}

/** Picks the stack file from `--stack` or `--config-file`, exactly one of them. */
export function resolveStackFile(options: {
  stack?: string;
  configFile?: string;
  stacksDir?: string;
}): StackFileRef {
  if (options.stack && options.configFile) {
    throw new UserError("give either --stack NAME or --config-file PATH, not both");
  }
  if (options.configFile) {
    return { path: options.configFile, stack: stackNameOf(options.configFile) };
  }
  if (!options.stack) {
    throw new UserError("missing --stack NAME (reads stacks/Pulumi.NAME.yaml) or --config-file PATH");
  }
  const dir = options.stacksDir ?? DEFAULT_STACKS_DIR;
  const path = join(dir, `Pulumi.${options.stack}.yaml`);
  if (!existsSync(path)) {
    const known = existsSync(dir) ? listStackFiles(dir).map((s) => s.stack) : [];
    throw new UserError(
      `${path}: no such stack file (stack "${options.stack}"; allowed: ${known.length > 0 ? known.join(", ") : `a Pulumi.<stack>.yaml file in ${dir}`})`,
    );
  }
  return { path, stack: options.stack };
}

/** Every `Pulumi.<stack>.yaml` in a folder, sorted by stack name. */
export function listStackFiles(stacksDir: string): StackFileRef[] {
  return readdirSync(stacksDir)
    .filter((f) => /^Pulumi\.[^.]+(\.[^.]+)*\.ya?ml$/.test(f))
    .map((f) => ({ path: join(stacksDir, f), stack: stackNameOf(f) }))
    .sort((a, b) => a.stack.localeCompare(b.stack));
}

/** Reads the `config:` map of a stack file. `secure:` values become secret keys. */
export function readStackFile(path: string): { raw: Record<string, unknown>; secretKeys: string[] } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new UserError(`${path}: cannot read the stack file (allowed: a readable YAML file)`);
  }
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new UserError(
      doc.errors.map(
        (e) => `${path}: invalid YAML at line ${e.linePos?.[0]?.line ?? "?"}: ${e.message.split("\n")[0]}`,
      ),
      `${path} is not valid YAML:`,
    );
  }
  const root = doc.toJS() as unknown;
  const config = root && typeof root === "object" ? (root as Record<string, unknown>)["config"] : undefined;
  if (config === undefined || config === null) return { raw: {}, secretKeys: [] };
  if (typeof config !== "object" || Array.isArray(config)) {
    throw new UserError(
      `${path}: config: must be a mapping of keys to values (allowed: "config:" followed by "azlab:key: value" lines)`,
    );
  }
  const raw: Record<string, unknown> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    if (value && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
      secretKeys.push(key);
      raw[key] = OFFLINE_SECRET_PLACEHOLDER;
    } else {
      raw[key] = value;
    }
  }
  return { raw, secretKeys };
}

/** Converts parsed config values to the strings the engine hands the program. */
export function toEngineConfig(raw: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

/**
 * Loads and validates a stack file. Throws one UserError with every problem, each naming the
 * file, the key path, the bad value and what is allowed.
 */
export function loadStackFile(path: string, stack: string): LoadedStack {
  const { raw, secretKeys } = readStackFile(path);
  const { config, problems } = parseStackConfig(raw, secretKeys);
  if (!config) throw stackProblemsError(path, problems);
  return { path, stack, config, engineConfig: toEngineConfig(raw), secretKeys, lockPath: lockPathFor(path) };
}

/** Paths in messages are relative to the working directory when that is shorter. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
}

/** Formats problems for one stack file as a UserError. */
export function stackProblemsError(path: string, problems: readonly Problem[]): UserError {
  const shown = displayPath(path);
  return new UserError(
    problems.map((p) => formatProblem(p, shown)),
    `${shown}: ${problems.length} problem${problems.length === 1 ? "" : "s"} in the stack config:`,
  );
}
