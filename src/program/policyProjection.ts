/**
 * The stack as the guardrails that a stack file can trip see it, built without the Pulumi runtime, so
 * that `azlab validate` refuses what `azlab plan` and the policy pack refuse at a fraction of the cost
 * (issue #16). Every record comes from the same pure argument builders the program hands to the
 * components (componentArgs.ts, clusterArgs.ts), normalized by the components' own validators and
 * turned into Azure properties by the same pure functions the components call. The agreement test
 * (tests/policy/projection.test.ts) holds the findings equal to those of the full offline plan.
 *
 * Projected, with what reads it:
 * - every NSG's security rules (AZL-NSG-001/002);
 * - the AKS cluster's API server access and node pools (AZL-AKS-004/006);
 * - the registry's SKU and Premium-only features (AZL-ACR-003);
 * - what the cost estimate bills (AZL-COST-001): scale sets with their autoscale profiles, load
 *   balancers, public IPs, NAT gateways, VMs and their disks, Bastion hosts, hub-and-spoke peerings,
 *   storage accounts, clusters, pools and the registry. Free types (NICs, route tables, schedules) are
 *   left out: they add no line to the estimate.
 * AZL-CLS-001 reads the stack file alone. Other rules check values azlab's components always set.
 *
 * No Pulumi import, not even a lazy one: a test spawns `validate` and fails if the SDK is loaded.
 * Records are made in ./projectionRecorder.ts, which gives them the real program's URNs and parents.
 */
import { ResourceType } from "../azure/catalog.ts";
import { rules } from "../policy/rules.ts";
import type { Rule } from "../policy/types.ts";
import type { RecordedResource } from "../model/recorded.ts";
import { logicalName } from "../naming/azureNames.ts";
import { securityRuleProps } from "../network/securityRuleProps.ts";
import { HUB_KEY, type EnvironmentPlan, type StackPlan } from "../stack/planStack.ts";
import { normalizeNetworkSecurityGroup } from "../validation/networkSecurityGroup.ts";
import { normalizeRegistry } from "../validation/registry.ts";
import { registryProps } from "../validation/registryProps.ts";
import { normalizeKubernetesCluster } from "../validation/aks/index.ts";
import {
  apiServerAccessProfileProps,
  authorizedIpRanges,
  clusterSkuProps,
  nodePoolProps,
} from "../validation/aks/clusterProps.ts";
import { LB_NAMES, normalizeScaleSet } from "../validation/scaleSet/index.ts";
import { autoscaleProfiles } from "../validation/scaleSet/autoscaleProfiles.ts";
import { normalizeVirtualNetwork } from "../validation/virtualNetwork.ts";
import { normalizeStorageAccount } from "../validation/storage.ts";
import { normalizeBastion } from "../validation/bastion.ts";
import { normalizeHubAndSpoke } from "../validation/hubAndSpoke.ts";
import { normalizeVirtualMachine } from "../validation/virtualMachine.ts";
import {
  nameSeed,
  nsgArgs,
  REGISTRY_NAME,
  registryOptions,
  ROLES,
  scaleSetArgs,
  storageOptions,
  subnetNsgArgs,
  subnetNsgRole,
  vnetArgs,
} from "./componentArgs.ts";
import { clusterOptions } from "./clusterArgs.ts";
import { bastionArgs, HUB_ROLES, hubAndSpokeArgs, PEERING_NAME } from "./hubArgs.ts";
import { standInAdminPassword, vmArgs, vmRole } from "./vmArgs.ts";
import { COMPONENT, PLACEHOLDER_ID, Projection, publicIp } from "./projectionRecorder.ts";
import { loadBalancerProperties } from "../../components/compute/loadBalancerProperties.ts";

/**
 * The rules the projection is built for: the guardrails a stack file can trip, and the budget warning.
 * Every other rule checks a value the components always set, which the projection leaves out, so they
 * are not run over it. The agreement test fails when the full plan blocks on a rule not listed here.
 */
