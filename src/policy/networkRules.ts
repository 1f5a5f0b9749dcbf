/**
 * Network guardrails: NSG rules open to the internet, subnets without an NSG, retired Basic SKUs.
 * AZL-NSG-004 (rules that can never match) is in ./nsgNeverMatches.ts.
 * Pure: no Pulumi runtime imports.
 */
import { isSpecialSubnet, SPECIAL_SUBNETS } from "../planner/subnetRules.ts";
import { isInternetSource, isWaived, MANAGEMENT_PORTS, managementPortsIn } from "../network/nsgRules.ts";
import { ResourceType } from "../azure/catalog.ts";
import {
  rec,
  list,
  str,
  at,
  eqi,
  lastSegment,
  resourceRule,
  stackRule,
  partsOf,
  type Part,
} from "./ruleKit.ts";
import type { PolicyResource, ResourceRule } from "./types.ts";

// ---- NSG ----------------------------------------------------------------------------------------

function securityRulesOf(resource: PolicyResource): Part[] {
  return partsOf(resource, ResourceType.SecurityRule, "securityRuleName", "securityRules");
}

/** Whether a security rule's properties allow inbound traffic; AZL-NSG-004 reads it too. */
export function isAllowInbound(props: Record<string, unknown>): boolean {
  return eqi(props["access"], "Allow") && eqi(props["direction"], "Inbound");
}

function internetSources(props: Record<string, unknown>): string[] {
  const sources = [str(props["sourceAddressPrefix"]), ...list(props["sourceAddressPrefixes"]).map(str)];
  return sources.filter((s): s is string => s !== undefined && isInternetSource(s));
}

function portRanges(props: Record<string, unknown>): string[] {
  return [str(props["destinationPortRange"]), ...list(props["destinationPortRanges"]).map(str)].filter(
    (p): p is string => p !== undefined,
  );
}

/**
 * The resource's inbound Allow rules that admit internet sources, with those sources. A rule waived in
 * azlab:nsg.waivers (with its reason) passed the NSG validation on purpose and is left out.
 */
function internetInboundRules(
  resource: Parameters<typeof securityRulesOf>[0],
  waivers: Parameters<typeof isWaived>[0],
): { label: string; props: Record<string, unknown>; sources: string[] }[] {
  return securityRulesOf(resource).flatMap(({ label, props }) => {
    if (!isAllowInbound(props) || isWaived(waivers, label)) return [];
    const sources = internetSources(props);
    return sources.length === 0 ? [] : [{ label, props, sources }];
  });
}

export const nsgSensitivePorts = resourceRule({
  id: "AZL-NSG-001",
  title: "No remote-admin or database port open to the internet",
  severity: "error",
  equivalents: ["CKV_AZURE_10", "CKV_AZURE_9", "AVD-AZU-0050", "AVD-AZU-0048", "AVD-AZU-0047"],
  resourceTypes: [ResourceType.NetworkSecurityGroup, ResourceType.SecurityRule],
  check(resource, context) {
    return internetInboundRules(resource, context.nsgWaivers).flatMap(({ label, props, sources }) => {
      const ports = [...new Set(portRanges(props).flatMap(managementPortsIn))].sort((a, b) => a - b);
      if (ports.length === 0) return [];
      const named = ports.map((p) => `${p} (${MANAGEMENT_PORTS[p]})`).join(", ");
      return [
        {
          message: `Security rule "${label}" allows inbound port ${named} from ${sources.map((s) => `"${s}"`).join(", ")}`,
          fix: "Restrict sourceAddressPrefix(es) to known addresses, or reach the machines through Azure Bastion or a VPN",
        },
      ];
    });
  },
});

export const nsgAnyPort = resourceRule({
  id: "AZL-NSG-002",
  title: "No inbound rule allowing every port from the internet",
  severity: "error",
  equivalents: ["Azure.NSG.AnyInboundSource", "AVD-AZU-0047"],
  resourceTypes: [ResourceType.NetworkSecurityGroup, ResourceType.SecurityRule],
  check(resource, context) {
    return internetInboundRules(resource, context.nsgWaivers).flatMap(({ label, props, sources }) => {
      if (!portRanges(props).some((p) => p.trim() === "*")) return [];
      return [
        {
          message: `Security rule "${label}" allows inbound traffic on every port from ${sources.map((s) => `"${s}"`).join(", ")}`,
          fix: "Name the destination ports the service needs and restrict the sources",
        },
      ];
    });
  },
});

