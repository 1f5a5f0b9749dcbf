/** `azlab diff` as Markdown for a pull-request comment: risks first, every plan string escaped. */
import { diffExitCode, type PlanDiff, type ResourceChange, type ResourceRef, type RiskKind } from "./diff.ts";
import { capMarkdown, cellCode, code, mdText, shortJson } from "./markdownText.ts";
import { templateName } from "./students.ts";
import { costChangeLines } from "./diffCost.ts";

const RISK_TITLES: Record<RiskKind, string> = {
  "subnet-cidr-changed": "Subnet re-addressed",
  "address-space-shrank": "Address space shrank",
  "internet-inbound-allowed": "Inbound from the internet allowed",
  "stateful-deleted": "Stateful resource deleted",
  "stateful-replaced": "Stateful resource replaced",
  "renamed-without-alias": "URN changed without an alias",
  replacement: "Forces replacement",
  "cost-increase": "Cost increase above the threshold",
  "roster-change-touches-other-resource": "Roster change touches another resource",
  "access-granted": "New or widened access",
};

/** Added/removed lists; student copies fold into one line: `{student}-vnet ×3: alice, bob, carol`. */
function refLines(refs: readonly ResourceRef[]): string[] {
  const groups = new Map<string, { first: ResourceRef; template: string; students: string[] }>();
  for (const r of refs) {
    const template = templateName(r.name, r.student);
    // Shared resources never fold: two of them with one name live under different parents.
    const key = r.student ? `${r.type}|${template}` : r.urn;
    const group = groups.get(key) ?? { first: r, template, students: [] };
    if (r.student) group.students.push(r.student);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) =>
    g.students.length > 1
      ? `- ${code(g.template)} (${mdText(g.first.type)}) ×${g.students.length}: ${mdText(g.students.join(", "))}`
      : `- ${code(g.first.name)} (${mdText(g.first.type)})`,
  );
}

function changeTable(change: ResourceChange): string[] {
  const lines = [
    `#### ${code(change.name)} (${mdText(change.type)})${change.replaceReasons.length > 0 ? ` — replaced: ${mdText(change.replaceReasons.join("; "))}` : ""}`,
    "",
    "| Field | Before | After |",
    "| --- | --- | --- |",
  ];
  for (const c of change.changes) {
    lines.push(
      `| ${cellCode(c.path)} | ${"before" in c ? cellCode(shortJson(c.before)) : "—"} | ${"after" in c ? cellCode(shortJson(c.after)) : "—"} |`,
    );
  }
  return [...lines, ""];
}

/** The diff as a pull-request comment section, risks first, capped below GitHub's comment limit. */
export function renderDiffMarkdown(diff: PlanDiff): string {
  const s = diff.summary;
  const head: string[] = [`### azlab diff: ${code(diff.head.stack)}`, ""];
  const exitCode = diffExitCode(diff);
  head.push(
    exitCode === 0
      ? "No changes."
      : `${exitCode === 3 ? `**⚠️ ${s.risks} risky change${s.risks === 1 ? "" : "s"}** · ` : ""}${s.added} to add · ${s.removed} to delete · ${s.replaced} to replace · ${s.changed} to update · ${s.outputsChanged} output change${s.outputsChanged === 1 ? "" : "s"}`,
    "",
  );
  if (diff.risks.length > 0) {
    head.push("#### ⚠️ Risky changes", "", "| Risk | Resource | What happens |", "| --- | --- | --- |");
    for (const r of diff.risks)
      head.push(
        `| ${RISK_TITLES[r.kind]} | ${cellCode(r.urn.split("::").pop() ?? r.urn)} | ${mdText(r.message)} |`,
      );
    head.push("");
  }
  // The cost change comes right after the risks: it is short and every reviewer reads it.
  head.push(...costChangeLines(diff.cost));
  let body: string[] = [];
  const section = (title: string, lines: string[]) => {
    // No spread: a 40,000-line section passes the engine's argument limit.
    if (lines.length > 0) body = body.concat([`#### ${title}`, ""], lines, [""]);
  };
  section("Added", refLines(diff.added));
  section("Deleted", refLines(diff.removed));
  section("Replaced", diff.replaced.flatMap(changeTable));
  section("Updated in place", diff.changed.flatMap(changeTable));
  section(
    "Outputs",
    diff.outputs.map(
      (c) =>
        `- ${code(c.path)}: ${"before" in c ? code(shortJson(c.before)) : "—"} → ${"after" in c ? code(shortJson(c.after)) : "—"}`,
    ),
  );
  section("Findings", [
    ...diff.findings.added.map((f) => `- new ${mdText(f.severity)} ${code(f.id)}: ${mdText(f.message)}`),
    ...diff.findings.resolved.map(
      (f) => `- resolved ${mdText(f.severity)} ${code(f.id)}: ${mdText(f.message)}`,
    ),
  ]);
  return capMarkdown([...head, ...body].join("\n"));
}
