/**
 * Validation of an NSG rule set and priority assignment. Pure (no Pulumi), so the plan, the policy
 * pack and the NetworkSecurityGroup component share one reading of a rule set, and every problem is
 * found before a resource is registered.
 */
import { parseAddress, parsePrefix, formatPrefix } from "../cidr/address.ts";
import type { Problem } from "../errors.ts";
import {
  ASGS_PER_NSG,
  ASGS_PER_RULE_SIDE,
  isInternetSource,
  isWaived,
  managementPortsIn,
  NETWORK_NAME,
  PRIORITY_MAX,
  PRIORITY_MIN,
  PRIORITY_STEP,
} from "./nsgModel.ts";
import type { NormalizedRule, NormalizeOptions, NsgPorts, NsgRule, NsgRules } from "./nsgModel.ts";

const DIRECTIONS: readonly string[] = ["Inbound", "Outbound"];
const ACCESSES: readonly string[] = ["Allow", "Deny"];
const PROTOCOLS: readonly string[] = ["Tcp", "Udp", "Icmp", "Esp", "Ah", "*"];
/** Service tags such as `Internet`, `VirtualNetwork`, `Storage.WestEurope`. */
const SERVICE_TAG = /^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*$/;

/** Validates `rules` and assigns the missing priorities. Never throws: problems are returned. */
export function normalizeNsgRules(
  rules: NsgRules,
  options: NormalizeOptions,
): { rules: NormalizedRule[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const waivers = options.waivers ?? {};
  const rulePath = (name: string) => `${options.path}.rules.${name}`;

  const seenNames = new Map<string, string>();
  const parsed: {
    name: string;
    rule: NsgRule;
    source: ParsedSide;
    destination: ParsedSide;
    ports: string[];
    sourcePorts: string[];
  }[] = [];
  for (const [name, rule] of Object.entries(rules)) {
    const path = rulePath(name);
    if (!NETWORK_NAME.test(name)) {
      problems.push({
        path,
        message: "is not a valid rule name",
        value: name,
        allowed:
          "1 to 80 letters, digits, underscores, periods or hyphens, starting with a letter or digit and ending with a letter, digit or underscore",
      });
    }
    // Azure compares names without case, so `SSH` and `ssh` are the same rule.
    const clash = seenNames.get(name.toLowerCase());
    if (clash !== undefined) {
      problems.push({
        path,
        message: `has the same name as rule "${clash}" when case is ignored`,
        allowed: "rule names that differ other than in case",
      });
    }
    seenNames.set(name.toLowerCase(), name);

    checkEnum(rule.direction, DIRECTIONS, `${path}.direction`, problems);
    checkEnum(rule.access, ACCESSES, `${path}.access`, problems);
    checkEnum(rule.protocol, PROTOCOLS, `${path}.protocol`, problems);
    if (rule.description !== undefined && rule.description.length > 140) {
      problems.push({
        path: `${path}.description`,
        message: `is ${rule.description.length} characters long`,
        allowed: "at most 140 characters",
      });
    }
    const source = parseSide(rule.source, `${path}.source`, options.asgNames, problems);
    const destination = parseSide(rule.destination, `${path}.destination`, options.asgNames, problems);
    const ports = parsePorts(rule.ports, `${path}.ports`, problems);
    const sourcePorts =
      rule.sourcePorts === undefined ? ["*"] : parsePorts(rule.sourcePorts, `${path}.sourcePorts`, problems);
    parsed.push({ name, rule, source, destination, ports, sourcePorts });

    const openPorts = managementPortsOpenedBy(ports);
    const fromInternet = source.prefixes.some(isInternetSource);
    const carriesPorts = rule.protocol === "Tcp" || rule.protocol === "Udp" || rule.protocol === "*";
    if (
      rule.direction === "Inbound" &&
      rule.access === "Allow" &&
      carriesPorts &&
      fromInternet &&
      openPorts !== undefined &&
      !isWaived(waivers, name)
    ) {
      const target =
        openPorts === "all"
          ? "every port, management ports included,"
          : `management port${openPorts.length > 1 ? "s" : ""} ${openPorts.join(", ")}`;
      problems.push({
        path: `${path}.source`,
        message: `Allow Inbound from the internet to ${target} is refused`,
        value: rule.source,
        allowed: `specific CIDRs such as a campus range, or add a waiver under ${options.path}.waivers.${name} with a reason`,
      });
    }
  }

  for (const [name, waiver] of Object.entries(waivers)) {
    const path = `${options.path}.waivers.${name}`;
    if (!Object.hasOwn(rules, name)) {
      problems.push({
        path,
        message: "names no rule",
        value: name,
        allowed: `one of: ${Object.keys(rules).join(", ") || "(no rules)"}`,
      });
    }
    if (typeof waiver?.reason !== "string" || waiver.reason.trim() === "") {
      problems.push({
        path: `${path}.reason`,
        message: "is missing",
        allowed: "a sentence saying why the rule may stay open",
      });
    }
  }

  const referenced = new Set(parsed.flatMap((p) => [...p.source.asgs, ...p.destination.asgs]));
  if (referenced.size > ASGS_PER_NSG) {
    problems.push({
      path: `${options.path}.rules`,
      message: `name ${referenced.size} different application security groups`,
      allowed: `at most ${ASGS_PER_NSG} per NSG (Azure's limit)`,
    });
  }

  const priorities = assignPriorities(parsed, rulePath, problems);
  const normalized = parsed.map(({ name, rule, source, destination, ports, sourcePorts }) => ({
    name,
    priority: priorities.get(name) ?? 0,
    direction: rule.direction,
    access: rule.access,
    protocol: rule.protocol,
    sourceAddressPrefixes: source.prefixes,
    sourceAsgs: source.asgs,
    destinationAddressPrefixes: destination.prefixes,
    destinationAsgs: destination.asgs,
    destinationPorts: ports,
    sourcePorts,
    ...(rule.description !== undefined ? { description: rule.description } : {}),
  }));
  return { rules: normalized, problems };
}

/** Keeps explicit priorities; gives the others the next free multiple of 10 from 100, per direction, in record order. */
function assignPriorities(
  parsed: readonly { name: string; rule: NsgRule }[],
  rulePath: (name: string) => string,
  problems: Problem[],
): Map<string, number> {
  const result = new Map<string, number>();
  const used = new Map<string, Map<number, string>>();
  const usedIn = (direction: string) => {
    let byPriority = used.get(direction);
    if (!byPriority) {
      byPriority = new Map();
      used.set(direction, byPriority);
    }
    return byPriority;
  };
  for (const { name, rule } of parsed) {
    if (rule.priority === undefined) continue;
    const path = `${rulePath(name)}.priority`;
    if (!Number.isInteger(rule.priority) || rule.priority < PRIORITY_MIN || rule.priority > PRIORITY_MAX) {
      problems.push({
        path,
        message: "is out of range",
        value: rule.priority,
        allowed: `an integer from ${PRIORITY_MIN} to ${PRIORITY_MAX}`,
      });
      continue;
    }
    const taken = usedIn(rule.direction);
    const holder = taken.get(rule.priority);
    if (holder !== undefined) {
      problems.push({
        path,
        message: `${rule.direction} priority ${rule.priority} is already used by rule "${holder}"`,
        value: rule.priority,
        allowed: `a priority no other ${rule.direction} rule uses`,
      });
      continue;
    }
    taken.set(rule.priority, name);
    result.set(name, rule.priority);
  }
  const next = new Map<string, number>();
  for (const { name, rule } of parsed) {
    if (rule.priority !== undefined) continue;
    const taken = usedIn(rule.direction);
    let candidate = next.get(rule.direction) ?? PRIORITY_MIN;
    while (taken.has(candidate)) candidate += PRIORITY_STEP;
    if (candidate > PRIORITY_MAX) {
      problems.push({
        path: `${rulePath(name)}.priority`,
        message: `no free ${rule.direction} priority is left for this rule`,
        allowed: `at most ${Math.floor((PRIORITY_MAX - PRIORITY_MIN) / PRIORITY_STEP) + 1} rules with automatic priorities per direction`,
      });
      continue;
    }
    taken.set(candidate, name);
    result.set(name, candidate);
    next.set(rule.direction, candidate + PRIORITY_STEP);
  }
  return result;
}

interface ParsedSide {
  prefixes: string[];
  asgs: string[];
}

function parseSide(
  value: string | readonly string[],
  path: string,
  asgNames: readonly string[] | undefined,
  problems: Problem[],
): ParsedSide {
  const entries = typeof value === "string" ? [value] : [...(value ?? [])];
  const side: ParsedSide = { prefixes: [], asgs: [] };
  if (entries.length === 0) {
    problems.push({ path, message: "is empty", allowed: ADDRESS_FORMS });
    return side;
  }
  for (const entry of entries) {
    if (typeof entry !== "string") {
      problems.push({ path, message: "has an entry that is not text", value: entry, allowed: ADDRESS_FORMS });
      continue;
    }
    if (entry.startsWith("asg:")) {
      const asg = entry.slice(4);
      if (asgNames !== undefined && !asgNames.includes(asg)) {
        problems.push({
          path,
          message: `names an application security group that is not defined`,
          value: entry,
          allowed:
            asgNames.length > 0
              ? asgNames.map((n) => `asg:${n}`).join(", ")
              : "no asg: entries (none defined)",
        });
      }
      side.asgs.push(asg);
      continue;
    }
    if (entry.includes("/")) {
      const prefix = parsePrefix(entry);
      if (!prefix) {
        problems.push({ path, message: "has an invalid CIDR", value: entry, allowed: ADDRESS_FORMS });
      } else if (prefix.address !== prefix.network) {
        problems.push({
          path,
          message: "has a CIDR with host bits set",
          value: entry,
          allowed: formatPrefix(prefix),
        });
      }
      side.prefixes.push(entry);
      continue;
    }
    if (entry === "*" || entry.toLowerCase() === "any") {
      side.prefixes.push("*");
      continue;
    }
    if (parseAddress(entry) || SERVICE_TAG.test(entry)) {
      side.prefixes.push(entry);
      continue;
    }
    problems.push({
      path,
      message: "has an entry that is no address, CIDR or service tag",
      value: entry,
      allowed: ADDRESS_FORMS,
    });
  }
  if (side.asgs.length > ASGS_PER_RULE_SIDE) {
    problems.push({
      path,
      message: `names ${side.asgs.length} application security groups`,
      allowed: `at most ${ASGS_PER_RULE_SIDE} (Azure's limit per rule side)`,
    });
  }
  // Azure takes either address prefixes or application security groups on one side of a rule, not both.
  if (side.asgs.length > 0 && side.prefixes.length > 0) {
    problems.push({
      path,
      message: "mixes application security groups with addresses",
      value: value,
      allowed: "only asg: entries, or only addresses and service tags",
    });
  }
  if (side.prefixes.includes("*") && side.prefixes.length > 1) {
    problems.push({ path, message: `lists "*" with other entries`, value, allowed: `"*" alone` });
  }
  return side;
}

const ADDRESS_FORMS =
  "CIDRs (10.1.0.0/24), addresses, service tags (Internet, VirtualNetwork, AzureLoadBalancer, *) or asg:<name>";
const PORT_FORMS = `ports from 0 to 65535, ranges "lo-hi" with lo <= hi, or "*"`;

function parsePorts(value: NsgPorts, path: string, problems: Problem[]): string[] {
  const entries = Array.isArray(value)
    ? [...(value as readonly (number | string)[])]
    : [value as number | string];
  if (entries.length === 0) {
    problems.push({ path, message: "is empty", allowed: PORT_FORMS });
    return [];
  }
  const result: string[] = [];
  for (const entry of entries) {
    const text =
      typeof entry === "number" ? String(entry) : typeof entry === "string" ? entry.trim() : undefined;
    const match = text === undefined ? null : /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
    if (text === "*") {
      result.push("*");
      continue;
    }
    const lo = match ? Number(match[1]) : NaN;
    const hi = match ? Number(match[2] ?? match[1]) : NaN;
    if (
      !match ||
      (typeof entry === "number" && !Number.isInteger(entry)) ||
      lo > 65535 ||
      hi > 65535 ||
      lo > hi
    ) {
      problems.push({ path, message: "has an invalid port", value: entry, allowed: PORT_FORMS });
      continue;
    }
    result.push(lo === hi ? String(lo) : `${lo}-${hi}`);
  }
  if (result.includes("*") && entries.length > 1) {
    problems.push({ path, message: `lists "*" with other ports`, value, allowed: `"*" alone` });
  }
  return result;
}

/** The management ports a port list opens: "all" for `*`, undefined for none. */
function managementPortsOpenedBy(ports: readonly string[]): number[] | "all" | undefined {
  if (ports.includes("*")) return "all";
  const hit = [...new Set(ports.flatMap(managementPortsIn))].sort((a, b) => a - b);
  return hit.length > 0 ? hit : undefined;
}

function checkEnum(value: unknown, allowed: readonly string[], path: string, problems: Problem[]): void {
  if (typeof value !== "string" || !allowed.includes(value)) {
    problems.push({
      path,
      message: "is not supported",
      value,
      allowed: allowed.map((a) => `"${a}"`).join(", "),
    });
  }
}
