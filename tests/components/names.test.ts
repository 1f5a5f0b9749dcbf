/**
 * The naming convention, frozen over every shipped stack: a component's main child takes the component's
 * own name, every other child takes `${component}-${role}`, and no role repeats what its type already says
 * (the old plans showed `alice-nsg-nsg`, `hub-net-natgw-ip-pip`, `registry-registry`, `alice-st-account`).
 */
import { describe, expect, it } from "vitest";
import { ResourceType } from "../../src/azure/catalog.ts";
import { AZURE_NAME_RULES } from "../../src/naming/azureNames.ts";
import type { OfflineRun } from "../../src/model/recorded.ts";
import { planShipped, urnName } from "../support/offline.ts";

/** The Azure resource that carries each component's own name. */
const MAIN_CHILD: Readonly<Record<string, string>> = {
  "azlab:network:NetworkSecurityGroup": ResourceType.NetworkSecurityGroup,
  "azlab:network:VirtualNetwork": ResourceType.VirtualNetwork,
  "azlab:network:PublicIp": ResourceType.PublicIPAddress,
  "azlab:compute:ScaleSet": ResourceType.VirtualMachineScaleSet,
  "azlab:storage:StorageAccount": ResourceType.StorageAccount,
  "azlab:containers:Registry": ResourceType.Registry,
  "azlab:containers:KubernetesCluster": ResourceType.ManagedCluster,
};

/** Words that would only repeat a resource's type in its name. */
const TYPE_WORDS: Readonly<Record<string, readonly string[]>> = {
  [ResourceType.NetworkSecurityGroup]: ["nsg"],
  [ResourceType.VirtualNetwork]: ["vnet"],
  [ResourceType.PublicIPAddress]: ["pip"],
  [ResourceType.VirtualMachineScaleSet]: ["vmss"],
  [ResourceType.StorageAccount]: ["account"],
  [ResourceType.Registry]: ["registry", "acr"],
  [ResourceType.ManagedCluster]: ["cluster"],
};

function stutters(run: OfflineRun): string[] {
  const found: string[] = [];
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  for (const r of run.resources) {
    // Any name, whatever its parent: `alice-access-hub-aks-aks-user` once slipped through here.
    const words = r.name.split("-");
    if (words.some((word, i) => i > 0 && word === words[i - 1])) found.push(`${r.name} repeats a word`);
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    if (!parent?.type.startsWith("azlab:") || parent.type === "azlab:lab:Environment") continue;
    const parentName = urnName(parent.urn);
    if (r.name !== parentName && !r.name.startsWith(`${parentName}-`)) {
      found.push(`${r.type} ${r.name} does not start with its component's name ${parentName}`);
    }
    const role = r.name.slice(parentName.length + 1).split("-");
    const repeated = role.filter((word) => (TYPE_WORDS[r.type] ?? []).includes(word));
    if (repeated.length > 0) found.push(`${r.type} ${r.name} repeats its type in its role`);
  }
  return found;
}

describe.each(["dev", "prod", "class-demo"])("stack %s", async (stack) => {
  const run = await planShipped(stack);

  it("gives each component's main child the component's own name", () => {
    const components = run.resources.filter((r) => MAIN_CHILD[r.type] !== undefined);
    expect(components.length).toBeGreaterThan(0);
    for (const component of components) {
      const main = run.resources.filter(
        (r) => r.parent === component.urn && r.type === MAIN_CHILD[component.type],
      );
      expect(
        main.map((r) => r.name),
        component.urn,
      ).toEqual([urnName(component.urn)]);
    }
  });

  it("has no logical name that repeats its component's role or its own type", () => {
    expect(stutters(run)).toEqual([]);
  });

  it("names every Azure resource that has a CAF abbreviation with that abbreviation first", () => {
    const named: [string, string][] = [
      [ResourceType.VirtualNetwork, "virtualNetworkName"],
      [ResourceType.NetworkSecurityGroup, "networkSecurityGroupName"],
      [ResourceType.PublicIPAddress, "publicIpAddressName"],
      [ResourceType.NatGateway, "natGatewayName"],
      [ResourceType.LoadBalancer, "loadBalancerName"],
      [ResourceType.VirtualMachineScaleSet, "vmScaleSetName"],
      [ResourceType.AutoscaleSetting, "autoscaleSettingName"],
      [ResourceType.ManagedCluster, "resourceName"],
      [ResourceType.ResourceGroup, "resourceGroupName"],
    ];
    const abbreviation: Readonly<Record<string, string>> = {
      [ResourceType.VirtualNetwork]: AZURE_NAME_RULES.virtualNetwork.abbreviation,
      [ResourceType.NetworkSecurityGroup]: AZURE_NAME_RULES.networkSecurityGroup.abbreviation,
      [ResourceType.PublicIPAddress]: AZURE_NAME_RULES.publicIp.abbreviation,
      [ResourceType.NatGateway]: AZURE_NAME_RULES.natGateway.abbreviation,
      [ResourceType.LoadBalancer]: AZURE_NAME_RULES.loadBalancer.abbreviation,
      [ResourceType.VirtualMachineScaleSet]: AZURE_NAME_RULES.virtualMachineScaleSet.abbreviation,
      [ResourceType.AutoscaleSetting]: AZURE_NAME_RULES.autoscaleSetting.abbreviation,
      [ResourceType.ManagedCluster]: AZURE_NAME_RULES.managedCluster.abbreviation,
      [ResourceType.ResourceGroup]: AZURE_NAME_RULES.resourceGroup.abbreviation,
    };
    const wrong = named.flatMap(([type, key]) =>
      run.resources
        .filter((r) => r.type === type)
        .map((r) => `${r.name}: ${String(r.inputs[key])}`)
        .filter((line) => !line.split(": ")[1]!.startsWith(`${abbreviation[type]}-`)),
    );
    expect(wrong).toEqual([]);
  });
});
