/** Ready-made NSG rules: each helper returns a one-entry record to spread into a rule set. Pure. */
import { PRIORITY_MAX } from "./nsgModel.ts";
import type { NsgRule, NsgRules } from "./nsgModel.ts";

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
