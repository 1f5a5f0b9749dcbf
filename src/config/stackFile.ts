/**
 * Reads stack files (`stacks/Pulumi.<stack>.yaml`) the way the Pulumi CLI does, for the commands
 * that run without it: `validate`, `plan`, `expired`, `teardown`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { LineCounter, parseDocument, visit } from "yaml";
import { UserError, formatProblem, summariseProblems, type Problem } from "../errors.ts";
import { NAMESPACE, SECRET_SETTINGS, parseStackConfig } from "./parse.ts";
import { assertStackName, stackNameMessage } from "./stackName.ts";
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
    const stack = assertStackName(stackNameOf(options.configFile), `--config-file ${options.configFile}`);
    return { path: options.configFile, stack };
  }
  if (!options.stack) {
    throw new UserError("missing --stack NAME (reads stacks/Pulumi.NAME.yaml) or --config-file PATH");
  }
  assertStackName(options.stack, "--stack");
  const dir = options.stacksDir ?? DEFAULT_STACKS_DIR;
  const path = join(dir, `Pulumi.${options.stack}.yaml`);
  if (!existsSync(path) && existsSync(join(dir, `Pulumi.${options.stack}.yml`))) {
    throw new UserError(
      `${join(dir, `Pulumi.${options.stack}.yml`)}: stack files must end in .yaml, as the Pulumi CLI reads them (allowed: rename it to Pulumi.${options.stack}.yaml)`,
    );
  }
  if (!existsSync(path)) {
    const known = existsSync(dir) ? listStackFiles(dir).map((s) => s.stack) : [];
    throw new UserError(
      `${path}: no such stack file (stack "${options.stack}"; allowed: ${known.length > 0 ? known.join(", ") : `a Pulumi.<stack>.yaml file in ${dir}`})`,
    );
  }
  return { path, stack: options.stack };
}

/**
 * Every `Pulumi.<stack>.yaml` in a folder, sorted by stack name. `.yml` files are listed too, so
 * that loading refuses them by name instead of a scheduled run skipping them without a word.
 */
export function listStackFiles(stacksDir: string): StackFileRef[] {
  return readdirSync(stacksDir)
    .filter((f) => /^Pulumi\.[^.]+(\.[^.]+)*\.ya?ml$/.test(f))
    .map((f) => ({ path: join(stacksDir, f), stack: stackNameOf(f) }))
    .sort((a, b) => a.stack.localeCompare(b.stack));
}

/**
 * The stack files of a folder that commands scanning every stack act on, each with the path to show.
 * A file whose name is no stack name (a newline, a space would split in a shell loop) is never listed,
 * only reported as a problem.
 */
export function scanStackFiles(stacksDir: string): {
  files: (StackFileRef & { readonly shown: string })[];
  problems: string[];
} {
  if (!statSync(stacksDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UserError(`${stacksDir}: no such folder (allowed: a folder of Pulumi.<stack>.yaml files)`);
  }
  const files: (StackFileRef & { readonly shown: string })[] = [];
  const problems: string[] = [];
  for (const ref of listStackFiles(stacksDir)) {
    const shown = displayPath(ref.path);
    const badName = stackNameMessage(ref.stack, /^[\x20-\x7e]*$/.test(shown) ? shown : JSON.stringify(shown));
    if (badName) problems.push(badName);
    else files.push({ ...ref, shown });
  }
  return { files, problems };
}

/** Stack files larger than this are refused before parsing: a class of 1,000 students is about 100 KB. */
export const MAX_STACK_FILE_BYTES = 2 * 1024 * 1024;
/**
 * How far YAML aliases may expand (yaml's `maxAliasCount`). A few anchors shared by students stay
 * far below it; a "billion laughs" file of a few hundred bytes exceeds it at once.
 */
export const MAX_YAML_ALIAS_EXPANSION = 100;

/** Reads a file azlab treats as text: a regular file, at most `maxBytes`, valid UTF-8. */
export function readTextFile(path: string, what: string, maxBytes: number = MAX_STACK_FILE_BYTES): string {
  const shown = displayPath(path);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new UserError(`${shown}: no such ${what} (allowed: an existing file)`);
  // A FIFO or /dev/zero would block or never end; only regular files are read.
  if (!stat.isFile())
    throw new UserError(
      `${shown}: is not a regular file (allowed: ${/^[aeiou]/i.test(what) ? "an" : "a"} ${what})`,
    );
  const tooBig = (size: string) =>
    new UserError(`${shown}: the ${what} is ${size} bytes (allowed: at most ${maxBytes} bytes)`);
  if (stat.size > maxBytes) throw tooBig(String(stat.size));
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new UserError(`${shown}: cannot read the ${what} (allowed: a readable file)`);
  }
  // The file may have grown between stat and read.
  if (bytes.length > maxBytes) throw tooBig(`over ${maxBytes}`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new UserError(
      `${shown}: is not valid UTF-8 at line ${at.line}, column ${at.column} (byte offset ${at.offset}; allowed: text saved as UTF-8)`,
    );
  }
}

