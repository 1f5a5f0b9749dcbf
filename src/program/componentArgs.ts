/**
 * The one mapping from a planned stack to component arguments. The program uses it to build
 * components, and `planStack`'s pre-flight uses it (with placeholder wiring) to run every
 * component's own validation before any resource is registered.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { NetworkSecurityGroupArgs } from "../../components/network/networkSecurityGroup.ts";
import type { VirtualNetworkArgs } from "../../components/network/virtualNetwork.ts";
import type { ScaleSetArgs, Weekday } from "../../components/compute/scaleSet.ts";
import type { StorageAccountOptions } from "../validation/storage.ts";
import type { RegistryOptions } from "../validation/registry.ts";
import type { KubernetesClusterOptions, NodePoolOptions } from "../validation/aks.ts";
import type { ClusterBasicsOptions, NamespaceOptions } from "../validation/clusterBasics.ts";
import type { EnvironmentPlan, StackPlan } from "../stack/planStack.ts";
import type { AksConfig } from "../config/schema.ts";

type Input<T> = pulumi.Input<T>;

/** Values that only exist once resources do; validation passes placeholders. */
export interface Wiring {
  readonly resourceGroupName: Input<string>;
  readonly location: Input<string>;
}

const C = "azlab:";

export function nsgArgs(plan: StackPlan, env: EnvironmentPlan, wiring: Wiring): NetworkSecurityGroupArgs {
  return {
    ...wiring,
    rules: env.nsgRules,
    waivers: plan.config.nsg.waivers,
    configPath: `${C}nsg`,
  };
}

export function vnetArgs(
  plan: StackPlan,
  env: EnvironmentPlan,
  wiring: Wiring & { readonly nsgId: Input<string> },
): VirtualNetworkArgs {
  return {
    resourceGroupName: wiring.resourceGroupName,
    location: wiring.location,
    addressSpace: env.vnet.addressSpace,
    subnets: Object.fromEntries(
      Object.entries(env.vnet.subnets).map(([name, subnet]) => {
        const settings = env.subnetSettings[name];
        return [
          name,
          {
            cidr: subnet.cidr,
            ...(settings && !settings.special && settings.nsgEnabled ? { nsgId: wiring.nsgId } : {}),
            ...(settings?.serviceEndpoints.length ? { serviceEndpoints: settings.serviceEndpoints } : {}),
            ...(settings?.delegation ? { delegation: settings.delegation } : {}),
          },
        ];
      }),
    ),
    outbound: plan.config.network.outbound,
    configPath: `${C}network`,
  };
}

function hourMinute(text: string): { hour: number; minute: number } {
  const [hour, minute] = text.split(":").map(Number);
  return { hour: hour ?? 0, minute: minute ?? 0 };
}

export function scaleSetArgs(
  plan: StackPlan,
  env: EnvironmentPlan,
  wiring: Wiring & { readonly subnetId: Input<string>; readonly sshPublicKey: Input<string> },
): ScaleSetArgs {
  const s = plan.config.scaleSet!;
  const lb = s.loadBalancer;
  // A DNS label is global per region: suffix the environment key so students never collide.
  const dnsLabel =
    lb.dnsLabel ?? (lb.type === "public" ? `${plan.config.namePrefix}-${plan.stack}-${env.key}` : undefined);
  return {
    resourceGroupName: wiring.resourceGroupName,
    location: wiring.location,
    subnetId: wiring.subnetId,
    sshPublicKey: wiring.sshPublicKey,
    adminUsername: s.adminUsername,
    sku: s.vmSize,
    instanceCount: s.instanceCount,
    zones: s.zones,
    ...(s.customData ? { cloudInit: s.customData } : {}),
    loadBalancer: {
      type: lb.type,
      zones: s.zones,
      ...(dnsLabel ? { dnsLabel } : {}),
      ...(lb.type === "internal" ? { frontendSubnetId: wiring.subnetId } : {}),
    },
    healthProbe: {
      protocol: lb.probe.protocol,
      port: lb.probe.port,
      ...(lb.probe.protocol === "Http" ? { path: lb.probe.path } : {}),
    },
    rules: Object.fromEntries(
      lb.ports.map((port) => [
        `port-${port}`,
        { frontendPort: port, backendPort: port, loadDistribution: lb.distribution },
      ]),
    ),
    outbound: plan.config.network.outbound,
    inboundNatEnabled: lb.inboundNatEnabled,
    autoscale: {
      minimum: s.autoscale.min,
      default: s.autoscale.default,
      maximum: s.autoscale.max,
      scaleOut: { cpuThresholdPercent: s.autoscale.scaleOutCpuPercent },
      scaleIn: { cpuThresholdPercent: s.autoscale.scaleInCpuPercent },
      schedules: Object.fromEntries(
        Object.entries(s.autoscale.schedules).map(([name, schedule]) => {
          const start = hourMinute(schedule.startTime);
          const end = hourMinute(schedule.endTime);
          return [
            name,
            {
              days: schedule.days as Weekday[],
              startHour: start.hour,
              startMinute: start.minute,
              endHour: end.hour,
              endMinute: end.minute,
              timeZone: schedule.timeZone,
              minimum: schedule.min,
              default: schedule.default,
              maximum: schedule.max,
            },
          ];
        }),
      ),
    },
    configPath: `${C}scaleSet`,
  };
}

