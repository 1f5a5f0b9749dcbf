/**
 * A route table with user-defined routes (UDRs). Its arguments are checked by
 * src/validation/routeTable.ts before anything is registered. Subnets are associated through the
 * standalone Subnet's `routeTable` property (see VirtualNetwork), never from the table's side, so the
 * subnet writes stay in VirtualNetwork's one-at-a-time chain.
 *
 * Routes are inline, and azlab never declares standalone Route resources: inline and standalone routes of
 * one table would overwrite each other, as inline and standalone subnets do (pulumi-azure-native #74).
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network/index.js";
import { normalizeRouteTable, type RouteTableOptions } from "../../src/validation/routeTable.ts";
import { valueOrThrow } from "../shared/validated.ts";

export type { RouteOptions, RouteNextHopType } from "../../src/validation/routeTable.ts";

export interface RouteTableArgs extends RouteTableOptions {
  /** Resource group of the route table. Required. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region; must be the region of the subnets that use the table. Required. */
  readonly location: pulumi.Input<string>;
  /** Tags. Defaults to none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class RouteTable extends pulumi.ComponentResource {
  /** Azure resource id of the route table, for a subnet's `routeTableId`. */
  readonly routeTableId: pulumi.Output<string>;
  /** Azure name of the route table. */
  readonly routeTableName: pulumi.Output<string>;

  constructor(name: string, args: RouteTableArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super() so that invalid input registers nothing, not even the component.
    const s = valueOrThrow(normalizeRouteTable(args, name), `RouteTable "${name}" has invalid arguments:`);
    super("azlab:network:RouteTable", name, {}, opts);

    const table = new network.RouteTable(
      name,
      {
        routeTableName: s.routeTableName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        // Said explicitly so the plan shows whether gateway routes may join the user's routes.
        disableBgpRoutePropagation: !s.bgpRoutePropagation,
        routes: s.routes.map((route) => ({
          name: route.name,
          addressPrefix: route.addressPrefix,
          nextHopType: route.nextHopType,
          ...(route.nextHopIpAddress !== undefined ? { nextHopIpAddress: route.nextHopIpAddress } : {}),
        })),
        tags: args.tags,
      },
      { parent: this },
    );
    this.routeTableId = table.id;
    this.routeTableName = table.name;
    this.registerOutputs({ routeTableId: this.routeTableId, routeTableName: this.routeTableName });
  }
}