/** Where the first byte that is not UTF-8 sits: a lenient decode marks it U+FFFD. */
function firstInvalidUtf8(bytes: Buffer): { offset: number; line: number; column: number } {
  // The decoder drops a byte-order mark, so offsets into its text start after it.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const text = new TextDecoder("utf-8").decode(bytes);
  for (let index = text.indexOf("\uFFFD"); index >= 0; index = text.indexOf("\uFFFD", index + 1)) {
    const prefix = text.slice(0, index);
    const offset = bom + Buffer.byteLength(prefix, "utf8");
    // A U+FFFD written in the file is the valid sequence EF BF BD: not the bad byte.
    if (bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd) continue;
    const lines = prefix.split("\n");
    return { offset, line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
  }
  return { offset: bytes.length, line: 1, column: 1 };
}

/** The raw `config:` map of a stack file, which keys hold `secure:` values, and what is wrong with its shape. */
export interface StackFileContent {
  readonly raw: Record<string, unknown>;
  readonly secretKeys: string[];
  readonly problems: Problem[];
}

/**
 * Reads the `config:` map of a stack file. `secure:` values become secret keys whose value is a
 * placeholder: the ciphertext never leaves this function. Unreadable text or YAML throws a
 * UserError naming the file and the line; problems with single keys come back in `problems`.
 */
export function readStackFile(path: string): StackFileContent {
  const shown = displayPath(path);
  // Pulumi reads stack settings only from Pulumi.<stack>.yaml; a .yml file would be ignored by `pulumi up`.
  if (/\.yml$/i.test(path)) {
    throw new UserError(
      `${shown}: stack files must end in .yaml, as the Pulumi CLI reads them (allowed: rename it to ${basename(path).replace(/\.yml$/i, ".yaml")})`,
    );
  }
  const text = readTextFile(path, "stack file");
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter, uniqueKeys: true });
  const where = (offset: number | undefined) => {
    const at = lineCounter.linePos(offset ?? 0);
    return `line ${at.line}, column ${at.col}`;
  };
  if (doc.errors.length > 0) {
    throw new UserError(
      doc.errors.map((e) => `${shown}: invalid YAML at ${where(e.pos[0])}: ${e.message.split("\n")[0]}`),
      `${shown} is not valid YAML:`,
    );
  }
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_EXPANSION });
  } catch (error) {
    // yaml throws a ReferenceError for an alias bomb (and for an alias to a missing anchor).
    let firstAlias: number | undefined;
    visit(doc, {
      Alias(_key, node) {
        firstAlias = node.range?.[0];
        return visit.BREAK;
      },
    });
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(
      `${shown}: YAML aliases at ${where(firstAlias)} cannot be expanded: ${reason} (allowed: aliases that expand to at most ${MAX_YAML_ALIAS_EXPANSION} nodes; write the values out instead)`,
    );
  }
  // An alias inside the node it names makes a value that contains itself; nothing could walk it.
  if (containsItself(root)) {
    throw new UserError(
      `${shown}: the YAML alias at ${where(selfAliasOffset(doc))} is inside the value it refers to, so that value would contain itself (allowed: aliases to values that do not contain them)`,
    );
  }
  if (root === undefined || root === null) return { raw: {}, secretKeys: [], problems: [] };
  if (typeof root !== "object" || Array.isArray(root)) {
    throw new UserError(
      `${shown}: must be a YAML mapping with a config: section (got ${typeof root === "object" ? "a list" : `a ${typeof root}`}; allowed: "config:" followed by "azlab:key: value" lines)`,
    );
  }
  const config = (root as Record<string, unknown>)["config"];
  if (config === undefined || config === null) return { raw: {}, secretKeys: [], problems: [] };
  if (typeof config !== "object" || Array.isArray(config)) {
    throw new UserError(
      `${shown}: config: must be a mapping of keys to values (allowed: "config:" followed by "azlab:key: value" lines)`,
    );
  }
  const raw: Record<string, unknown> = {};
  const secretKeys: string[] = [];
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    if (!isSecureEntry(value)) {
      raw[key] = value;
      if (key.startsWith(`${NAMESPACE}:`)) problems.push(...nestedSecureValues(value, key));
      continue;
    }
    // Pulumi writes `secure: <ciphertext>` and nothing else; the ciphertext is never shown.
    const entry = value as Record<string, unknown>;
    if (typeof entry["secure"] !== "string" || Object.keys(entry).length !== 1) {
      problems.push({
        path: key,
        message: "is not a well-formed secure value",
        allowed:
          "secure: followed by the ciphertext that `pulumi config set --secret` writes, and nothing else",
      });
    }
    secretKeys.push(key);
    raw[key] = OFFLINE_SECRET_PLACEHOLDER;
  }
  return { raw, secretKeys, problems };
}

