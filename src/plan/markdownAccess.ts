/**
 * The plan's access section: the access matrix as a folded table. Students' rows that differ only in the
 * student key are one row with `{student}` in place of the key, so 100 students add no rows; a student whose
 * rows differ from the rest (a guest, a student without an identity) shows up on rows of their own.
 */
import type { AccessRow } from "../access/accessMatrix.ts";
import type { PlanDocument } from "./document.ts";
import { cellCode, mdCell } from "./markdownText.ts";
import { STUDENT_PLACEHOLDER, templateName } from "./students.ts";

/** Scopes are placeholder ids offline (`alice-st-id`); the scope's resource name reads better without `-id`. */
function scopeText(row: AccessRow): string {
  const urnName = row.scopeUrn ? row.scopeUrn.slice(row.scopeUrn.lastIndexOf("::") + 2) : row.scope;
  return row.plane === "kubernetes" ? row.scope : urnName;
}

interface Folded {
  readonly principal: string;
  readonly plane: string;
  readonly role: string;
  readonly scope: string;
  readonly students: Set<string>;
}

export function accessSection(doc: PlanDocument): string[] {
  const rows = doc.access ?? [];
  if (rows.length === 0) return [];
  const folded = new Map<string, Folded>();
  for (const row of rows) {
    const principal = row.student ? `student:${STUDENT_PLACEHOLDER}` : row.principal;
    const scope = templateName(scopeText(row), row.student);
    const key = `${principal}|${row.plane}|${row.role}|${scope}`;
    const entry = folded.get(key) ?? {
      principal,
      plane: row.plane,
      role: row.role,
      scope,
      students: new Set(),
    };
    if (row.student) entry.students.add(row.student);
    folded.set(key, entry);
  }
  const studentCount = new Set(rows.flatMap((r) => (r.student ? [r.student] : []))).size;
  const cross = rows.filter((r) => r.student && r.scopeStudent && r.scopeStudent !== r.student).length;
  const lines = [
    `<details><summary>Access: ${rows.length} grants, ${studentCount} students, ${
      cross === 0 ? "no grant on another student's scope" : `${cross} grants on another student's scope`
    }</summary>`,
    "",
    "| principal | plane | role | scope | students |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const f of folded.values()) {
    const who =
      f.students.size === 0
        ? "—"
        : f.students.size === studentCount
          ? "every student"
          : [...f.students].join(", ");
    lines.push(
      `| ${cellCode(f.principal)} | ${f.plane} | ${mdCell(f.role)} | ${cellCode(f.scope)} | ${mdCell(who)} |`,
    );
  }
  lines.push("", "</details>");
  return lines;
}
