/**
 * The access risks of a plan diff: a grant that head has and base does not. That covers a new principal, a
 * known principal on a new (often broader) scope, and a more powerful role on a scope the principal already
 * had; each is named as such. Plans made before the access matrix existed are read from their resources.
 */
import { buildAccessMatrix, roleRank, type AccessRow } from "../access/accessMatrix.ts";
import type { Risk } from "./diff.ts";
import type { PlanDocument } from "./document.ts";

function matrix(doc: PlanDocument): readonly AccessRow[] {
  return doc.access ?? buildAccessMatrix(doc.resources, doc.outputs);
}

const key = (row: AccessRow) => `${row.principal}|${row.roleId}|${row.scope}`;

export function accessRisks(base: PlanDocument, head: PlanDocument): Risk[] {
  const before = matrix(base);
  const known = new Set(before.map(key));
  const risks: Risk[] = [];
  for (const row of matrix(head)) {
    if (known.has(key(row))) continue;
    const who = row.student ? `student ${row.student}` : row.principal;
    const sameScope = before.filter((b) => b.principal === row.principal && b.scope === row.scope);
    const stronger =
      sameScope.length > 0 && sameScope.every((b) => roleRank(b.roleId) < roleRank(row.roleId));
    const samePrincipal = before.some((b) => b.principal === row.principal);
    const how = stronger
      ? `widened: ${sameScope.map((b) => b.role).join(", ")} → ${row.role}`
      : sameScope.length > 0
        ? `another role (had ${sameScope.map((b) => b.role).join(", ")})`
        : samePrincipal
          ? "a new scope for this principal"
          : "a new principal";
    risks.push({
      kind: "access-granted",
      urn: row.urn,
      message: `${who} gets ${row.role} on ${row.scope} (${how})${
        row.student && row.scopeStudent && row.scopeStudent !== row.student
          ? `, a scope of student ${row.scopeStudent}`
          : ""
      }`,
    });
  }
  return risks;
}
