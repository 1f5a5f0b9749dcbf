/**
 * Defaults and validation for the PublicIp component, plus the SKU and zone checks the scale set's load
 * balancer shares. Basic public IPs and load balancers were retired on 30 September 2025 ("Upgrade to
 * Standard SKU public IP addresses", learn.microsoft.com/azure/virtual-network/ip-services), so Basic is
 * refused by name instead of letting Azure fail halfway through a deployment.
 */
import type { Problem } from "../errors.ts";
import { resolveAzureName, resolveNameParts, type AzureNaming } from "./names.ts";

/** The plain (non-Output) settings of a PublicIp. */
export interface PublicIpOptions extends AzureNaming {
  /** Azure name of the address. Defaults to `pip-<nameParts>`. */
  readonly publicIpName?: string;
  /** SKU name. Defaults to `Standard`, the only value accepted (`Basic` was retired on 30 September 2025). */
  readonly sku?: string;
  /**
   * Availability zones, e.g. `["1", "2", "3"]` for a zone-redundant address. Defaults to none (no zone
   * guarantee); zone support differs per region, so it is the caller's choice.
   */
  readonly zones?: readonly string[];
  /**
   * DNS label: the address gets `<label>.<region>.cloudapp.azure.com`. 3–63 characters, lowercase letters,
   * digits and hyphens, starting with a letter. Defaults to none (no DNS name, no `fqdn` output).
   */
  readonly dnsLabel?: string;
  /** `IPv4` or `IPv6`. Defaults to `IPv4`. */
  readonly ipVersion?: "IPv4" | "IPv6";
}

/** The options with every default applied. */
export interface NormalizedPublicIp {
  readonly publicIpName: string;
  readonly sku: "Standard";
  readonly zones: readonly string[];
  readonly dnsLabel?: string;
  readonly ipVersion: "IPv4" | "IPv6";
}

export const DNS_LABEL = /^[a-z][a-z0-9-]{1,61}[a-z0-9]$/;

/** Refuses zones other than Azure's "1", "2" and "3"; one problem per unknown zone. */
export function zoneProblems(zones: readonly string[], path: string): Problem[] {
  return zones
    .filter((zone) => !["1", "2", "3"].includes(zone))
    .map((zone) => ({ path, message: "has an unknown zone", value: zone, allowed: `"1", "2", "3"` }));
}

/** Refuses every SKU but Standard; Basic gets the retirement date so the user knows it is not a typo. */
export function standardSkuProblems(sku: string | undefined, path: string, what: string): Problem[] {
  if (sku === undefined || sku === "Standard") return [];
  if (sku.toLowerCase() === "basic") {
    return [
      {
        path,
        message: `the Basic ${what} SKU was retired on 30 September 2025 and can no longer be created`,
        value: sku,
        allowed: `"Standard"`,
      },
    ];
  }
  return [{ path, message: `is not a ${what} SKU azlab supports`, value: sku, allowed: `"Standard"` }];
}

/** Problems with a DNS label at `path`. */
export function dnsLabelProblems(dnsLabel: string | undefined, path: string): Problem[] {
  if (dnsLabel === undefined || DNS_LABEL.test(dnsLabel)) return [];
  return [
    {
      path,
      message: "is not a valid DNS label",
      value: dnsLabel,
      allowed:
        "3 to 63 lowercase letters, digits or hyphens, starting with a letter and ending with a letter or digit",
    },
  ];
}

/** Applies defaults and validates. Returns the settings, or every problem found. */
export function normalizePublicIp(
  options: PublicIpOptions,
  componentName: string,
): { value: NormalizedPublicIp; problems: [] } | { value?: undefined; problems: Problem[] } {
  const { parts, problems } = resolveNameParts(options, componentName);
  const publicIpName = resolveAzureName("publicIp", options.publicIpName, "publicIpName", parts, problems);
  problems.push(...standardSkuProblems(options.sku, "sku", "public IP"));
  problems.push(...zoneProblems(options.zones ?? [], "zones"));
  problems.push(...dnsLabelProblems(options.dnsLabel, "dnsLabel"));
  const ipVersion = options.ipVersion ?? "IPv4";
  if (ipVersion !== "IPv4" && ipVersion !== "IPv6") {
    problems.push({
      path: "ipVersion",
      message: "is not supported",
      value: ipVersion,
      allowed: `"IPv4", "IPv6"`,
    });
  }
  if (problems.length > 0) return { problems };
  return {
    value: {
      publicIpName,
      sku: "Standard",
      zones: [...(options.zones ?? [])],
      ...(options.dnsLabel !== undefined ? { dnsLabel: options.dnsLabel } : {}),
      ipVersion,
    },
    problems: [],
  };
}