/** Seed of derived global names: stack and environment key, never the course id (renaming a course moves nothing). */
export function nameSeed(plan: StackPlan, envKey: string): string {
  return `${plan.stack}/${envKey}`;
}

export function storageOptions(plan: StackPlan, env: EnvironmentPlan): StorageAccountOptions {
  const s = plan.config.storage!;
  return {
    namePrefix: s.namePrefix,
    nameSeed: nameSeed(plan, env.key),
    sku: s.sku,
    publicNetworkAccessEnabled: s.publicNetworkAccessEnabled,
    sharedKeyAccessEnabled: s.sharedKeyAccessEnabled,
    ...(s.sharedKeyConsumers ? { sharedKeyConsumers: s.sharedKeyConsumers } : {}),
    softDeleteRetentionDays: s.softDeleteRetentionDays,
    containers: s.containers,
    shares: Object.fromEntries(
      Object.entries(s.fileShares).map(([name, share]) => [name, { quotaGiB: share.quotaGiB }]),
    ),
    ...(s.lifecycle ? { lifecycle: s.lifecycle } : {}),
    configPath: `${C}storage`,
  };
}

export function registryOptions(plan: StackPlan): RegistryOptions {
  const r = plan.config.registry!;
  return {
    namePrefix: r.namePrefix,
    nameSeed: nameSeed(plan, "registry"),
    sku: r.sku,
    publicNetworkAccessEnabled: r.publicNetworkAccessEnabled,
    zoneRedundancyEnabled: r.zoneRedundancyEnabled,
    quarantineEnabled: r.quarantineEnabled,
    ...(r.retentionDays !== undefined ? { retentionDays: r.retentionDays } : {}),
    configPath: `${C}registry`,
  };
}

function poolOptions(pool: AksConfig["systemPool"]): NodePoolOptions {
  return {
    vmSize: pool.vmSize,
    osDiskType: pool.osDiskType,
    autoScalingEnabled: pool.autoScalingEnabled,
    ...(pool.autoScalingEnabled
      ? { minCount: pool.minCount, maxCount: pool.maxCount }
      : { nodeCount: pool.minCount }),
    maxPods: pool.maxPods,
    maxSurge: pool.maxSurge,
    zones: pool.zones,
    nodeLabels: pool.nodeLabels,
    nodeTaints: pool.nodeTaints,
  };
}

export function clusterOptions(plan: StackPlan, env: EnvironmentPlan): KubernetesClusterOptions {
  const a = plan.config.aks!;
  const nodeSubnet = env.vnet.subnets[a.subnet];
  return {
    clusterName: `aks-${plan.config.namePrefix}-${plan.stack}-${env.key}`,
    systemPool: poolOptions(a.systemPool),
    userPools: Object.fromEntries(
      Object.entries(a.userPools).map(([name, pool]) => [name, poolOptions(pool)]),
    ),
    networkPlugin: a.networkPlugin,
    // With a NAT gateway on the node subnet, AKS must not build its own outbound LB rules and IP.
    outboundType: plan.config.network.outbound === "natGateway" ? "userAssignedNATGateway" : "loadBalancer",
    networkPolicy: a.networkPolicy,
    ...(a.networkPlugin === "azure-cni-overlay" ? { podCidr: a.podCidr } : {}),
    serviceCidr: a.serviceCidr,
    dnsServiceIp: a.dnsServiceIp,
    nodeSubnetCidr: nodeSubnet?.cidr ?? "",
    vnetAddressSpace: Object.values(plan.environments).flatMap((e) => e.vnet.addressSpace),
    reservedCidrs: plan.config.network.reservedCidrs,
    entraAdminGroupObjectIds: a.entraAdminGroupObjectIds,
    ...(a.privateClusterEnabled
      ? { privateClusterEnabled: true }
      : { apiServerAuthorizedIpRanges: a.authorizedIpRanges }),
    upgradeChannel: a.upgradeChannel,
    autoscalerProfile: a.autoscalerProfile,
    configPath: `${C}aks`,
  };
}

/**
 * In-cluster objects of one cluster. In a shared class cluster every student gets a namespace,
 * an edit RoleBinding for their Entra id when given, and isolation from the other namespaces.
 */
export function clusterBasicsOptions(plan: StackPlan, studentKeys: readonly string[]): ClusterBasicsOptions {
  const a = plan.config.aks!;
  const namespaces: Record<string, NamespaceOptions> = {};
  for (const [name, ns] of Object.entries(a.namespaces)) {
    namespaces[name] = { labels: ns.labels, networkIsolationEnabled: true };
  }
  for (const student of studentKeys) {
    const entra = plan.config.class?.students[student]?.entraObjectId;
    namespaces[`student-${student}`] = {
      labels: { "azlab.io/student": student },
      networkIsolationEnabled: true,
      ...(entra ? { editorObjectId: entra, editorKind: "User" as const } : {}),
    };
  }
  // The sample workload needs a namespace of its own when the stack declares none.
  if (a.sampleWorkloadEnabled && Object.keys(namespaces).length === 0) {
    namespaces["sample"] = { labels: {}, networkIsolationEnabled: true };
  }
  return {
    namespaces,
    ...(a.storageClass ? { storageClass: a.storageClass } : {}),
    ...(a.sampleWorkloadEnabled ? { sampleWorkload: { namespace: Object.keys(namespaces).sort()[0]! } } : {}),
    configPath: `${C}aks`,
  };
}
