/** The hub-and-spoke components on their own: invalid arguments register nothing, valid ones exactly what they say. */
import { describe, expect, it } from "vitest";
import { Bastion } from "../../components/network/bastion.ts";
import { HubAndSpoke } from "../../components/network/hubAndSpoke.ts";
import { RouteTable } from "../../components/network/routeTable.ts";
import { countByType, problemsOf, resource, run } from "../support/offline.ts";

const vnet = (key: string, addressSpace: string[]) => ({
  vnetId: `${key}-id`,
  vnetName: `vnet-${key}`,
  resourceGroupName: `rg-${key}`,
  addressSpace,
});

describe("RouteTable, Bastion and HubAndSpoke components", () => {
  it("register their resources with every input explicit", async () => {
    const result = await run(() => {
      new RouteTable("rt", {
        resourceGroupName: "rg",
        location: "westeurope",
        routes: { drop: { addressPrefix: "10.9.0.0/16", nextHopType: "None" } },
        bgpRoutePropagation: false,
      });
      new Bastion("bas", {
        resourceGroupName: "rg",
        location: "westeurope",
        subnetCidr: "10.0.1.0/26",
        subnetId: "snet-id",
        sku: "Standard",
      });
      new HubAndSpoke("peering", {
        hub: vnet("hub", ["10.0.0.0/24"]),
        spokes: { a: vnet("a", ["10.1.0.0/24"]) },
      });
    });
    expect(countByType(result)).toEqual({
      "azlab:network:Bastion": 1,
      "azlab:network:HubAndSpoke": 1,
      "azlab:network:PublicIp": 1,
      "azlab:network:RouteTable": 1,
      "azure-native:network:BastionHost": 1,
      "azure-native:network:PublicIPAddress": 1,
      "azure-native:network:RouteTable": 1,
      "azure-native:network:VirtualNetworkPeering": 2,
    });
    expect(resource(result, "azure-native:network:RouteTable", "rt").inputs).toEqual({
      routeTableName: "rt-rt",
      resourceGroupName: "rg",
      location: "westeurope",
      disableBgpRoutePropagation: true,
      routes: [{ name: "drop", addressPrefix: "10.9.0.0/16", nextHopType: "None" }],
    });
    expect(resource(result, "azure-native:network:BastionHost", "bas").inputs["sku"]).toEqual({
      name: "Standard",
    });
    expect(resource(result, "azure-native:network:VirtualNetworkPeering", "peering-a-to-hub").inputs).toEqual(
      {
        virtualNetworkPeeringName: "peer-a-to-hub",
        resourceGroupName: "rg-a",
        virtualNetworkName: "vnet-a",
        remoteVirtualNetwork: { id: "hub-id" },
        allowVirtualNetworkAccess: true,
        allowForwardedTraffic: false,
        allowGatewayTransit: false,
        useRemoteGateways: false,
      },
    );
  });

  it("refuse invalid arguments before registering anything", async () => {
    expect(
      await problemsOf(() => {
        new RouteTable("rt", {
          resourceGroupName: "rg",
          location: "westeurope",
          routes: { nva: { addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance" } },
        });
      }),
    ).toEqual([
      "routes.nva.nextHopIpAddress: is required for next hop type VirtualAppliance (allowed: an IP address)",
    ]);
    expect(
      await problemsOf(() => {
        new HubAndSpoke("peering", {
          hub: vnet("hub", ["10.0.0.0/16"]),
          spokes: { a: vnet("a", ["10.0.1.0/24"]) },
        });
      }),
    ).toEqual([
      "spokes.a.addressSpace[0]: overlaps the hub's 10.0.0.0/16; peered address spaces must not overlap (got \"10.0.1.0/24\"; allowed: a range outside the hub's and every other spoke's address space)",
    ]);
    const result = await run(() => {
      try {
        new Bastion("bas", {
          resourceGroupName: "rg",
          location: "westeurope",
          subnetCidr: "10.0.1.0/27",
          subnetId: "x",
        });
      } catch {
        // Refused: nothing of it may be registered.
      }
    });
    expect(countByType(result)).toEqual({});
  });
});
