/**
 * The NSG rules azlab derives from a stack's intent (SSH from the class's or admins' ranges, web traffic
 * to the load balancer, Bastion's SSH and RDP, class isolation), before the user's own rules.
 */
import { formatPrefix } from "../cidr/address.ts";
import type { StackConfig } from "../config/schema.ts";
import { allowAzureLoadBalancerProbe, sshFrom, type NsgRules } from "../network/nsgRules.ts";
import { classIsolationRules } from "./nsgPlan.ts";
import { BASTION_RULE_PRIORITY } from "./stackPlan.ts";

/**
 * Rules azlab derives from the stack's intent, before the user's own `azlab:nsg.rules`. A student's own
 * `sourceCidrs` (home, another campus) join the class's ranges in that student's rules only.
 */
export function derivedRules(
  config: StackConfig,
  vnetSpace: readonly string[],
  student?: string,
  bastionCidr?: string,
): NsgRules {
  const isClass = config.environment === "class";
  const own = student ? (config.class?.students[student]?.sourceCidrs ?? []) : [];
  // NSG rules are rendered into Azure resources, so their addresses are text; a repeat is listed once.
  const classSources = [...new Set([...(config.class?.sourceCidrs ?? []), ...own].map(formatPrefix))];
  const sshSources = isClass ? classSources : config.nsg.sshSourceCidrs.map(formatPrefix);
  const lb = config.scaleSet?.loadBalancer;
  const web: NsgRules = lb
    ? {
        "allow-web": {
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          // A class admits only its own source ranges; dev and prod serve the internet through the LB.
          source: isClass ? classSources : lb.type === "public" ? "Internet" : "VirtualNetwork",
          destination: "*",
          ports: [...lb.ports],
        },
        ...allowAzureLoadBalancerProbe(),
      }
    : {};
  const isolation = classIsolationRules(config, vnetSpace);
  return {
    ...(sshSources.length > 0 ? sshFrom(sshSources) : {}),
    ...web,
    ...bastionRules(bastionCidr),
    ...isolation,
  };
}

/**
 * SSH and RDP from the hub's AzureBastionSubnet, which Bastion connects to VMs from ("Working with NSG
 * access and Azure Bastion", learn.microsoft.com/azure/bastion/bastion-nsg: the target VMs' NSG must allow
 * 22 and 3389 from the Bastion subnet). Its priority sits below the class's deny-lateral rule, which
 * would otherwise refuse the hub's range (it is inside the class supernet).
 */
export function bastionRules(bastionCidr: string | undefined): NsgRules {
  if (bastionCidr === undefined) return {};
  return {
    "allow-bastion": {
      priority: BASTION_RULE_PRIORITY,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      source: [bastionCidr],
      destination: "*",
      ports: [22, 3389],
    },
  };
}
