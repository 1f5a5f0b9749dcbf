/**
 * NSG rules as plain data: the model users write, its validation and priority assignment.
 * Pure (no Pulumi), so the plan, the policy pack and the NetworkSecurityGroup component share one
 * reading of a rule set, and every problem is found before a resource is registered.
 */
import { parseAddress, parsePrefix, formatPrefix } from "../cidr/address.ts";
import type { Problem } from "../errors.ts";

export type NsgDirection = "Inbound" | "Outbound";
export type NsgAccess = "Allow" | "Deny";
export type NsgProtocol = "Tcp" | "Udp" | "Icmp" | "Esp" | "Ah" | "*";
/** A port (`22`), a port or range as text (`"80"`, `"8000-8080"`, `"*"`), or a list of those. */
export type NsgPorts = number | string | readonly (number | string)[];

/** One security rule. Its name is the key of the record that holds it. */
export interface NsgRule {
  /** 100–4096, unique per direction. Defaults to the next free multiple of 10 from 100, in record order. */
  readonly priority?: number;
  /** `Inbound` or `Outbound`. Required. */
  readonly direction: NsgDirection;
  /** `Allow` or `Deny`. Required. */
  readonly access: NsgAccess;
  /** `Tcp`, `Udp`, `Icmp`, `Esp`, `Ah` or `*`. Required. */
  readonly protocol: NsgProtocol;
  /** CIDRs or addresses, service tags (`Internet`, `VirtualNetwork`, `AzureLoadBalancer`, `*`) or `asg:<name>`. */
  readonly source: string | readonly string[];
  /** Same forms as `source`. */
  readonly destination: string | readonly string[];
  /** Destination ports. Source ports are always `*`: clients pick ephemeral ports. */
  readonly ports: NsgPorts;
  /** Shown in the portal. At most 140 characters (Azure's limit). */
  readonly description?: string;
}

export type NsgRules = Readonly<Record<string, NsgRule>>;

/** A documented exception to the management-port check, keyed by rule name. */
export interface NsgWaiver {
  /** Why the rule may stay open, for whoever reviews the stack. Must not be empty. */
  readonly reason: string;
}

/** A validated rule with its final priority, in the shape Azure's SecurityRule wants. */
export interface NormalizedRule {
  readonly name: string;
  readonly priority: number;
  readonly direction: NsgDirection;
  readonly access: NsgAccess;
  readonly protocol: NsgProtocol;
  /** Address prefixes and service tags; empty when the side uses application security groups. */
  readonly sourceAddressPrefixes: readonly string[];
  /** Names of application security groups (without the `asg:` prefix). */
  readonly sourceAsgs: readonly string[];
  readonly destinationAddressPrefixes: readonly string[];
  readonly destinationAsgs: readonly string[];
  /** Port texts: `"22"`, `"8000-8080"` or `"*"`. */
  readonly destinationPorts: readonly string[];
  readonly description?: string;
}

export interface NormalizeOptions {
  /** Key path of the rule set, e.g. `azlab:nsg`. Rules are reported under `<path>.rules.<name>`, waivers under `<path>.waivers.<name>`. */
  readonly path: string;
  /** Waivers for the management-port check, keyed by rule name. */
  readonly waivers?: Readonly<Record<string, NsgWaiver>>;
  /** When given, every `asg:<name>` must name one of these. */
  readonly asgNames?: readonly string[];
}

export const PRIORITY_MIN = 100;
export const PRIORITY_MAX = 4096;
/** Auto-assigned priorities are spaced so a rule can be inserted later without renumbering. */
export const PRIORITY_STEP = 10;

/**
 * Ports that must never be open to the whole internet (remote shells, SMB/RPC, databases, Docker),
 * with what listens there. The NSG check, the guardrails and the plan diff all use this one list.
 */
export const MANAGEMENT_PORTS: Readonly<Record<number, string>> = {
  22: "SSH",
  23: "Telnet",
  135: "RPC",
  139: "NetBIOS",
  445: "SMB",
  1433: "SQL Server",
  1434: "SQL Server Browser",
  2375: "Docker",
  2376: "Docker over TLS",
  3306: "MySQL",
  3389: "RDP",
  5432: "PostgreSQL",
  5985: "WinRM",
  5986: "WinRM over HTTPS",
  6379: "Redis",
  9200: "Elasticsearch",
  27017: "MongoDB",
};

/** The management ports a destination port text ("22", "8000-8080") covers; none for "*" or bad text. */
export function managementPortsIn(portText: string): number[] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(portText.trim());
  if (!match) return [];
  const low = Number(match[1]);
  const high = Number(match[2] ?? match[1]);
  return Object.keys(MANAGEMENT_PORTS)
    .map(Number)
    .filter((port) => port >= low && port <= high);
}

/** True for a source prefix that means "anyone on the internet" (`Any` is the portal's word for `*`). */
export function isInternetSource(prefix: string): boolean {
  return INTERNET_SOURCES.has(prefix.trim().toLowerCase());
}

