/**
 * Hub and spoke (`azlab:hubAndSpoke`, docs/hub-and-spoke.md): from a planned stack to the arguments of
 * the RouteTable of each student, the Bastion in the hub and the HubAndSpoke peerings. Pre-flight calls
 * the same functions with placeholder wiring, so it validates exactly what the program will pass.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { BastionArgs } from "../../components/network/bastion.ts";
import type { HubAndSpokeArgs, PeeredVnetSpec } from "../../components/network/hubAndSpoke.ts";
import type { RouteTableArgs } from "../../components/network/routeTable.ts";
import { HUB_KEY, type EnvironmentPlan, type StackPlan } from "../stack/planStack.ts";
import { environmentNameParts, type Wiring } from "./componentArgs.ts";

type Input<T> = pulumi.Input<T>;

/**
 * Logical roles: a student's route table `<student>-rt`, the hub's Bastion `hub-bas`; the peerings are
 * children of the stack-level `peering` component (`peering-hub-to-<student>`, `peering-<student>-to-hub`).
 */
export const HUB_ROLES = { routeTable: "rt", bastion: "bas" } as const;
export const PEERING_NAME = "peering";

/** The hub's address space: every VirtualAppliance next hop must lie in it. */
export function hubAddressSpace(plan: StackPlan): readonly string[] {
  return plan.environments[HUB_KEY]?.vnet.addressSpace ?? [];
}

/** Whether any route sends traffic through an appliance (in the hub), which then forwards it to spokes. */
export function routesUseAppliance(plan: StackPlan): boolean {
  return Object.values(plan.config.hubAndSpoke?.routes ?? {}).some(
    (r) => r.nextHopType === "VirtualAppliance",
  );
}

/** A student's route table; only for environments with `spoke`. */
export function routeTableArgs(plan: StackPlan, env: EnvironmentPlan, wiring: Wiring): RouteTableArgs {
  return {
    ...wiring,
    nameParts: environmentNameParts(plan, env.key),
    routes: env.spoke?.routes ?? {},
    nextHopRanges: hubAddressSpace(plan),
    // Bastion is the lab's way in: no route may take its traffic, and no appliance sits in its subnet.
    ...(plan.environments[HUB_KEY]?.bastion
      ? { reservedSubnets: { AzureBastionSubnet: plan.environments[HUB_KEY].bastion.subnetCidr } }
      : {}),
  };
}

/** The hub's Bastion; only for the environment with `bastion`. */
export function bastionArgs(
  plan: StackPlan,
  env: EnvironmentPlan,
  wiring: Wiring & { readonly subnetId: Input<string>; readonly networkReady?: pulumi.Resource },
): BastionArgs {
  return {
    ...wiring,
    nameParts: environmentNameParts(plan, env.key),
    sku: env.bastion?.sku ?? "Basic",
    subnetCidr: env.bastion?.subnetCidr ?? "",
  };
}

/** What the peerings need of one environment's VNet, once it exists. */
export interface PeeringWiring {
  readonly vnetId: Input<string>;
  readonly vnetName: Input<string>;
  readonly resourceGroupName: Input<string>;
  readonly networkReady?: pulumi.Resource;
}

/**
 * The peerings between the hub and every student with `spoke` whose VNet is in `vnets` (keyed by
 * environment): an offline run that registers some students only (compose's `registeredStudents`) peers
 * those, and the rest are derived like the rest of their resources.
 */
export function hubAndSpokeArgs(
  plan: StackPlan,
  vnets: Readonly<Record<string, PeeringWiring>>,
): HubAndSpokeArgs {
  const end = (key: string): PeeredVnetSpec => {
    const env = plan.environments[key];
    const wired = vnets[key];
    return {
      vnetId: wired?.vnetId ?? "",
      vnetName: wired?.vnetName ?? "",
      resourceGroupName: wired?.resourceGroupName ?? "",
      ...(wired?.networkReady ? { networkReady: wired.networkReady } : {}),
      addressSpace: env?.vnet.addressSpace ?? [],
      nameParts: environmentNameParts(plan, key),
    };
  };
  const spokes = Object.values(plan.environments).filter((e) => e.spoke !== undefined && e.key in vnets);
  return {
    hub: end(HUB_KEY),
    spokes: Object.fromEntries(spokes.map((e) => [e.key, end(e.key)])),
    allowForwardedTraffic: routesUseAppliance(plan),
    hubGateway: false,
  };
}
