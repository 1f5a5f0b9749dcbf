/** The topology section of the plan comment: a Mermaid diagram of network and workload resources. */
import { ResourceType } from "../azure/catalog.ts";
import type { PlanDocument, PlanResource } from "./document.ts";
import { compareText } from "./read.ts";
import { studentKeys, templateName } from "./students.ts";

const TOPOLOGY_TYPES: Record<string, string> = {
  [ResourceType.VirtualNetwork]: "VNet",
  [ResourceType.Subnet]: "Subnet",
  [ResourceType.LoadBalancer]: "Load balancer",
  [ResourceType.PublicIPAddress]: "Public IP",
  [ResourceType.NatGateway]: "NAT gateway",
  [ResourceType.VirtualMachineScaleSet]: "VM scale set",
  [ResourceType.ManagedCluster]: "AKS",
  [ResourceType.Registry]: "ACR",
  [ResourceType.StorageAccount]: "Storage",
};

/** Workloads that reach a registry or storage through a role assignment rather than a dependency. */
const PRINCIPAL_TYPES: readonly string[] = [ResourceType.ManagedCluster, ResourceType.VirtualMachineScaleSet];

/** The network resources of TOPOLOGY_TYPES: a role assignment never scopes a workload's access to one. */
const NETWORK_TYPES: ReadonlySet<string> = new Set([
  ResourceType.VirtualNetwork,
  ResourceType.Subnet,
  ResourceType.LoadBalancer,
  ResourceType.PublicIPAddress,
  ResourceType.NatGateway,
]);

const MAX_TOPOLOGY_NODES = 120;

export function topologySection(doc: PlanDocument): string[] {
  const keys = studentKeys(doc.resources);
  const byUrn = new Map(doc.resources.map((r) => [r.urn, r]));
  // Student copies of a resource share one node, labelled with the count.
  const nodeKey = (r: PlanResource) => `${r.type}|${templateName(r.name, keys.get(r.urn) ?? null)}`;
  const nodes = new Map<string, { id: string; label: string; members: number }>();
  for (const r of doc.resources.filter((r) => Object.hasOwn(TOPOLOGY_TYPES, r.type))) {
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
    const deps = [...new Set(r.dependencies)]
      .map((d) => byUrn.get(d))
      .filter((d): d is PlanResource => d !== undefined);
    const target = idOf(r);
    if (target) {
      for (const d of deps) {
        const source = idOf(d);
        // Subnets of one VNet depend on each other only so Azure creates them one at a time.
        const ordering = d.type === ResourceType.Subnet && r.type === ResourceType.Subnet;
        if (source && source !== target && !ordering) edges.add(`  ${source} --> ${target}`);
      }
    } else {
      // A role assignment (or similar) that ties a workload to a registry or storage account.
      // Node ids, not resources: folded student copies share one, so the pairs stay within the node cap.
      const ids = (keep: (d: PlanResource) => boolean) =>
        new Set(
          deps
            .filter(keep)
            .map((d) => idOf(d))
            .filter((id) => id !== undefined),
        );
      const principals = ids((d) => PRINCIPAL_TYPES.includes(d.type));
      const scopes = ids(
        (d) =>
          Object.hasOwn(TOPOLOGY_TYPES, d.type) &&
          !PRINCIPAL_TYPES.includes(d.type) &&
          !NETWORK_TYPES.has(d.type),
      );
      const label = mermaidText(r.type.split(":").pop() ?? "uses");
      for (const from of principals) {
        for (const to of scopes) edges.add(`  ${from} -. ${label} .-> ${to}`);
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