/** True when an object or array is reachable from itself. */
function containsItself(value: unknown, ancestors: Set<object> = new Set()): boolean {
  if (value === null || typeof value !== "object") return false;
  if (ancestors.has(value)) return true;
  ancestors.add(value);
  const found = Object.values(value).some((child) => containsItself(child, ancestors));
  ancestors.delete(value);
  return found;
}

/** Where the first alias sits that lies inside the node its anchor marks. */
function selfAliasOffset(doc: ReturnType<typeof parseDocument>): number | undefined {
  const anchored = new Map<string, readonly [number, number]>();
  let offset: number | undefined;
  visit(doc, {
    Node(_key, node) {
      if ("anchor" in node && typeof node.anchor === "string" && node.range) {
        anchored.set(node.anchor, [node.range[0], node.range[1]]);
      }
    },
  });
  visit(doc, {
    Alias(_key, node) {
      const range = anchored.get(node.source);
      const at = node.range?.[0];
      if (range && at !== undefined && at >= range[0] && at < range[1]) {
        offset = at;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return offset;
}

/**
 * `pulumi config set --path --secret` writes `secure:` deep inside a value. No part of an azlab
 * setting is a secret, and offline such a value would flow on as its ciphertext: refuse it.
 */
function nestedSecureValues(value: unknown, path: string): Problem[] {
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const at = `${path}.${key}`;
    if (!isSecureEntry(child)) return nestedSecureValues(child, at);
    return [
      {
        path: at,
        message: "cannot be a secure value: it is not a secret, and secure values are not checked",
        allowed: `a plain value; only ${SECRET_SETTINGS.map((k) => `${NAMESPACE}:${k}`).join(", ")} may be secure`,
      },
    ];
  });
}

/** A mapping with a `secure` key, the form Pulumi uses for an encrypted value. */
export function isSecureEntry(value: unknown): boolean {
  return (
    value !== null && typeof value === "object" && !Array.isArray(value) && Object.hasOwn(value, "secure")
  );
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
  const { raw, secretKeys, problems: shapeProblems } = readStackFile(path);
  const { config, problems } = parseStackConfig(raw, secretKeys);
  if (!config || shapeProblems.length > 0) {
    // A malformed secure value is reported once, by shape, not again as "cannot be secure".
    const reported = new Set(shapeProblems.map((p) => p.path));
    throw stackProblemsError(path, [...shapeProblems, ...problems.filter((p) => !reported.has(p.path))]);
  }
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
    summariseProblems(problems).map((p) => formatProblem(p, shown)),
    `${shown}: ${problems.length} problem${problems.length === 1 ? "" : "s"} in the ${/\.lock\.json$/.test(path) ? "address lock" : "stack config"}:`,
  );
}
