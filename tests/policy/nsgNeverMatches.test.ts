/**
 * AZL-NSG-004: inbound Allow rules that no packet can match. A subnet NSG filters traffic addressed into
 * its subnets, and the internet (so a public IP or load balancer) never delivers private, loopback or
 * link-local sources ("How network security groups filter network traffic",
 * learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works).
 */
import { describe, expect, it } from "vitest";
import { evaluateResources, policyContextFromConfig } from "../../src/policy/evaluate.ts";
import { nsgRuleNeverMatches } from "../../src/policy/nsgNeverMatches.ts";
import type { PolicyContext, PolicyResource } from "../../src/policy/rules.ts";
import { loadStackFile } from "../../src/config/stackFile.ts";
import type { RecordedResource } from "../../src/model/recorded.ts";
import { planStackOffline } from "../../src/program/offline.ts";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CONTEXT: PolicyContext = {
  environment: "dev",
  stack: "dev",
  asOf: new Date("2026-11-26T10:00:00Z"),
  requiredTags: [],
  overrides: {},
  connectedCidrs: ["10.0.0.0/16"],
};

const N = "azure-native:network:";
const urn = (type: string, name: string) => `urn:pulumi:dev::azlab::${type}::${name}`;
const NSG_URN = urn(`${N}NetworkSecurityGroup`, "dev-nsg");

const vnet: PolicyResource = {
  type: `${N}VirtualNetwork`,
  name: "dev-net",
  urn: urn(`${N}VirtualNetwork`, "dev-net"),
  props: {
    virtualNetworkName: "vnet-dev",
    resourceGroupName: "rg",
    addressSpace: { addressPrefixes: ["10.20.0.0/16"] },
  },
};
const nsg: PolicyResource = {
  type: `${N}NetworkSecurityGroup`,
  name: "dev-nsg",
  urn: NSG_URN,
  props: { networkSecurityGroupName: "nsg-dev", resourceGroupName: "rg" },
};
const subnet = (name: string, prefix: string): PolicyResource => ({
  type: `${N}Subnet`,
  name: `dev-net-${name}`,
  urn: urn(`${N}Subnet`, `dev-net-${name}`),
  props: {
    subnetName: name,
    virtualNetworkName: "vnet-dev",
    resourceGroupName: "rg",
    addressPrefix: prefix,
    networkSecurityGroup: { id: "dev-nsg-id" },
  },
  dependencies: [NSG_URN],
});
const rule = (name: string, props: Record<string, unknown>): PolicyResource => ({
  type: `${N}SecurityRule`,
  name: `dev-nsg-${name}`,
  urn: urn(`${N}SecurityRule`, `dev-nsg-${name}`),
  props: {
    securityRuleName: name,
    networkSecurityGroupName: "nsg-dev",
    resourceGroupName: "rg",
    access: "Allow",
    direction: "Inbound",
    protocol: "Tcp",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "22",
    ...props,
  },
  dependencies: [NSG_URN],
});

const stack = (...extra: PolicyResource[]) => ({
  resources: [vnet, nsg, subnet("web", "10.20.2.0/26"), subnet("app", "10.20.1.0/24"), ...extra],
});
const brief = (resources: PolicyResource[], context: PolicyContext = CONTEXT) =>
  nsgRuleNeverMatches.check({ resources }, context).map((v) => [v.resource, v.message]);

