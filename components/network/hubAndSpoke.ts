/**
 * Hub and spoke: every spoke VNet peered with one hub VNet, both ways (two VirtualNetworkPeering
 * resources per spoke, one in each VNet). Its arguments are checked by src/validation/hubAndSpoke.ts
 * before anything is registered; overlapping address spaces are refused there.
 *
 * Peerings are standalone resources, never inline on a VNet (`virtualNetworkPeerings`), for the same reason
 * subnets are. Creating a peering while a subnet of either VNet is being written fails ("Resource is in
 * Updating state ... PutSubnetOperation", terraform-provider-azurerm #2605), so each peering waits for both
 * VNets' subnets (`networkReady`). Each spoke's pair depends on nothing of another spoke's, so a spoke
 * added or removed changes no other spoke's resources.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network/index.js";
import { logicalName } from "../../src/naming/azureNames.ts";
import {
  normalizeHubAndSpoke,
  type HubAndSpokeOptions,
  type NormalizedPeering,
  type PeeredVnet,
} from "../../src/validation/hubAndSpoke.ts";
import { valueOrThrow } from "../shared/validated.ts";

/** One VNet of the topology. */
export interface PeeredVnetSpec extends PeeredVnet<pulumi.Input<string>> {
  /** Done when the VNet's subnets are written (VirtualNetwork.networkReady). Defaults to none. */
  readonly networkReady?: pulumi.Resource;
}

export interface HubAndSpokeArgs extends HubAndSpokeOptions<pulumi.Input<string>> {
  /** The hub VNet. Required. */
  readonly hub: PeeredVnetSpec;
  /** Spoke VNets keyed by a stable key (a student id); each gets one peering each way. Required, at least one. */
  readonly spokes: Readonly<Record<string, PeeredVnetSpec>>;
}

export class HubAndSpoke extends pulumi.ComponentResource {
  /** Azure resource ids of the peerings, keyed by spoke: `hubToSpoke` in the hub, `spokeToHub` in the spoke. */
  readonly peeringIds: Readonly<
    Record<string, { readonly hubToSpoke: pulumi.Output<string>; readonly spokeToHub: pulumi.Output<string> }>
  >;

  constructor(name: string, args: HubAndSpokeArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super() so that invalid input registers nothing, not even the component.
    const s = valueOrThrow(normalizeHubAndSpoke(args), `HubAndSpoke "${name}" has invalid arguments:`);
    super("azlab:network:HubAndSpoke", name, {}, opts);

    const peer = (
      role: string,
      p: NormalizedPeering<pulumi.Input<string>>,
      dependsOn: pulumi.Resource[],
    ): network.VirtualNetworkPeering =>
      new network.VirtualNetworkPeering(
        logicalName(name, role),
        {
          virtualNetworkPeeringName: p.name,
          resourceGroupName: p.local.resourceGroupName,
          virtualNetworkName: p.local.vnetName,
          remoteVirtualNetwork: { id: p.remote.vnetId },
          allowVirtualNetworkAccess: true,
          // Every flag said explicitly, so the plan shows them and Azure's defaults never decide.
          allowForwardedTraffic: p.allowForwardedTraffic,
          allowGatewayTransit: p.allowGatewayTransit,
          useRemoteGateways: p.useRemoteGateways,
        },
        { parent: this, dependsOn },
      );

    const ids: Record<string, { hubToSpoke: pulumi.Output<string>; spokeToHub: pulumi.Output<string> }> = {};
    const hubReady = args.hub.networkReady ? [args.hub.networkReady] : [];
    for (const spoke of s.spokes) {
      const spokeReady = args.spokes[spoke.key]?.networkReady;
      const ready = [...hubReady, ...(spokeReady ? [spokeReady] : [])];
      const hubToSpoke = peer(`hub-to-${spoke.key}`, spoke.hubToSpoke, ready);
      // The spoke side completes the pair (Initiated → Connected), after the hub side exists.
      const spokeToHub = peer(`${spoke.key}-to-hub`, spoke.spokeToHub, [...ready, hubToSpoke]);
      ids[spoke.key] = { hubToSpoke: hubToSpoke.id, spokeToHub: spokeToHub.id };
    }
    this.peeringIds = ids;
    this.registerOutputs({ peeringIds: this.peeringIds });
  }
}
