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
  // Student keys, to fold azlab's per-student identities (`alice-web identity`) like the students themselves.
  const rosterOutput = doc.outputs["students"];
  const roster = new Set([
    ...rows.flatMap((r) => (r.student ? [r.student] : [])),
    ...(rosterOutput && typeof rosterOutput === "object" ? Object.keys(rosterOutput) : []),
  ]);
  const ownerOf = (name: string) => [...roster].find((key) => name.startsWith(`${key}-`)) ?? null;
  const folded = new Map<string, Folded>();
  for (const row of rows) {
    // Students fold into one row; so do azlab's identities that differ only in the student (alice-web identity).
    const principal = row.student
      ? `student:${STUDENT_PLACEHOLDER}`
      : templateName(row.principalName, ownerOf(row.principalName));
    const scope = templateName(scopeText(row), row.student);
    const key = `${principal}|${row.plane}|${row.role}|${scope}`;
    const entry = folded.get(key) ?? {
      principal,
      plane: row.plane,
      role: row.role,
      scope,
      students: new Set(),
    };
    const owner = row.student ?? ownerOf(row.principalName);
    if (owner) entry.students.add(owner);
    folded.set(key, entry);
  }
  const studentCount = new Set(rows.flatMap((r) => (r.student ? [r.student] : []))).size;
  const everyone = roster.size;
  const cross = rows.filter((r) => r.student && r.scopeStudent && r.scopeStudent !== r.student).length;
  const lines = [
    `<details><summary>Access: ${rows.length} grants, ${studentCount} of ${everyone} students with Entra access, ${
      cross === 0 ? "no grant on another student's scope" : `${cross} grants on another student's scope`
    }</summary>`,
    "",
    "| principal | plane | role | scope | students |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const f of folded.values()) {
    // A roster of 100 must not make a row 100 names long: past five, a count.
    const who =
      f.students.size === 0
        ? "—"
        : f.students.size === everyone
          ? "every student"
          : f.students.size <= 5
            ? [...f.students].sort().join(", ")
            : `${f.students.size} of ${everyone} students`;
    lines.push(
      `| ${cellCode(f.principal)} | ${f.plane} | ${mdCell(f.role)} | ${cellCode(f.scope)} | ${mdCell(who)} |`,
    );
  }
  lines.push("", "</details>");
  return lines;
}
