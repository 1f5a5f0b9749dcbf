/**
 * The offline plan document: what `azlab plan --format json` writes and `azlab diff` compares.
 *
 * Built from an OfflineRun only (no Azure, no engine), with sorted keys everywhere and no timestamp
 * unless asked, so the JSON of two runs with the same config is byte-identical and a committed plan
 * diffs cleanly. Secrets are already "[secret]" in the run; nothing here can see their values.
 */
import { compareFindings, type Finding } from "../policy/evaluate.ts";
import { parsePrefix } from "../cidr/address.ts";
import { requiredNodeSubnetAddresses, type AksNetworkPlugin } from "../planner/aks.ts";
import { subnetUtilization, vnetUtilization } from "../planner/utilization.ts";
import type { OfflineRun, RecordedResource } from "../model/recorded.ts";

export const PLAN_VERSION = "azlab.plan/v1";

export const VNET_TYPE = "azure-native:network:VirtualNetwork";
export const SUBNET_TYPE = "azure-native:network:Subnet";
export const NSG_TYPE = "azure-native:network:NetworkSecurityGroup";
export const RULE_TYPE = "azure-native:network:SecurityRule";
export const VMSS_TYPE = "azure-native:compute:VirtualMachineScaleSet";
export const AUTOSCALE_TYPE = "azure-native:monitor:AutoscaleSetting";
export const CLUSTER_TYPE = "azure-native:containerservice:ManagedCluster";
export const AGENT_POOL_TYPE = "azure-native:containerservice:AgentPool";
export const LOAD_BALANCER_TYPE = "azure-native:network:LoadBalancer";
const STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * A recorded resource as the plan keeps it: lists and input keys sorted, and `parent` null for
 * top-level resources (whose parent is the omitted root stack).
 */
export interface PlanResource extends Omit<RecordedResource, "parent"> {
  readonly parent: string | null;
}

export interface PlanSubnet {
  /** URN of the Subnet resource; the VNet's URN for a subnet declared inline in the VNet. */
  readonly urn: string;
  /** Azure name: `subnetName` (or the inline `name`), else the Pulumi name. */
  readonly name: string;
  /** First prefix of the subnet; the figures below are for this block. */
  readonly cidr: string;
  /** Every prefix (`addressPrefix` or `addressPrefixes`). */
  readonly cidrs: readonly string[];
  readonly total: number;
  readonly reserved: number;
  readonly usable: number;
  /**
   * Addresses of this subnet the plan itself takes at its maximum scale: scale set instances (the
   * autoscale maximum), AKS nodes plus surge (times maxPods + 1 for flat Azure CNI) and internal
   * load balancer frontends. Nothing outside the plan is known offline.
   */
  readonly plannedUse: number;
  /** `usable − plannedUse`; negative when the plan does not fit at full scale. */
  readonly free: number;
  /** What makes up `plannedUse`, one line per resource or node pool, sorted. */
  readonly consumers: readonly string[];
  /** Name of the attached NSG, or null. */
  readonly nsg: string | null;
  readonly natGateway: boolean;
}

export interface PlanVnet {
  /** URN of the VNet; null for subnets of a VNet this stack does not declare. */
  readonly urn: string | null;
  /** Azure name: `virtualNetworkName`, else the Pulumi name. */
  readonly name: string;
  /** The `student` tag of the VNet, when there is one. */
  readonly student: string | null;
  readonly addressSpace: readonly string[];
  readonly utilization: { total: number; allocated: number; free: number; utilization: number };
  /** Sorted by name. */
  readonly subnets: readonly PlanSubnet[];
}

export interface PlanNsgRule {
  /** Azure name of the NSG the rule belongs to. */
  readonly nsg: string;
  readonly name: string;
  readonly priority: number | null;
  readonly direction: string;
  readonly access: string;
  readonly protocol: string;
  /** Source prefixes (or application security group ids). */
  readonly source: readonly string[];
  readonly destination: readonly string[];
  /** Destination port ranges. */
  readonly ports: readonly string[];
}

export interface PlanDocument {
  readonly version: typeof PLAN_VERSION;
  readonly stack: string;
  /** The stack file the plan was made from, as given. */
  readonly file: string;
  /** ISO time; only with `--timestamp`. */
  readonly generatedAt?: string;
  readonly summary: { readonly resourceCounts: Record<string, number>; readonly total: number };
  /** Sorted by URN; the root pulumi:pulumi:Stack is left out. */
  readonly resources: readonly PlanResource[];
  /** Sorted by VNet name, then URN. */
  readonly network: readonly PlanVnet[];
  /** Sorted by NSG, direction, priority, name. */
  readonly nsgRules: readonly PlanNsgRule[];
  /** Sorted: errors, warnings, info; then id, resource, message. */
  readonly findings: readonly Finding[];
  /** Stack outputs with sorted keys; secrets are "[secret]". */
  readonly outputs: Record<string, unknown>;
}

