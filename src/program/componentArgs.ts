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
import type {
  ClusterNatGateway,
  KubernetesClusterOptions,
  NodePoolOptions,
} from "../validation/aks/index.ts";
import {
  hasInClusterObjects,
  type ClusterBasicsOptions,
  type NamespaceOptions,
} from "../validation/clusterBasics.ts";
import type { KubeloginOptions } from "../access/kubeconfig.ts";
import { entraSignInEnabled } from "../access/studentAccess.ts";
import type { EnvironmentPlan, StackPlan } from "../stack/planStack.ts";
import { asgsWithMember } from "../stack/nsgPlan.ts";
import type { AksConfig, BudgetConfig } from "../config/schema.ts";
import { formatPrefix } from "../cidr/address.ts";
import { normalizeKubernetesCluster } from "../validation/aks/index.ts";
import { budgetStartDate, monthEnd, type BudgetOptions } from "../validation/budget.ts";
import { azureName, logicalName } from "../naming/azureNames.ts";

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
    waivers: plan.config.nsg.waivers,
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
            ...(settings?.serviceEndpoints.length ? { serviceEndpoints: settings.serviceEndpoints } : {}),
            ...(settings?.delegation ? { delegation: settings.delegation } : {}),
          },
        ];
      }),
    ),
    outbound: plan.config.network.outbound,
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
    outbound: plan.config.network.outbound,
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

export function clusterOptions(
  plan: StackPlan,
  env: EnvironmentPlan,
  natGateway?: ClusterNatGateway<Input<string>>,
): KubernetesClusterOptions<Input<string>> {
  const a = plan.config.aks!;
  const nodeSubnet = env.vnet.subnets[a.subnet];
  return {
    nameParts: environmentNameParts(plan, env.key),
    systemPool: poolOptions(a.systemPool),
    userPools: Object.fromEntries(
      Object.entries(a.userPools).map(([name, pool]) => [name, poolOptions(pool)]),
    ),
    networkPlugin: a.networkPlugin,
    // With a NAT gateway on the node subnet, AKS must not build its own outbound LB rules and IP.
    outboundType: plan.config.network.outbound === "natGateway" ? "userAssignedNATGateway" : "loadBalancer",
    // The VNet's NAT gateway: its address joins the authorized ranges and the cluster identity gets access.
    ...(plan.config.network.outbound === "natGateway" && natGateway ? { natGateway } : {}),
    ...(a.networkPolicy !== undefined ? { networkPolicy: a.networkPolicy } : {}),
    skuTier: a.skuTier,
    // Run command is the way into a private cluster from outside its VNet; with the deployer inside it, or on a
    // public cluster, nothing needs it.
    runCommandEnabled: a.runCommandEnabled ?? (a.privateClusterEnabled && !a.deployerInVnet),
    imageCleanerEnabled: a.imageCleanerEnabled,
    ...(a.imageCleanerIntervalHours !== undefined
      ? { imageCleanerIntervalHours: a.imageCleanerIntervalHours }
      : {}),
    // Config holds prefix values; components take CIDR text at their public boundary.
    ...(a.networkPlugin === "azure-cni-overlay" ? { podCidr: formatPrefix(a.podCidr) } : {}),
    serviceCidr: formatPrefix(a.serviceCidr),
    dnsServiceIp: a.dnsServiceIp,
    nodeSubnetCidr: nodeSubnet?.cidr ?? "",
    vnetAddressSpace: Object.values(plan.environments).flatMap((e) => e.vnet.addressSpace),
    reservedCidrs: plan.config.network.reservedCidrs.map(formatPrefix),
    // Decided once for the stack: also on for a class whose students get cluster access, admin groups or not.
    entraEnabled: entraSignInEnabled(plan),
    entraAdminGroupObjectIds: a.entraAdminGroupObjectIds,
    ...(a.privateClusterEnabled
      ? { privateClusterEnabled: true }
      : { apiServerAuthorizedIpRanges: a.authorizedIpRanges.map(formatPrefix) }),
    upgradeChannel: a.upgradeChannel,
    autoscalerProfile: a.autoscalerProfile,
  };
}

/**
 * A student's namespace editor: by UPN for a same-tenant user, by object id only for a guest given without one
 * (azure-aks-docs, azure-ad-rbac.md). A student known by email is bound by the UPN Graph returns at deploy time
 * (LabEnvironment passes it as ClusterBasics' editorSubjects); the email stands in for it here. None when the
 * student has no identity or `class.studentAccess.cluster` is off.
 */
