/**
 * A normalized NSG rule in Azure's SecurityRule shape. The NetworkSecurityGroup component sends these
 * inline, and `azlab validate` hands the same records to the guardrails without running Pulumi, so the
 * two can never disagree about what a rule opens. Pure: ids of application security groups are whatever
 * the caller has (Pulumi inputs in the component, placeholders in validate).
 */
import type { NormalizedRule } from "./nsgModel.ts";

/** The SecurityRule properties azlab sends; `Id` is the type of an application security group id. */
export interface SecurityRuleProps<Id> {
  readonly name: string;
  readonly priority: number;
  readonly direction: NormalizedRule["direction"];
  readonly access: NormalizedRule["access"];
  readonly protocol: NormalizedRule["protocol"];
  readonly sourcePortRange?: string;
  readonly sourcePortRanges?: string[];
  readonly sourceAddressPrefix?: string;
  readonly sourceAddressPrefixes?: string[];
  readonly sourceApplicationSecurityGroups?: { id: Id | undefined }[];
  readonly destinationAddressPrefix?: string;
  readonly destinationAddressPrefixes?: string[];
  readonly destinationApplicationSecurityGroups?: { id: Id | undefined }[];
  readonly destinationPortRange?: string;
  readonly destinationPortRanges?: string[];
  readonly description?: string;
}

/** Maps a normalized rule to Azure's shape: one prefix or port goes in the singular field, several in the plural one. */
export function securityRuleProps<Id>(
  rule: NormalizedRule,
  asgIds: Readonly<Record<string, Id>>,
): SecurityRuleProps<Id> {
  const refs = (asgs: readonly string[]) => asgs.map((asg) => ({ id: asgIds[asg] }));
  const source =
    rule.sourceAsgs.length > 0
      ? { sourceApplicationSecurityGroups: refs(rule.sourceAsgs) }
      : rule.sourceAddressPrefixes.length === 1
        ? { sourceAddressPrefix: rule.sourceAddressPrefixes[0] }
        : { sourceAddressPrefixes: [...rule.sourceAddressPrefixes] };
  const destination =
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
    ...(rule.sourcePorts.length === 1
      ? { sourcePortRange: rule.sourcePorts[0] }
      : { sourcePortRanges: [...rule.sourcePorts] }),
    ...source,
    ...destination,
    ...(rule.destinationPorts.length === 1
      ? { destinationPortRange: rule.destinationPorts[0] }
      : { destinationPortRanges: [...rule.destinationPorts] }),
    ...(rule.description !== undefined ? { description: rule.description } : {}),
  };
}
