/**
 * Component arguments of the AKS cluster and its in-cluster basics, from a planned stack (see
 * componentArgs.ts for the mapping's other components and the naming roles).
 */
import type * as pulumi from "@pulumi/pulumi";
import type {
  ClusterNatGateway,
  KubernetesClusterOptions,
  NodePoolOptions,
} from "../validation/aks/index.ts";
import {
  hasInClusterObjects,
  type ClusterBasicsOptions,
  type NamespaceOptions,
  type SampleWorkloadOptions,
  type StorageClassOptions,
} from "../validation/clusterBasics.ts";
import type { DeployerAccessOptions } from "../access/kubeconfig.ts";
import { entraSignInEnabled } from "../access/studentAccess.ts";
import type { EnvironmentPlan, StackPlan } from "../stack/planStack.ts";
import type { AksConfig } from "../config/schema.ts";
import { formatPrefix } from "../cidr/address.ts";
import { environmentNameParts } from "./componentArgs.ts";

type Input<T> = pulumi.Input<T>;

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
    outboundType: env.outbound === "natGateway" ? "userAssignedNATGateway" : "loadBalancer",
    // The VNet's NAT gateway: its address joins the authorized ranges and the cluster identity gets access.
    ...(env.outbound === "natGateway" && natGateway ? { natGateway } : {}),
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
    verticalPodAutoscalerEnabled: a.verticalPodAutoscalerEnabled,
    appRoutingEnabled: a.appRoutingEnabled,
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
  // Every namespace gets the sample workload, so that each student of a shared cluster has their own copy.
  const [first, ...rest] = Object.keys(namespaces).sort();
  const sc = a.storageClass;
  const sampleWorkload: SampleWorkloadOptions | undefined =
    a.sampleWorkloadEnabled && first !== undefined
      ? {
          namespace: first,
          ...(rest.length > 0 ? { additionalNamespaces: rest } : {}),
          ...(a.appRoutingEnabled ? { ingressEnabled: true } : {}),
          // Shared by every replica, so only on a ReadWriteMany (Azure Files) class; 1 GiB keeps it cheap.
          ...(sc?.kind === "AzureFiles" ? { volume: { sizeGi: 1, mountPath: "/data" } } : {}),
        }
      : undefined;
  return {
    namespaces,
    ...(sc
      ? {
          storageClass: {
            kind: sc.kind,
            ...(sc.skuName !== undefined ? { skuName: sc.skuName as StorageClassOptions["skuName"] } : {}),
            reclaimPolicy: sc.reclaimPolicy,
            allowVolumeExpansion: sc.allowVolumeExpansion,
            volumeBindingMode: sc.volumeBindingMode,
          },
        }
      : {}),
    ...(sampleWorkload ? { sampleWorkload } : {}),
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
): DeployerAccessOptions & { readonly grantDeployerClusterAdmin: boolean } {
  const a = plan.config.aks!;
  return {
    kubeloginMode: a.kubeloginMode,
    ...(a.kubeloginClientId !== undefined ? { kubeloginClientId: a.kubeloginClientId } : {}),
    ...(a.deployerPrincipalType !== undefined ? { deployerPrincipalType: a.deployerPrincipalType } : {}),
    privateClusterEnabled: a.privateClusterEnabled,
    deployerInVnet: a.deployerInVnet,
    grantDeployerClusterAdmin: hasInClusterObjects(clusterBasicsOptions(plan, studentKeys)),
  };
}

/** Logical name of the stack's one budget component (`azlab:class.budget` or `azlab:budget`). */
