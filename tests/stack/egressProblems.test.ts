/** `azlab:network.outbound: loadBalancer` where standalone VMs would be left with no way out. */
import { describe, expect, it } from "vitest";
import { egressProblems } from "../../src/stack/egress.ts";

const plan = (outbound: "natGateway" | "loadBalancer" | undefined, vms: Record<string, string[]>) => ({
  config: { network: { outbound } } as never,
  environments: Object.fromEntries(Object.entries(vms).map(([key, list]) => [key, { key, vms: list }])),
});

describe("egressProblems", () => {
  it("refuses loadBalancer when any environment has standalone VMs, naming them", () => {
    expect(egressProblems(plan("loadBalancer", { ada: ["jump", "db"], grace: ["jump"], hub: [] }))).toEqual([
      {
        path: "azlab:network.outbound",
        message:
          "gives the standalone VMs (db, jump) no internet egress: only a scale set sits behind the load balancer, and subnets have no default outbound access",
        value: "loadBalancer",
        allowed: "natGateway, or leave it out (environments with VMs then get a NAT gateway)",
      },
    ]);
  });

  it.each([
    ["loadBalancer without VMs", plan("loadBalancer", { ada: [], hub: [] })],
    ["natGateway with VMs", plan("natGateway", { ada: ["jump"] })],
    ["the default with VMs", plan(undefined, { ada: ["jump"] })],
  ])("accepts %s", (_, stack) => {
    expect(egressProblems(stack)).toEqual([]);
  });
});
