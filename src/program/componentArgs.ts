/**
 * The one mapping from a planned stack to component arguments, and back from an argument's path to the
 * `azlab:` key the user wrote. The program uses it to build components, and pre-flight uses it (with
 * placeholder wiring) to run every component's own validator before any resource is registered and to
 * report each problem at the stack-file key it came from.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { NetworkSecurityGroupArgs } from "../../components/network/networkSecurityGroup.ts";
import type { VirtualNetworkArgs } from "../../components/network/virtualNetwork.ts";
import type { ScaleSetArgs, Weekday } from "../../components/compute/scaleSet.ts";
import type { StorageAccountOptions } from "../validation/storage.ts";
import type { RegistryOptions } from "../validation/registry.ts";
import { HUB_KEY, type EnvironmentPlan, type StackPlan } from "../stack/planStack.ts";
import { asgsWithMember } from "../stack/nsgPlan.ts";

type Input<T> = pulumi.Input<T>;

/** Values that only exist once resources do; validation passes placeholders. */
export interface Wiring {
  readonly resourceGroupName: Input<string>;
  readonly location: Input<string>;
}

/**
 * Logical names of an environment's components, as roles under the environment's own name
 * (`alice-nsg`, `alice-net`, …); a role never repeats the component's type.
 */
export const ROLES = {
  nsg: "nsg",
  vnet: "net",
  scaleSet: "web",
  storage: "st",
  cluster: "aks",
  clusterBasics: "k8s",
} as const;

/** Logical name of the stack's one registry; its resource group is `shared-rg`. */
export const REGISTRY_NAME = "registry";

/**
 * The stack's name and, in a class, the environment key. dev and prod have one environment, named after
 * the stack, so its key is left out, as planStack leaves it out of their resource group's name.
 */
function stackParts(plan: StackPlan, envKey: string): string[] {
  return plan.config.environment === "class" ? [plan.stack, envKey] : [plan.stack];
}

/** The parts of every Azure name in an environment: `<abbreviation>-<namePrefix>-<stack>[-<envKey>]`. */
export function environmentNameParts(plan: StackPlan, envKey: string): string[] {
  return [plan.config.namePrefix, ...stackParts(plan, envKey)];
}

export function nsgArgs(plan: StackPlan, env: EnvironmentPlan, wiring: Wiring): NetworkSecurityGroupArgs {
  return {
    ...wiring,
    nameParts: environmentNameParts(plan, env.key),
    rules: env.nsgRules,
    // The class hub's NSG has no rules, so a waiver there would name none; the students' NSGs check them.
    waivers: env.key === HUB_KEY && plan.config.environment === "class" ? {} : plan.config.nsg.waivers,
    // The environment's NSG creates the groups; subnet NSGs and NICs refer to them by id.
    ...(env.applicationSecurityGroups.length > 0
      ? { applicationSecurityGroups: Object.fromEntries(env.applicationSecurityGroups.map((k) => [k, {}])) }
      : {}),
  };
}

/**
 * Logical role of a subnet's own NSG: `<env>-<subnet>-nsg`. Not `nsg-<subnet>`, which is where the
 * environment's NSG puts its application security group of that name.
 */
export function subnetNsgRole(subnet: string): string {
  return `${subnet}-${ROLES.nsg}`;
}

/** A subnet's own NSG (`azlab:nsg.subnets.<subnet>`), named `nsg-<env parts>-<subnet>` in Azure. */
export function subnetNsgArgs(
  plan: StackPlan,
  env: EnvironmentPlan,
  subnet: string,
  wiring: Wiring & { readonly asgIds: Readonly<Record<string, Input<string>>> },
): NetworkSecurityGroupArgs {
  const own = env.subnetNsgs[subnet];
  return {
    resourceGroupName: wiring.resourceGroupName,
    location: wiring.location,
    nameParts: [...environmentNameParts(plan, env.key), subnet],
    rules: own?.rules ?? {},
    waivers: own?.waivers ?? {},
    ...(Object.keys(wiring.asgIds).length > 0 ? { applicationSecurityGroupIds: wiring.asgIds } : {}),
  };
}

export function vnetArgs(
  plan: StackPlan,
  env: EnvironmentPlan,
  wiring: Wiring & {
    readonly nsgId: Input<string>;
    /** Ids of the subnets' own NSGs, keyed by subnet; a subnet missing here gets `nsgId`. */
    readonly subnetNsgIds?: Readonly<Record<string, Input<string>>>;
    /** The environment's route table (hub and spoke), on every ordinary subnet. Defaults to none. */
    readonly routeTableId?: Input<string>;
  },
): VirtualNetworkArgs {
  return {
    resourceGroupName: wiring.resourceGroupName,
    location: wiring.location,
    nameParts: environmentNameParts(plan, env.key),
    addressSpace: env.vnet.addressSpace,
    subnets: Object.fromEntries(
      Object.entries(env.vnet.subnets).map(([name, subnet]) => {
        const settings = env.subnetSettings[name];
        return [
          name,
          {
            cidr: subnet.cidr,
            ...(settings && !settings.special && settings.nsgEnabled
              ? { nsgId: wiring.subnetNsgIds?.[name] ?? wiring.nsgId }
              : {}),
            ...(settings && !settings.special && wiring.routeTableId !== undefined
              ? { routeTableId: wiring.routeTableId }
              : {}),
            ...(settings?.serviceEndpoints.length ? { serviceEndpoints: settings.serviceEndpoints } : {}),
            ...(settings?.delegation ? { delegation: settings.delegation } : {}),
          },
        ];
      }),
    ),
    outbound: env.outbound,
  };
}

