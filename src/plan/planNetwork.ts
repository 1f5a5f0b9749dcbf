/**
 * The network part of a plan: VNets with their subnets (address figures and planned use) and every
 * NSG rule, inline or standalone, in one sorted list.
 */
import { ResourceType } from "../azure/catalog.ts";
import { parsePrefix } from "../cidr/address.ts";
import { subnetUtilization, vnetUtilization } from "../planner/utilization.ts";
import type { RecordedResource } from "../model/recorded.ts";
import type { PlanNsgRule, PlanSubnet, PlanVnet } from "./document.ts";
import { azureName, compareText, record, records, str, strings, studentTag } from "./read.ts";
import { subnetDemands, type SubnetDemand } from "./subnetDemand.ts";

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
  if (match) return azureName(match);
  return id ? (id.split("/").pop() ?? id) : null;
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
export function buildNetwork(resources: readonly RecordedResource[]): PlanVnet[] {
  const vnets = resources.filter((r) => r.type === ResourceType.VirtualNetwork);
  const nsgs = resources.filter((r) => r.type === ResourceType.NetworkSecurityGroup);
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
        const azureId = azureIdOf(azureName(vnet), name);
        const demands = claim((id) => id === `${vnet.name}-id/subnets/${name}` || azureId(id));
        return buildSubnet(vnet.urn, name, inputs, vnet.dependencies, nsgs, demands);
      }),
    );
  }
  for (const subnet of resources.filter((r) => r.type === ResourceType.Subnet)) {
    const vnetName = str(subnet.inputs["virtualNetworkName"]);
    const group = str(subnet.inputs["resourceGroupName"]);
    const owner =
      vnets.find((v) => v.urn === subnet.parent) ??
      vnets.find((v) => subnet.dependencies.includes(v.urn)) ??
      vnets.find((v) => azureName(v) === vnetName && str(v.inputs["resourceGroupName"]) === group);
    const name = azureName(subnet);
    const azureId = azureIdOf(owner ? azureName(owner) : vnetName, name);
    const demands = claim((id) => id === `${subnet.name}-id` || azureId(id));
    const planned = buildSubnet(subnet.urn, name, subnet.inputs, subnet.dependencies, nsgs, demands);
    if (owner) byVnet.get(owner.urn)?.push(planned);
    else {
      const list = external.get(vnetName ?? "");
      if (list) list.push(planned);
      else external.set(vnetName ?? "", [planned]);
    }
  }

  const bySubnetName = (a: PlanSubnet, b: PlanSubnet) =>
    compareText(a.name, b.name) || compareText(a.urn, b.urn);
  const result: PlanVnet[] = vnets.map((vnet) => {
    const addressSpace = strings(record(vnet.inputs["addressSpace"])["addressPrefixes"]);
    const subnets = (byVnet.get(vnet.urn) ?? []).sort(bySubnetName);
    return {
      urn: vnet.urn,
      name: azureName(vnet),
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
export function buildNsgRules(resources: readonly RecordedResource[]): PlanNsgRule[] {
  const nsgs = resources.filter((r) => r.type === ResourceType.NetworkSecurityGroup);
  const rules: PlanNsgRule[] = [];
  for (const nsg of nsgs) {
    const name = azureName(nsg);
    records(nsg.inputs["securityRules"]).forEach((rule, i) => rules.push(toRule(name, rule, `rule-${i}`)));
  }
  for (const rule of resources.filter((r) => r.type === ResourceType.SecurityRule)) {
    const owner = nsgs.find((n) => rule.dependencies.includes(n.urn) || rule.parent === n.urn);
    const nsg = owner ? azureName(owner) : (str(rule.inputs["networkSecurityGroupName"]) ?? "");
    rules.push(toRule(nsg, { ...rule.inputs, name: azureName(rule) }, rule.name));
  }
  return rules.sort(
    (a, b) =>
      compareText(a.nsg, b.nsg) ||
      compareText(a.direction, b.direction) ||
      (a.priority ?? Infinity) - (b.priority ?? Infinity) ||
      compareText(a.name, b.name),
  );
}