export interface PlanMeta {
  readonly stack: string;
  readonly file: string;
  readonly findings: readonly Finding[];
  readonly generatedAt?: string;
}

/** Code-unit order, never locale order, so the output does not depend on the machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Recursively sorts object keys and drops undefined members; arrays keep their order. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort(compareText)
        .filter((key) => record[key] !== undefined)
        .map((key) => [key, canonical(record[key])]),
    );
  }
  return value;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The student a resource declares: its Azure `student` tag, or its Kubernetes `azlab.io/student` label. */
export function studentTag(inputs: Record<string, unknown>): string | null {
  const labels = record(record(inputs["metadata"])["labels"]);
  return str(record(inputs["tags"])["student"]) ?? str(labels["azlab.io/student"]) ?? null;
}

/** The Azure name a resource is created with: the type's own name input, else its Pulumi name. */
export function azureName(resource: Pick<RecordedResource, "name" | "inputs">, nameInput: string): string {
  return str(resource.inputs[nameInput]) ?? str(resource.inputs["resourceName"]) ?? resource.name;
}

function toPlanResource(resource: RecordedResource, rootUrns: ReadonlySet<string>): PlanResource {
  return {
    urn: resource.urn,
    type: resource.type,
    name: resource.name,
    custom: resource.custom,
    parent: resource.parent && !rootUrns.has(resource.parent) ? resource.parent : null,
    dependencies: [...resource.dependencies].filter((urn) => !rootUrns.has(urn)).sort(compareText),
    protect: resource.protect,
    retainOnDelete: resource.retainOnDelete,
    ignoreChanges: [...resource.ignoreChanges].sort(compareText),
    inputs: canonical(resource.inputs) as Record<string, unknown>,
    secretInputs: [...resource.secretInputs].sort(compareText),
  };
}

/** Prefixes of a subnet, whether written as `addressPrefix` or `addressPrefixes`. */
function subnetPrefixes(inputs: Record<string, unknown>): string[] {
  const single = str(inputs["addressPrefix"]);
  return single ? [single] : strings(inputs["addressPrefixes"]);
}

function subnetFigures(cidr: string): { total: number; reserved: number; usable: number } {
  // A prefix the program wrote wrongly still gets a row, with zeros, rather than crashing the plan.
  if (!parsePrefix(cidr)) return { total: 0, reserved: 0, usable: 0 };
  const u = subnetUtilization(cidr);
  return { total: u.total, reserved: u.reserved, usable: u.usable };
}

/**
 * Finds the NSG a subnet references. Under the mock engine an id is `<pulumi name>-id`, and the
 * reference is also a dependency; either is enough.
 */
function nsgNameFor(
  inputs: Record<string, unknown>,
  dependencies: readonly string[],
  nsgs: readonly RecordedResource[],
): string | null {
  const ref = record(inputs["networkSecurityGroup"]);
  if (Object.keys(ref).length === 0) return null;
  const id = str(ref["id"]);
  const byDependency = nsgs.filter((nsg) => dependencies.includes(nsg.urn));
  const byId = id ? nsgs.filter((nsg) => id === `${nsg.name}-id` || id.endsWith(`/${nsg.name}`)) : [];
  const match = byDependency.length === 1 ? byDependency[0] : byId[0];
  if (match) return azureName(match, "networkSecurityGroupName");
  return id ? (id.split("/").pop() ?? id) : null;
}

/**
 * One reference to a subnet: an IP configuration of a scale set, a node pool, a load balancer frontend.
 * References of one consumer that land in the same subnet are added up before they are described.
 */
interface SubnetDemand {
  /** The subnet id as the program wrote it. */
  readonly subnetId: string;
  /** Identifies the owner: its URN, with the pool name for a pool declared inside its cluster. */
  readonly key: string;
  /** The scale set, load balancer or `cluster/pool` that makes the reference, as shown. */
  readonly owner: string;
  /** Addresses and description for `references` references of this owner to one subnet. */
  readonly describe: (references: number) => { readonly addresses: number; readonly text: string };
}