/** The groups whose members include the scale set, as the NIC's `applicationSecurityGroupIds`. */
function scaleSetAsgIds(
  plan: StackPlan,
  env: EnvironmentPlan,
  asgIds: Readonly<Record<string, Input<string>>> | undefined,
): { applicationSecurityGroupIds?: Input<string>[] } {
  const names = asgsWithMember(plan.config, "scaleSet").filter((n) =>
    env.applicationSecurityGroups.includes(n),
  );
  const ids = names.flatMap((n) => (asgIds?.[n] !== undefined ? [asgIds[n]] : []));
  return ids.length > 0 ? { applicationSecurityGroupIds: ids } : {};
}

function hourMinute(text: string): { hour: number; minute: number } {
  const [hour, minute] = text.split(":").map(Number);
  return { hour: hour ?? 0, minute: minute ?? 0 };
}

export function scaleSetArgs(
  plan: StackPlan,
  env: EnvironmentPlan,
  wiring: Wiring & {
    readonly subnetId: Input<string>;
    readonly sshPublicKey: Input<string>;
    /** Ids of the environment's application security groups, keyed by name (`azlab:nsg.applicationSecurityGroups`). */
    readonly asgIds?: Readonly<Record<string, Input<string>>>;
  },
): ScaleSetArgs {
  const s = plan.config.scaleSet!;
  const lb = s.loadBalancer;
  const studentKeys = env.student ? (plan.config.class?.students[env.student]?.sshPublicKeys ?? []) : [];
  // A DNS label is global per region: suffix the environment key so students never collide.
  const dnsLabel =
    lb.dnsLabel ?? (lb.type === "public" ? environmentNameParts(plan, env.key).join("-") : undefined);
  return {
    resourceGroupName: wiring.resourceGroupName,
    location: wiring.location,
    subnetId: wiring.subnetId,
    sshPublicKey: wiring.sshPublicKey,
    ...scaleSetAsgIds(plan, env, wiring.asgIds),
    // A student's own keys from the roster, next to the instructor's (only on their own scale set).
    ...(studentKeys.length > 0 ? { additionalSshPublicKeys: studentKeys } : {}),
    nameParts: environmentNameParts(plan, env.key),
    adminUsername: s.adminUsername,
    sku: s.vmSize,
    instanceCount: s.instanceCount,
    zones: s.zones,
    ...(s.customData ? { cloudInit: s.customData } : {}),
    ...(s.trustedLaunch !== undefined ? { trustedLaunch: s.trustedLaunch } : {}),
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
    outbound: env.outbound,
    // A class's way in from anywhere: one SSH port per instance on the student's own frontend, with no
    // new resource (docs/running-a-class.md compares the costs); dev and prod opt in.
    inboundNatEnabled: lb.inboundNatEnabled ?? plan.config.environment === "class",
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
  };
}

/** Seed of derived global names: stack and environment key, never the course id (renaming a course moves nothing). */
export function nameSeed(plan: StackPlan, envKey: string): string {
  return `${plan.stack}/${envKey}`;
}

export function storageOptions(plan: StackPlan, env: EnvironmentPlan): StorageAccountOptions {
  const s = plan.config.storage!;
  return {
    // Global: `st` and these parts squeezed together, then a hash of the seed.
    nameParts: [s.namePrefix, ...stackParts(plan, env.key)],
    nameSeed: nameSeed(plan, env.key),
    kind: s.kind,
    ...(s.accessTier !== undefined ? { accessTier: s.accessTier } : {}),
    sku: s.sku,
    publicNetworkAccessEnabled: s.publicNetworkAccessEnabled,
    sharedKeyAccessEnabled: s.sharedKeyAccessEnabled,
    ...(s.sharedKeyConsumers ? { sharedKeyConsumers: s.sharedKeyConsumers } : {}),
    softDeleteRetentionDays: s.softDeleteRetentionDays,
    ...(s.allowedCopyScope !== undefined ? { allowedCopyScope: s.allowedCopyScope } : {}),
    containers: s.containers,
    shares: Object.fromEntries(
      Object.entries(s.fileShares).map(([name, share]) => [
        name,
        {
          quotaGiB: share.quotaGiB,
          ...(share.protocol ? { protocol: share.protocol } : {}),
          ...(share.accessTier ? { accessTier: share.accessTier } : {}),
          ...(share.rootSquash ? { rootSquash: share.rootSquash } : {}),
        },
      ]),
    ),
    // Left out on FileStorage so the validator can say these need StorageV2 only when the user wrote them.
    ...(Object.keys(s.queues).length > 0 ? { queues: s.queues } : {}),
    ...(Object.keys(s.tables).length > 0 ? { tables: s.tables } : {}),
    ...(s.staticWebsite ? { staticWebsite: s.staticWebsite } : {}),
    ...(s.lifecycle ? { lifecycle: s.lifecycle } : {}),
  };
}

export function registryOptions(plan: StackPlan): RegistryOptions {
  const r = plan.config.registry!;
  return {
    nameParts: [r.namePrefix, plan.stack],
    nameSeed: nameSeed(plan, "registry"),
    sku: r.sku,
    publicNetworkAccessEnabled: r.publicNetworkAccessEnabled,
    ...(r.zoneRedundancyEnabled !== undefined ? { zoneRedundancyEnabled: r.zoneRedundancyEnabled } : {}),
    ...(r.exportsEnabled !== undefined ? { exportsEnabled: r.exportsEnabled } : {}),
    quarantineEnabled: r.quarantineEnabled,
    ...(r.retentionDays !== undefined ? { retentionDays: r.retentionDays } : {}),
  };
}
