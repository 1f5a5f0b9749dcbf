/**
 * An Azure Bastion host in a VNet's AzureBastionSubnet, with its own Standard static public IP. Its
 * arguments are checked by src/validation/bastion.ts before anything is registered (SKU: Basic by
 * default; Developer is refused because it cannot reach peered VNets).
 *
 * Bastion bills per hour from creation to deletion, whether anyone connects or not, and cannot be paused.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network/index.js";
import { logicalName } from "../../src/naming/azureNames.ts";
import { normalizeBastion, type BastionOptions } from "../../src/validation/bastion.ts";
import { valueOrThrow } from "../shared/validated.ts";
import { PublicIp } from "./publicIp.ts";

export { BASTION_SKUS, type BastionSku } from "../../src/validation/bastion.ts";

export interface BastionArgs extends BastionOptions {
  /** Resource group of the host and its public IP. Required. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region of the VNet. Required. */
  readonly location: pulumi.Input<string>;
  /** Azure resource id of the VNet's AzureBastionSubnet (its CIDR is `subnetCidr`). Required. */
  readonly subnetId: pulumi.Input<string>;
  /**
   * Done when the VNet's subnets are written (VirtualNetwork.networkReady): Bastion writes to its subnet,
   * so it waits rather than race a subnet update (AnotherOperationInProgress). Defaults to none.
   */
  readonly networkReady?: pulumi.Resource;
  /** Tags. Defaults to none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class Bastion extends pulumi.ComponentResource {
  /** Azure resource id of the Bastion host. */
  readonly bastionId: pulumi.Output<string>;
  /** Azure name of the Bastion host. */
  readonly bastionName: pulumi.Output<string>;
  /** The SKU, as plain text for plans and outputs. */
  readonly sku: string;
  /** The host's public IP address. */
  readonly publicIpAddress: pulumi.Output<string | undefined>;

  constructor(name: string, args: BastionArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super() so that invalid input registers nothing, not even the component.
    const s = valueOrThrow(normalizeBastion(args, name), `Bastion "${name}" has invalid arguments:`);
    super("azlab:network:Bastion", name, {}, opts);
    this.sku = s.sku;

    const ip = new PublicIp(
      logicalName(name, "ip"),
      {
        publicIpName: s.publicIpName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
      },
      { parent: this },
    );
    const host = new network.BastionHost(
      name,
      {
        bastionHostName: s.bastionName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        sku: { name: s.sku },
        ipConfigurations: [
          {
            name: "ipconfig",
            subnet: { id: args.subnetId },
            publicIPAddress: { id: ip.publicIpId },
            privateIPAllocationMethod: "Dynamic",
          },
        ],
        tags: args.tags,
      },
      { parent: this, dependsOn: args.networkReady ? [args.networkReady] : [] },
    );
    this.bastionId = host.id;
    this.bastionName = host.name;
    this.publicIpAddress = ip.ipAddress;
    this.registerOutputs({
      bastionId: this.bastionId,
      bastionName: this.bastionName,
      sku: this.sku,
      publicIpAddress: this.publicIpAddress,
    });
  }
}
