/**
 * A Standard, static public IP. Its arguments are checked by src/validation/publicIp.ts before anything
 * is registered; Basic addresses are refused there.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network/index.js";
import { normalizePublicIp, type PublicIpOptions } from "../../src/validation/publicIp.ts";
import { DNS_LABEL_SCOPE } from "../../src/naming/globalNames.ts";
import { valueOrThrow } from "../shared/validated.ts";

export interface PublicIpArgs extends PublicIpOptions {
  /** Resource group of the address. Required. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region. Required; must match the load balancer or NAT gateway that uses the address. */
  readonly location: pulumi.Input<string>;
  /** Tags. Defaults to none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class PublicIp extends pulumi.ComponentResource {
  /** Azure resource id of the address. */
  readonly publicIpId: pulumi.Output<string>;
  /** Azure name of the address. */
  readonly publicIpName: pulumi.Output<string>;
  /** The allocated address; static, so known once the resource exists. */
  readonly ipAddress: pulumi.Output<string | undefined>;
  /** `<label>.<region>.cloudapp.azure.com`; only when `dnsLabel` is set. */
  readonly fqdn?: pulumi.Output<string | undefined>;

  constructor(name: string, args: PublicIpArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super() so that invalid input registers nothing, not even the component.
    const s = valueOrThrow(normalizePublicIp(args, name), `PublicIp "${name}" has invalid arguments:`);
    super("azlab:network:PublicIp", name, {}, opts);

    const pip = new network.PublicIPAddress(
      name,
      {
        publicIpAddressName: s.publicIpName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        sku: { name: s.sku, tier: "Regional" },
        // Standard addresses are static only; said explicitly so the plan shows it.
        publicIPAllocationMethod: "Static",
        publicIPAddressVersion: s.ipVersion,
        idleTimeoutInMinutes: 4,
        ...(s.zones.length > 0 ? { zones: [...s.zones] } : {}),
        // Scoped so the FQDN carries a hash and two adopters never collide (see DNS_LABEL_SCOPE).
        ...(s.dnsLabel !== undefined
          ? { dnsSettings: { domainNameLabel: s.dnsLabel, domainNameLabelScope: DNS_LABEL_SCOPE } }
          : {}),
        tags: args.tags,
      },
      { parent: this },
    );
    this.publicIpId = pip.id;
    this.publicIpName = pip.name;
    this.ipAddress = pip.ipAddress;
    if (s.dnsLabel !== undefined) {
      this.fqdn = pip.dnsSettings.apply((dns) => dns?.fqdn);
    }
    this.registerOutputs({
      publicIpId: this.publicIpId,
      publicIpName: this.publicIpName,
      ipAddress: this.ipAddress,
      fqdn: this.fqdn,
    });
  }
}
