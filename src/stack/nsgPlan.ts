/**
 * The NSG side of a stack plan: a class's isolation rules, the subnets that have their own NSG, and the
 * application security groups with their members. Pure; cross-key checks are reported at the key the
 * user wrote.
 */
import { formatPrefix } from "../cidr/address.ts";
import type { Problem } from "../errors.ts";
import type { StackConfig } from "../config/schema.ts";
import {
  ASGS_PER_IP_CONFIGURATION,
  denyLateral,
  type NsgRules,
  type NsgWaiver,
} from "../network/nsgRules.ts";
import { isSpecialSubnet } from "../planner/subnetRules.ts";

const C = "azlab:";

/** A subnet's own NSG as planned: its rules (isolation first) and its waivers. */
export interface SubnetNsgPlan {
  readonly rules: NsgRules;
  readonly waivers: Readonly<Record<string, NsgWaiver>>;
}

/**
 * In a class, every NSG admits the student's own VNet and denies the rest of the class supernet. No
 * peering joins student VNets; these rules keep it that way should a hub ever be peered.
 */
export function classIsolationRules(config: StackConfig, vnetSpace: readonly string[]): NsgRules {
  if (config.environment !== "class" || !config.class) return {};
  return {
    "allow-own-vnet": {
      priority: 3990,
      direction: "Inbound",
      access: "Allow",
      protocol: "*",
      source: [...vnetSpace],
      destination: "*",
      ports: "*",
    },
    ...denyLateral([formatPrefix(config.class.supernet)], { priority: 4000 }),
  };
}

/** The rules azlab derives for one environment, which a subnet's own NSG starts from. */
export interface DerivedNsgRules {
  /** A class's isolation rules (`classIsolationRules`); every NSG of a student carries them. */
  readonly isolation: NsgRules;
  /** Everything the environment's NSG derives: SSH, the load balancer's ports and probe, isolation. */
  readonly derived: NsgRules;
  /** The scale set's subnet, when the stack deploys one. */
  readonly scaleSetSubnet?: string;
}

/**
 * The subnets with their own NSG in one environment. The scale set's subnet starts from every derived
 * rule, so its load balancer, probe and SSH keep working; any other subnet starts from the class
 * isolation rules only, so a student's private subnet is as isolated as the rest of their network. As in
 * `azlab:nsg.rules`, a user's rule of the same name replaces a derived one.
 */
export function subnetNsgs(
  config: StackConfig,
  subnets: readonly string[],
  rules: DerivedNsgRules,
): Readonly<Record<string, SubnetNsgPlan>> {
  return Object.fromEntries(
    Object.entries(config.nsg.subnets)
      .filter(([name]) => subnets.includes(name))
      .map(([name, own]) => {
        const base = name === rules.scaleSetSubnet ? rules.derived : rules.isolation;
        // A waiver of a derived rule in azlab:nsg.waivers covers the same derived rule here too.
        const inherited = Object.entries(config.nsg.waivers).filter(
          ([rule]) => Object.hasOwn(base, rule) && !Object.hasOwn(own.rules, rule),
        );
        return [
          name,
          {
            rules: { ...base, ...(own.rules as NsgRules) },
            waivers: { ...Object.fromEntries(inherited), ...own.waivers },
          },
        ];
      }),
  );
}

/** Names of the application security groups whose members include `member`. */
export function asgsWithMember(config: StackConfig, member: "scaleSet"): string[] {
  return Object.entries(config.nsg.applicationSecurityGroups)
    .filter(([, asg]) => asg.members.includes(member))
    .map(([name]) => name);
}

/** Cross-key checks of `azlab:nsg.subnets` and `azlab:nsg.applicationSecurityGroups`. */
export function nsgConfigProblems(config: StackConfig, modules: { readonly scaleSet: boolean }): Problem[] {
  const problems: Problem[] = [];
  const subnetNames = Object.keys(config.network.subnets);
  for (const name of Object.keys(config.nsg.subnets)) {
    const path = `${C}nsg.subnets.${name}`;
    const subnet = config.network.subnets[name];
    if (!subnet) {
      problems.push({
        path,
        message: "names no subnet",
        value: name,
        allowed: `one of azlab:network.subnets: ${subnetNames.join(", ")}`,
      });
    } else if (isSpecialSubnet(name)) {
      problems.push({
        path,
        message: `must not be set: azlab associates no NSG with ${name}`,
        value: name,
        allowed: "an ordinary subnet",
      });
    } else if (!subnet.nsgEnabled) {
      // Two keys saying opposite things: refuse rather than guess which one the user meant.
      problems.push({
        path,
        message: `gives the subnet its own NSG, but azlab:network.subnets.${name}.nsgEnabled is false`,
        allowed: `remove azlab:nsg.subnets.${name}, or set nsgEnabled to true`,
      });
    }
  }
  const scaleSetGroups = asgsWithMember(config, "scaleSet");
  if (scaleSetGroups.length > ASGS_PER_IP_CONFIGURATION) {
    problems.push({
      path: `${C}nsg.applicationSecurityGroups`,
      message: `make the scale set's NIC a member of ${scaleSetGroups.length} groups`,
      value: scaleSetGroups,
      allowed: `at most ${ASGS_PER_IP_CONFIGURATION} groups per NIC IP configuration (Azure's limit)`,
    });
  }
  for (const [name, asg] of Object.entries(config.nsg.applicationSecurityGroups)) {
    asg.members.forEach((member, i) => {
      if (member === "scaleSet" && !modules.scaleSet) {
        problems.push({
          path: `${C}nsg.applicationSecurityGroups.${name}.members[${i}]`,
          message: "names the scale set, which this stack does not deploy",
          value: member,
          allowed:
            config.environment === "class"
              ? "turn on azlab:class.modules.scaleSet, or remove the member"
              : "add azlab:scaleSet, or remove the member",
        });
      }
    });
  }
  return problems;
}
