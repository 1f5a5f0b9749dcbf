/**
 * A virtual network with standalone subnets and explicit egress.
 *
 * Subnets are separate resources, never inline on the VNet: inline and standalone subnets fight, and a
 * VNet update has deleted subnets (pulumi-azure-native #74). Subnets of one VNet are created one after
 * another because parallel subnet writes fail with AnotherOperationInProgress.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network/index.js";
import { logicalName } from "../../src/naming/azureNames.ts";
import {
  normalizeVirtualNetwork,
  type OutboundMode,
  type SubnetOptions,
  type VirtualNetworkOptions,
} from "../../src/validation/virtualNetwork.ts";
import { valueOrThrow } from "../shared/validated.ts";
import { PublicIp } from "./publicIp.ts";

export type { OutboundMode } from "../../src/validation/virtualNetwork.ts";

/** One subnet; its NSG is given by resource id. */
export type SubnetSpec = SubnetOptions<pulumi.Input<string>>;

export interface VirtualNetworkArgs extends VirtualNetworkOptions<pulumi.Input<string>> {
  /** Resource group of the VNet and everything in it. Required. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region. Required. */
  readonly location: pulumi.Input<string>;
  /** Tags for every resource. Defaults to none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class VirtualNetwork extends pulumi.ComponentResource {
  /** Azure resource id of the VNet. */
  readonly vnetId: pulumi.Output<string>;
  /** Azure name of the VNet. */
  readonly name: pulumi.Output<string>;
  /** Azure resource ids of the subnets, keyed by subnet name. */
  readonly subnetIds: Record<string, pulumi.Output<string>>;
  /** The egress mode, as plain text so the plan can say which egress is used. */
  readonly outbound: OutboundMode;
  /** Azure resource id of the NAT gateway; only when `outbound` is `natGateway`. */
  readonly natGatewayId?: pulumi.Output<string>;
  /** The NAT gateway's public IP address, the VNet's egress address; only when `outbound` is `natGateway`. */
  readonly natGatewayPublicIpAddress?: pulumi.Output<string | undefined>;
  /**
   * Done when every subnet is written: the last subnet of the chain (the VNet when there are none). A
   * consumer that writes to the VNet (AKS, a scale set) depends on it, so it never races a subnet write.
   */
  readonly networkReady: pulumi.Resource;

  constructor(name: string, args: VirtualNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super() so that invalid input registers nothing, not even the component.
    const settings = valueOrThrow(
      normalizeVirtualNetwork(args, name),
      `VirtualNetwork "${name}" has invalid arguments:`,
    );
    super("azlab:network:VirtualNetwork", name, {}, opts);
    this.outbound = settings.outbound;

    const vnet = new network.VirtualNetwork(
      name,
      {
        virtualNetworkName: settings.vnetName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        addressSpace: { addressPrefixes: [...settings.addressSpace, ...settings.ipv6AddressSpace] },
        // No `subnets` here on purpose: since API 2023-11-01 leaving it out keeps the standalone subnets.
        tags: args.tags,
      },
      { parent: this },
    );

    // Only `natGateway` creates a gateway and its IP; `loadBalancer` and `none` add no billed resource here.
    // A NAT gateway on a subnet takes precedence over load balancer outbound rules ("Azure NAT Gateway
    // overview", learn.microsoft.com/azure/nat-gateway/nat-overview), so one VNet never mixes the two.
    let natGatewayId: pulumi.Output<string> | undefined;
    if (settings.natGateway) {
      const ip = new PublicIp(
        logicalName(name, "natgw-ip"),
        {
          publicIpName: settings.natGateway.publicIpName,
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          tags: args.tags,
        },
        { parent: this },
      );
      const natGateway = new network.NatGateway(
        logicalName(name, "natgw"),
        {
          natGatewayName: settings.natGateway.natGatewayName,
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          sku: { name: "Standard" },
          idleTimeoutInMinutes: 4,
          publicIpAddresses: [{ id: ip.publicIpId }],
          tags: args.tags,
        },
        { parent: this },
      );
      natGatewayId = natGateway.id;
      this.natGatewayId = natGatewayId;
      this.natGatewayPublicIpAddress = ip.ipAddress;
    }

    this.subnetIds = {};
    let previous: network.Subnet | undefined;
    for (const subnet of settings.subnets) {
      const created: network.Subnet = new network.Subnet(
        logicalName(name, subnet.key),
        {
          resourceGroupName: args.resourceGroupName,
          virtualNetworkName: vnet.name,
          subnetName: subnet.key,
          ...(subnet.ipv6Cidr !== undefined
            ? { addressPrefixes: [subnet.cidr, subnet.ipv6Cidr] }
            : { addressPrefix: subnet.cidr }),
          // Egress only through what `outbound` chose; Azure cannot change this after creation. New VNets no
          // longer get default outbound access ("Default outbound access in Azure",
          // learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access).
          defaultOutboundAccess: false,
          // NSGs and route tables also apply to private endpoints in this subnet.
          privateEndpointNetworkPolicies: "Enabled",
          privateLinkServiceNetworkPolicies: "Enabled",
          ...(subnet.nsgId !== undefined ? { networkSecurityGroup: { id: subnet.nsgId } } : {}),
          ...(subnet.routeTableId !== undefined ? { routeTable: { id: subnet.routeTableId } } : {}),
          ...(subnet.natGatewayEnabled && natGatewayId !== undefined
            ? { natGateway: { id: natGatewayId } }
            : {}),
          ...(subnet.serviceEndpoints.length > 0
            ? { serviceEndpoints: subnet.serviceEndpoints.map((service) => ({ service })) }
            : {}),
          ...(subnet.delegation !== undefined
            ? { delegations: [{ name: "delegation", serviceName: subnet.delegation }] }
            : {}),
        },
        // One subnet write at a time per VNet (AnotherOperationInProgress).
        { parent: this, dependsOn: previous ? [previous] : [] },
      );
      this.subnetIds[subnet.key] = created.id;
      previous = created;
    }

    // Subnets are chained, so the last one finishes last (AnotherOperationInProgress, see above).
    this.networkReady = previous ?? vnet;
    this.vnetId = vnet.id;
    this.name = vnet.name;
    this.registerOutputs({
      vnetId: this.vnetId,
      name: this.name,
      subnetIds: this.subnetIds,
      outbound: this.outbound,
      natGatewayId: this.natGatewayId,
      natGatewayPublicIpAddress: this.natGatewayPublicIpAddress,
      networkReadyUrn: this.networkReady.urn,
    });
  }
}