export const PROJECTED_RULE_IDS: readonly string[] = [
  "AZL-NSG-001",
  "AZL-NSG-002",
  "AZL-AKS-004",
  "AZL-AKS-006",
  "AZL-ACR-003",
  "AZL-CLS-001",
  "AZL-COST-001",
];

/** The rules of PROJECTED_RULE_IDS, in the documented order. */
export const projectedRules: readonly Rule[] = rules.filter((rule) => PROJECTED_RULE_IDS.includes(rule.id));

/** A well-formed ed25519 key (all-zero point) standing in for a secret admin key, as pre-flight does. */
const SECRET_KEY_STAND_IN = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

function environment(plan: StackPlan, env: EnvironmentPlan, out: RecordedResource[]): void {
  const projection = new Projection(plan, env.student ? { student: env.student } : {});
  const envComponent = projection.component(undefined, COMPONENT.environment, env.key);
  const child = (role: string) => logicalName(env.key, role);
  const wiring = { resourceGroupName: env.resourceGroupName, location: plan.config.location };

  // The environment's NSG, then each subnet's own (labEnvironment.ts), with the rules the component sends.
  const nsgs = [
    { name: child(ROLES.nsg), args: nsgArgs(plan, env, wiring) },
    ...Object.keys(env.subnetNsgs).map((subnet) => ({
      name: child(subnetNsgRole(subnet)),
      args: subnetNsgArgs(plan, env, subnet, {
        ...wiring,
        asgIds: Object.fromEntries(env.applicationSecurityGroups.map((k) => [k, PLACEHOLDER_ID])),
      }),
    })),
  ];
  for (const { name, args } of nsgs) {
    const nsg = normalizeNetworkSecurityGroup(args, name).value;
    if (!nsg) continue;
    const parent = projection.component(envComponent, COMPONENT.nsg, name);
    const asgIds = Object.fromEntries(env.applicationSecurityGroups.map((k) => [k, PLACEHOLDER_ID]));
    projection.custom(parent, ResourceType.NetworkSecurityGroup, name, {
      networkSecurityGroupName: nsg.nsgName,
      resourceGroupName: env.resourceGroupName,
      securityRules: nsg.rules.map((rule) => securityRuleProps(rule, asgIds)),
    });
  }

  // The VNet bills nothing itself; its NAT gateway and the gateway's public IP do.
  const vnetName = child(ROLES.vnet);
  const vnet = normalizeVirtualNetwork(
    vnetArgs(plan, env, { ...wiring, nsgId: PLACEHOLDER_ID }),
    vnetName,
  ).value;
  if (vnet?.natGateway) {
    const vnetComponent = projection.component(envComponent, COMPONENT.vnet, vnetName);
    publicIp(projection, vnetComponent, logicalName(vnetName, "natgw-ip"), {
      publicIpName: vnet.natGateway.publicIpName,
      ...wiring,
    });
    projection.custom(vnetComponent, ResourceType.NatGateway, logicalName(vnetName, "natgw"), {
      natGatewayName: vnet.natGateway.natGatewayName,
      sku: { name: "Standard" },
    });
  }

  if (env.bastion) {
    const name = child(HUB_ROLES.bastion);
    const bastion = normalizeBastion(
      bastionArgs(plan, env, { ...wiring, subnetId: PLACEHOLDER_ID }),
      name,
    ).value;
    if (bastion) {
      const parent = projection.component(envComponent, COMPONENT.bastion, name);
      publicIp(projection, parent, logicalName(name, "ip"), {
        publicIpName: bastion.publicIpName,
        ...wiring,
      });
      projection.custom(parent, ResourceType.BastionHost, name, {
        bastionHostName: bastion.bastionName,
        sku: { name: bastion.sku },
      });
    }
  }

  if (env.scaleSetEnabled && plan.config.scaleSet) {
    const name = child(ROLES.scaleSet);
    const s = normalizeScaleSet(
      scaleSetArgs(plan, env, { ...wiring, subnetId: PLACEHOLDER_ID, sshPublicKey: adminSshPublicKey(plan) }),
      name,
    ).value;
    if (s) {
      const parent = projection.component(envComponent, COMPONENT.scaleSet, name);
      if (s.loadBalancer.type === "public") {
        publicIp(projection, parent, logicalName(name, "frontend"), {
          publicIpName: s.names.publicIp,
          ...wiring,
          zones: s.loadBalancer.zones,
          ...(s.loadBalancer.dnsLabel !== undefined ? { dnsLabel: s.loadBalancer.dnsLabel } : {}),
        });
      }
      // The component's own translation: pure at run time (it imports Pulumi's types only).
      projection.custom(parent, ResourceType.LoadBalancer, logicalName(name, "lb"), {
        loadBalancerName: s.names.loadBalancer,
        ...loadBalancerProperties(s, { name: LB_NAMES.frontend, publicIPAddress: { id: PLACEHOLDER_ID } }),
      });
      projection.custom(parent, ResourceType.VirtualMachineScaleSet, name, {
        vmScaleSetName: s.names.vmss,
        sku: { name: s.vmSize, tier: "Standard", capacity: s.instanceCount },
        virtualMachineProfile: {
          storageProfile: { osDisk: { managedDisk: { storageAccountType: s.osDiskType } } },
        },
      });
      projection.custom(parent, ResourceType.AutoscaleSetting, logicalName(name, "autoscale"), {
        autoscaleSettingName: s.names.autoscale,
        enabled: s.autoscale.enabled,
        profiles: autoscaleProfiles(s, PLACEHOLDER_ID),
      });
    }
  }

  // Standalone VMs (azlab:vms), with the props components/compute/virtualMachine.ts sends that the estimate reads.
  for (const key of env.vms) {
    const name = child(vmRole(key));
    // The same stand-in as pre-flight's: the secret is unreadable here.
    const password = standInAdminPassword(plan.config);
    const vm = normalizeVirtualMachine(
      vmArgs(plan, env, key, {
        ...wiring,
        subnetId: PLACEHOLDER_ID,
        sshPublicKey: adminSshPublicKey(plan),
        ...(password !== undefined ? { adminPassword: password } : {}),
      }),
      name,
    ).value;
    // Pre-flight accepted this VM, so a refusal here is azlab's bug; skipping it would hide its cost.
    if (!vm) throw new Error(`the policy projection could not build VM ${name}, which pre-flight accepted`);
    const parent = projection.component(envComponent, COMPONENT.vm, name);
    if (vm.publicIp) {
      publicIp(projection, parent, logicalName(name, "ip"), { publicIpName: vm.names.publicIp, ...wiring });
    }
    projection.custom(parent, ResourceType.VirtualMachine, name, {
      vmName: vm.names.vm,
      hardwareProfile: { vmSize: vm.size },
      storageProfile: {
        osDisk: {
          osType: vm.os === "linux" ? "Linux" : "Windows",
          managedDisk: { storageAccountType: vm.osDisk.type },
          ...(vm.osDisk.sizeGb !== undefined ? { diskSizeGB: vm.osDisk.sizeGb } : {}),
        },
        dataDisks: vm.dataDisks.map((disk) => ({
          diskSizeGB: disk.sizeGb,
          managedDisk: { storageAccountType: disk.type },
        })),
      },
    });
  }

  if (env.storageEnabled && plan.config.storage) {
    const name = child(ROLES.storage);
    const s = normalizeStorageAccount(storageOptions(plan, env), name, nameSeed(plan, env.key)).value;
    if (s) {
      const parent = projection.component(envComponent, COMPONENT.storage, name);
      projection.custom(parent, ResourceType.StorageAccount, name, {
        accountName: s.accountName,
        kind: s.kind,
        sku: { name: s.sku },
        ...(s.accessTier ? { accessTier: s.accessTier } : {}),
      });
    }
  }

  if (env.aks === "cluster" && plan.config.aks) {
    const name = child(ROLES.cluster);
    const natGateway = vnet?.natGateway ? { id: PLACEHOLDER_ID, publicIpAddress: PLACEHOLDER_ID } : undefined;
    const c = normalizeKubernetesCluster(clusterOptions(plan, env, natGateway), name).value;
    if (c) {
      const parent = projection.component(envComponent, COMPONENT.cluster, name);
      // The NAT gateway's address is known only once it exists; the list is not empty either way.
      const ranges = authorizedIpRanges(c.apiServerAuthorizedIpRanges, undefined);
      const pool = (p: Parameters<typeof nodePoolProps>[0]) => nodePoolProps(p, PLACEHOLDER_ID, undefined);
      projection.custom(parent, ResourceType.ManagedCluster, name, {
        resourceName: c.clusterName,
        sku: clusterSkuProps(c),
        agentPoolProfiles: [{ name: c.systemPoolName, mode: "System", ...pool(c.systemPool) }],
        apiServerAccessProfile: apiServerAccessProfileProps(c, ranges),
      });
      for (const [key, userPool] of Object.entries(c.userPools)) {
        projection.custom(parent, ResourceType.AgentPool, logicalName(name, key), {
          agentPoolName: key,
          mode: "User",
          ...pool(userPool),
        });
      }
    }
  }
  out.push(...projection.resources);
}

