/**
 * What takes addresses of a subnet at full scale: scale set instances, AKS nodes (and pods on flat
 * Azure CNI) and internal load balancer frontends, found by the subnet id each one names.
 */
import { ResourceType } from "../azure/catalog.ts";
import { requiredNodeSubnetAddresses, type AksNetworkPlugin } from "../planner/aks.ts";
import type { RecordedResource } from "../model/recorded.ts";
import { azureName, plural, record, records, str, wholeNumber } from "./read.ts";

/**
 * One reference to a subnet: an IP configuration of a scale set, a node pool, a load balancer frontend.
 * References of one consumer that land in the same subnet are added up before they are described.
 */
export interface SubnetDemand {
  /** The subnet id as the program wrote it. */
  readonly subnetId: string;
  /** Identifies the owner: its URN, with the pool name for a pool declared inside its cluster. */
  readonly key: string;
  /** The scale set, load balancer or `cluster/pool` that makes the reference, as shown. */
  readonly owner: string;
  /** Addresses and description for `references` references of this owner to one subnet. */
  readonly describe: (references: number) => { readonly addresses: number; readonly text: string };
}

/**
 * True when `id` names the resource: under the mock engine an id is `<pulumi name>-id`; an Azure id
 * written out in full ends in `/<collection>/<azure name>`.
 */
function idNames(id: string, resource: RecordedResource, collection: string): boolean {
  const suffix = `/${collection}/${azureName(resource)}`.toLowerCase();
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
      return target !== undefined && idNames(target, vmss, "virtualmachinescalesets");
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
export function subnetDemands(resources: readonly RecordedResource[]): SubnetDemand[] {
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  const autoscales = ofType(ResourceType.AutoscaleSetting);
  const clusters = ofType(ResourceType.ManagedCluster);
  const demands: SubnetDemand[] = [];
  for (const vmss of ofType(ResourceType.VirtualMachineScaleSet))
    demands.push(...scaleSetDemands(vmss, autoscales));
  for (const cluster of clusters) {
    const plugin = clusterPlugin(cluster);
    records(cluster.inputs["agentPoolProfiles"]).forEach((pool, i) => {
      const poolName = str(pool["name"]) ?? String(i);
      demands.push(
        ...nodePoolDemands(`${cluster.urn}#${poolName}`, `${cluster.name}/${poolName}`, pool, plugin),
      );
    });
  }
  for (const pool of ofType(ResourceType.AgentPool)) {
    // The pool's `resourceName` is its cluster's name output, so the pool also depends on the cluster.
    const clusterName = str(pool.inputs["resourceName"]);
    const cluster =
      clusters.find((c) => pool.dependencies.includes(c.urn) || pool.parent === c.urn) ??
      clusters.find(
        (c) =>
          azureName(c) === clusterName &&
          str(c.inputs["resourceGroupName"]) === str(pool.inputs["resourceGroupName"]),
      );
    const owner = `${cluster?.name ?? clusterName ?? ""}/${str(pool.inputs["agentPoolName"]) ?? pool.name}`;
    demands.push(...nodePoolDemands(pool.urn, owner, pool.inputs, clusterPlugin(cluster)));
  }
  for (const lb of ofType(ResourceType.LoadBalancer)) demands.push(...loadBalancerDemands(lb));
  return demands;
}
