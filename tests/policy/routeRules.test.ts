/** AZL-NET-004: a route to a virtual appliance must point into a subnet of the stack. */
import { describe, expect, it } from "vitest";
import { applianceRouteToNowhere } from "../../src/policy/routeRules.ts";
import type { PolicyContext, PolicyResource } from "../../src/policy/rules.ts";

const CONTEXT: PolicyContext = {
  environment: "class",
  stack: "net",
  asOf: new Date("2026-12-01T00:00:00Z"),
  requiredTags: [],
  overrides: {},
};

const subnet = (name: string, addressPrefix: unknown): PolicyResource => ({
  type: "azure-native:network:Subnet",
  name,
  urn: `urn:${name}`,
  props: { addressPrefix },
});
const table = (routes: unknown[]): PolicyResource => ({
  type: "azure-native:network:RouteTable",
  name: "alice-rt",
  urn: "urn:alice-rt",
  props: { routes },
});
const ROUTES = [
  {
    name: "via-nva",
    addressPrefix: "0.0.0.0/0",
    nextHopType: "VirtualAppliance",
    nextHopIpAddress: "10.200.2.4",
  },
  { name: "drop", addressPrefix: "10.9.0.0/16", nextHopType: "None" },
];
const check = (resources: PolicyResource[]) => applianceRouteToNowhere.check({ resources }, CONTEXT);

describe("AZL-NET-004", () => {
  it("passes a route whose appliance address lies in a subnet, standalone or inline", () => {
    expect(check([subnet("hub-net-nva", "10.200.2.0/28"), table(ROUTES)])).toEqual([]);
    const vnet: PolicyResource = {
      type: "azure-native:network:VirtualNetwork",
      name: "hub-net",
      props: { subnets: [{ name: "nva", properties: { addressPrefix: "10.200.2.0/28" } }] },
    };
    expect(check([vnet, table(ROUTES)])).toEqual([]);
  });

  it("warns about a route whose appliance address is in no subnet (a hub block with none)", () => {
    expect(check([subnet("alice-net-web", "10.200.0.0/26"), table(ROUTES)])).toEqual([
      {
        resource: "urn:alice-rt",
        message:
          'Route "via-nva" of route table "alice-rt" sends traffic to 10.200.2.4, which is in no subnet of this stack',
        fix: "Deploy the appliance (a firewall or NVA VM) in a hub subnet first, or point the route elsewhere; until then Azure drops the matching traffic",
      },
    ]);
    expect(applianceRouteToNowhere.severity).toBe("warning");
  });

  it("does not guess while a subnet's prefix is unknown", () => {
    expect(check([subnet("alice-net-web", undefined), table(ROUTES)])).toEqual([]);
  });
});