export const subnetWithoutNsg = resourceRule({
  id: "AZL-NSG-003",
  title: "Every subnet has a network security group",
  severity: "warning",
  equivalents: ["CKV2_AZURE_31", "Azure.VNET.UseNSGs"],
  resourceTypes: [ResourceType.Subnet, ResourceType.VirtualNetwork],
  check(resource) {
    return partsOf(resource, ResourceType.Subnet, "subnetName", "subnets").flatMap(
      ({ label: name, props }) => {
        if (isSpecialSubnet(name)) return [];
        // An NSG given by reference whose id is still unknown counts as present.
        if (rec(props["networkSecurityGroup"])) return [];
        return [
          {
            message: `Subnet "${name}" has no network security group`,
            fix: `Set networkSecurityGroup.id on the subnet (only ${Object.keys(SPECIAL_SUBNETS).join(", ")} are exempt)`,
          },
        ];
      },
    );
  },
});

// ---- Public IP and load balancer ----------------------------------------------------------------

function basicSkuRule(id: string, type: string, what: string, psrule: string): ResourceRule {
  return resourceRule({
    id,
    title: `${what} uses the Standard SKU`,
    severity: "error",
    equivalents: [psrule],
    resourceTypes: [type],
    check(resource) {
      if (!eqi(at(resource.props, "sku", "name"), "Basic")) return [];
      return [
        {
          message: `${what} uses the Basic SKU, retired on 30 September 2025`,
          fix: 'Set sku.name: "Standard"',
        },
      ];
    },
  });
}

export const publicIpBasic = basicSkuRule(
  "AZL-NET-001",
  ResourceType.PublicIPAddress,
  "Public IP",
  "Azure.PublicIP.StandardSKU",
);
export const loadBalancerBasic = basicSkuRule(
  "AZL-NET-002",
  ResourceType.LoadBalancer,
  "Load balancer",
  "Azure.LB.StandardSKU",
);

/**
 * Public IPs used as a load balancer's frontends: by the last segment of the referenced id, or by
 * dependency (an id that is unknown in a preview, or a generated Azure name, still shows up there).
 */
function frontendIpsOf(lb: PolicyResource, all: readonly PolicyResource[]): PolicyResource[] {
  const refs = list(lb.props["frontendIPConfigurations"]).map((f) => at(f, "publicIPAddress"));
  const ids = new Set(refs.map((r) => lastSegment(at(r, "id"))).filter((s): s is string => s !== undefined));
  const dependsOn = new Set(lb.dependencies ?? []);
  return all.filter(
    (r) =>
      r.type === ResourceType.PublicIPAddress &&
      (ids.has(str(r.props["publicIpAddressName"]) ?? r.name) ||
        ids.has(r.name) ||
        (r.urn !== undefined && dependsOn.has(r.urn))),
  );
}

/** The SKU as declared; undefined when left to Azure (not compared: its default depends on the API version). */
function skuName(resource: PolicyResource): string | undefined {
  return str(at(resource.props, "sku", "name"));
}

export const lbIpSkuMismatch = stackRule({
  id: "AZL-NET-003",
  title: "Load balancer and its frontend public IPs share a SKU",
  severity: "error",
  equivalents: [],
  resourceTypes: [ResourceType.LoadBalancer, ResourceType.PublicIPAddress],
  inPolicyPack: true,
  check(stack) {
    return stack.resources
      .filter((r) => r.type === ResourceType.LoadBalancer)
      .flatMap((lb) => {
        const lbSku = skuName(lb);
        if (lbSku === undefined) return [];
        return frontendIpsOf(lb, stack.resources).flatMap((ip) => {
          const ipSku = skuName(ip);
          if (ipSku === undefined || eqi(ipSku, lbSku)) return [];
          return [
            {
              resource: lb.urn ?? lb.name,
              message: `Load balancer "${lb.name}" is ${lbSku} but its frontend public IP "${ip.name}" is ${ipSku}`,
              fix: 'Use sku.name "Standard" on both; Azure rejects a mix',
            },
          ];
        });
      });
  },
});
