/**
 * The network sections of the plan comment: summary, subnets and NSG rules, with identical student
 * environments folded into one row.
 */
import { ResourceType } from "../azure/catalog.ts";
import type { PlanDocument, PlanNsgRule, PlanVnet } from "./document.ts";
import { azureName } from "./read.ts";
import { studentKeys, templateName } from "./students.ts";
import { cellCode, code, count, mdText, percent } from "./markdownText.ts";

function prefixLength(cidr: string): string {
  const slash = cidr.indexOf("/");
  return slash < 0 ? cidr : cidr.slice(slash);
}

/** VNets whose layout is identical apart from the student key share a signature. */
function vnetSignature(vnet: PlanVnet): string {
  const key = vnet.student;
  return JSON.stringify({
    space: vnet.addressSpace.map(prefixLength),
    subnets: vnet.subnets.map((s) => [
      templateName(s.name, key),
      s.cidrs.map(prefixLength),
      s.nsg === null ? null : templateName(s.nsg, key),
      s.natGateway,
      s.plannedUse,
      s.consumers.map((c) => templateName(c, key)),
    ]),
  });
}

export interface VnetGroup {
  readonly members: PlanVnet[];
  /** True when the members are student environments folded into one row. */
  readonly folded: boolean;
}

/** Student VNets with an identical layout fold together; every other VNet stands alone. */
export function groupVnets(network: readonly PlanVnet[]): VnetGroup[] {
  const bySignature = new Map<string, PlanVnet[]>();
  const groups: VnetGroup[] = [];
  for (const vnet of network) {
    if (vnet.student === null) {
      groups.push({ members: [vnet], folded: false });
      continue;
    }
    const signature = vnetSignature(vnet);
    const members = bySignature.get(signature);
    if (members) members.push(vnet);
    else {
      const fresh = [vnet];
      bySignature.set(signature, fresh);
      groups.push({ members: fresh, folded: true });
    }
  }
  return groups.map((g) => (g.folded && g.members.length < 2 ? { ...g, folded: false } : g));
}

function layoutText(vnet: PlanVnet): string {
  const subnets = vnet.subnets.map(
    (s) => `${templateName(s.name, vnet.student)} ${s.cidrs.map(prefixLength).join("+")}`,
  );
  return `subnets ${subnets.join(", ") || "none"}`;
}

function vnetLabel(group: VnetGroup): string {
  const first = group.members[0]!;
  return group.folded
    ? `${group.members.length} student environments, identical layout: ${layoutText(first)}`
    : first.name;
}

export function summarySection(doc: PlanDocument, groups: readonly VnetGroup[]): string[] {
  const lines: string[] = ["### Summary", ""];
  const severities = ["error", "warning", "info"] as const;
  const bySeverity = severities.map((sev) => doc.findings.filter((f) => f.severity === sev).length);
  lines.push(
    `**${count(doc.summary.total)} resources** · findings: ${bySeverity[0]} error${bySeverity[0] === 1 ? "" : "s"}, ${bySeverity[1]} warning${bySeverity[1] === 1 ? "" : "s"}, ${bySeverity[2]} info`,
    "",
    "| Resource type | Count |",
    "| --- | ---: |",
    ...Object.entries(doc.summary.resourceCounts).map(([type, n]) => `| ${cellCode(type)} | ${count(n)} |`),
    "",
  );
  if (groups.length > 0) {
    lines.push(
      "**Address space**",
      "",
      "| VNet | Address space | Addresses | In subnets | Free | Utilization |",
      "| --- | --- | ---: | ---: | ---: | ---: |",
    );
    for (const group of groups) {
      const first = group.members[0]!;
      const u = first.utilization;
      const space = group.folded
        ? `${first.addressSpace.map(prefixLength).join(", ")} each`
        : first.addressSpace.join(", ");
      const each = group.folded ? " each" : "";
      lines.push(
        `| ${mdText(vnetLabel(group))} | ${mdText(space)} | ${count(u.total)}${each} | ${count(u.allocated)}${each} | ${count(u.free)}${each} | ${percent(u.utilization)} |`,
      );
    }
    lines.push("");
  }
  const serious = doc.findings.filter((f) => f.severity !== "info");
  if (serious.length > 0) {
    lines.push(
      "**Findings**",
      "",
      "| Severity | Rule | Resource | Message | Fix |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const f of serious.slice(0, 50)) {
      const where = f.resource.split("::").pop() ?? f.resource;
      lines.push(
        `| ${mdText(f.severity)} | ${cellCode(f.id)} | ${cellCode(where)} | ${mdText(f.message)} | ${mdText(f.fix)} |`,
      );
    }
    if (serious.length > 50) lines.push(`| … | | | ${serious.length - 50} more in the JSON plan | |`);
    lines.push("");
  }
  return lines;
}

