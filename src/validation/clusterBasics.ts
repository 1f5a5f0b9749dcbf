/**
 * Defaults and validation for the ClusterBasics component (namespaces, quotas, storage class, sample
 * workload): plain data in, every problem collected. The option types live in clusterBasicsTypes.ts.
 */
import type { Problem } from "../errors.ts";
import { GUID, isIntIn } from "./checks.ts";
import type {
  NamespaceQuotaOptions,
  NamespaceLimitOptions,
  ClusterBasicsOptions,
  NormalizedNamespace,
  NormalizedStorageClass,
  NormalizedSampleWorkload,
  NormalizedClusterBasics,
} from "./clusterBasicsTypes.ts";

import { hasInClusterObjects } from "./clusterBasicsTypes.ts";

export { hasInClusterObjects };
export type * from "./clusterBasicsTypes.ts";

const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const QUANTITY = /^[0-9]+(?:\.[0-9]+)?(?:m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];
const FILES_SKUS = ["Standard_LRS", "Standard_ZRS", "Standard_GRS", "Premium_LRS", "Premium_ZRS"];
const DISK_SKUS = ["StandardSSD_LRS", "StandardSSD_ZRS", "Premium_LRS", "Premium_ZRS", "Standard_LRS"];

/**
 * Applies defaults and validates; problems name the option's own path, such as `namespaces.lab.quota.pods`.
 * Returns the settings, or every problem found.
 */
