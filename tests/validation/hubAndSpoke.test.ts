import { describe, expect, it } from "vitest";
import { normalizeHubAndSpoke, type HubAndSpokeOptions } from "../../src/validation/hubAndSpoke.ts";

const vnet = (key: string, addressSpace: string[]) => ({
  vnetId: `${key}-id`,
  vnetName: `vnet-${key}`,
  resourceGroupName: `rg-${key}`,
  addressSpace,
  nameParts: ["azlab", "net", key],
});

const options = (
  spokes: Record<string, string[]>,
  extra: Partial<HubAndSpokeOptions<string>> = {},
): HubAndSpokeOptions<string> => ({
  hub: vnet("hub", ["10.100.0.0/24", "10.100.9.0/26"]),
  spokes: Object.fromEntries(Object.entries(spokes).map(([k, s]) => [k, vnet(k, s)])),
  ...extra,
});

describe("normalizeHubAndSpoke", () => {
  it("pairs each spoke with the hub both ways, every flag explicit and no gateway", () => {
    const o = options({ bob: ["10.100.2.0/24"], alice: ["10.100.1.0/24"] });
    const result = normalizeHubAndSpoke(o);
    expect(result.problems).toEqual([]);
    expect(result.value!.spokes.map((s) => s.key)).toEqual(["alice", "bob"]);
    expect(result.value!.spokes[0]).toEqual({
      key: "alice",
      hubToSpoke: {
        name: "peer-azlab-net-hub-to-alice",
        local: o.hub,
        remote: o.spokes["alice"],
        allowForwardedTraffic: false,
        allowGatewayTransit: false,
        useRemoteGateways: false,
      },
      spokeToHub: {
        name: "peer-azlab-net-alice-to-hub",
        local: o.spokes["alice"],
        remote: o.hub,
        allowForwardedTraffic: false,
        allowGatewayTransit: false,
        useRemoteGateways: false,
      },
    });
  });

  it("lets spokes take forwarded traffic and the hub's gateway only when asked", () => {
    const [spoke] = normalizeHubAndSpoke(
      options({ alice: ["10.100.1.0/24"] }, { allowForwardedTraffic: true, hubGateway: true }),
    ).value!.spokes;
    expect([
      spoke!.hubToSpoke.allowForwardedTraffic,
      spoke!.hubToSpoke.allowGatewayTransit,
      spoke!.hubToSpoke.useRemoteGateways,
    ]).toEqual([false, true, false]);
    expect([
      spoke!.spokeToHub.allowForwardedTraffic,
      spoke!.spokeToHub.allowGatewayTransit,
      spoke!.spokeToHub.useRemoteGateways,
    ]).toEqual([true, false, true]);
  });

  it("refuses overlaps with the hub and between spokes, naming both", () => {
    expect(
      normalizeHubAndSpoke(
        options({ alice: ["10.100.9.0/24"], bob: ["10.100.1.0/24"], carol: ["10.100.1.128/25"] }),
      ).problems,
    ).toEqual([
      {
        path: "spokes.alice.addressSpace[0]",
        message: "overlaps the hub's 10.100.9.0/26; peered address spaces must not overlap",
        value: "10.100.9.0/24",
        allowed: "a range outside the hub's and every other spoke's address space",
      },
      {
        path: "spokes.carol.addressSpace[0]",
        message: "overlaps spoke bob's 10.100.1.0/24; peered address spaces must not overlap",
        value: "10.100.1.128/25",
        allowed: "a range outside the hub's and every other spoke's address space",
      },
    ]);
  });

  it("refuses no spokes, an empty hub space and a range with host bits set", () => {
    expect(normalizeHubAndSpoke({ hub: vnet("hub", []), spokes: {} }).problems).toEqual([
      { path: "spokes", message: "is empty", allowed: "at least one spoke VNet" },
      { path: "hub.addressSpace", message: "is empty", allowed: "at least one CIDR" },
    ]);
    expect(normalizeHubAndSpoke(options({ alice: ["10.100.1.1/24"] })).problems).toEqual([
      {
        path: "spokes.alice.addressSpace[0]",
        message: "is not a CIDR block with host bits clear",
        value: "10.100.1.1/24",
        allowed: "a CIDR such as 10.100.0.0/24",
      },
    ]);
  });
});
