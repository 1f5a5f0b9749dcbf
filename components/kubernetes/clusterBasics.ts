/**
 * In-cluster basics on top of a kubeconfig: namespaces with quotas, limits, an optional editor binding and
 * cross-namespace isolation; an Azure Files or Azure Disk StorageClass; and an optional sample workload with a
 * Deployment, Service, HorizontalPodAutoscaler, volume claim and Ingress, in one namespace or many. Every object has an explicit
 * metadata.name so that names are stable and readable.
 */
import * as pulumi from "@pulumi/pulumi";
// By subpath: the package root indexes every API group of every Kubernetes version.
import { Provider } from "@pulumi/kubernetes/provider.js";
import * as coreV1 from "@pulumi/kubernetes/core/v1/index.js";
import * as networkingV1 from "@pulumi/kubernetes/networking/v1/index.js";
import * as rbacV1 from "@pulumi/kubernetes/rbac/v1/index.js";
import * as storageV1 from "@pulumi/kubernetes/storage/v1/index.js";
import { azureFilesAccess } from "../../src/validation/azureFiles.ts";
import { normalizeClusterBasics, type ClusterBasicsOptions } from "../../src/validation/clusterBasics.ts";
import { builtInRoleAssignment } from "../shared/roleAssignment.ts";
import { declareSampleWorkload } from "./sampleWorkload.ts";
import { valueOrThrow } from "../shared/validated.ts";
import { logicalName } from "../../src/naming/azureNames.ts";

export interface ClusterBasicsArgs extends ClusterBasicsOptions {
  /** Kubeconfig of the cluster (for example KubernetesCluster.kubeconfig); keep it secret. Required. */
  readonly kubeconfig: pulumi.Input<string>;
  /**
   * The grant that lets the deployer use the cluster (KubernetesCluster.deployerRoleAssignment): the provider
   * and every Kubernetes object wait for it. Defaults to none.
   */
  readonly accessGrant?: pulumi.Resource;
  /**
   * RoleBinding subjects known only at deploy time, keyed by namespace: a UPN that Microsoft Graph returns for a
   * student known by email. Wins over the namespace's `editorUserPrincipalName`. Defaults to none.
   */
  readonly editorSubjects?: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * An existing storage account for the StorageClass's shares, for example a StorageAccount component's
   * account. ClusterBasics grants the cluster's identities the roles the Azure Files CSI driver needs on it
   * before the StorageClass exists, and mounts with the account key only where the account declares the driver
   * as a shared-key consumer; otherwise with the kubelet identity (see azureFilesAccess). Defaults to none:
   * the driver creates its own account in the node resource group.
   */
  readonly storageClassAccount?: {
    readonly name: pulumi.Input<string>;
    readonly resourceGroupName: pulumi.Input<string>;
    /** Resource id of the account: the scope of the grants. */
    readonly id: pulumi.Input<string>;
    readonly sharedKeyAccessEnabled: boolean;
    readonly sharedKeyConsumers?: readonly string[];
    /** The cluster's pinned Kubernetes version, if any (a managed-identity mount needs 1.34+). */
    readonly kubernetesVersion?: string | undefined;
    /** Object id of the cluster's control-plane identity (the CSI controller creates shares as it). */
    readonly clusterPrincipalId: pulumi.Input<string>;
    /** Object id of the kubelet identity (the nodes mount as it). */
    readonly kubeletObjectId: pulumi.Input<string>;
  };
}

const MANAGED_BY = { "app.kubernetes.io/managed-by": "azlab" };

export class ClusterBasics extends pulumi.ComponentResource {
  /** Names of the namespaces, resolved once they exist. */
  readonly namespaceNames: pulumi.Output<string[]>;
  /** Name of the StorageClass, or undefined when none is created. */
  readonly storageClassName: pulumi.Output<string | undefined>;