/** A whole number written as a number or a plain digit string ("3"); anything else is undefined. */
function wholeNumber(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(record) : [];
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * True when `id` names the resource: under the mock engine an id is `<pulumi name>-id`; an Azure id
 * written out in full ends in `/<collection>/<azure name>`.
 */
function idNames(id: string, resource: RecordedResource, collection: string, nameInput: string): boolean {
  const suffix = `/${collection}/${azureName(resource, nameInput)}`.toLowerCase();
  return id === `${resource.name}-id` || id.toLowerCase().endsWith(suffix);
}

/**
 * A scale set takes one address per instance for each of its IP configurations in a subnet. The
 * instance count at full scale is the largest `capacity.maximum` of the autoscale settings aimed at
 * it (disabled settings do not count), else its `sku.capacity`.
 */
function scaleSetDemands(vmss: RecordedResource, autoscales: readonly RecordedResource[]): SubnetDemand[] {
  const maxima = autoscales
    .filter((a) => a.inputs["enabled"] !== false)
    .filter((a) => {
      const target = str(a.inputs["targetResourceUri"]);
      return target !== undefined && idNames(target, vmss, "virtualmachinescalesets", "vmScaleSetName");
    })
    .flatMap((a) => records(a.inputs["profiles"]).map((p) => wholeNumber(record(p["capacity"])["maximum"])))
    .filter((n) => n !== undefined);
  const autoscaled = maxima.length > 0;
  const instances = autoscaled
    ? Math.max(...maxima)
    : (wholeNumber(record(vmss.inputs["sku"])["capacity"]) ?? 0);
  const networkProfile = record(record(vmss.inputs["virtualMachineProfile"])["networkProfile"]);
  const ids = records(networkProfile["networkInterfaceConfigurations"])
    .flatMap((nic) => records(nic["ipConfigurations"]))
    .map((ip) => str(record(ip["subnet"])["id"]))
    .filter((id) => id !== undefined);
  const describe = (perInstance: number) => ({
    addresses: instances * perInstance,
    text: `${autoscaled ? "up to " : ""}${plural(instances, "instance")}${perInstance > 1 ? ` × ${perInstance} addresses` : ""}`,
  });
  return ids.map((subnetId) => ({ subnetId, key: vmss.urn, owner: vmss.name, describe }));
}

/** Pods per node that flat Azure CNI gives a pool that does not set `maxPods`. */
const DEFAULT_MAX_PODS = 30;

function clusterPlugin(cluster: RecordedResource | undefined): AksNetworkPlugin {
  const profile = record(cluster?.inputs["networkProfile"]);
  if (profile["networkPluginMode"] === "overlay") return "azure-cni-overlay";
  if (profile["networkPlugin"] === "kubenet") return "kubenet";
  return "azure-cni";
}

/**
 * An AKS node pool at full scale: `maxCount` when it autoscales, else `count` (Azure's default 1),
 * plus the upgrade surge (`maxSurge` when it is a whole number, else 1). The addresses per node follow
 * the cluster's network plugin, as the planner sizes node subnets.
 */
function nodePoolDemands(
  key: string,
  owner: string,
  pool: Record<string, unknown>,
  plugin: AksNetworkPlugin,
): SubnetDemand[] {
  const subnetId = str(pool["vnetSubnetID"]);
  if (subnetId === undefined) return [];
  const autoscaled = pool["enableAutoScaling"] === true;
  const nodes = (autoscaled ? wholeNumber(pool["maxCount"]) : undefined) ?? wholeNumber(pool["count"]) ?? 1;
  const surge = wholeNumber(record(pool["upgradeSettings"])["maxSurge"]) ?? 1;
  const maxPods = wholeNumber(pool["maxPods"]) ?? DEFAULT_MAX_PODS;
  const addresses = requiredNodeSubnetAddresses({ plugin, maxNodes: nodes, maxSurge: surge, maxPods });
  const nodesText = `${autoscaled ? "up to " : ""}${plural(nodes, "node")} + ${surge} surge`;
  const text =
    plugin === "azure-cni" ? `(${nodesText}) × (${maxPods} pods + 1) = ${addresses} addresses` : nodesText;
  // A pool names one subnet once; the same pool counted twice would still be one set of nodes.
  return [{ subnetId, key, owner, describe: () => ({ addresses, text }) }];
}

function loadBalancerDemands(lb: RecordedResource): SubnetDemand[] {
  const describe = (frontends: number) => ({
    addresses: frontends,
    text: plural(frontends, "frontend IP"),
  });
  return records(lb.inputs["frontendIPConfigurations"])
    .map((f) => str(record(f["subnet"])["id"]))
    .filter((id) => id !== undefined)
    .map((subnetId) => ({ subnetId, key: lb.urn, owner: lb.name, describe }));
}

/** Everything in the plan that takes addresses of a subnet, by the subnet id it names. */
function subnetDemands(resources: readonly RecordedResource[]): SubnetDemand[] {
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  const autoscales = ofType(AUTOSCALE_TYPE);
  const clusters = ofType(CLUSTER_TYPE);
  const demands: SubnetDemand[] = [];
  for (const vmss of ofType(VMSS_TYPE)) demands.push(...scaleSetDemands(vmss, autoscales));
  for (const cluster of clusters) {
    const plugin = clusterPlugin(cluster);
    records(cluster.inputs["agentPoolProfiles"]).forEach((pool, i) => {
      const poolName = str(pool["name"]) ?? String(i);
      demands.push(
        ...nodePoolDemands(`${cluster.urn}#${poolName}`, `${cluster.name}/${poolName}`, pool, plugin),
      );
    });
  }
  for (const pool of ofType(AGENT_POOL_TYPE)) {
    // The pool's `resourceName` is its cluster's name output, so the pool also depends on the cluster.
    const clusterName = str(pool.inputs["resourceName"]);
    const cluster =
      clusters.find((c) => pool.dependencies.includes(c.urn) || pool.parent === c.urn) ??
      clusters.find(
        (c) =>
          azureName(c, "resourceName") === clusterName &&
          str(c.inputs["resourceGroupName"]) === str(pool.inputs["resourceGroupName"]),
      );
    const owner = `${cluster?.name ?? clusterName ?? ""}/${str(pool.inputs["agentPoolName"]) ?? pool.name}`;
    demands.push(...nodePoolDemands(pool.urn, owner, pool.inputs, clusterPlugin(cluster)));
  }
  for (const lb of ofType(LOAD_BALANCER_TYPE)) demands.push(...loadBalancerDemands(lb));
  return demands;
}

function buildSubnet(
  urn: string,
  name: string,
  inputs: Record<string, unknown>,
  dependencies: readonly string[],
  nsgs: readonly RecordedResource[],
  demands: readonly SubnetDemand[],
): PlanSubnet {
  const cidrs = subnetPrefixes(inputs);
  const cidr = cidrs[0] ?? "";
  const figures = subnetFigures(cidr);
  const byOwner = new Map<string, { demand: SubnetDemand; references: number }>();
  for (const demand of demands) {
    const seen = byOwner.get(demand.key);
    byOwner.set(demand.key, { demand, references: (seen?.references ?? 0) + 1 });
  }
  const uses = [...byOwner.values()].map(({ demand, references }) => ({
    owner: demand.owner,
    ...demand.describe(references),
  }));
  const plannedUse = uses.reduce((sum, use) => sum + use.addresses, 0);
  return {
    urn,
    name,
    cidr,
    cidrs,
    ...figures,
    plannedUse,
    free: figures.usable - plannedUse,
    consumers: uses.map((use) => `${use.owner}: ${use.text}`).sort(compareText),
    nsg: nsgNameFor(inputs, dependencies, nsgs),
    natGateway: Object.keys(record(inputs["natGateway"])).length > 0,
  };
}

/**
 * Groups subnets under their VNet. A Subnet belongs to the VNet that is its parent, else the one it
 * depends on (its `virtualNetworkName` is that VNet's output), else the one whose Azure name and
 * resource group match; anything left belongs to a VNet the stack does not declare.
 */
function buildNetwork(resources: readonly RecordedResource[]): PlanVnet[] {
  const vnets = resources.filter((r) => r.type === VNET_TYPE);
  const nsgs = resources.filter((r) => r.type === NSG_TYPE);
  const byVnet = new Map<string, PlanSubnet[]>();
  const external = new Map<string, PlanSubnet[]>();
  // Each demand goes to the first subnet its id names, so nothing counts twice.
  const unclaimed = new Set(subnetDemands(resources));
  const claim = (matches: (id: string) => boolean): SubnetDemand[] => {
    const mine = [...unclaimed].filter((d) => matches(d.subnetId));
    for (const d of mine) unclaimed.delete(d);
    return mine;
  };
  /** A subnet's Azure id ends in `/virtualNetworks/<vnet>/subnets/<subnet>`. */
  const azureIdOf = (vnetName: string | undefined, subnetName: string) => (id: string) =>
    vnetName !== undefined &&
    id.toLowerCase().endsWith(`/virtualnetworks/${vnetName}/subnets/${subnetName}`.toLowerCase());

  for (const vnet of vnets) {
    byVnet.set(
      vnet.urn,
      records(vnet.inputs["subnets"]).map((inputs) => {
        const name = str(inputs["name"]) ?? "";
        const azureId = azureIdOf(azureName(vnet, "virtualNetworkName"), name);
        const demands = claim((id) => id === `${vnet.name}-id/subnets/${name}` || azureId(id));
        return buildSubnet(vnet.urn, name, inputs, vnet.dependencies, nsgs, demands);
      }),
    );
  }
  for (const subnet of resources.filter((r) => r.type === SUBNET_TYPE)) {
    const vnetName = str(subnet.inputs["virtualNetworkName"]);
    const group = str(subnet.inputs["resourceGroupName"]);
    const owner =
      vnets.find((v) => v.urn === subnet.parent) ??
      vnets.find((v) => subnet.dependencies.includes(v.urn)) ??
      vnets.find(
        (v) =>
          azureName(v, "virtualNetworkName") === vnetName && str(v.inputs["resourceGroupName"]) === group,
      );
    const name = azureName(subnet, "subnetName");
    const azureId = azureIdOf(owner ? azureName(owner, "virtualNetworkName") : vnetName, name);
    const demands = claim((id) => id === `${subnet.name}-id` || azureId(id));
    const planned = buildSubnet(subnet.urn, name, subnet.inputs, subnet.dependencies, nsgs, demands);
    if (owner) byVnet.get(owner.urn)?.push(planned);
    else external.set(vnetName ?? "", [...(external.get(vnetName ?? "") ?? []), planned]);
  }

  const bySubnetName = (a: PlanSubnet, b: PlanSubnet) =>
    compareText(a.name, b.name) || compareText(a.urn, b.urn);
  const result: PlanVnet[] = vnets.map((vnet) => {
    const addressSpace = strings(record(vnet.inputs["addressSpace"])["addressPrefixes"]);
    const subnets = (byVnet.get(vnet.urn) ?? []).sort(bySubnetName);
    return {
      urn: vnet.urn,
      name: azureName(vnet, "virtualNetworkName"),
      student: studentTag(vnet.inputs),
      addressSpace,
      utilization: {
        ...vnetUtilization(
          addressSpace,
          subnets.flatMap((s) => s.cidrs),
        ),
      },
      subnets,
    };
  });
  for (const [name, subnets] of external) {
    result.push({
      urn: null,
      name,
      student: null,
      addressSpace: [],
      utilization: { ...vnetUtilization([], []) },
      subnets: subnets.sort(bySubnetName),
    });
  }
  return result.sort((a, b) => compareText(a.name, b.name) || compareText(a.urn ?? "", b.urn ?? ""));
}

function toRule(nsg: string, rule: Record<string, unknown>, fallbackName: string): PlanNsgRule {
  const list = (single: string, plural: string, groups?: string): string[] => {
    const one = str(rule[single]);
    const many = strings(rule[plural]);
    const asgs = groups ? idsOf(rule[groups]) : [];
    return [...(one ? [one] : []), ...many, ...asgs];
  };
  return {
    nsg,
    name: str(rule["name"]) ?? fallbackName,
    priority: typeof rule["priority"] === "number" ? rule["priority"] : null,
    direction: str(rule["direction"]) ?? "",
    access: str(rule["access"]) ?? "",
    protocol: str(rule["protocol"]) ?? "",
    source: list("sourceAddressPrefix", "sourceAddressPrefixes", "sourceApplicationSecurityGroups"),
    destination: list(
      "destinationAddressPrefix",
      "destinationAddressPrefixes",
      "destinationApplicationSecurityGroups",
    ),
    ports: list("destinationPortRange", "destinationPortRanges"),
  };
}

function idsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.map((v) => str(record(v)["id"])).filter((v) => v !== undefined) : [];
}