/** The admin key the components get; a secret one is replaced by a well-formed stand-in, as pre-flight does. */
function adminSshPublicKey(plan: StackPlan): string {
  return plan.config.secretKeys.includes("adminSshPublicKey")
    ? SECRET_KEY_STAND_IN
    : (plan.config.adminSshPublicKey ?? "");
}

/** Hub and spoke: a peering each way between the hub and every spoke (components/network/hubAndSpoke.ts). */
function peerings(plan: StackPlan, out: RecordedResource[]): void {
  const vnets = Object.fromEntries(
    Object.values(plan.environments).map((env) => [
      env.key,
      { vnetId: PLACEHOLDER_ID, vnetName: PLACEHOLDER_ID, resourceGroupName: env.resourceGroupName },
    ]),
  );
  if (!plan.environments[HUB_KEY] || !Object.values(plan.environments).some((e) => e.spoke)) return;
  const topology = normalizeHubAndSpoke(hubAndSpokeArgs(plan, vnets)).value;
  if (!topology) return;
  const projection = new Projection(plan, {});
  const parent = projection.component(undefined, COMPONENT.hubAndSpoke, PEERING_NAME);
  for (const spoke of topology.spokes) {
    for (const [role, peering] of [
      [`hub-to-${spoke.key}`, spoke.hubToSpoke],
      [`${spoke.key}-to-hub`, spoke.spokeToHub],
    ] as const) {
      projection.custom(parent, ResourceType.VirtualNetworkPeering, logicalName(PEERING_NAME, role), {
        virtualNetworkPeeringName: peering.name,
      });
    }
  }
  out.push(...projection.resources);
}

/**
 * The projection of a planned stack: plain records in the shape of the offline engine's, for
 * `evaluateResources`. Only what the rules and the estimate above read is filled in; ids are placeholders.
 */
export function projectStack(plan: StackPlan): RecordedResource[] {
  const out: RecordedResource[] = [];
  for (const env of Object.values(plan.environments)) environment(plan, env, out);
  peerings(plan, out);
  if (plan.config.registry) {
    const r = normalizeRegistry(registryOptions(plan), REGISTRY_NAME, nameSeed(plan, "registry")).value;
    if (r) {
      const projection = new Projection(plan, {});
      const parent = projection.component(undefined, COMPONENT.registry, REGISTRY_NAME);
      projection.custom(parent, ResourceType.Registry, REGISTRY_NAME, {
        registryName: r.registryName,
        ...registryProps(r),
      });
      out.push(...projection.resources);
    }
  }
  return out;
}
