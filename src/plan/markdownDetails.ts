/** The collapsed resource list and stack outputs of the plan comment. */
import { SECRET_MARKER } from "../model/recorded.ts";
import type { PlanDocument, PlanResource } from "./document.ts";
import { compareText } from "./read.ts";
import { STUDENT_PLACEHOLDER, studentKeys, templateName } from "./students.ts";
import { cellCode, code, mdText, shortJson } from "./markdownText.ts";

export function detailsSection(doc: PlanDocument): string[] {
  const keys = studentKeys(doc.resources);
  const byType = new Map<string, PlanResource[]>();
  for (const r of doc.resources) {
    const list = byType.get(r.type);
    if (list) list.push(r);
    else byType.set(r.type, [r]);
  }
  const lines: string[] = ["### Resources", ""];
  for (const [type, resources] of [...byType].sort(([a], [b]) => compareText(a, b))) {
    // Student copies fold into one row; the inputs shown are the first copy's.
    const rows = new Map<string, { resource: PlanResource; copies: number }>();
    for (const r of resources) {
      const student = keys.get(r.urn) ?? null;
      const key = templateName(r.name, student);
      const row = rows.get(key) ?? { resource: r, copies: 0 };
      row.copies++;
      rows.set(key, row);
    }
    lines.push(
      "<details>",
      `<summary>${code(type)} (${resources.length})</summary>`,
      "",
      "| Name | Copies | Protect | Inputs |",
      "| --- | ---: | --- | --- |",
    );
    for (const [name, { resource, copies }] of rows) {
      const shown = copies > 1 ? name : resource.name;
      // Components usually register no inputs; "{}" says nothing.
      const inputs =
        Object.keys(resource.inputs).length === 0 ? "—" : cellCode(shortJson(resource.inputs, 300));
      lines.push(`| ${cellCode(shown)} | ${copies} | ${resource.protect ? "yes" : "no"} | ${inputs} |`);
    }
    lines.push("", "</details>", "");
  }
  // An output keyed by student (one entry per environment) becomes a table; the rest stays JSON.
  const students = new Set([...keys.values()].filter((k): k is string => k !== null));
  const perStudent: [string, Record<string, unknown>][] = [];
  const rest: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(doc.outputs)) {
    if (isStudentRecord(value, students)) perStudent.push([name, value]);
    else rest[name] = value;
  }
  if (Object.keys(rest).length > 0) {
    lines.push(
      "<details>",
      "<summary>Stack outputs</summary>",
      "",
      "```json",
      JSON.stringify(rest, null, 2),
      "```",
      "",
      "</details>",
      "",
    );
  }
  for (const [name, record] of perStudent) lines.push(...studentOutputSection(name, record, students));
  return lines;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An output keyed by student: at least two of its keys, and at least half of them, are student keys. */
function isStudentRecord(value: unknown, students: ReadonlySet<string>): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  const hits = keys.filter((k) => students.has(k)).length;
  return hits >= 2 && hits * 2 >= keys.length;
}

const SECRET = SECRET_MARKER;

/**
 * An output value: secrets as [secret], text as code, anything else as compact JSON. In a table
 * cell (`cell`) pipes are escaped; elsewhere only line breaks are flattened.
 */
function outputValue(value: unknown, cell = true): string {
  if (value === SECRET) return SECRET;
  const text = typeof value === "string" ? value : shortJson(value, 120);
  return cell ? cellCode(text) : code(text);
}

/** One entry's fields; a value that is not an object is one field, "value". */
function outputFields(value: unknown): Map<string, unknown> {
  return new Map(isPlainObject(value) ? Object.entries(value) : [["value", value]]);
}

/**
 * A value that reads the same for every student once the student's own key is written
 * `{student}`. Substituting the key back gives each student's value exactly, so nothing is lost.
 */
function sharedValue(rows: readonly (readonly [string, Map<string, unknown>])[], field: string) {
  let shared: string | undefined;
  for (const [student, fields] of rows) {
    if (!fields.has(field)) return undefined;
    const value = fields.get(field);
    const templated =
      typeof value === "string" && value !== SECRET && !value.includes(STUDENT_PLACEHOLDER)
        ? templateName(value, student)
        : value;
    const text = outputValue(templated, false);
    if (shared !== undefined && shared !== text) return undefined;
    shared = text;
  }
  return shared;
}

/**
 * A stack output keyed by student, as one table in a collapsed block: a row per student, a column
 * per field. Fields that are the same for every student are shown once above the table; entries
 * that are not students (a shared hub, say) are listed on their own.
 */
function studentOutputSection(
  name: string,
  record: Record<string, unknown>,
  students: ReadonlySet<string>,
): string[] {
  const entries = Object.entries(record);
  const rows = entries
    .filter(([key]) => students.has(key))
    .map(([key, v]) => [key, outputFields(v)] as const);
  const others = entries.filter(([key]) => !students.has(key));
  const fields = [...new Set(rows.flatMap(([, f]) => [...f.keys()]))];
  const shared = new Map<string, string>();
  for (const field of fields) {
    const text = sharedValue(rows, field);
    if (text !== undefined) shared.set(field, text);
  }
  const columns = fields.filter((f) => !shared.has(f));
  const otherNote =
    others.length > 0 ? `, ${others.length} other entr${others.length === 1 ? "y" : "ies"}` : "";
  const lines = [
    "<details>",
    `<summary>Stack output ${code(name)} (${rows.length} students${otherNote})</summary>`,
    "",
  ];
  for (const [key, value] of others) {
    const list = [...outputFields(value)].map(([field, v]) => `${mdText(field)} ${outputValue(v, false)}`);
    lines.push(`- ${code(key)}: ${list.join(" · ")}`);
  }
  if (others.length > 0) lines.push("");
  if (shared.size > 0) {
    const placeholder = [...shared.values()].some((text) => text.includes(STUDENT_PLACEHOLDER));
    lines.push(
      `Same for every student${placeholder ? ` (${code(STUDENT_PLACEHOLDER)} is the student's key)` : ""}:`,
      "",
      ...[...shared].map(([field, text]) => `- ${mdText(field)}: ${text}`),
      "",
    );
  }
  lines.push(
    `| Student |${columns.map((c) => ` ${mdText(c)} |`).join("")}`,
    `| --- |${" --- |".repeat(columns.length)}`,
    ...rows.map(
      ([student, f]) =>
        `| ${mdText(student)} |${columns.map((c) => ` ${f.has(c) ? outputValue(f.get(c)) : "—"} |`).join("")}`,
    ),
    "",
    "</details>",
    "",
  );
  return lines;
}