/** Rules inline in NSGs and standalone SecurityRule resources, in one list. */
function buildNsgRules(resources: readonly RecordedResource[]): PlanNsgRule[] {
  const nsgs = resources.filter((r) => r.type === NSG_TYPE);
  const rules: PlanNsgRule[] = [];
  for (const nsg of nsgs) {
    const name = azureName(nsg, "networkSecurityGroupName");
    records(nsg.inputs["securityRules"]).forEach((rule, i) => rules.push(toRule(name, rule, `rule-${i}`)));
  }
  for (const rule of resources.filter((r) => r.type === RULE_TYPE)) {
    const owner = nsgs.find((n) => rule.dependencies.includes(n.urn) || rule.parent === n.urn);
    const nsg = owner
      ? azureName(owner, "networkSecurityGroupName")
      : (str(rule.inputs["networkSecurityGroupName"]) ?? "");
    rules.push(toRule(nsg, { ...rule.inputs, name: azureName(rule, "securityRuleName") }, rule.name));
  }
  return rules.sort(
    (a, b) =>
      compareText(a.nsg, b.nsg) ||
      compareText(a.direction, b.direction) ||
      (a.priority ?? Infinity) - (b.priority ?? Infinity) ||
      compareText(a.name, b.name),
  );
}

/** Builds the plan document of one offline run. Pure: same run and meta, same document. */
export function buildPlanDocument(run: OfflineRun, meta: PlanMeta): PlanDocument {
  const rootUrns = new Set(run.resources.filter((r) => r.type === STACK_TYPE).map((r) => r.urn));
  const kept = run.resources.filter((r) => !rootUrns.has(r.urn));
  const resources = kept.map((r) => toPlanResource(r, rootUrns)).sort((a, b) => compareText(a.urn, b.urn));
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return {
    version: PLAN_VERSION,
    stack: meta.stack,
    file: meta.file,
    ...(meta.generatedAt !== undefined ? { generatedAt: meta.generatedAt } : {}),
    summary: {
      resourceCounts: Object.fromEntries([...counts].sort(([a], [b]) => compareText(a, b))),
      total: resources.length,
    },
    resources,
    network: buildNetwork(kept),
    nsgRules: buildNsgRules(kept),
    findings: [...meta.findings].map((f) => canonical(f) as Finding).sort(compareFindings),
    outputs: canonical(run.outputs) as Record<string, unknown>,
  };
}

