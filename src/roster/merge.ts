/**
 * Merges roster entries into a stack file's `azlab:class.students` through the yaml library's
 * Document API, so the ids, key order, comments and formatting already in the file stay as they are.
 * An import only adds: it never removes a student, a field or an SSH key, and it never renames an id
 * (ids are frozen once a class is deployed: they name resource groups and networks).
 * Pure: text in, text and a summary out.
 */
import { isMap, isScalar, isSeq, parseDocument, YAMLMap, type Document, type YAMLSeq } from "yaml";
import { formatProblem, UserError, type Problem } from "../errors.ts";
import { deriveStudentId, type RosterEntry } from "./roster.ts";

export interface StudentChange {
  readonly id: string;
  readonly kind: "added" | "changed" | "unchanged" | "kept";
  /** Fields set or extended (changed), or where a new id came from (added). */
  readonly detail?: string;
}

export interface MergeResult {
  /** The new stack file text; equal to the input when nothing changed. */
  readonly text: string;
  readonly changes: StudentChange[];
  readonly changed: boolean;
}

/**
 * Written without folding long lines (an SSH key must stay on one line), and with the file's own
 * padding of flow collections (`[a, b]` or `[ a, b ]`): the one the unchanged file round-trips with.
 */
function writeOptions(original: Document, text: string) {
  const padded = { lineWidth: 0, flowCollectionPadding: true } as const;
  const tight = { lineWidth: 0, flowCollectionPadding: false } as const;
  return original.toString(tight) !== text && original.toString(padded) === text ? padded : tight;
}

const lower = (text: string | undefined) => text?.toLowerCase();

function scalarText(map: YAMLMap, key: string): string | undefined {
  const value: unknown = map.get(key);
  return typeof value === "string" ? value : undefined;
}

function seqTexts(map: YAMLMap, key: string): string[] {
  const node: unknown = map.get(key, true);
  if (!isSeq(node)) return [];
  return node.items.map((item) => (isScalar(item) ? String(item.value) : "")).filter((t) => t !== "");
}

/** The map under `config` → `azlab:class`, or a UserError saying what is missing. */
function classMap(doc: Document, file: string): YAMLMap {
  const config: unknown = doc.get("config", true);
  const cls: unknown = isMap(config) ? config.get("azlab:class", true) : undefined;
  if (!isMap(cls)) {
    throw new UserError(
      `${file}: azlab:class: is not set, so the file has no roster (allowed: a class stack file; start from stacks/Pulumi.class-demo.yaml)`,
    );
  }
  return cls;
}

/** Next free id: `base`, then `base-2`, `base-3`, …, each within the 31-character limit. */
function freeId(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, 31 - suffix.length).replace(/-+$/, "")}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * Merges `entries` (from `csvFile`) into the stack file text. A row with an id updates that student
 * or adds it; a row without one matches an existing student by email or UPN, or gets an id derived
 * from its email, UPN or name, with a numeric suffix when that id is taken. Conflicts are reported
 * all at once as a UserError, and then nothing is merged.
 */
