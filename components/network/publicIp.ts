/**
 * A Standard, static public IP. Basic public IPs were retired on 30 September 2025, so azlab refuses them
 * by name instead of letting Azure fail halfway through a deployment.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network/index.js";
import { throwProblems } from "../../src/errors.ts";
import type { Problem } from "../../src/errors.ts";

export interface PublicIpArgs {
  /** Resource group of the address. Required. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region. Required; must match the load balancer or NAT gateway that uses the address. */
  readonly location: pulumi.Input<string>;
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
  /** Tags. Defaults to none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Key path of these args in the stack config, used in error messages. Defaults to `azlab:publicIp`. */
  readonly configPath?: string;
}

/** The args with every default applied. */
export interface PublicIpSettings {
  readonly sku: "Standard";
  readonly zones: readonly string[];
  readonly dnsLabel?: string;
  readonly ipVersion: "IPv4" | "IPv6";
}

export const DNS_LABEL = /^[a-z][a-z0-9-]{1,61}[a-z0-9]$/;

/** Validates the SKU, zones and DNS label and applies defaults; never throws. */
export function publicIpSettings(
  args: Pick<PublicIpArgs, "sku" | "zones" | "dnsLabel" | "ipVersion">,
  configPath: string,
): { settings: PublicIpSettings; problems: Problem[] } {
  const problems: Problem[] = [];
  problems.push(...standardSkuProblems(args.sku, `${configPath}.sku`, "public IP"));
  problems.push(...zoneProblems(args.zones ?? [], `${configPath}.zones`));
  if (args.dnsLabel !== undefined && !DNS_LABEL.test(args.dnsLabel)) {
    problems.push({
      path: `${configPath}.dnsLabel`,
      message: "is not a valid DNS label",
      value: args.dnsLabel,
      allowed:
        "3 to 63 lowercase letters, digits or hyphens, starting with a letter and ending with a letter or digit",
    });
  }
  const ipVersion = args.ipVersion ?? "IPv4";
  if (ipVersion !== "IPv4" && ipVersion !== "IPv6") {
    problems.push({
      path: `${configPath}.ipVersion`,
      message: "is not supported",
      value: ipVersion,
      allowed: `"IPv4", "IPv6"`,
    });
  }
  return {
    settings: {
      sku: "Standard",
      zones: [...(args.zones ?? [])],
      ...(args.dnsLabel !== undefined ? { dnsLabel: args.dnsLabel } : {}),
      ipVersion,
    },
    problems,
  };
}

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

export class PublicIp extends pulumi.ComponentResource {
  /** Azure resource id of the address. */
  readonly publicIpId: pulumi.Output<string>;
  /** The allocated address; static, so known once the resource exists. */
  readonly ipAddress: pulumi.Output<string | undefined>;
  /** `<label>.<region>.cloudapp.azure.com`; only when `dnsLabel` is set. */
  readonly fqdn?: pulumi.Output<string | undefined>;

  constructor(name: string, args: PublicIpArgs, opts?: pulumi.ComponentResourceOptions) {
    super("azlab:network:PublicIp", name, {}, opts);
    const { settings, problems } = publicIpSettings(args, args.configPath ?? "azlab:publicIp");
    throwProblems(problems, undefined, `PublicIp "${name}" has invalid arguments:`);

    const pip = new network.PublicIPAddress(
      `${name}-pip`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        sku: { name: settings.sku, tier: "Regional" },
        // Standard addresses are static only; said explicitly so the plan shows it.
        publicIPAllocationMethod: "Static",
        publicIPAddressVersion: settings.ipVersion,
        idleTimeoutInMinutes: 4,
        ...(settings.zones.length > 0 ? { zones: [...settings.zones] } : {}),
        ...(settings.dnsLabel !== undefined ? { dnsSettings: { domainNameLabel: settings.dnsLabel } } : {}),
        tags: args.tags,
      },
      { parent: this },
    );
    this.publicIpId = pip.id;
    this.ipAddress = pip.ipAddress;
    if (settings.dnsLabel !== undefined) {
      this.fqdn = pip.dnsSettings.apply((dns) => dns?.fqdn);
    }
    this.registerOutputs({ publicIpId: this.publicIpId, ipAddress: this.ipAddress, fqdn: this.fqdn });
  }
}
