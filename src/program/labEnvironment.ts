/**
 * One environment: a resource group with a VNet and its NSG, and the lab modules the plan turns on
 * (a scale set behind a load balancer, a storage account, an AKS cluster with its in-cluster basics).
 * dev and prod stacks have one; a class stack has one per student, plus a hub for a shared cluster.
 * Everything here comes from a plain EnvironmentPlan; this file only wires components together.
 */
import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources/index.js";
import { NetworkSecurityGroup } from "../../components/network/networkSecurityGroup.ts";
import { VirtualNetwork } from "../../components/network/virtualNetwork.ts";
import { ScaleSet } from "../../components/compute/scaleSet.ts";
import { StorageAccount } from "../../components/storage/storageAccount.ts";
import { KubernetesCluster } from "../../components/containers/kubernetesCluster.ts";
import { ClusterBasics } from "../../components/kubernetes/clusterBasics.ts";
import type { StatefulOptions } from "../../components/shared/stateful.ts";
import type { EnvironmentPlan, StackPlan } from "../stack/planStack.ts";
import { logicalName } from "../naming/azureNames.ts";
import {
  nsgArgs,
  subnetNsgArgs,
  subnetNsgRole,
  ROLES,
  scaleSetArgs,
  storageOptions,
  vnetArgs,
} from "./componentArgs.ts";
import { clusterAccessOptions, clusterBasicsOptions, clusterOptions } from "./clusterArgs.ts";
import { RouteTable } from "../../components/network/routeTable.ts";
import { Bastion } from "../../components/network/bastion.ts";
import { BASTION_SUBNET } from "../validation/bastion.ts";
import { bastionArgs, HUB_ROLES, routeTableArgs } from "./hubArgs.ts";
import { studentTagTransform } from "./tags.ts";
import { VirtualMachine } from "../../components/compute/virtualMachine.ts";
import { vmArgs, vmRole } from "./vmArgs.ts";

function withTransform(
  opts: pulumi.ComponentResourceOptions | undefined,
  transform: pulumi.ResourceTransform,
): pulumi.ComponentResourceOptions {
  return { ...opts, transforms: [...(opts?.transforms ?? []), transform] };
}

export interface LabEnvironmentArgs {
  /** The whole stack's plan (for shared settings such as the stack's config). */
  readonly plan: StackPlan;
  /** This environment's plan: addresses, rules and which modules it gets. */
  readonly environment: EnvironmentPlan;
  /** SSH public key of the scale set's admin user. Required when the plan has a scale set. */
  readonly sshPublicKey?: pulumi.Input<string>;
  /**
   * UPNs Microsoft Graph returns for students known only by email, keyed by student: their namespace
   * RoleBindings bind these (identity.ts). Defaults to none.
   */
  readonly lookedUpUpns?: Readonly<Record<string, pulumi.Input<string>>>;
}

export class LabEnvironment extends pulumi.ComponentResource {
  /** The student this environment belongs to. */
  readonly studentKey?: string;
  /** Azure name of the environment's resource group. */
  readonly resourceGroupName: pulumi.Output<string>;
  /** The scale set's SSH NAT frontend ports, one per instance; only when it has a NAT pool. */
  readonly sshPorts?: { readonly first: number; readonly last: number };
  /** Azure resource id of the environment's VNet. */
  readonly vnetId: pulumi.Output<string>;
  /** Azure name of the environment's VNet (hub and spoke peers it). */
  readonly vnetName: pulumi.Output<string>;
  /** Done when every subnet of the VNet is written (VirtualNetwork.networkReady). */
  readonly networkReady: pulumi.Resource;
  /** Azure resource id of the environment's resource group (a student's role assignments use it). */
  readonly resourceGroupId: pulumi.Output<string>;
  /** Azure resource id of the storage account; only when the plan has storage. */
  readonly storageAccountId?: pulumi.Output<string>;
  /** Azure resource id of the AKS cluster; only when this environment owns a cluster. */
  readonly clusterId?: pulumi.Output<string>;
  /** The VNet's planned address space (plain: known before deployment). */
  readonly vnetCidrs: readonly string[];
  /** Frontend address of the scale set's load balancer; only when the plan has a scale set. */
  readonly webIpAddress?: pulumi.Output<string | undefined>;
  /** DNS name of that frontend; only when its public IP has a DNS label. */
  readonly webFqdn?: pulumi.Output<string | undefined>;
  /** Azure name of the storage account; only when the plan has storage. */
  readonly storageAccountName?: pulumi.Output<string>;
  /** Azure name of the AKS cluster; only when this environment owns a cluster. */
  readonly clusterName?: pulumi.Output<string>;
  /** The cluster's user kubeconfig, secret; only when this environment owns a cluster. */
  readonly kubeconfig?: pulumi.Output<string>;
  /** Principal ids that need AcrPull on the stack's registry, keyed by a stable consumer name. */
  readonly registryPullers: Readonly<Record<string, pulumi.Output<string>>>;
  /** Private address of each standalone VM (`azlab:vms`), keyed by VM name. */
  readonly vmPrivateIps: Readonly<Record<string, pulumi.Output<string | undefined>>>;

