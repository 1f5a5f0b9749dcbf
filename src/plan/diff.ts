/**
 * Compares two plan documents (base branch vs pull request) resource by resource, and flags the
 * changes a reviewer must not miss: re-addressed subnets, shrunk address spaces, new internet-facing
 * inbound rules, lost state, forced replacements, and roster edits that touch anything else.
 */
import { isInternetSource } from "../network/nsgRules.ts";
import type { Finding } from "../policy/evaluate.ts";
import { contains, parsePrefix } from "../cidr/address.ts";
import { azureName, compareText, NSG_TYPE, studentKeys, templateName } from "./document.ts";
import type { PlanDocument, PlanNsgRule, PlanResource } from "./document.ts";
import { capMarkdown, code, mdCell, shortJson } from "./markdown.ts";

export const DIFF_VERSION = "azlab.diff/v1";

/** One changed field. `before`/`after` are absent when the field did not exist on that side. */
export interface FieldChange {
  /** JSON path from the resource, for example `inputs.addressPrefix` or `inputs.securityRules[0].access`. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface ResourceRef {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly student: string | null;
}

export interface ResourceChange extends ResourceRef {
  /** For a type change: the base URN (`urn` is the head URN). */
  readonly previousUrn?: string;
  /** Why Azure would delete and re-create the resource; empty for an in-place update. */
  readonly replaceReasons: readonly string[];
  readonly changes: readonly FieldChange[];
}

export type RiskKind =
  | "subnet-cidr-changed"
  | "address-space-shrank"
  | "internet-inbound-allowed"
  | "stateful-deleted"
  | "stateful-replaced"
  | "replacement"
  | "roster-change-touches-other-resource";

/** Most harmful first: lost data, then lost addresses, then exposure, then disruption. */
const RISK_ORDER: readonly RiskKind[] = [
  "stateful-deleted",
  "stateful-replaced",
  "address-space-shrank",
  "subnet-cidr-changed",
  "internet-inbound-allowed",
  "replacement",
  "roster-change-touches-other-resource",
];

export interface Risk {
  readonly kind: RiskKind;
  /** The resource concerned. */
  readonly urn: string;
  readonly message: string;
}

export interface PlanDiff {
  readonly version: typeof DIFF_VERSION;
  readonly base: { readonly stack: string; readonly file: string };
  readonly head: { readonly stack: string; readonly file: string };
  readonly summary: {
    readonly added: number;
    readonly removed: number;
    readonly replaced: number;
    readonly changed: number;
    readonly outputsChanged: number;
    readonly risks: number;
  };
  /** Most harmful kind first (see RISK_ORDER), then by URN. */
  readonly risks: readonly Risk[];
  /** The rest sorted by URN. */
  readonly added: readonly ResourceRef[];
  readonly removed: readonly ResourceRef[];
  readonly replaced: readonly ResourceChange[];
  readonly changed: readonly ResourceChange[];
  /** Changed stack outputs, paths from the outputs object. */
  readonly outputs: readonly FieldChange[];
  /** Findings that appear only in head (`added`) or only in base (`resolved`); they do not affect the exit code. */
  readonly findings: { readonly added: readonly Finding[]; readonly resolved: readonly Finding[] };
}

/** Resource types whose deletion loses data or identity that cannot be re-created from code. */
export const STATEFUL_TYPES: readonly string[] = [
  "azure-native:storage:StorageAccount",
  "azure-native:containerregistry:Registry",
  "azure-native:containerservice:ManagedCluster",
];

/** Types whose `sku` cannot be changed in place (Basic ↔ Standard public IPs and load balancers). */
const SKU_REPLACES: readonly string[] = [
  "azure-native:network:PublicIPAddress",
  "azure-native:network:LoadBalancer",
];

