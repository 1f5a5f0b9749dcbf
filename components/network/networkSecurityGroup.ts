/**
 * A network security group whose rules are validated and numbered by src/network/nsgRules.ts,
 * plus the application security groups those rules name.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network/index.js";
import type * as inputs from "@pulumi/azure-native/types/input.js";
import type { NormalizedRule } from "../../src/network/nsgRules.ts";
import { logicalName } from "../../src/naming/azureNames.ts";
import { securityRuleProps } from "../../src/network/securityRuleProps.ts";
import {
  normalizeNetworkSecurityGroup,
  type NetworkSecurityGroupOptions,
} from "../../src/validation/networkSecurityGroup.ts";
import { valueOrThrow } from "../shared/validated.ts";

export interface NetworkSecurityGroupArgs extends NetworkSecurityGroupOptions {
  /** Resource group of the NSG and its application security groups. Required. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region. Required; must match the subnets or NICs the NSG is attached to. */
  readonly location: pulumi.Input<string>;
  /** Tags for every resource. Defaults to none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Resource ids of existing application security groups that rules name as `asg:<name>`. Defaults to none. */
  readonly applicationSecurityGroupIds?: Readonly<Record<string, pulumi.Input<string>>>;
}

/** Maps a normalized rule to Azure's shape (src/network/securityRuleProps.ts, which `azlab validate` uses too). */
export function toSecurityRule(
  rule: NormalizedRule,
  asgIds: Readonly<Record<string, pulumi.Input<string>>>,
): inputs.network.SecurityRuleArgs {
  return securityRuleProps(rule, asgIds);
}

export class NetworkSecurityGroup extends pulumi.ComponentResource {
  /** Azure resource id of the NSG, for subnet or NIC association. */
  readonly nsgId: pulumi.Output<string>;
  /** Azure name of the NSG. */
  readonly name: pulumi.Output<string>;
  /** Azure resource ids of the application security groups this component created, keyed by name. */
  readonly asgIds: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: NetworkSecurityGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super() so that invalid input registers nothing, not even the component.
    const s = valueOrThrow(
      normalizeNetworkSecurityGroup(args, name),
      `NetworkSecurityGroup "${name}" has invalid arguments:`,
    );
    super("azlab:network:NetworkSecurityGroup", name, {}, opts);

    this.asgIds = {};
    for (const spec of s.applicationSecurityGroups) {
      const asg = new network.ApplicationSecurityGroup(
        logicalName(name, spec.key),
        {
          applicationSecurityGroupName: spec.asgName,
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          tags: mergeTags(args.tags, spec.tags),
        },
        { parent: this },
      );
      this.asgIds[spec.key] = asg.id;
    }

    const nsg = new network.NetworkSecurityGroup(
      name,
      {
        networkSecurityGroupName: s.nsgName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        // Inline rules: the NSG owns its whole rule set, so removing a rule from the record removes it in Azure.
        securityRules: s.rules.map((rule) =>
          toSecurityRule(rule, { ...args.applicationSecurityGroupIds, ...this.asgIds }),
        ),
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
  extra: Readonly<Record<string, string>> | undefined,
): pulumi.Input<Record<string, pulumi.Input<string>>> | undefined {
  if (extra === undefined) return base;
  if (base === undefined) return extra;
  return pulumi.output(base).apply((b) => ({ ...b, ...extra }));
}
