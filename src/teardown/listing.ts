/**
 * The teardown listing: what a destroy would remove, by student and by type, with the Azure name the
 * portal (or kubectl) shows next to each Pulumi name. Pure: reads recorded resources only.
 */
import { azureNameInput, ResourceType } from "../azure/catalog.ts";
import type { RecordedResource } from "../model/recorded.ts";
import { studentTag } from "../plan/document.ts";
import { plural, str as text } from "../plan/read.ts";

/**
 * The name the Azure portal (or kubectl) shows for a resource. Without a name input, azure-native
 * auto-names the resource from its Pulumi name plus a random suffix, known only after creation.
 */
export function azureDisplayName(resource: Pick<RecordedResource, "type" | "name" | "inputs">): string {
  const { inputs } = resource;
  if (resource.type.startsWith("kubernetes:")) {
    const metadata = (inputs["metadata"] ?? {}) as Record<string, unknown>;
    const name = text(metadata["name"]);
    const namespace = text(metadata["namespace"]);
    if (name) return namespace ? `${namespace}/${name}` : name;
    return `${resource.name}-* (auto-named)`;
  }
  const name = text(inputs[azureNameInput(resource.type)]) ?? text(inputs["name"]);
  if (!name) return `${resource.name}* (auto-named)`;
  // A subnet is shown inside its virtual network.
  const vnet = text(inputs["virtualNetworkName"]);
  return resource.type === ResourceType.Subnet && vnet ? `${vnet}/${name}` : name;
}

/** Aligns rows of cells into columns two spaces apart. */
function columns(rows: readonly (readonly string[])[], indent: string): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]!.length))) ?? [];
  return rows.map((row) => `${indent}${row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ")}`.trimEnd());
}

function tally(values: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const SHARED = "(shared)";

/**
 * Who each resource belongs to: its own student tag or label, else that of its resource group or
 * Kubernetes namespace (a subnet or a quota carries no tag of its own but goes with its student).
 */
function studentsOf(order: readonly RecordedResource[]): Map<RecordedResource, string | undefined> {
  const byGroup = new Map<string, string>();
  const byNamespace = new Map<string, string>();
  for (const r of order) {
    const student = studentTag(r.inputs);
    if (!student) continue;
    const group = text(r.inputs["resourceGroupName"]);
    if (r.type === ResourceType.ResourceGroup && group) byGroup.set(group, student);
    const name = text(((r.inputs["metadata"] ?? {}) as Record<string, unknown>)["name"]);
    if (r.type === "kubernetes:core/v1:Namespace" && name) byNamespace.set(name, student);
  }
  return new Map(
    order.map((r) => {
      const namespace = text(((r.inputs["metadata"] ?? {}) as Record<string, unknown>)["namespace"]);
      const group = text(r.inputs["resourceGroupName"]);
      return [
        r,
        studentTag(r.inputs) ??
          (group ? byGroup.get(group) : undefined) ??
          (namespace ? byNamespace.get(namespace) : undefined),
      ];
    }),
  );
}

/**
 * What would be destroyed, for a person: counts per student and per type, then every resource in
 * delete order with its Azure name, resource group and Pulumi name.
 */
export function describeResources(order: readonly RecordedResource[]): string[] {
  if (order.length === 0) return ["  (nothing)"];
  const owners = studentsOf(order);
  const students = tally(order.map((r) => owners.get(r) ?? SHARED));
  // Shared resources last: the per-student rows are the ones an instructor checks against the roster.
  students.sort(([a], [b]) => Number(a === SHARED) - Number(b === SHARED));
  return [
    "Per student:",
    ...columns(
      students.map(([student, n]) => [student, plural(n, "resource")]),
      "  ",
    ),
    "Per type:",
    ...columns(
      tally(order.map((r) => r.type)).map(([type, n]) => [type, String(n)]),
      "  ",
    ),
    "In the order Pulumi deletes them:",
    ...columns(
      [
        ["TYPE", "AZURE NAME", "RESOURCE GROUP", "PULUMI NAME", "STUDENT", ""],
        ...order.map((r) => [
          r.type,
          azureDisplayName(r),
          text(r.inputs["resourceGroupName"]) ?? "-",
          r.name,
          owners.get(r) ?? "-",
          r.protect ? "(protected)" : "",
        ]),
      ],
      "  ",
    ),
  ];
}