/** `*Name` inputs that are labels, not the Azure identity of the resource. */
const NON_IDENTIFYING_NAMES: readonly string[] = ["displayName", "friendlyName"];

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Field-by-field differences; arrays compare by index, objects by key. */
function diffValues(path: string, before: unknown, after: unknown, out: FieldChange[]): void {
  if (sameJson(before, after)) return;
  const isObject = (v: unknown) => v !== null && typeof v === "object";
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const p = `${path}[${i}]`;
      if (i >= after.length) out.push({ path: p, before: before[i] });
      else if (i >= before.length) out.push({ path: p, after: after[i] });
      else diffValues(p, before[i], after[i], out);
    }
    return;
  }
  if (isObject(before) && isObject(after) && !Array.isArray(before) && !Array.isArray(after)) {
    const a = before as Record<string, unknown>;
    const b = after as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareText);
    for (const key of keys) {
      const p = path ? `${path}.${key}` : key;
      if (!(key in b)) out.push({ path: p, before: a[key] });
      else if (!(key in a)) out.push({ path: p, after: b[key] });
      else diffValues(p, a[key], b[key], out);
    }
    return;
  }
  out.push({
    path,
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
  });
}

/** What a reviewer compares: everything but `dependencies`, which only orders operations. */
function comparable(r: PlanResource): Record<string, unknown> {
  return {
    custom: r.custom,
    ignoreChanges: r.ignoreChanges,
    inputs: r.inputs,
    protect: r.protect,
    retainOnDelete: r.retainOnDelete,
    secretInputs: r.secretInputs,
  };
}