export function mergeRoster(
  stackText: string,
  stackFile: string,
  entries: readonly RosterEntry[],
  csvFile: string,
): MergeResult {
  const doc = parseDocument(stackText, { keepSourceTokens: false });
  if (doc.errors.length > 0) {
    throw new UserError(`${stackFile}: is not valid YAML (${doc.errors[0]!.message.split("\n")[0]})`);
  }
  const options = writeOptions(parseDocument(stackText), stackText);
  const cls = classMap(doc, stackFile);
  let students: unknown = cls.get("students", true);
  if (!isMap(students)) {
    if (students !== undefined && !(isScalar(students) && students.value === null)) {
      throw new UserError(
        `${stackFile}: azlab:class.students: is not a map of students (allowed: student ids as keys)`,
      );
    }
    students = new YAMLMap();
    cls.set("students", students);
  }
  const roster = students as YAMLMap;

  // Who is there already, and by which sign-in names.
  const existing = new Map<string, YAMLMap | undefined>();
  const byName = new Map<string, string>();
  for (const pair of roster.items) {
    const id = String(isScalar(pair.key) ? pair.key.value : pair.key);
    const value = isMap(pair.value) ? pair.value : undefined;
    if (!value && pair.value !== null && !(isScalar(pair.value) && pair.value.value === null)) {
      // Merging into it would replace whatever the user wrote there.
      throw new UserError(
        `${stackFile}: azlab:class.students.${id}: is not a map of settings (allowed: a map such as { email: … }, or nothing)`,
      );
    }
    existing.set(id, value);
    for (const name of [
      scalarText(value ?? new YAMLMap(), "email"),
      scalarText(value ?? new YAMLMap(), "upn"),
    ]) {
      if (name) byName.set(name.toLowerCase(), id);
    }
  }

  const problems: string[] = [];
  const problem = (entry: RosterEntry, p: Problem) =>
    problems.push(formatProblem(p, `${csvFile}:${entry.line}`));
  const taken = new Set(existing.keys());
  /** Id each CSV row resolved to, and the line that claimed it. */
  const claimedBy = new Map<string, number>();
  const plans: { id: string; entry: RosterEntry; derivedFrom?: string }[] = [];

  for (const entry of entries) {
    const names = [entry.email, entry.upn].filter((n): n is string => n !== undefined);
    const owner = names.map((n) => byName.get(n.toLowerCase())).find((o) => o !== undefined);
    let id = entry.id;
    let derivedFrom: string | undefined;
    if (id === undefined) {
      if (owner !== undefined) {
        id = owner;
      } else {
        derivedFrom = entry.email ?? entry.upn ?? entry.displayName ?? "";
        id = freeId(deriveStudentId(derivedFrom), taken);
      }
    } else if (owner !== undefined && owner !== id) {
      problem(entry, {
        path: "row",
        message: `gives id "${id}" to ${names.join(" / ")}, which already belongs to student "${owner}"`,
        allowed: `the id "${owner}", or no id`,
      });
      continue;
    }
    const earlier = claimedBy.get(id);
    if (earlier !== undefined) {
      problem(entry, {
        path: "row",
        message: `names student "${id}" again (first on line ${earlier})`,
        allowed: "one row per student",
      });
      continue;
    }
    claimedBy.set(id, entry.line);
    taken.add(id);
    // Later rows must not take this student's names for someone else.
    for (const name of names) byName.set(name.toLowerCase(), id);
    plans.push({ id, entry, ...(derivedFrom === undefined ? {} : { derivedFrom }) });
  }
  if (problems.length > 0) {
    throw new UserError(
      problems,
      `${csvFile}: ${problems.length} problem${problems.length === 1 ? "" : "s"}; ${stackFile} was not changed:`,
    );
  }

  const changes: StudentChange[] = [];
  const touched = new Set<string>();
  for (const { id, entry, derivedFrom } of plans) {
    touched.add(id);
    const node = existing.get(id);
    if (!existing.has(id)) {
      const value: Record<string, unknown> = {};
      if (entry.displayName !== undefined) value["displayName"] = entry.displayName;
      if (entry.email !== undefined) value["email"] = entry.email;
      if (entry.upn !== undefined) value["upn"] = entry.upn;
      if (entry.sshPublicKeys.length > 0) value["sshPublicKeys"] = [...entry.sshPublicKeys];
      roster.set(id, doc.createNode(value));
      changes.push({ id, kind: "added", ...(derivedFrom ? { detail: `id from ${derivedFrom}` } : {}) });
      continue;
    }
    // `bob:` or `bob: {}` in the file: give the student a block map to write into.
    const map = node ?? new YAMLMap();
    const fields: string[] = [];
    for (const key of ["displayName", "email", "upn"] as const) {
      const wanted = entry[key];
      if (wanted === undefined || scalarText(map, key) === wanted) continue;
      // A sign-in name that differs only in case is the same name to Entra.
      if (key !== "displayName" && lower(scalarText(map, key)) === lower(wanted)) continue;
      map.set(key, wanted);
      fields.push(key);
    }
    const have = new Set(seqTexts(map, "sshPublicKeys"));
    const newKeys = entry.sshPublicKeys.filter((key) => !have.has(key));
    if (newKeys.length > 0) {
      const seq: unknown = map.get("sshPublicKeys", true);
      if (isSeq(seq)) for (const key of newKeys) seq.add(doc.createNode(key));
      else map.set("sshPublicKeys", doc.createNode([...newKeys]) as YAMLSeq);
      fields.push("sshPublicKeys");
    }
    if (fields.length === 0) {
      changes.push({ id, kind: "unchanged" });
      continue;
    }
    if (map.flow) map.flow = false;
    if (node === undefined) roster.set(id, map);
    changes.push({ id, kind: "changed", detail: fields.join(", ") });
  }
  for (const id of existing.keys()) {
    if (!touched.has(id)) changes.push({ id, kind: "kept" });
  }
  const changed = changes.some((c) => c.kind === "added" || c.kind === "changed");
  if (changed && roster.flow) roster.flow = false;
  return { text: changed ? doc.toString(options) : stackText, changes, changed };
}

/** The summary `azlab roster import` prints: what was added, changed and left alone. */
export function renderMergeSummary(
  result: MergeResult,
  files: { csv: string; stack: string; read: number; ignoredColumns: readonly string[] },
  mode: "write" | "dry-run",
): string {
  const of = (kind: StudentChange["kind"]) => result.changes.filter((c) => c.kind === kind);
  const added = of("added");
  const changed = of("changed");
  const alone = [...of("unchanged"), ...of("kept")];
  const lines = [
    `${files.csv}: ${files.read} student${files.read === 1 ? "" : "s"}; ${files.stack}: ${added.length} added, ${changed.length} changed, ${alone.length} left alone`,
  ];
  if (files.ignoredColumns.length > 0) {
    lines.push(`ignored columns: ${files.ignoredColumns.join(", ")}`);
  }
  const section = (
    title: string,
    mark: string,
    items: readonly StudentChange[],
    note: (c: StudentChange) => string,
  ) => {
    if (items.length === 0) return;
    lines.push(`${title}:`);
    for (const item of items) lines.push(`  ${mark} ${item.id}${note(item)}`);
  };
  section("added", "+", added, (c) => (c.detail ? ` (${c.detail})` : ""));
  section("changed", "~", changed, (c) => `: ${c.detail ?? ""}`);
  section("left alone", "=", alone, (c) => (c.kind === "kept" ? " (not in the CSV)" : ""));
  if (!result.changed) lines.push(`nothing to change; ${files.stack} left as it was`);
  else if (mode === "dry-run") lines.push(`dry run: ${files.stack} not written`);
  else lines.push(`wrote ${files.stack}`);
  return `${lines.join("\n")}\n`;
}