export function normalizeClusterBasics(
  options: ClusterBasicsOptions,
): { value: NormalizedClusterBasics; problems: [] } | { value?: undefined; problems: Problem[] } {
  const problems: Problem[] = [];
  const quantity = (value: string, path: string): void => {
    if (!QUANTITY.test(value)) {
      problems.push({
        path,
        message: "is not a Kubernetes quantity",
        value,
        allowed: 'for example "500m", "2", "512Mi" or "8Gi"',
      });
    }
  };
  const count = (value: number, path: string, min: number, max: number): void => {
    if (!isIntIn(value, min, max)) {
      problems.push({ path, message: "is out of range", value, allowed: `an integer from ${min} to ${max}` });
    }
  };
  const dnsName = (value: string, path: string, what: string): void => {
    if (!DNS_LABEL.test(value)) {
      problems.push({
        path,
        message: `is not a valid ${what} name`,
        value,
        allowed: 'up to 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
      });
    }
  };

  const namespaces: Record<string, NormalizedNamespace> = {};
  for (const [key, ns] of Object.entries(options.namespaces ?? {})) {
    const p = (k: string) => `namespaces.${key}${k ? `.${k}` : ""}`;
    dnsName(key, p(""), "namespace");
    if (SYSTEM_NAMESPACES.includes(key)) {
      problems.push({
        path: p(""),
        message: "is a namespace Kubernetes owns; azlab will not manage it",
        value: key,
      });
    }
    const quota: Required<NamespaceQuotaOptions> = {
      requestsCpu: ns.quota?.requestsCpu ?? "4",
      requestsMemory: ns.quota?.requestsMemory ?? "8Gi",
      limitsCpu: ns.quota?.limitsCpu ?? "8",
      limitsMemory: ns.quota?.limitsMemory ?? "16Gi",
      pods: ns.quota?.pods ?? 50,
      persistentVolumeClaims: ns.quota?.persistentVolumeClaims ?? 10,
      loadBalancers: ns.quota?.loadBalancers ?? 1,
    };
    for (const k of ["requestsCpu", "requestsMemory", "limitsCpu", "limitsMemory"] as const)
      quantity(quota[k], p(`quota.${k}`));
    count(quota.pods, p("quota.pods"), 1, 10000);
    count(quota.persistentVolumeClaims, p("quota.persistentVolumeClaims"), 0, 10000);
    count(quota.loadBalancers, p("quota.loadBalancers"), 0, 100);
    const limits: Required<NamespaceLimitOptions> = {
      defaultRequestCpu: ns.limits?.defaultRequestCpu ?? "100m",
      defaultRequestMemory: ns.limits?.defaultRequestMemory ?? "128Mi",
      defaultLimitCpu: ns.limits?.defaultLimitCpu ?? "500m",
      defaultLimitMemory: ns.limits?.defaultLimitMemory ?? "512Mi",
    };
    for (const k of Object.keys(limits) as (keyof NamespaceLimitOptions)[])
      quantity(limits[k], p(`limits.${k}`));
    if (ns.editorObjectId !== undefined && !GUID.test(ns.editorObjectId)) {
      problems.push({
        path: p("editorObjectId"),
        message: "is not an Entra object id",
        value: ns.editorObjectId,
        allowed: "a GUID",
      });
    }
    const upn = ns.editorUserPrincipalName;
    if (upn !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(upn)) {
      problems.push({
        path: p("editorUserPrincipalName"),
        message: "is not a user principal name",
        value: upn,
        allowed: "a sign-in name such as alice@uni.edu",
      });
    }
    if (upn !== undefined && ns.editorKind === "Group") {
      problems.push({
        path: p("editorKind"),
        message: "cannot be Group with editorUserPrincipalName",
        value: ns.editorKind,
        allowed: "User",
      });
    }
    if (ns.editorKind !== undefined && ns.editorObjectId === undefined && upn === undefined) {
      problems.push({ path: p("editorKind"), message: "needs editorObjectId", value: ns.editorKind });
    }
    namespaces[key] = {
      labels: { ...(ns.labels ?? {}) },
      quota,
      limits,
      ...(ns.editorObjectId !== undefined || upn !== undefined
        ? {
            editor: {
              ...(ns.editorObjectId !== undefined ? { objectId: ns.editorObjectId } : {}),
              subject: upn ?? ns.editorObjectId!,
              kind: ns.editorKind ?? "User",
            },
          }
        : {}),
      networkIsolationEnabled: ns.networkIsolationEnabled ?? true,
    };
  }

  let storageClass: NormalizedStorageClass | undefined;
  if (options.storageClass) {
    const sc = options.storageClass;
    const disk = sc.kind === "AzureDisk";
    storageClass = {
      kind: sc.kind ?? "AzureFiles",
      name: sc.name ?? (disk ? "azuredisk-lab" : "azurefile-lab"),
      skuName: sc.skuName ?? (disk ? "StandardSSD_LRS" : "Standard_LRS"),
      reclaimPolicy: sc.reclaimPolicy ?? "Delete",
      allowVolumeExpansion: sc.allowVolumeExpansion ?? true,
      // A disk lives in one zone: binding waits for the pod so that the disk is made where the pod runs
      // (azure-aks-docs, azure-csi-disk-storage-provision.md, built-in managed-csi class).
      volumeBindingMode: sc.volumeBindingMode ?? (disk ? "WaitForFirstConsumer" : "Immediate"),
      mountOptions: [...(sc.mountOptions ?? (disk ? [] : ["mfsymlinks", "actimeo=30", "nosharesock"]))],
    };
    if (!["AzureFiles", "AzureDisk"].includes(storageClass.kind)) {
      problems.push({
        path: "storageClass.kind",
        message: "is not a storage class kind",
        value: storageClass.kind,
        allowed: "AzureFiles, AzureDisk",
      });
    }
    const skus: readonly string[] = disk ? DISK_SKUS : FILES_SKUS;
    if (!skus.includes(storageClass.skuName)) {
      problems.push({
        path: "storageClass.skuName",
        message: `is not an ${disk ? "Azure Disk" : "Azure Files"} SKU`,
        value: storageClass.skuName,
        allowed: skus.join(", "),
      });
    }
    dnsName(storageClass.name, "storageClass.name", "storage class");
    if (!["Delete", "Retain"].includes(storageClass.reclaimPolicy)) {
      problems.push({
        path: "storageClass.reclaimPolicy",
        message: "is not a reclaim policy",
        value: storageClass.reclaimPolicy,
        allowed: "Delete, Retain",
      });
    }
    if (!["Immediate", "WaitForFirstConsumer"].includes(storageClass.volumeBindingMode)) {
      problems.push({
        path: "storageClass.volumeBindingMode",
        message: "is not a volume binding mode",
        value: storageClass.volumeBindingMode,
        allowed: "Immediate, WaitForFirstConsumer",
      });
    }
  }

  let sampleWorkload: NormalizedSampleWorkload | undefined;
  if (options.sampleWorkload) {
    const w = options.sampleWorkload;
    const p = (k: string) => `sampleWorkload.${k}`;
    const workloadNamespaces = [w.namespace, ...(w.additionalNamespaces ?? [])];
    sampleWorkload = {
      namespace: w.namespace,
      namespaces: workloadNamespaces,
      ingressEnabled: w.ingressEnabled ?? false,
      name: w.name ?? "hello",
      image: w.image ?? "mcr.microsoft.com/azuredocs/aks-helloworld:v1",
      containerPort: w.containerPort ?? 80,
      probePath: w.probePath ?? "/",
      requests: { ...(w.requests ?? { cpu: "100m", memory: "128Mi" }) },
      limits: { ...(w.limits ?? { cpu: "250m", memory: "256Mi" }) },
      serviceType: w.serviceType ?? "ClusterIP",
      servicePort: w.servicePort ?? 80,
      minReplicas: w.minReplicas ?? 2,
      maxReplicas: w.maxReplicas ?? 5,
      targetCpuUtilizationPercent: w.targetCpuUtilizationPercent ?? 70,
      ...(w.volume ? { volume: { ...w.volume } } : {}),
    };
    workloadNamespaces.forEach((ns, i) => {
      const path = i === 0 ? p("namespace") : p(`additionalNamespaces.${i - 1}`);
      if (!(ns in namespaces)) {
        problems.push({
          path,
          message: "is not one of the namespaces this component creates",
          value: ns,
          allowed: Object.keys(namespaces).join(", ") || "a key of namespaces",
        });
      } else if (workloadNamespaces.indexOf(ns) !== i) {
        problems.push({ path, message: "repeats a namespace of the workload", value: ns });
      }
    });
    dnsName(sampleWorkload.name, p("name"), "workload");
    if (sampleWorkload.image.trim() === "") {
      problems.push({ path: p("image"), message: "is empty", allowed: "a container image reference" });
    }
    count(sampleWorkload.containerPort, p("containerPort"), 1, 65535);
    count(sampleWorkload.servicePort, p("servicePort"), 1, 65535);
    if (!sampleWorkload.probePath.startsWith("/")) {
      problems.push({ path: p("probePath"), message: "must start with /", value: sampleWorkload.probePath });
    }
    for (const side of ["requests", "limits"] as const) {
      quantity(sampleWorkload[side].cpu, p(`${side}.cpu`));
      quantity(sampleWorkload[side].memory, p(`${side}.memory`));
    }
    if (!["ClusterIP", "NodePort", "LoadBalancer"].includes(sampleWorkload.serviceType)) {
      problems.push({
        path: p("serviceType"),
        message: "is not a service type",
        value: sampleWorkload.serviceType,
        allowed: "ClusterIP, NodePort, LoadBalancer",
      });
    }
    count(sampleWorkload.maxReplicas, p("maxReplicas"), 1, 100);
    if (!isIntIn(sampleWorkload.minReplicas, 1, 100)) {
      count(sampleWorkload.minReplicas, p("minReplicas"), 1, 100);
    } else if (sampleWorkload.minReplicas > sampleWorkload.maxReplicas) {
      problems.push({
        path: p("minReplicas"),
        message: "is greater than maxReplicas",
        value: sampleWorkload.minReplicas,
        allowed: `at most maxReplicas (${sampleWorkload.maxReplicas})`,
      });
    }
    count(sampleWorkload.targetCpuUtilizationPercent, p("targetCpuUtilizationPercent"), 1, 100);
    if (w.volume) {
      if (!options.storageClass) {
        problems.push({ path: p("volume"), message: "needs storageClass: the claim is provisioned from it" });
      } else if (storageClass?.kind === "AzureDisk") {
        // A disk attaches to one node at a time (ReadWriteOnce), and the autoscaler spreads replicas over nodes
        // (azure-aks-docs, azure-csi-disk-storage-provision.md).
        problems.push({
          path: p("volume"),
          message: "needs a ReadWriteMany class shared by every replica, and an Azure Disk is ReadWriteOnce",
          value: "storageClass.kind: AzureDisk",
          allowed: "storageClass.kind: AzureFiles, or no volume",
        });
      }
      count(w.volume.sizeGi, p("volume.sizeGi"), 1, 102400);
      if (!w.volume.mountPath.startsWith("/")) {
        problems.push({
          path: p("volume.mountPath"),
          message: "must be an absolute path",
          value: w.volume.mountPath,
        });
      }
    }
  }

  // A private API server has no public endpoint: only a deployer on the cluster's network (or `az aks command
  // invoke`, which runs kubectl inside the cluster) reaches it ("Access a private AKS cluster",
  // azure-aks-docs access-private-cluster.md; "Create a private AKS cluster", private-clusters.md).
  if (options.privateClusterEnabled && !options.deployerInVnet && hasInClusterObjects(options)) {
    const keys = Object.keys(namespaces);
    const objects = [
      ...keys.slice(0, 3).map((key) => `namespaces.${key}`),
      ...(keys.length > 3 ? [`${keys.length - 3} more`] : []),
      ...(storageClass ? ["storageClass"] : []),
    ];
    problems.push({
      path: "privateClusterEnabled",
      message:
        "makes the API server reachable only from the cluster's VNet or a network joined to it, so pulumi up " +
        `cannot create the in-cluster objects (${objects.join(", ")}) from outside it`,
      value: true,
      allowed:
        "deployerInVnet: true when pulumi up runs inside the VNet or a peered network; or no in-cluster objects, " +
        "applied afterwards with `az aks command invoke`; or a public API server",
    });
  }

  if (problems.length > 0) return { problems };
  return {
    value: {
      namespaces,
      ...(storageClass ? { storageClass } : {}),
      ...(sampleWorkload ? { sampleWorkload } : {}),
    },
    problems: [],
  };
}