describe("AZL-NSG-004 rules that can never match", () => {
  it("is an info finding checked on the whole stack, also in the policy pack", () => {
    expect([
      nsgRuleNeverMatches.severity,
      nsgRuleNeverMatches.kind,
      nsgRuleNeverMatches.inPolicyPack,
    ]).toEqual(["info", "stack", true]);
  });

  it("flags SSH from a private range the VNet has no connection to", () => {
    const ssh = rule("allow-ssh", { sourceAddressPrefixes: ["192.168.10.0/24"] });
    const violations = nsgRuleNeverMatches.check(stack(ssh), CONTEXT);
    expect(violations).toEqual([
      {
        resource: ssh.urn,
        message:
          'Security rule "allow-ssh" can never match: "192.168.10.0/24" is a private range outside the VNet (10.20.0.0/16) with no peering or gateway to it',
        fix: "Allow the public addresses the traffic arrives from; a private range needs a connection (peering, VPN or ExpressRoute) listed in azlab:network.reservedCidrs",
      },
    ]);
  });

  it("names every source when all of them are unreachable: CGNAT, link-local and a bare loopback address", () => {
    const ssh = rule("allow-ssh", {
      sourceAddressPrefixes: ["100.64.1.0/24", "169.254.0.0/16", "127.0.0.1"],
    });
    expect(brief(stack(ssh).resources)).toEqual([
      [
        ssh.urn,
        'Security rule "allow-ssh" can never match: "100.64.1.0/24" is a shared (CGNAT) range outside the VNet (10.20.0.0/16) with no peering or gateway to it; "169.254.0.0/16" is a link-local range, which is never routed; "127.0.0.1" is a loopback range, which is never routed',
      ],
    ]);
  });

  it("flags a destination outside every subnet the NSG is on, even from the internet", () => {
    const web = rule("allow-web", {
      sourceAddressPrefix: "Internet",
      destinationAddressPrefix: "10.20.3.0/24",
      destinationPortRange: "80",
    });
    expect(brief(stack(web).resources)).toEqual([
      [
        web.urn,
        'Security rule "allow-web" can never match: its destination "10.20.3.0/24" is outside the subnets of NSG "nsg-dev" (10.20.2.0/26, 10.20.1.0/24)',
      ],
    ]);
  });

  it("also reads rules written inline on the NSG", () => {
    const inline: PolicyResource = {
      ...nsg,
      props: {
        ...nsg.props,
        securityRules: [
          {
            name: "to-nowhere",
            access: "Allow",
            direction: "Inbound",
            sourceAddressPrefix: "*",
            destinationAddressPrefixes: ["10.99.0.0/16", "10.98.0.0/16"],
          },
        ],
      },
    };
    expect(brief([vnet, inline, subnet("web", "10.20.2.0/26")])).toEqual([
      [
        NSG_URN,
        'Security rule "to-nowhere" can never match: its destination "10.99.0.0/16", "10.98.0.0/16" is outside the subnets of NSG "nsg-dev" (10.20.2.0/26)',
      ],
    ]);
  });

  it("passes sources that can arrive: public, tags, the VNet itself, reserved (connected) ranges and AKS pod ranges", () => {
    const cluster: PolicyResource = {
      type: "azure-native:containerservice:ManagedCluster",
      name: "aks",
      props: { networkProfile: { podCidr: "192.168.0.0/16", serviceCidr: "172.16.0.0/16" } },
    };
    const ok = [
      rule("public", { sourceAddressPrefixes: ["145.100.0.0/16", "203.0.113.7"] }),
      rule("tag", { sourceAddressPrefix: "VirtualNetwork" }),
      rule("own-vnet", { sourceAddressPrefix: "10.20.0.0/16" }),
      rule("campus", { sourceAddressPrefixes: ["10.0.0.0/16"] }),
      rule("pods", { sourceAddressPrefix: "192.168.4.0/24" }),
      // One reachable source is enough for the rule to match something.
      rule("mixed", { sourceAddressPrefixes: ["192.168.1.0/24", "8.8.8.8/32"] }),
      // Partly inside the subnet: it can match.
      rule("wide-destination", { sourceAddressPrefix: "*", destinationAddressPrefix: "10.20.0.0/16" }),
      // A Deny rule never "fails to match" in a way worth reporting.
      rule("deny", { access: "Deny", sourceAddressPrefix: "192.168.1.0/24" }),
      rule("outbound", { direction: "Outbound", destinationAddressPrefix: "192.0.2.0/24" }),
      // Application security groups: not addresses.
      rule("asg", { sourceApplicationSecurityGroups: [{ id: "asg-id" }] }),
    ];
    expect(brief([...stack(...ok).resources, cluster])).toEqual([]);
  });

  it("does not call a private source unreachable when the connections are unknown", () => {
    const ssh = rule("allow-ssh", { sourceAddressPrefix: "192.168.10.0/24" });
    const peering: PolicyResource = { type: `${N}VirtualNetworkPeering`, name: "to-hub", props: {} };
    const peeredInline: PolicyResource = {
      ...vnet,
      props: { ...vnet.props, virtualNetworkPeerings: [{ name: "to-hub" }] },
    };
    const { connectedCidrs: _unknown, ...noConnections } = CONTEXT;
    expect(brief(stack(ssh, peering).resources)).toEqual([]);
    expect(brief([peeredInline, nsg, subnet("web", "10.20.2.0/26"), ssh])).toEqual([]);
    expect(brief(stack(ssh).resources, noConnections)).toEqual([]);
    // A link-local source never arrives, connections or not.
    const linkLocal = rule("link-local", { sourceAddressPrefix: "169.254.1.0/24" });
    expect(brief(stack(linkLocal, peering).resources).map(([, message]) => message)).toEqual([
      'Security rule "link-local" can never match: "169.254.1.0/24" is a link-local range, which is never routed',
    ]);
  });

  it("skips an NSG that is on no subnet, or on something besides subnets", () => {
    const ssh = rule("allow-ssh", { sourceAddressPrefix: "192.168.10.0/24" });
    expect(brief([vnet, nsg, ssh])).toEqual([]);
    const nic: PolicyResource = {
      type: `${N}NetworkInterface`,
      name: "nic",
      props: {
        networkSecurityGroup: {
          id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg-dev",
        },
      },
    };
    expect(brief([...stack(ssh).resources, nic])).toEqual([]);
  });

  it("reads reservedCidrs from the stack file into the context", () => {
    const loaded = loadStackFile("stacks/Pulumi.dev.yaml", "dev");
    expect(policyContextFromConfig(loaded).connectedCidrs).toEqual(["10.0.0.0/16"]);
  });

  it("is reported as info by the evaluator", () => {
    const ssh = rule("allow-ssh", { sourceAddressPrefix: "192.168.10.0/24" });
    const recorded: RecordedResource[] = stack(ssh).resources.map((r) => ({
      urn: r.urn ?? r.name,
      type: r.type,
      name: r.name,
      custom: true,
      dependencies: r.dependencies ?? [],
      protect: false,
      retainOnDelete: false,
      ignoreChanges: [],
      inputs: r.props,
      secretInputs: [],
    }));
    const findings = evaluateResources(recorded, CONTEXT).filter((f) => f.id === "AZL-NSG-004");
    expect(findings.map((f) => [f.severity, f.enforcement, f.resource])).toEqual([
      ["info", "advisory", ssh.urn],
    ]);
  });

  it("flags a dead rule in the real dev program, and only that one", async () => {
    // dev's own SSH rule comes from 10.0.0.0/16, the campus range it lists in reservedCidrs, and AKS pods
    // use 192.168.0.0/16 (overlay): neither is flagged. 172.31.5.0/24 has no path in.
    const text = readFileSync("stacks/Pulumi.dev.yaml", "utf8").replace(
      "  azlab:nsg:\n",
      "  azlab:nsg:\n    rules:\n      admin-vpn:\n        source: 172.31.5.0/24\n        ports: 8443\n",
    );
    const path = join(mkdtempSync(join(tmpdir(), "azlab-nsg4-")), "Pulumi.dev.yaml");
    writeFileSync(path, text);
    const loaded = loadStackFile(path, "dev");
    const run = await planStackOffline(loaded);
    const findings = evaluateResources(run.resources, policyContextFromConfig(loaded), run.outputs);
    expect(findings.map((f) => [f.id, f.severity, f.message])).toEqual([
      [
        "AZL-NSG-004",
        "info",
        'Security rule "admin-vpn" can never match: "172.31.5.0/24" is a private range outside the VNet (10.20.0.0/16) with no peering or gateway to it',
      ],
    ]);
  }, 120_000);
});