/** The input fields (top-level) whose change makes Azure delete and re-create the resource. */
function replaceReasons(type: string, changes: readonly FieldChange[]): string[] {
  const fields = new Set(
    changes
      .filter((c) => c.path.startsWith("inputs."))
      .map((c) => /^inputs\.([^.[]+)/.exec(c.path)?.[1] ?? ""),
  );
  const reasons: string[] = [];
  for (const field of [...fields].sort(compareText)) {
    if (field === "location") reasons.push("location changed");
    else if (/^[a-z][A-Za-z0-9]*Name$/.test(field) && !NON_IDENTIFYING_NAMES.includes(field)) {
      reasons.push(`${field} changed`);
    } else if (field === "sku" && SKU_REPLACES.includes(type)) reasons.push("sku changed");
  }
  return reasons;
}

function ref(r: PlanResource, keys: Map<string, string | null>): ResourceRef {
  return { urn: r.urn, type: r.type, name: r.name, student: keys.get(r.urn) ?? null };
}

function opensToInternet(rule: PlanNsgRule): boolean {
  return (
    rule.access.toLowerCase() === "allow" &&
    rule.direction.toLowerCase() === "inbound" &&
    rule.source.some(isInternetSource)
  );
}

function networkRisks(base: PlanDocument, head: PlanDocument): Risk[] {
  const risks: Risk[] = [];
  const baseVnets = new Map(base.network.map((v) => [v.urn ?? `external:${v.name}`, v]));
  for (const vnet of head.network) {
    const before = baseVnets.get(vnet.urn ?? `external:${vnet.name}`);
    if (!before) continue;
    const lost = before.addressSpace.filter((old) => {
      const oldPrefix = parsePrefix(old);
      return !vnet.addressSpace.some((now) => {
        const nowPrefix = parsePrefix(now);
        return oldPrefix && nowPrefix ? contains(nowPrefix, oldPrefix) : now === old;
      });
    });
    if (lost.length > 0) {
      risks.push({
        kind: "address-space-shrank",
        urn: vnet.urn ?? vnet.name,
        message: `VNet ${vnet.name} no longer covers ${lost.join(", ")} (address space ${before.addressSpace.join(", ")} → ${vnet.addressSpace.join(", ") || "none"})`,
      });
    }
    const oldSubnets = new Map(before.subnets.map((s) => [`${s.urn}|${s.name}`, s]));
    for (const subnet of vnet.subnets) {
      const old = oldSubnets.get(`${subnet.urn}|${subnet.name}`);
      if (old && !sameJson(old.cidrs, subnet.cidrs)) {
        risks.push({
          kind: "subnet-cidr-changed",
          urn: subnet.urn,
          message: `subnet ${subnet.name} of VNet ${vnet.name} moves from ${old.cidrs.join(", ")} to ${subnet.cidrs.join(", ") || "none"}; Azure refuses while anything is attached`,
        });
      }
    }
  }
  const ruleKey = (r: PlanNsgRule) => `${r.nsg}|${r.direction}|${r.name}`;
  const baseRules = new Map(base.nsgRules.map((r) => [ruleKey(r), r]));
  const nsgUrn = new Map(
    head.resources
      .filter((r) => r.type === NSG_TYPE)
      .map((r) => [azureName(r, "networkSecurityGroupName"), r.urn]),
  );
  for (const rule of head.nsgRules.filter(opensToInternet)) {
    const old = baseRules.get(ruleKey(rule));
    if (old && sameJson(old, rule)) continue;
    risks.push({
      kind: "internet-inbound-allowed",
      urn: nsgUrn.get(rule.nsg) ?? rule.nsg,
      message: `NSG ${rule.nsg} rule ${rule.name} (priority ${rule.priority ?? "?"}) now allows inbound ${rule.protocol} to ports ${rule.ports.join(", ") || "*"} from ${rule.source.join(", ")}`,
    });
  }
  return risks;
}

/** Compares two plans. Pure; the result's arrays are sorted. */
export function diffPlans(base: PlanDocument, head: PlanDocument): PlanDiff {
  const baseKeys = studentKeys(base.resources);
  const headKeys = studentKeys(head.resources);
  const baseByUrn = new Map(base.resources.map((r) => [r.urn, r]));
  const headByUrn = new Map(head.resources.map((r) => [r.urn, r]));
  let removedRes = base.resources.filter((r) => !headByUrn.has(r.urn));
  let addedRes = head.resources.filter((r) => !baseByUrn.has(r.urn));

  const replaced: ResourceChange[] = [];
  const changed: ResourceChange[] = [];

  // The type is part of the URN: a same-named resource under the same parent with a new type is a replacement.
  for (const gone of removedRes) {
    const successor = addedRes.find(
      (a) => a.name === gone.name && a.parent === gone.parent && a.type !== gone.type,
    );
    if (!successor) continue;
    addedRes = addedRes.filter((a) => a !== successor);
    removedRes = removedRes.filter((r) => r !== gone);
    const changes: FieldChange[] = [{ path: "type", before: gone.type, after: successor.type }];
    diffValues("", comparable(gone), comparable(successor), changes);
    replaced.push({
      ...ref(successor, headKeys),
      previousUrn: gone.urn,
      replaceReasons: [`type changed from ${gone.type}`],
      changes,
    });
  }

  for (const now of head.resources) {
    const before = baseByUrn.get(now.urn);
    if (!before) continue;
    const changes: FieldChange[] = [];
    diffValues("", comparable(before), comparable(now), changes);
    if (changes.length === 0) continue;
    const reasons = replaceReasons(now.type, changes);
    (reasons.length > 0 ? replaced : changed).push({
      ...ref(now, headKeys),
      replaceReasons: reasons,
      changes,
    });
  }

  const risks: Risk[] = networkRisks(base, head);
  for (const r of removedRes.filter((r) => STATEFUL_TYPES.includes(r.type))) {
    risks.push({
      kind: "stateful-deleted",
      urn: r.urn,
      message: `${r.type} ${r.name} is deleted, with its data`,
    });
  }
  for (const r of replaced) {
    const stateful = STATEFUL_TYPES.includes(r.type);
    risks.push({
      kind: stateful ? "stateful-replaced" : "replacement",
      urn: r.urn,
      message: `${r.type} ${r.name} is deleted and re-created (${r.replaceReasons.join("; ")})${stateful ? ", losing its data" : ""}`,
    });
  }

  // Roster heuristic: when everything added or removed belongs to a set of students, the change is a
  // roster edit, and it must not modify any other student's (or any shared) resource.
  const rosterRefs = [...addedRes.map((r) => ref(r, headKeys)), ...removedRes.map((r) => ref(r, baseKeys))];
  const roster = new Set(rosterRefs.map((r) => r.student));
  if (rosterRefs.length > 0 && !roster.has(null)) {
    for (const r of [...changed, ...replaced].filter((c) => !roster.has(c.student))) {
      const owner = r.student ? `student ${r.student}` : "shared";
      risks.push({
        kind: "roster-change-touches-other-resource",
        urn: r.urn,
        message: `roster change (students ${[...roster].sort().join(", ")}) also modifies ${owner} resource ${r.type} ${r.name}`,
      });
    }
  }

  const outputs: FieldChange[] = [];
  diffValues("", base.outputs, head.outputs, outputs);

  const findingKey = (f: Finding) => JSON.stringify([f.id, f.resource, f.message]);
  const baseFindings = new Set(base.findings.map(findingKey));
  const headFindings = new Set(head.findings.map(findingKey));
  const byUrn = (a: { urn: string }, b: { urn: string }) => compareText(a.urn, b.urn);

  const added = addedRes.map((r) => ref(r, headKeys)).sort(byUrn);
  const removed = removedRes.map((r) => ref(r, baseKeys)).sort(byUrn);
  replaced.sort(byUrn);
  changed.sort(byUrn);
  risks.sort(
    (a, b) =>
      RISK_ORDER.indexOf(a.kind) - RISK_ORDER.indexOf(b.kind) ||
      compareText(a.urn, b.urn) ||
      compareText(a.message, b.message),
  );
  return {
    version: DIFF_VERSION,
    base: { stack: base.stack, file: base.file },
    head: { stack: head.stack, file: head.file },
    summary: {
      added: added.length,
      removed: removed.length,
      replaced: replaced.length,
      changed: changed.length,
      outputsChanged: outputs.length,
      risks: risks.length,
    },
    risks,
    added,
    removed,
    replaced,
    changed,
    outputs,
    findings: {
      added: head.findings.filter((f) => !baseFindings.has(findingKey(f))),
      resolved: base.findings.filter((f) => !headFindings.has(findingKey(f))),
    },
  };
}

/** 0: nothing changes; 2: changes; 3: at least one risky change. (1 is left for errors.) */
export function diffExitCode(diff: PlanDiff): 0 | 2 | 3 {
  if (diff.risks.length > 0) return 3;
  const s = diff.summary;
  return s.added + s.removed + s.replaced + s.changed + s.outputsChanged > 0 ? 2 : 0;
}

export function serializeDiff(diff: PlanDiff): string {
  return `${JSON.stringify(diff, null, 2)}\n`;
}

const RISK_TITLES: Record<RiskKind, string> = {
  "subnet-cidr-changed": "Subnet re-addressed",
  "address-space-shrank": "Address space shrank",
  "internet-inbound-allowed": "Inbound from the internet allowed",
  "stateful-deleted": "Stateful resource deleted",
  "stateful-replaced": "Stateful resource replaced",
  replacement: "Forces replacement",
  "roster-change-touches-other-resource": "Roster change touches another resource",
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
      ? `- ${code(g.template)} (${g.first.type}) ×${g.students.length}: ${g.students.join(", ")}`
      : `- ${code(g.first.name)} (${g.first.type})`,
  );
}

function changeTable(change: ResourceChange): string[] {
  const lines = [
    `#### ${code(change.name)} (${change.type})${change.replaceReasons.length > 0 ? ` — replaced: ${change.replaceReasons.join("; ")}` : ""}`,
    "",
    "| Field | Before | After |",
    "| --- | --- | --- |",
  ];
  for (const c of change.changes) {
    lines.push(
      `| ${mdCell(c.path)} | ${"before" in c ? mdCell(shortJson(c.before)) : "—"} | ${"after" in c ? mdCell(shortJson(c.after)) : "—"} |`,
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
        `| ${RISK_TITLES[r.kind]} | ${mdCell(r.urn.split("::").pop() ?? r.urn)} | ${mdCell(r.message)} |`,
      );
    head.push("");
  }
  const body: string[] = [];
  const section = (title: string, lines: string[]) => {
    if (lines.length > 0) body.push(`#### ${title}`, "", ...lines, "");
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
    ...diff.findings.added.map((f) => `- new ${f.severity} ${code(f.id)}: ${f.message}`),
    ...diff.findings.resolved.map((f) => `- resolved ${f.severity} ${code(f.id)}: ${f.message}`),
  ]);
  return capMarkdown([...head, ...body].join("\n"));
}