const DIRECTIONS: readonly string[] = ["Inbound", "Outbound"];
const ACCESSES: readonly string[] = ["Allow", "Deny"];
const PROTOCOLS: readonly string[] = ["Tcp", "Udp", "Icmp", "Esp", "Ah", "*"];
const INTERNET_SOURCES: ReadonlySet<string> = new Set([
  "*",
  "internet",
  "any",
  "0.0.0.0/0",
  "0.0.0.0",
  "::/0",
]);
/**
 * Azure's name rule for network resources and their sub-resources (security rules, application security
 * groups, load-balancing rules): 1–80 characters, letters, digits, `_ . -`; starts with a letter or digit,
 * ends with a letter, digit or `_`.
 */
export const NETWORK_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/;
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
    parsed.push({ name, rule, source, destination, ports });

    const openPorts = managementPortsOpenedBy(ports);
    const fromInternet = source.prefixes.some(isInternetSource);
    const carriesPorts = rule.protocol === "Tcp" || rule.protocol === "Udp" || rule.protocol === "*";
    if (
      rule.direction === "Inbound" &&
      rule.access === "Allow" &&
      carriesPorts &&
      fromInternet &&
      openPorts !== undefined &&
      !waivers[name]
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

  const priorities = assignPriorities(parsed, rulePath, problems);
  const normalized = parsed.map(({ name, rule, source, destination, ports }) => ({
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

// --- Rule helpers: each returns a one-entry record to spread into a rule set. ---

/** Options shared by the rule helpers. */
export interface RuleHelperOptions {
  /** Rule name (the record key). Each helper documents its default. */
  readonly name?: string;
  /** Explicit priority. Defaults to automatic assignment (denyAllInbound: 4096). */
  readonly priority?: number;
}

function one(name: string, rule: NsgRule, priority: number | undefined): NsgRules {
  return { [name]: priority === undefined ? rule : { ...rule, priority } };
}

const list = (cidrs: string | readonly string[]) => (typeof cidrs === "string" ? cidrs : [...cidrs]);

/** An Allow Inbound Tcp rule to one port on any destination; the four port helpers below differ only in these. */
function allowTcpInbound(
  defaultName: string,
  source: string | string[],
  port: number,
  options: RuleHelperOptions,
): NsgRules {
  return one(
    options.name ?? defaultName,
    { direction: "Inbound", access: "Allow", protocol: "Tcp", source, destination: "*", ports: port },
    options.priority,
  );
}

/** Allows SSH (Tcp 22) from the given ranges. Name defaults to `allow-ssh`. */
export function sshFrom(cidrs: string | readonly string[], options: RuleHelperOptions = {}): NsgRules {
  return allowTcpInbound("allow-ssh", list(cidrs), 22, options);
}

/** Allows RDP (Tcp 3389) from the given ranges. Name defaults to `allow-rdp`. */
export function rdpFrom(cidrs: string | readonly string[], options: RuleHelperOptions = {}): NsgRules {
  return allowTcpInbound("allow-rdp", list(cidrs), 3389, options);
}

/** Allows HTTP (Tcp 80) from the Internet service tag. Name defaults to `allow-http`. */
export function httpFromInternet(options: RuleHelperOptions = {}): NsgRules {
  return allowTcpInbound("allow-http", "Internet", 80, options);
}

/** Allows HTTPS (Tcp 443) from the Internet service tag. Name defaults to `allow-https`. */
export function httpsFromInternet(options: RuleHelperOptions = {}): NsgRules {
  return allowTcpInbound("allow-https", "Internet", 443, options);
}

/**
 * Allows the load balancer's health probes. Needed with denyAllInbound, which outranks Azure's
 * built-in AllowAzureLoadBalancerInBound rule (65001). Name defaults to `allow-lb-probe`.
 */
export function allowAzureLoadBalancerProbe(options: RuleHelperOptions = {}): NsgRules {
  return one(
    options.name ?? "allow-lb-probe",
    {
      direction: "Inbound",
      access: "Allow",
      protocol: "*",
      source: "AzureLoadBalancer",
      destination: "*",
      ports: "*",
    },
    options.priority,
  );
}

/**
 * Denies inbound traffic from other students' ranges (or the whole VirtualNetwork tag), so one
 * student's machines cannot reach another's. Name defaults to `deny-lateral`.
 */
export function denyLateral(
  others: readonly string[] | "VirtualNetwork",
  options: RuleHelperOptions = {},
): NsgRules {
  return one(
    options.name ?? "deny-lateral",
    {
      direction: "Inbound",
      access: "Deny",
      protocol: "*",
      source: others === "VirtualNetwork" ? "VirtualNetwork" : [...others],
      destination: "*",
      ports: "*",
    },
    options.priority,
  );
}

/** Denies all other inbound traffic at priority 4096, below every rule azlab assigns. Name defaults to `deny-all-inbound`. */
export function denyAllInbound(options: RuleHelperOptions = {}): NsgRules {
  return one(
    options.name ?? "deny-all-inbound",
    { direction: "Inbound", access: "Deny", protocol: "*", source: "*", destination: "*", ports: "*" },
    options.priority ?? PRIORITY_MAX,
  );
}