  constructor(name: string, args: LabEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    // The student tag goes on every child through this component's own transforms (see tags.ts).
    const student = args.environment.student;
    super(
      "azlab:lab:Environment",
      name,
      {},
      student ? withTransform(opts, studentTagTransform(student)) : opts,
    );
    const { plan, environment: env } = args;
    if (env.student) this.studentKey = env.student;
    const location = plan.config.location;
    const stateful: StatefulOptions = plan.protectStateful ? { protect: true, retainOnDelete: true } : {};

    const child = (role: string) => logicalName(name, role);
    const group = new resources.ResourceGroup(
      child("rg"),
      { resourceGroupName: env.resourceGroupName, location },
      { parent: this },
    );
    const wiring = { resourceGroupName: group.name, location };
    const nsg = new NetworkSecurityGroup(child(ROLES.nsg), nsgArgs(plan, env, wiring), { parent: this });
    // A subnet with its own NSG (azlab:nsg.subnets) gets it instead of the environment's.
    const subnetNsgIds = Object.fromEntries(
      Object.keys(env.subnetNsgs).map((subnet) => [
        subnet,
        new NetworkSecurityGroup(
          child(subnetNsgRole(subnet)),
          subnetNsgArgs(plan, env, subnet, { ...wiring, asgIds: nsg.asgIds }),
          { parent: this },
        ).nsgId,
      ]),
    );
    // Hub and spoke: one route table for the student's ordinary subnets (docs/hub-and-spoke.md).
    const routeTable = env.spoke
      ? new RouteTable(child(HUB_ROLES.routeTable), routeTableArgs(plan, env, wiring), { parent: this })
      : undefined;
    const vnet = new VirtualNetwork(
      child(ROLES.vnet),
      vnetArgs(plan, env, {
        ...wiring,
        nsgId: nsg.nsgId,
        subnetNsgIds,
        ...(routeTable ? { routeTableId: routeTable.routeTableId } : {}),
      }),
      { parent: this },
    );
    if (env.bastion) {
      new Bastion(
        child(HUB_ROLES.bastion),
        bastionArgs(plan, env, {
          ...wiring,
          subnetId: vnet.subnetIds[BASTION_SUBNET]!,
          networkReady: vnet.networkReady,
        }),
        { parent: this },
      );
    }
    this.resourceGroupName = group.name;
    this.resourceGroupId = group.id;
    this.vnetId = vnet.vnetId;
    this.vnetName = vnet.name;
    this.networkReady = vnet.networkReady;
    this.vnetCidrs = env.vnet.addressSpace;
    const pullers: Record<string, pulumi.Output<string>> = {};

    if (env.scaleSetEnabled && plan.config.scaleSet) {
      const subnetId = vnet.subnetIds[plan.config.scaleSet.subnet];
      const web = new ScaleSet(
        child(ROLES.scaleSet),
        scaleSetArgs(plan, env, {
          ...wiring,
          subnetId: subnetId!,
          sshPublicKey: args.sshPublicKey ?? "",
          asgIds: nsg.asgIds,
        }),
        // Not before every subnet of the VNet is written (see VirtualNetwork.networkReady).
        { parent: this, dependsOn: [vnet.networkReady] },
      );
      this.webIpAddress = web.frontendIpAddress;
      if (web.fqdn) this.webFqdn = web.fqdn;
      if (web.sshPorts) this.sshPorts = web.sshPorts;
      pullers[child(ROLES.scaleSet)] = web.vmssPrincipalId;
    }

    // Standalone VMs (azlab:vms): each environment its own, a student's with their own keys (vmArgs.ts).
    const windowsAdminPassword =
      plan.config.windowsAdminPassword !== undefined
        ? pulumi.secret(plan.config.windowsAdminPassword)
        : undefined;
    const vmPrivateIps: Record<string, pulumi.Output<string | undefined>> = {};
    for (const key of env.vms) {
      const vm = new VirtualMachine(
        child(vmRole(key)),
        vmArgs(plan, env, key, {
          ...wiring,
          subnetId: vnet.subnetIds[plan.config.vms[key]!.subnet]!,
          ...(args.sshPublicKey !== undefined ? { sshPublicKey: args.sshPublicKey } : {}),
          ...(windowsAdminPassword ? { adminPassword: windowsAdminPassword } : {}),
          asgIds: nsg.asgIds,
        }),
        // Not before every subnet of the VNet is written (see VirtualNetwork.networkReady).
        { parent: this, dependsOn: [vnet.networkReady] },
      );
      vmPrivateIps[key] = vm.privateIpAddress;
    }
    this.vmPrivateIps = vmPrivateIps;

    let storage: StorageAccount | undefined;
    if (env.storageEnabled && plan.config.storage) {
      storage = new StorageAccount(
        child(ROLES.storage),
        { ...storageOptions(plan, env), ...wiring, statefulOptions: stateful },
        { parent: this },
      );
      this.storageAccountName = storage.accountName;
      this.storageAccountId = storage.storageAccountId;
    }

    if (env.aks === "cluster" && plan.config.aks) {
      const natGateway =
        vnet.natGatewayId && vnet.natGatewayPublicIpAddress
          ? { id: vnet.natGatewayId, publicIpAddress: vnet.natGatewayPublicIpAddress.apply((ip) => ip ?? "") }
          : undefined;
      const cluster = new KubernetesCluster(
        child(ROLES.cluster),
        {
          ...clusterOptions(plan, env, natGateway),
          ...clusterAccessOptions(plan, env.namespaceStudents),
          ...wiring,
          nodeSubnetId: vnet.subnetIds[plan.config.aks.subnet]!,
          networkReady: vnet.networkReady,
          statefulOptions: stateful,
          ...(plan.config.aks.kubernetesVersion
            ? { kubernetesVersion: plan.config.aks.kubernetesVersion }
            : {}),
        },
        { parent: this },
      );
      new ClusterBasics(
        child(ROLES.clusterBasics),
        {
          ...clusterBasicsOptions(plan, env.namespaceStudents),
          ...(args.lookedUpUpns && Object.keys(args.lookedUpUpns).length > 0
            ? {
                editorSubjects: Object.fromEntries(
                  Object.entries(args.lookedUpUpns)
                    .filter(([student]) => env.namespaceStudents.includes(student))
                    .map(([student, upn]) => [`student-${student}`, upn]),
                ),
              }
            : {}),
          kubeconfig: cluster.kubeconfig,
          ...(cluster.deployerRoleAssignment ? { accessGrant: cluster.deployerRoleAssignment } : {}),
          // Azure Files volumes use this environment's account when it has one; ClusterBasics grants the
          // driver's identities their roles on it and mounts by key or by kubelet identity (azureFilesAccess).
          ...(storage && plan.config.storage
            ? {
                storageClassAccount: {
                  name: storage.accountName,
                  resourceGroupName: group.name,
                  id: storage.storageAccountId,
                  sharedKeyAccessEnabled: plan.config.storage.sharedKeyAccessEnabled,
                  ...(plan.config.storage.sharedKeyConsumers
                    ? { sharedKeyConsumers: plan.config.storage.sharedKeyConsumers }
                    : {}),
                  kubernetesVersion: plan.config.aks.kubernetesVersion,
                  clusterPrincipalId: cluster.identityPrincipalId,
                  kubeletObjectId: cluster.kubeletObjectId,
                },
              }
            : {}),
        },
        { parent: this },
      );
      this.clusterName = cluster.clusterName;
      this.clusterId = cluster.clusterId;
      this.kubeconfig = cluster.kubeconfig;
      pullers[child(ROLES.cluster)] = cluster.kubeletObjectId;
    }
    this.registryPullers = pullers;

    this.registerOutputs({
      resourceGroupName: this.resourceGroupName,
      vnetId: this.vnetId,
      vnetCidrs: this.vnetCidrs,
      webIpAddress: this.webIpAddress,
      webFqdn: this.webFqdn,
      storageAccountName: this.storageAccountName,
      clusterName: this.clusterName,
      kubeconfig: this.kubeconfig,
      registryPullers: this.registryPullers,
      vmPrivateIps: this.vmPrivateIps,
    });
  }
}
