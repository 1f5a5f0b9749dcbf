/**
 * Defaults and validation for the NetworkSecurityGroup component. Rule checks and priority numbering live
 * in src/network/nsgRules.ts (shared with the guardrails and the diff); this adds the component's own
 * arguments: application security group names and Azure names.
 */
import type { Problem } from "../errors.ts";
import { NETWORK_NAME, normalizeNsgRules } from "../network/nsgRules.ts";
import type { NormalizedRule, NsgRules, NsgWaiver } from "../network/nsgRules.ts";
import { relative, ROOT } from "./checks.ts";
import { resolveAzureName, resolveNameParts, type AzureNaming } from "./names.ts";

export interface ApplicationSecurityGroupOptions {
  /** Tags for this group only, merged over the component's `tags`. Defaults to none. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The plain (non-Output) settings of a NetworkSecurityGroup. */
export interface NetworkSecurityGroupOptions extends AzureNaming {
  /** Azure name of the NSG. Defaults to `nsg-<nameParts>`. */
  readonly nsgName?: string;
  /**
   * Security rules keyed by rule name (the Azure rule name). Defaults to none (Azure's built-in rules only).
   * Missing priorities are assigned per direction in steps of 10 from 100, in record order.
   * Allow Inbound from the internet to a management port is refused unless `waivers` names the rule.
   */
  readonly rules?: NsgRules;
  /** Exceptions to the management-port check, keyed by rule name, each with a reason. Defaults to none. */
  readonly waivers?: Readonly<Record<string, NsgWaiver>>;
  /**
   * Application security groups to create, keyed by name; rules refer to them as `asg:<name>`. Each gets
   * the Azure name `asg-<nameParts>-<name>`. Defaults to none. A rule side cannot mix `asg:` entries with
   * addresses.
   */
  readonly applicationSecurityGroups?: Readonly<Record<string, ApplicationSecurityGroupOptions>>;
  /**
   * Application security groups that exist already (another NSG of the same VNet made them), by name: rules
   * may name them as `asg:<name>` too. Defaults to none. A name may not also be in `applicationSecurityGroups`.
   */
  readonly applicationSecurityGroupIds?: Readonly<Record<string, unknown>>;
}

/** One application security group with its Azure name. */
export interface NormalizedApplicationSecurityGroup {
  readonly key: string;
  readonly asgName: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** The options with every default applied. */
export interface NormalizedNetworkSecurityGroup {
  readonly nsgName: string;
  readonly rules: readonly NormalizedRule[];
  readonly applicationSecurityGroups: readonly NormalizedApplicationSecurityGroup[];
}

/** Applies defaults and validates. Returns the settings, or every problem found. */
export function normalizeNetworkSecurityGroup(
  options: NetworkSecurityGroupOptions,
  componentName: string,
): { value: NormalizedNetworkSecurityGroup; problems: [] } | { value?: undefined; problems: Problem[] } {
  const { parts, problems } = resolveNameParts(options, componentName);
  const nsgName = resolveAzureName("networkSecurityGroup", options.nsgName, "nsgName", parts, problems);
  const applicationSecurityGroups: NormalizedApplicationSecurityGroup[] = [];
  for (const [key, spec] of Object.entries(options.applicationSecurityGroups ?? {})) {
    if (!NETWORK_NAME.test(key)) {
      problems.push({
        path: `applicationSecurityGroups.${key}`,
        message: "is not a valid application security group name",
        value: key,
        allowed:
          "1 to 80 letters, digits, underscores, periods or hyphens, starting with a letter or digit and ending with a letter, digit or underscore",
      });
    }
    applicationSecurityGroups.push({
      key,
      asgName: resolveAzureName("applicationSecurityGroup", undefined, "", parts, problems, key),
      ...(spec.tags !== undefined ? { tags: spec.tags } : {}),
    });
  }
  const existing = Object.keys(options.applicationSecurityGroupIds ?? {});
  for (const key of existing.filter((k) => Object.hasOwn(options.applicationSecurityGroups ?? {}, k))) {
    problems.push({
      path: `applicationSecurityGroupIds.${key}`,
      message: "names a group this NSG also creates",
      value: key,
      allowed: "each name either in applicationSecurityGroups or in applicationSecurityGroupIds",
    });
  }
  const normalized = normalizeNsgRules(options.rules ?? {}, {
    path: ROOT,
    waivers: options.waivers ?? {},
    asgNames: [...applicationSecurityGroups.map((asg) => asg.key), ...existing],
  });
  problems.push(...normalized.problems.map(relative));
  if (problems.length > 0) return { problems };
  return { value: { nsgName, rules: normalized.rules, applicationSecurityGroups }, problems: [] };
}
