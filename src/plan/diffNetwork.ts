/** Network risks of a plan diff: subnets that move, address spaces that shrink, rules that open to the internet. */
import { ResourceType } from "../azure/catalog.ts";
import { contains, parsePrefix } from "../cidr/address.ts";
import { isInternetSource } from "../network/nsgRules.ts";
import type { Risk } from "./diff.ts";
import type { PlanDocument, PlanNsgRule } from "./document.ts";
import { azureName } from "./read.ts";

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function opensToInternet(rule: PlanNsgRule): boolean {
  return (
    rule.access.toLowerCase() === "allow" &&
    rule.direction.toLowerCase() === "inbound" &&
    rule.source.some(isInternetSource)
  );
}

export function networkRisks(base: PlanDocument, head: PlanDocument): Risk[] {
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
      .filter((r) => r.type === ResourceType.NetworkSecurityGroup)
      .map((r) => [azureName(r), r.urn]),
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
