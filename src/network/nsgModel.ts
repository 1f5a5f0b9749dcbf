/**
 * The NSG rule model users write, and the facts about ports and sources that the validator, the
 * guardrails and the plan diff share. Pure (no Pulumi).
 */
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
  /** Destination ports. */
  readonly ports: NsgPorts;
  /** Source ports, same forms as `ports`. Defaults to `*`: clients pick ephemeral ports, so a narrower set rarely matches. */
  readonly sourcePorts?: NsgPorts;
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
  /** Source port texts, same forms; `["*"]` unless the rule names source ports. */
  readonly sourcePorts: readonly string[];
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

/**
 * Azure's limits on application security groups ("Azure subscription and service limits", networking
 * limits; azure-docs includes/azure-virtual-network-limits.md): per source or destination of one rule,
 * across all rules of one NSG, and per NIC IP configuration.
 */
export const ASGS_PER_RULE_SIDE = 10;
export const ASGS_PER_NSG = 100;
export const ASGS_PER_IP_CONFIGURATION = 20;

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

/**
 * True when `waivers` holds a written reason for rule `ruleName`. The NSG validation and the
 * AZL-NSG-001/002 guardrails both ask this, so one waiver in `azlab:nsg.waivers` satisfies both.
 */
export function isWaived(
  waivers: Readonly<Record<string, NsgWaiver>> | undefined,
  ruleName: string,
): boolean {
  if (!waivers || !Object.hasOwn(waivers, ruleName)) return false;
  const reason: unknown = waivers[ruleName]?.reason;
  return typeof reason === "string" && reason.trim() !== "";
}

/** True for a source prefix that means "anyone on the internet" (`Any` is the portal's word for `*`). */
export function isInternetSource(prefix: string): boolean {
  return INTERNET_SOURCES.has(prefix.trim().toLowerCase());
}

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