  constructor(name: string, args: ClusterBasicsArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super() so that invalid input registers nothing, not even the component.
    const normalized = normalizeClusterBasics(args);
    const account = args.storageClassAccount;
    // The account and its grants are for Azure Files; a disk class makes its disks in the node resource group.
    const access =
      account && normalized.value?.storageClass?.kind === "AzureFiles"
        ? azureFilesAccess(account, "storageClassAccount.kubernetesVersion")
        : undefined;
    const b = valueOrThrow(
      access && access.problems.length > 0 ? { problems: [...access.problems] } : normalized,
      `ClusterBasics "${name}" has invalid arguments:`,
    );
    super("azlab:kubernetes:ClusterBasics", name, {}, opts);

    const provider = new Provider(
      logicalName(name, "provider"),
      { kubeconfig: pulumi.secret(args.kubeconfig), enableServerSideApply: true },
      { parent: this, ...(args.accessGrant ? { dependsOn: [args.accessGrant] } : {}) },
    );
    // Each object names the grant too, so the order is in its own dependencies (and in an offline plan).
    const accessGrant = args.accessGrant ? [args.accessGrant] : [];
    const child = { parent: this, provider, dependsOn: accessGrant };

    const namespaces: Record<string, coreV1.Namespace> = {};
    for (const [key, ns] of Object.entries(b.namespaces)) {
      const namespace = new coreV1.Namespace(
        logicalName(name, key),
        { metadata: { name: key, labels: { ...ns.labels, ...MANAGED_BY } } },
        child,
      );
      namespaces[key] = namespace;
      // Using the output name makes every namespaced object wait for its namespace.
      const inNamespace = (objectName: string) => ({
        name: objectName,
        namespace: namespace.metadata.name,
        labels: MANAGED_BY,
      });

      new coreV1.ResourceQuota(
        logicalName(name, `${key}-quota`),
        {
          metadata: inNamespace("azlab-quota"),
          spec: {
            hard: {
              "requests.cpu": ns.quota.requestsCpu,
              "requests.memory": ns.quota.requestsMemory,
              "limits.cpu": ns.quota.limitsCpu,
              "limits.memory": ns.quota.limitsMemory,
              pods: String(ns.quota.pods),
              persistentvolumeclaims: String(ns.quota.persistentVolumeClaims),
              "services.loadbalancers": String(ns.quota.loadBalancers),
            },
          },
        },
        child,
      );
      // The quota rejects pods without requests and limits; the LimitRange fills them in.
      new coreV1.LimitRange(
        logicalName(name, `${key}-limits`),
        {
          metadata: inNamespace("azlab-limits"),
          spec: {
            limits: [
              {
                type: "Container",
                defaultRequest: { cpu: ns.limits.defaultRequestCpu, memory: ns.limits.defaultRequestMemory },
                default: { cpu: ns.limits.defaultLimitCpu, memory: ns.limits.defaultLimitMemory },
              },
            ],
          },
        },
        child,
      );
      if (ns.editor) {
        new rbacV1.RoleBinding(
          logicalName(name, `${key}-editor`),
          {
            metadata: inNamespace("azlab-editor"),
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
            subjects: [
              {
                apiGroup: "rbac.authorization.k8s.io",
                kind: ns.editor.kind,
                name: args.editorSubjects?.[key] ?? ns.editor.subject,
              },
            ],
          },
          child,
        );
      }
      if (ns.networkIsolationEnabled) {
        new networkingV1.NetworkPolicy(
          logicalName(name, `${key}-isolation`),
          {
            metadata: inNamespace("azlab-same-namespace-only"),
            spec: {
              podSelector: {},
              policyTypes: ["Ingress"],
              // An empty pod selector without a namespace selector matches pods of this namespace only.
              ingress: [{ from: [{ podSelector: {} }] }],
            },
          },
          child,
        );
      }
    }

    let storageClass: storageV1.StorageClass | undefined;
    if (b.storageClass) {
      const sc = b.storageClass;
      // The driver's identities need their roles on the account before the first claim is provisioned.
      const grants =
        account && access
          ? access.grants.map((grant) =>
              builtInRoleAssignment(logicalName(name, `files-${grant.identity}`), this, {
                role: grant.role,
                scope: account.id,
                principalId:
                  grant.identity === "cluster" ? account.clusterPrincipalId : account.kubeletObjectId,
                description:
                  grant.identity === "cluster"
                    ? "azlab: Azure Files CSI controller creates shares in this account"
                    : "azlab: AKS nodes mount this account's shares with the kubelet identity",
              }),
            )
          : [];
      const files = sc.kind === "AzureFiles";
      storageClass = new storageV1.StorageClass(
        logicalName(name, "storageclass"),
        {
          metadata: { name: sc.name, labels: MANAGED_BY },
          // Azure Disk: disk.csi.azure.com; disks are encrypted at rest with platform keys by default
          // (azure-aks-docs, azure-csi-disk-storage-provision.md; Files: azure-csi-files-storage-provision.md).
          provisioner: files ? "file.csi.azure.com" : "disk.csi.azure.com",
          parameters: {
            skuName: sc.skuName,
            ...(account && files
              ? {
                  storageAccount: account.name,
                  resourceGroup: account.resourceGroupName,
                  ...access?.parameters,
                }
              : {}),
          },
          reclaimPolicy: sc.reclaimPolicy,
          allowVolumeExpansion: sc.allowVolumeExpansion,
          volumeBindingMode: sc.volumeBindingMode,
          ...(sc.mountOptions.length > 0 ? { mountOptions: [...sc.mountOptions] } : {}),
        },
        { ...child, dependsOn: [...accessGrant, ...grants] },
      );
    }

    // The same workload in every namespace asked for (a class's student namespaces). The first namespace's objects
    // keep their plain logical names, so a stack that had one namespace keeps its URNs.
    const w = b.sampleWorkload;
    w?.namespaces.forEach((key, i) => {
      const namespace = namespaces[key];
      if (!namespace) return;
      declareSampleWorkload(
        w,
        {
          key,
          namespaceName: namespace.metadata.name,
          networkIsolationEnabled: b.namespaces[key]?.networkIsolationEnabled ?? true,
          prefix: i === 0 ? name : logicalName(name, key),
        },
        storageClass,
        child,
        MANAGED_BY,
      );
    });

    const namespaceKeys = Object.keys(namespaces);
    this.namespaceNames = pulumi
      .all(Object.values(namespaces).map((ns) => ns.metadata.name))
      .apply(() => namespaceKeys);
    this.storageClassName = storageClass ? storageClass.metadata.name : pulumi.output(undefined);
    this.registerOutputs({ namespaceNames: this.namespaceNames, storageClassName: this.storageClassName });
  }
}
