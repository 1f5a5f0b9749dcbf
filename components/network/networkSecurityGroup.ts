/**
 * A network security group whose rules are validated and numbered by src/network/nsgRules.ts,
 * plus the application security groups those rules name.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network/index.js";
import type * as inputs from "@pulumi/azure-native/types/input.js";
import { throwProblems } from "../../src/errors.ts";
import type { Problem } from "../../src/errors.ts";
import { NETWORK_NAME, normalizeNsgRules } from "../../src/network/nsgRules.ts";
import type { NormalizedRule, NsgRules, NsgWaiver } from "../../src/network/nsgRules.ts";

export interface ApplicationSecurityGroupSpec {
  /** Tags for this group only, merged over the component's `tags`. Defaults to none. */
  readonly tags?: Record<string, string>;
}

export interface NetworkSecurityGroupArgs {
  /** Resource group of the NSG and its application security groups. Required. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region. Required; must match the subnets or NICs the NSG is attached to. */
  readonly location: pulumi.Input<string>;
  /**
   * Security rules keyed by rule name (the Azure rule name). Defaults to none (Azure's built-in rules only).
   * Missing priorities are assigned per direction in steps of 10 from 100, in record order.
   * Allow Inbound from the internet to a management port is refused unless `waivers` names the rule.
   */
  readonly rules?: NsgRules;
  /** Exceptions to the management-port check, keyed by rule name, each with a reason. Defaults to none. */
  readonly waivers?: Readonly<Record<string, NsgWaiver>>;
  /**
   * Application security groups to create, keyed by name; rules refer to them as `asg:<name>`.
   * Defaults to none. A rule side cannot mix `asg:` entries with addresses.
   */
  readonly applicationSecurityGroups?: Readonly<Record<string, ApplicationSecurityGroupSpec>>;
  /** Tags for every resource. Defaults to none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Key path of these args in the stack config, used in error messages. Defaults to `azlab:nsg`. */
  readonly configPath?: string;
}

/** The args with every default applied. */
export interface NetworkSecurityGroupSettings {
  readonly configPath: string;
  readonly rules: readonly NormalizedRule[];
  readonly applicationSecurityGroups: Readonly<Record<string, ApplicationSecurityGroupSpec>>;
}

/** Validates and applies defaults in one place; never throws. Check `problems` before using `settings`. */
export function networkSecurityGroupSettings(args: NetworkSecurityGroupArgs): {
  settings: NetworkSecurityGroupSettings;
  problems: Problem[];
} {
  const configPath = args.configPath ?? "azlab:nsg";
  const applicationSecurityGroups = args.applicationSecurityGroups ?? {};
  const problems: Problem[] = [];
  for (const asg of Object.keys(applicationSecurityGroups)) {
    if (!NETWORK_NAME.test(asg)) {
      problems.push({
        path: `${configPath}.applicationSecurityGroups.${asg}`,
        message: "is not a valid application security group name",
        value: asg,
        allowed: "1 to 80 letters, digits, underscores, periods or hyphens, starting with a letter or digit",
      });
    }
  }
  const normalized = normalizeNsgRules(args.rules ?? {}, {
    path: configPath,
    waivers: args.waivers ?? {},
    asgNames: Object.keys(applicationSecurityGroups),
  });
  problems.push(...normalized.problems);
  return { settings: { configPath, rules: normalized.rules, applicationSecurityGroups }, problems };
}

/** Maps a normalized rule to Azure's shape: one prefix or port goes in the singular field, several in the plural one. */
export function toSecurityRule(
  rule: NormalizedRule,
  asgIds: Readonly<Record<string, pulumi.Input<string>>>,
): inputs.network.SecurityRuleArgs {
  const refs = (asgs: readonly string[]) => asgs.map((asg) => ({ id: asgIds[asg] }));
  const source: Partial<inputs.network.SecurityRuleArgs> =
    rule.sourceAsgs.length > 0
      ? { sourceApplicationSecurityGroups: refs(rule.sourceAsgs) }
      : rule.sourceAddressPrefixes.length === 1
        ? { sourceAddressPrefix: rule.sourceAddressPrefixes[0] }
        : { sourceAddressPrefixes: [...rule.sourceAddressPrefixes] };
  const destination: Partial<inputs.network.SecurityRuleArgs> =
    rule.destinationAsgs.length > 0
      ? { destinationApplicationSecurityGroups: refs(rule.destinationAsgs) }
      : rule.destinationAddressPrefixes.length === 1
        ? { destinationAddressPrefix: rule.destinationAddressPrefixes[0] }
        : { destinationAddressPrefixes: [...rule.destinationAddressPrefixes] };
  return {
    name: rule.name,
    priority: rule.priority,
    direction: rule.direction,
    access: rule.access,
    protocol: rule.protocol,
    sourcePortRange: "*",
    ...source,
    ...destination,
    ...(rule.destinationPorts.length === 1
      ? { destinationPortRange: rule.destinationPorts[0] }
      : { destinationPortRanges: [...rule.destinationPorts] }),
    ...(rule.description !== undefined ? { description: rule.description } : {}),
  };
}

export class NetworkSecurityGroup extends pulumi.ComponentResource {
  /** Azure resource id of the NSG, for subnet or NIC association. */
  readonly nsgId: pulumi.Output<string>;
  /** Azure name of the NSG. */
  readonly name: pulumi.Output<string>;
  /** Azure resource ids of the application security groups, keyed by name. */
  readonly asgIds: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: NetworkSecurityGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("azlab:network:NetworkSecurityGroup", name, {}, opts);
    const { settings, problems } = networkSecurityGroupSettings(args);
    throwProblems(problems, undefined, `NetworkSecurityGroup "${name}" has invalid arguments:`);

    this.asgIds = {};
    for (const [key, spec] of Object.entries(settings.applicationSecurityGroups)) {
      // Auto-named: ASG names are unique per resource group, and several NSGs may define `web`.
      const asg = new network.ApplicationSecurityGroup(
        `${name}-${key}`,
        {
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          tags: mergeTags(args.tags, spec.tags),
        },
        { parent: this },
      );
      this.asgIds[key] = asg.id;
    }

    const nsg = new network.NetworkSecurityGroup(
      `${name}-nsg`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        // Inline rules: the NSG owns its whole rule set, so removing a rule from the record removes it in Azure.
        securityRules: settings.rules.map((rule) => toSecurityRule(rule, this.asgIds)),
        tags: args.tags,
      },
      { parent: this },
    );
    this.nsgId = nsg.id;
    this.name = nsg.name;
    this.registerOutputs({ nsgId: this.nsgId, name: this.name, asgIds: this.asgIds });
  }
}

function mergeTags(
  base: pulumi.Input<Record<string, pulumi.Input<string>>> | undefined,
  extra: Record<string, string> | undefined,
): pulumi.Input<Record<string, pulumi.Input<string>>> | undefined {
  if (extra === undefined) return base;
  if (base === undefined) return extra;
  return pulumi.output(base).apply((b) => ({ ...b, ...extra }));
}