function studentEditor(
  plan: StackPlan,
  student: string,
): Pick<NamespaceOptions, "editorObjectId" | "editorKind" | "editorUserPrincipalName"> {
  const cls = plan.config.class;
  const roster = cls?.students[student];
  if (!roster || !cls.studentAccess.cluster) return {};
  const upn = roster.upn ?? (roster.entraObjectId ? undefined : roster.email);
  if (!upn && !roster.entraObjectId) return {};
  return {
    ...(roster.entraObjectId ? { editorObjectId: roster.entraObjectId } : {}),
    ...(upn ? { editorUserPrincipalName: upn } : {}),
    editorKind: "User",
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
    namespaces[`student-${student}`] = {
      labels: { "azlab.io/student": student },
      networkIsolationEnabled: true,
      ...studentEditor(plan, student),
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
    privateClusterEnabled: a.privateClusterEnabled,
    deployerInVnet: a.deployerInVnet,
  };
}

/**
 * How the deployer reaches the cluster: the non-interactive kubelogin mode, and the cluster-admin grant, made
 * only when this cluster gets in-cluster objects (least privilege; it has effect only with Entra ID).
 */
export function clusterAccessOptions(
  plan: StackPlan,
  studentKeys: readonly string[],
): KubeloginOptions & { readonly grantDeployerClusterAdmin: boolean } {
  const a = plan.config.aks!;
  return {
    kubeloginMode: a.kubeloginMode,
    ...(a.kubeloginClientId !== undefined ? { kubeloginClientId: a.kubeloginClientId } : {}),
    ...(a.deployerPrincipalType !== undefined ? { deployerPrincipalType: a.deployerPrincipalType } : {}),
    grantDeployerClusterAdmin: hasInClusterObjects(clusterBasicsOptions(plan, studentKeys)),
  };
}

/** Logical name of the stack's one budget component (`azlab:class.budget` or `azlab:budget`). */
export const BUDGET_NAME = "budget";

/** The budget a stack sets: a class's under `azlab:class.budget`, dev's and prod's under `azlab:budget`. */
export function stackBudget(plan: StackPlan): BudgetConfig | undefined {
  return plan.config.class?.budget ?? plan.config.budget;
}

/** The `azlab:` key a stack's budget is written under. */
export function budgetKey(plan: StackPlan): string {
  return plan.config.class?.budget ? "azlab:class.budget" : "azlab:budget";
}

/**
 * The resource groups an environment bills in: its own and, with a cluster, the cluster's node
 * resource group, where AKS puts the nodes, their disks and IPs.
 */
export function billedResourceGroups(plan: StackPlan, env: EnvironmentPlan): string[] {
  const groups = [env.resourceGroupName];
  if (env.aks === "cluster" && plan.config.aks) {
    const nodeGroup = normalizeKubernetesCluster(
      // The node group's name depends on the names alone; the NAT gateway is a placeholder, as in pre-flight.
      clusterOptions(plan, env, { id: "natgw", publicIpAddress: "ip" }),
      logicalName(env.key, ROLES.cluster),
    ).value?.nodeResourceGroupName;
    if (nodeGroup) groups.push(nodeGroup);
  }
  return groups;
}

/** The resource group of the stack's shared services (the registry); see compose.ts. */
export function sharedResourceGroupName(plan: StackPlan): string {
  return azureName("resourceGroup", [plan.config.namePrefix, plan.stack, "shared"]);
}

/**
 * The budget's plain arguments. `asOf` is the deploying (or planning) instant: Azure's monthly budget
 * starts on the first of that month. A class's budget ends with the month of its last day, or with the
 * start month when the class has already ended (Azure needs the end after the start).
 */
export function budgetOptions(plan: StackPlan, asOf: Date): BudgetOptions | undefined {
  const budget = stackBudget(plan);
  if (!budget) return undefined;
  const startDate = budgetStartDate(asOf);
  const expiresOn = plan.config.class?.expiresOn;
  const endDate =
    expiresOn === undefined ? undefined : [monthEnd(expiresOn), monthEnd(startDate)].sort().at(-1)!;
  const students = Object.keys(plan.config.class?.students ?? {}).filter((k) => plan.environments[k]);
  return {
    budgetName: ["budget", plan.config.namePrefix, plan.stack].join("-"),
    amount: budget.amount,
    currency: budget.currency,
    thresholds: budget.thresholds,
    contactEmails: budget.contactEmails,
    startDate,
    ...(endDate !== undefined ? { endDate } : {}),
    ...(budget.perStudent !== undefined && plan.config.class
      ? { perStudent: { amount: budget.perStudent, students } }
      : {}),
  };
}

/** The Azure name and resource group of every AKS cluster a stack plans, for `azlab class-hours`. */
export function plannedClusters(plan: StackPlan): { resourceGroup: string; name: string }[] {
  if (!plan.config.aks) return [];
  return Object.values(plan.environments).flatMap((env) => {
    if (env.aks !== "cluster") return [];
    const name = normalizeKubernetesCluster(
      clusterOptions(plan, env, { id: "natgw", publicIpAddress: "ip" }),
      logicalName(env.key, ROLES.cluster),
    ).value?.clusterName;
    return name ? [{ resourceGroup: env.resourceGroupName, name }] : [];
  });
}
