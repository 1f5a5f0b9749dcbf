/**
 * Guardrails on route tables (hub and spoke, docs/hub-and-spoke.md). A route to a virtual appliance
 * whose address lies in no subnet drops every packet it matches: Azure does not check that anything
 * answers at the next hop ("Virtual network traffic routing", learn.microsoft.com/azure/virtual-network/
 * virtual-networks-udr-overview). Pure: no Pulumi runtime imports.
 */
import { contains, hostPrefix, parseAddress, parsePrefix, type Prefix } from "../cidr/address.ts";
import { ResourceType } from "../azure/catalog.ts";
import { at, list, rec, stackRule, str } from "./ruleKit.ts";
import type { PolicyResource } from "./types.ts";

/** Every subnet prefix the stack declares (standalone subnets and inline ones), or undefined when one is unknown. */
function subnetPrefixes(resources: readonly PolicyResource[]): Prefix[] | undefined {
  const texts: unknown[] = [];
  for (const r of resources) {
    const subnets =
      r.type === ResourceType.Subnet
        ? [r.props]
        : r.type === ResourceType.VirtualNetwork
          ? list(r.props["subnets"]).map((s) => rec(at(s, "properties")) ?? rec(s) ?? {})
          : [];
    for (const s of subnets) {
      const many = list(s["addressPrefixes"]);
      texts.push(...(many.length > 0 ? many : [s["addressPrefix"]]));
    }
  }
  const prefixes = texts.map((t) => (typeof t === "string" ? parsePrefix(t) : undefined));
  // An unknown prefix (a preview's computed value) could hold the address: never guess.
  return prefixes.every((p): p is Prefix => p !== undefined) ? prefixes : undefined;
}

export const applianceRouteToNowhere = stackRule({
  id: "AZL-NET-004",
  title: "A route to a virtual appliance points into a subnet",
  severity: "warning",
  equivalents: [],
  resourceTypes: [ResourceType.RouteTable, ResourceType.Subnet, ResourceType.VirtualNetwork],
  inPolicyPack: true,
  check(stack) {
    const subnets = subnetPrefixes(stack.resources);
    if (subnets === undefined) return [];
    return stack.resources
      .filter((r) => r.type === ResourceType.RouteTable)
      .flatMap((table) =>
        list(table.props["routes"]).flatMap((route) => {
          const r = rec(route) ?? {};
          const props = rec(r["properties"]) ?? r;
          const ip = str(props["nextHopIpAddress"]);
          if (str(props["nextHopType"]) !== "VirtualAppliance" || ip === undefined) return [];
          const address = parseAddress(ip);
          if (!address) return [];
          if (subnets.some((s) => contains(s, hostPrefix(address)))) return [];
          const name = str(r["name"]) ?? "(unnamed)";
          return [
            {
              resource: table.urn ?? table.name,
              message: `Route "${name}" of route table "${table.name}" sends traffic to ${ip}, which is in no subnet of this stack`,
              fix: "Deploy the appliance (a firewall or NVA VM) in a hub subnet first, or point the route elsewhere; until then Azure drops the matching traffic",
            },
          ];
        }),
      );
  },
});
