/**
 * Renders a plan document as a pull-request comment: summary first, then subnets, NSG rules, a
 * topology diagram and the full resource list in collapsed blocks.
 *
 * A class stack repeats the same environment for every student; repeating it 100 times would blow
 * GitHub's 65,536-character comment limit and hide what matters. VNets and NSGs whose structure is
 * identical apart from the student key are folded into one row, and the whole text is capped.
 */
import {
  azureName,
  compareText,
  NSG_TYPE,
  STUDENT_PLACEHOLDER,
  studentKeys,
  SUBNET_TYPE,
  templateName,
} from "./document.ts";
import type { PlanDocument, PlanNsgRule, PlanResource, PlanVnet } from "./document.ts";

/** Where the renderers stop, leaving room below GitHub's 65,536 limit for the marker and other stacks. */
export const MARKDOWN_LIMIT = 60_000;

/** Inline code that survives backticks in the value. */
export function code(text: string): string {
  const fence = text.includes("`") ? "``" : "`";
  return `${fence}${text}${fence}`;
}

/** A table cell: pipes escaped, line breaks flattened. */
export function mdCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** Compact JSON of a value, cut at `max` characters. */
export function shortJson(value: unknown, max = 80): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** 65536 → "65,536", independent of the machine's locale. */
export function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

/**
 * Cuts Markdown at a line boundary so it fits `limit`, closing any open code fence or <details>
 * block, and says what was left out.
 */