export function subnetSection(groups: readonly VnetGroup[]): string[] {
  if (groups.length === 0) return [];
  const lines: string[] = ["### Subnets", ""];
  for (const group of groups) {
    const first = group.members[0]!;
    const folded = group.folded;
    lines.push(
      folded
        ? `#### ${group.members.length} student environments (${code(templateName(first.name, first.student))}), identical layout`
        : `#### VNet ${code(first.name)} — ${mdText(first.addressSpace.join(", ")) || "not declared in this stack"}`,
      "",
    );
    const shown = (text: string) => (folded ? templateName(text, first.student) : text);
    // A subnet the plan overfills at full scale is the one thing a reviewer must not miss.
    const overfull = first.subnets.filter((s) => s.free < 0);
    for (const s of overfull) {
      const vnet = folded
        ? `${code(templateName(first.name, first.student))} (each of ${group.members.length} student environments)`
        : code(first.name);
      const by = s.consumers.length > 0 ? ` (${mdText(s.consumers.map(shown).join("; "))})` : "";
      lines.push(
        `⚠ subnet ${code(shown(s.name))} of ${vnet} needs ${count(s.plannedUse)} addresses at full scale but has ${count(s.usable)} usable${by}`,
        "",
      );
    }
    lines.push(
      "| Subnet | CIDR | Addresses | Usable | Planned use | Free | NSG | NAT gateway |",
      "| --- | --- | ---: | ---: | ---: | ---: | --- | --- |",
    );
    for (const s of first.subnets) {
      const cidr = folded ? s.cidrs.map(prefixLength).join(", ") : s.cidrs.join(", ");
      const nsg = s.nsg === null ? "—" : cellCode(shown(s.nsg));
      const free = s.free < 0 ? `⚠ ${count(s.free)}` : count(s.free);
      lines.push(
        `| ${cellCode(shown(s.name))} | ${mdText(cidr)} | ${count(s.total)} | ${count(s.usable)} | ${count(s.plannedUse)} | ${free} | ${nsg} | ${s.natGateway ? "yes" : "no"} |`,
      );
    }
    lines.push("");
    if (folded) {
      lines.push(
        "<details>",
        `<summary>Student → address space (${group.members.length})</summary>`,
        "",
        "| Student | VNet | Address space | Subnets |",
        "| --- | --- | --- | --- |",
        ...group.members.map(
          (v) =>
            `| ${mdText(v.student ?? "")} | ${mdText(v.name)} | ${mdText(v.addressSpace.join(", "))} | ${mdText(v.subnets.map((s) => s.cidrs.join("+")).join(", "))} |`,
        ),
        "",
        "</details>",
        "",
      );
    }
  }
  return lines;
}

function ruleRow(r: PlanNsgRule): string {
  const list = (items: readonly string[]) => mdText(items.join(", ") || "—");
  return `| ${r.priority ?? "—"} | ${cellCode(r.name)} | ${mdText(r.direction)} | ${mdText(r.access)} | ${mdText(r.protocol)} | ${list(r.source)} | ${list(r.destination)} | ${list(r.ports)} |`;
}

export function nsgSection(doc: PlanDocument): string[] {
  if (doc.nsgRules.length === 0) return [];
  const keys = studentKeys(doc.resources);
  const studentOf = new Map(
    doc.resources
      .filter((r) => r.type === ResourceType.NetworkSecurityGroup)
      .map((r) => [azureName(r), keys.get(r.urn) ?? null]),
  );
  // A student's own address blocks differ per student by design; name them so the rule sets can match.
  const ownBlocks = new Map<string, Map<string, string>>();
  for (const vnet of doc.network) {
    if (vnet.student === null) continue;
    const blocks = ownBlocks.get(vnet.student) ?? new Map<string, string>();
    vnet.addressSpace.forEach((cidr, i) =>
      blocks.set(cidr, i === 0 ? "{student VNet}" : `{student VNet ${i + 1}}`),
    );
    for (const subnet of vnet.subnets) {
      for (const cidr of subnet.cidrs)
        blocks.set(cidr, `{student subnet ${templateName(subnet.name, vnet.student)}}`);
    }
    ownBlocks.set(vnet.student, blocks);
  }
  const generic = (rule: PlanNsgRule, student: string | null): PlanNsgRule => {
    const blocks = student ? ownBlocks.get(student) : undefined;
    const swap = (items: readonly string[]) =>
      items.map((item) => blocks?.get(item) ?? templateName(item, student));
    return {
      ...rule,
      nsg: "",
      name: templateName(rule.name, student),
      source: swap(rule.source),
      destination: swap(rule.destination),
    };
  };
  const byNsg = new Map<string, PlanNsgRule[]>();
  for (const rule of doc.nsgRules) {
    const list = byNsg.get(rule.nsg);
    if (list) list.push(rule);
    else byNsg.set(rule.nsg, [rule]);
  }
  // NSGs with the same rules apart from the student key and the student's own blocks render once.
  const groups = new Map<string, { names: string[]; rules: PlanNsgRule[]; generic: PlanNsgRule[] }>();
  for (const [nsg, rules] of byNsg) {
    const student = studentOf.get(nsg) ?? null;
    const genericRules = rules.map((r) => generic(r, student));
    const signature = JSON.stringify([templateName(nsg, student), genericRules]);
    const group = groups.get(signature) ?? { names: [], rules, generic: genericRules };
    group.names.push(nsg);
    groups.set(signature, group);
  }
  const lines: string[] = ["### NSG rules", ""];
  for (const { names, rules, generic: genericRules } of groups.values()) {
    const student = studentOf.get(names[0]!) ?? null;
    lines.push(
      names.length > 1
        ? `#### ${names.length} NSGs ${code(templateName(names[0]!, student))}, identical rules`
        : `#### NSG ${code(names[0]!)}`,
      "",
      "| Priority | Rule | Direction | Access | Protocol | Source | Destination | Ports |",
      "| ---: | --- | --- | --- | --- | --- | --- | --- |",
      ...(names.length > 1 ? genericRules : rules).map(ruleRow),
      "",
    );
  }
  return lines;
}
