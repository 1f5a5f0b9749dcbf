/**
 * Defaults and validation for the Bastion component: an Azure Bastion host in a VNet's
 * `AzureBastionSubnet`, with a Standard static public IP.
 *
 * SKUs ("About Bastion configuration settings", learn.microsoft.com/azure/bastion/configuration-settings,
 * and its SKU table): Basic, Standard and Premium connect to VMs in peered virtual networks; Developer
 * does not ("VNet peering isn't currently supported for the Developer SKU"), and it also allows no
 * concurrent connections and is offered in a few regions only. A Bastion in a hub exists to reach the
 * spokes, so Developer is refused. The subnet must be named AzureBastionSubnet and be /26 or larger.
 */
import { parsePrefix } from "../cidr/address.ts";
import type { Problem } from "../errors.ts";
import { resolveAzureName, resolveNameParts, type AzureNaming } from "./names.ts";

export const BASTION_SKUS = ["Basic", "Standard", "Premium"] as const;
export type BastionSku = (typeof BASTION_SKUS)[number];

/** The subnet Azure requires for Bastion, and its largest allowed prefix length. */
export const BASTION_SUBNET = "AzureBastionSubnet";
export const BASTION_SUBNET_MAX_LENGTH = 26;

/** The plain (non-Output) settings of a Bastion. */
export interface BastionOptions extends AzureNaming {
  /** Azure name of the Bastion host. Defaults to `bas-<nameParts>`; its public IP is `pip-<nameParts>-bas`. */
  readonly bastionName?: string;
  /** `Basic`, `Standard` or `Premium`. Defaults to `Basic`, the cheapest SKU that reaches peered VNets. */
  readonly sku?: string;
  /** The planned CIDR of the VNet's AzureBastionSubnet: IPv4, /26 or larger. Required. */
  readonly subnetCidr: string;
}

export interface NormalizedBastion {
  readonly bastionName: string;
  readonly publicIpName: string;
  readonly sku: BastionSku;
}

function skuProblems(sku: string): Problem[] {
  if (BASTION_SKUS.some((s) => s === sku)) return [];
  if (sku === "Developer") {
    return [
      {
        path: "sku",
        message:
          "cannot connect to VMs in peered virtual networks (VNet peering isn't supported for the Developer SKU), so it cannot reach the spokes",
        value: sku,
        allowed: BASTION_SKUS.join(", "),
      },
    ];
  }
  return [{ path: "sku", message: "is not a Bastion SKU", value: sku, allowed: BASTION_SKUS.join(", ") }];
}

/** Applies defaults and validates. Returns the settings, or every problem found. */
export function normalizeBastion(
  options: BastionOptions,
  componentName: string,
): { value: NormalizedBastion; problems: [] } | { value?: undefined; problems: Problem[] } {
  const { parts, problems } = resolveNameParts(options, componentName);
  const bastionName = resolveAzureName("bastion", options.bastionName, "bastionName", parts, problems);
  const publicIpName = resolveAzureName("publicIp", undefined, "", parts, problems, "bas");
  const sku = options.sku ?? "Basic";
  problems.push(...skuProblems(sku));
  const subnet = typeof options.subnetCidr === "string" ? parsePrefix(options.subnetCidr) : undefined;
  if (!subnet || subnet.version !== 4) {
    problems.push({
      path: "subnetCidr",
      message: "is not an IPv4 CIDR block",
      value: options.subnetCidr,
      allowed: `an IPv4 CIDR of /${BASTION_SUBNET_MAX_LENGTH} or larger`,
    });
  } else if (subnet.length > BASTION_SUBNET_MAX_LENGTH) {
    problems.push({
      path: "subnetCidr",
      message: `is too small for ${BASTION_SUBNET}`,
      value: options.subnetCidr,
      allowed: `/${BASTION_SUBNET_MAX_LENGTH} or larger (/25, /24, …)`,
    });
  }
  if (problems.length > 0) return { problems };
  return { value: { bastionName, publicIpName, sku: sku as BastionSku }, problems: [] };
}