export function capMarkdown(markdown: string, limit = MARKDOWN_LIMIT): string {
  if (markdown.length <= limit) return markdown;
  const reserve = 400;
  let cut = markdown.lastIndexOf("\n", limit - reserve);
  if (cut < 0) cut = limit - reserve;
  let kept = markdown.slice(0, cut);
  if ((kept.match(/^```/gm) ?? []).length % 2 === 1) kept += "\n```";
  const open = (kept.match(/<details>/g) ?? []).length - (kept.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < open; i++) kept += "\n\n</details>";
  const omitted = markdown.length - cut;
  return `${kept}\n\n> **Truncated:** ${count(omitted)} more characters did not fit in a comment. The full plan is in the JSON (\`azlab plan --format json\`, or the workflow's artifact).\n`;
}

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

interface VnetGroup {
  readonly members: PlanVnet[];
  /** True when the members are student environments folded into one row. */
  readonly folded: boolean;
}

/** Student VNets with an identical layout fold together; every other VNet stands alone. */
function groupVnets(network: readonly PlanVnet[]): VnetGroup[] {
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

function summarySection(doc: PlanDocument, groups: readonly VnetGroup[]): string[] {
  const lines: string[] = ["### Summary", ""];
  const severities = ["error", "warning", "info"] as const;
  const bySeverity = severities.map((sev) => doc.findings.filter((f) => f.severity === sev).length);
  lines.push(
    `**${count(doc.summary.total)} resources** · findings: ${bySeverity[0]} error${bySeverity[0] === 1 ? "" : "s"}, ${bySeverity[1]} warning${bySeverity[1] === 1 ? "" : "s"}, ${bySeverity[2]} info`,
    "",
    "| Resource type | Count |",
    "| --- | ---: |",
    ...Object.entries(doc.summary.resourceCounts).map(([type, n]) => `| ${code(type)} | ${count(n)} |`),
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
        `| ${mdCell(vnetLabel(group))} | ${space} | ${count(u.total)}${each} | ${count(u.allocated)}${each} | ${count(u.free)}${each} | ${percent(u.utilization)} |`,
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
        `| ${f.severity} | ${code(f.id)} | ${mdCell(where)} | ${mdCell(f.message)} | ${mdCell(f.fix)} |`,
      );
    }
    if (serious.length > 50) lines.push(`| … | | | ${serious.length - 50} more in the JSON plan | |`);
    lines.push("");
  }
  return lines;
}

function subnetSection(groups: readonly VnetGroup[]): string[] {
  if (groups.length === 0) return [];
  const lines: string[] = ["### Subnets", ""];
  for (const group of groups) {
    const first = group.members[0]!;
    const folded = group.folded;
    lines.push(
      folded
        ? `#### ${group.members.length} student environments (${code(templateName(first.name, first.student))}), identical layout`
        : `#### VNet ${code(first.name)} — ${first.addressSpace.join(", ") || "not declared in this stack"}`,
      "",
    );
    const shown = (text: string) => (folded ? templateName(text, first.student) : text);
    // A subnet the plan overfills at full scale is the one thing a reviewer must not miss.
    const overfull = first.subnets.filter((s) => s.free < 0);
    for (const s of overfull) {
      const vnet = folded
        ? `${code(templateName(first.name, first.student))} (each of ${group.members.length} student environments)`
        : code(first.name);
      const by = s.consumers.length > 0 ? ` (${s.consumers.map(shown).join("; ")})` : "";
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
      const nsg = s.nsg === null ? "—" : code(shown(s.nsg));
      const free = s.free < 0 ? `⚠ ${count(s.free)}` : count(s.free);
      lines.push(
        `| ${code(shown(s.name))} | ${cidr} | ${count(s.total)} | ${count(s.usable)} | ${count(s.plannedUse)} | ${free} | ${nsg} | ${s.natGateway ? "yes" : "no"} |`,
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
            `| ${mdCell(v.student ?? "")} | ${mdCell(v.name)} | ${v.addressSpace.join(", ")} | ${v.subnets.map((s) => s.cidrs.join("+")).join(", ")} |`,
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
  const list = (items: readonly string[]) => mdCell(items.join(", ") || "—");
  return `| ${r.priority ?? "—"} | ${code(r.name)} | ${r.direction} | ${r.access} | ${r.protocol} | ${list(r.source)} | ${list(r.destination)} | ${list(r.ports)} |`;
}

function nsgSection(doc: PlanDocument): string[] {
  if (doc.nsgRules.length === 0) return [];
  const keys = studentKeys(doc.resources);
  const studentOf = new Map(
    doc.resources
      .filter((r) => r.type === NSG_TYPE)
      .map((r) => [azureName(r, "networkSecurityGroupName"), keys.get(r.urn) ?? null]),
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
  for (const rule of doc.nsgRules) byNsg.set(rule.nsg, [...(byNsg.get(rule.nsg) ?? []), rule]);
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

const TOPOLOGY_TYPES: Record<string, string> = {
  "azure-native:network:VirtualNetwork": "VNet",
  "azure-native:network:Subnet": "Subnet",
  "azure-native:network:LoadBalancer": "Load balancer",
  "azure-native:network:PublicIPAddress": "Public IP",
  "azure-native:network:NatGateway": "NAT gateway",
  "azure-native:compute:VirtualMachineScaleSet": "VM scale set",
  "azure-native:containerservice:ManagedCluster": "AKS",
  "azure-native:containerregistry:Registry": "ACR",
  "azure-native:storage:StorageAccount": "Storage",
};

/** Workloads that reach a registry or storage through a role assignment rather than a dependency. */
const PRINCIPAL_TYPES = [
  "azure-native:containerservice:ManagedCluster",
  "azure-native:compute:VirtualMachineScaleSet",
];

const MAX_TOPOLOGY_NODES = 120;

function topologySection(doc: PlanDocument): string[] {
  const keys = studentKeys(doc.resources);
  const byUrn = new Map(doc.resources.map((r) => [r.urn, r]));
  // Student copies of a resource share one node, labelled with the count.
  const nodeKey = (r: PlanResource) => `${r.type}|${templateName(r.name, keys.get(r.urn) ?? null)}`;
  const nodes = new Map<string, { id: string; label: string; members: number }>();
  for (const r of doc.resources.filter((r) => r.type in TOPOLOGY_TYPES)) {
    const key = nodeKey(r);
    const node = nodes.get(key);
    if (node) node.members++;
    else {
      nodes.set(key, {
        id: `n${nodes.size}`,
        label: `${TOPOLOGY_TYPES[r.type]}: ${templateName(r.name, keys.get(r.urn) ?? null)}`,
        members: 1,
      });
    }
  }
  if (nodes.size === 0) return [];
  if (nodes.size > MAX_TOPOLOGY_NODES) {
    return [
      "### Topology",
      "",
      `_${nodes.size} distinct network and workload resources: too many to draw._`,
      "",
    ];
  }
  const edges = new Set<string>();
  const idOf = (r: PlanResource) => nodes.get(nodeKey(r))?.id;
  for (const r of doc.resources) {
    const deps = r.dependencies.map((d) => byUrn.get(d)).filter((d): d is PlanResource => d !== undefined);
    const target = idOf(r);
    if (target) {
      for (const d of deps) {
        const source = idOf(d);
        // Subnets of one VNet depend on each other only so Azure creates them one at a time.
        const ordering = d.type === SUBNET_TYPE && r.type === SUBNET_TYPE;
        if (source && source !== target && !ordering) edges.add(`  ${source} --> ${target}`);
      }
    } else {
      // A role assignment (or similar) that ties a workload to a registry or storage account.
      const principals = deps.filter((d) => PRINCIPAL_TYPES.includes(d.type));
      const scopes = deps.filter(
        (d) =>
          d.type in TOPOLOGY_TYPES &&
          !PRINCIPAL_TYPES.includes(d.type) &&
          !d.type.startsWith("azure-native:network:"),
      );
      for (const p of principals) {
        for (const s of scopes) {
          const from = idOf(p);
          const to = idOf(s);
          if (from && to)
            edges.add(`  ${from} -. ${mermaidText(r.type.split(":").pop() ?? "uses")} .-> ${to}`);
        }
      }
    }
  }
  const nodeLines = [...nodes.values()].map(
    (n) => `  ${n.id}["${mermaidText(n.members > 1 ? `${n.label} ×${n.members}` : n.label)}"]`,
  );
  return [
    "### Topology",
    "",
    "```mermaid",
    "flowchart LR",
    ...nodeLines,
    ...[...edges].sort(compareText),
    "```",
    "",
  ];
}

/** Mermaid labels: quotes and angle brackets become entities. */
function mermaidText(text: string): string {
  return text.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}

function detailsSection(doc: PlanDocument): string[] {
  const keys = studentKeys(doc.resources);
  const byType = new Map<string, PlanResource[]>();
  for (const r of doc.resources) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
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
        Object.keys(resource.inputs).length === 0 ? "—" : code(mdCell(shortJson(resource.inputs, 300)));
      lines.push(`| ${code(shown)} | ${copies} | ${resource.protect ? "yes" : "no"} | ${inputs} |`);
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

const SECRET = "[secret]";

/**
 * An output value: secrets as [secret], text as code, anything else as compact JSON. In a table
 * cell (`cell`) pipes are escaped; elsewhere only line breaks are flattened.
 */
function outputValue(value: unknown, cell = true): string {
  if (value === SECRET) return SECRET;
  const text = typeof value === "string" ? value : shortJson(value, 120);
  return code(cell ? mdCell(text) : text.replace(/\r?\n/g, " "));
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
    const list = [...outputFields(value)].map(([field, v]) => `${field} ${outputValue(v, false)}`);
    lines.push(`- ${code(key)}: ${list.join(" · ")}`);
  }
  if (others.length > 0) lines.push("");
  if (shared.size > 0) {
    const placeholder = [...shared.values()].some((text) => text.includes(STUDENT_PLACEHOLDER));
    lines.push(
      `Same for every student${placeholder ? ` (${code(STUDENT_PLACEHOLDER)} is the student's key)` : ""}:`,
      "",
      ...[...shared].map(([field, text]) => `- ${field}: ${text}`),
      "",
    );
  }
  lines.push(
    `| Student |${columns.map((c) => ` ${mdCell(c)} |`).join("")}`,
    `| --- |${" --- |".repeat(columns.length)}`,
    ...rows.map(
      ([student, f]) =>
        `| ${mdCell(student)} |${columns.map((c) => ` ${f.has(c) ? outputValue(f.get(c)) : "—"} |`).join("")}`,
    ),
    "",
    "</details>",
    "",
  );
  return lines;
}

/** Most a section may take, so one runaway section cannot push the others out of the comment. */
const SECTION_LIMIT = 20_000;

/** The plan as Markdown for a pull-request comment, at most MARKDOWN_LIMIT characters. */
export function renderPlanMarkdown(doc: PlanDocument): string {
  const groups = groupVnets(doc.network);
  const section = (lines: readonly string[], limit = SECTION_LIMIT) =>
    lines.length === 0 ? "" : `${capMarkdown(lines.join("\n"), limit).trimEnd()}\n\n`;
  const main = [
    [
      `## azlab plan: ${code(doc.stack)}`,
      "",
      `From ${code(doc.file)}${doc.generatedAt ? ` at ${doc.generatedAt}` : ""}, planned offline (no Azure calls).`,
      "",
      "",
    ].join("\n"),
    section(summarySection(doc, groups)),
    section(subnetSection(groups)),
    section(nsgSection(doc)),
    section(topologySection(doc)),
  ].join("");
  // The full resource list gets whatever room is left; it is the first thing to cut.
  const details = section(detailsSection(doc), Math.max(MARKDOWN_LIMIT - main.length, 1_000));
  return `${capMarkdown(main + details).trimEnd()}\n`;
}