/*
 * Which student each resource of a class stack belongs to, read from the `student` tag. Components
 * carry no tags, so a resource without its own tag takes its nearest tagged ancestor's key, and a
 * component whose tagged descendants all share one key takes that key. The renderers use this to fold
 * 100 identical student environments into one row; `azlab diff` uses it to recognize roster changes.
 */

/** Placeholder that stands for the student key in a templated name. */
export const STUDENT_PLACEHOLDER = "{student}";

/** URN → student key, or null for shared resources. */
export function studentKeys(resources: readonly PlanResource[]): Map<string, string | null> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const own = new Map(resources.map((r) => [r.urn, studentTag(r.inputs)]));
  const keys = new Map<string, string | null>();

  const fromAncestors = (urn: string): string | null => {
    for (let r = byUrn.get(urn); r; r = r.parent ? byUrn.get(r.parent) : undefined) {
      const key = own.get(r.urn);
      if (key) return key;
    }
    return null;
  };
  for (const r of resources) keys.set(r.urn, fromAncestors(r.urn));

  // Components: one shared key among tagged descendants.
  const descendantKeys = new Map<string, Set<string>>();
  for (const r of resources) {
    const key = own.get(r.urn);
    if (!key) continue;
    for (let p = r.parent; p; p = byUrn.get(p)?.parent ?? null) {
      const set = descendantKeys.get(p) ?? new Set<string>();
      set.add(key);
      descendantKeys.set(p, set);
    }
  }
  for (const r of resources) {
    const found = descendantKeys.get(r.urn);
    if (keys.get(r.urn) === null && found?.size === 1) keys.set(r.urn, [...found][0] ?? null);
  }
  // Untaggable resources (a Subnet, an NSG rule) belong to the one student their dependencies belong to.
  // Repeat until stable: resources are in URN order, not dependency order.
  for (let changed = true; changed;) {
    changed = false;
    for (const r of resources) {
      if (keys.get(r.urn) !== null) continue;
      const depKeys = new Set(r.dependencies.map((d) => keys.get(d)).filter((k) => typeof k === "string"));
      if (depKeys.size === 1) {
        keys.set(r.urn, [...depKeys][0] ?? null);
        changed = true;
      }
    }
  }
  return keys;
}

/** The name with the student key replaced by STUDENT_PLACEHOLDER, so identical environments match. */
export function templateName(name: string, student: string | null): string {
  return student ? name.split(student).join(STUDENT_PLACEHOLDER) : name;
}

/** The JSON text of a plan: two-space indent and a final newline. */
export function serializePlan(doc: PlanDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
