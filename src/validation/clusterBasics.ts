/**
 * Defaults and validation for the ClusterBasics component (namespaces, quotas, storage class, sample
 * workload): plain data in, every problem collected.
 */
import type { Problem } from "../errors.ts";
import { GUID, isIntIn } from "./checks.ts";

/** Per-namespace ResourceQuota. Quantities use Kubernetes syntax ("500m", "8Gi"). */
export interface NamespaceQuotaOptions {
  /** Sum of CPU requests. Defaults to "4". */
  readonly requestsCpu?: string;
  /** Sum of memory requests. Defaults to "8Gi". */
  readonly requestsMemory?: string;
  /** Sum of CPU limits. Defaults to "8". */
  readonly limitsCpu?: string;
  /** Sum of memory limits. Defaults to "16Gi". */
  readonly limitsMemory?: string;
  /** Most pods. Defaults to 50. */
  readonly pods?: number;
  /** Most persistent volume claims. Defaults to 10. */
  readonly persistentVolumeClaims?: number;
  /** Most LoadBalancer services (each costs a public IP). Defaults to 1. */
  readonly loadBalancers?: number;
}

/** Per-namespace LimitRange for containers that state no resources (the quota requires them). */
export interface NamespaceLimitOptions {
  /** CPU request of a container that sets none. Defaults to "100m". */
  readonly defaultRequestCpu?: string;
  /** Memory request of a container that sets none. Defaults to "128Mi". */
  readonly defaultRequestMemory?: string;
  /** CPU limit of a container that sets none. Defaults to "500m". */
  readonly defaultLimitCpu?: string;
  /** Memory limit of a container that sets none. Defaults to "512Mi". */
  readonly defaultLimitMemory?: string;
}

/** A namespace. Its key in `namespaces` is its Kubernetes name. */
export interface NamespaceOptions {
  /** Labels on the namespace. Defaults to none (plus `app.kubernetes.io/managed-by: azlab`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** ResourceQuota values. Defaults as documented on each field. */
  readonly quota?: NamespaceQuotaOptions;
  /** LimitRange defaults. Defaults as documented on each field. */
  readonly limits?: NamespaceLimitOptions;
  /** Entra object id bound to the ClusterRole "edit" in this namespace. Defaults to none (no RoleBinding). */
  readonly editorObjectId?: string;
  /** Whether `editorObjectId` is a user or a group. Defaults to "User". */
  readonly editorKind?: "User" | "Group";
  /**
   * A same-tenant user bound to "edit" by UPN, which AKS's Entra integration matches for members; the object id
   * is only for guests from another tenant (azure-aks-docs, azure-ad-rbac.md). Wins over `editorObjectId`.
   */
  readonly editorUserPrincipalName?: string;
  /** Denies ingress from other namespaces (same-namespace traffic stays allowed). Defaults to true. */
  readonly networkIsolationEnabled?: boolean;
}

/** A StorageClass backed by Azure Files through the CSI driver. */
export interface StorageClassOptions {
  /** Kubernetes name. Defaults to "azurefile-lab". */
  readonly name?: string;
  /** Azure Files SKU of the shares the driver creates. Defaults to "Standard_LRS". */
  readonly skuName?: "Standard_LRS" | "Standard_ZRS" | "Standard_GRS" | "Premium_LRS" | "Premium_ZRS";
  /**
   * What happens to the share when its claim is deleted. Defaults to "Delete", as the built-in classes;
   * use "Retain" for lab data that must survive.
   */
  readonly reclaimPolicy?: "Delete" | "Retain";
  /** Lets claims grow. Defaults to true. */
  readonly allowVolumeExpansion?: boolean;
  /** When the share is created. Defaults to "Immediate" (Azure Files is not tied to a zone). */
  readonly volumeBindingMode?: "Immediate" | "WaitForFirstConsumer";
  /** Mount options. Defaults to ["mfsymlinks", "actimeo=30", "nosharesock"] as in the AKS built-in class. */
  readonly mountOptions?: readonly string[];
}

/** CPU and memory quantities. */
export interface ResourceAmounts {
  readonly cpu: string;
  readonly memory: string;
}

/** A sample web workload: Deployment, Service, HorizontalPodAutoscaler and optionally a volume. */
export interface SampleWorkloadOptions {
  /** Namespace of the workload; must be a key of `namespaces`. Required. */
  readonly namespace: string;
  /** Kubernetes name of every object of the workload. Defaults to "hello". */
  readonly name?: string;
  /** Container image. Defaults to "mcr.microsoft.com/azuredocs/aks-helloworld:v1". */
  readonly image?: string;
  /** Port the container listens on, and the probes use. Defaults to 80. */
  readonly containerPort?: number;
  /** HTTP path of the liveness and readiness probes. Defaults to "/". */
  readonly probePath?: string;
  /** Container requests. Defaults to { cpu: "100m", memory: "128Mi" }. */
  readonly requests?: ResourceAmounts;
  /** Container limits. Defaults to { cpu: "250m", memory: "256Mi" }. */
  readonly limits?: ResourceAmounts;
  /** Service type. Defaults to "ClusterIP". NodePort and LoadBalancer also open the port to outside traffic. */
  readonly serviceType?: "ClusterIP" | "NodePort" | "LoadBalancer";
  /** Service port. Defaults to 80. */
  readonly servicePort?: number;
  /** Fewest replicas the autoscaler keeps, 1 to `maxReplicas`. Defaults to 2. */
  readonly minReplicas?: number;
  /** Most replicas, up to 100. Defaults to 5. */
  readonly maxReplicas?: number;
  /** Average CPU utilization (percent of requests) the autoscaler aims for, 1 to 100. Defaults to 70. */
  readonly targetCpuUtilizationPercent?: number;
  /** A ReadWriteMany claim on the storage class mounted into the pods. Needs `storageClass`. Defaults to none. */
  readonly volume?: { readonly sizeGi: number; readonly mountPath: string };
}

/** The plain settings of ClusterBasics. */
export interface ClusterBasicsOptions {
  /** Namespaces keyed by name. Defaults to none. */
  readonly namespaces?: Readonly<Record<string, NamespaceOptions>>;
  /** Azure Files StorageClass. Defaults to none (no class). */
  readonly storageClass?: StorageClassOptions;
  /** Sample workload. Defaults to none. */
  readonly sampleWorkload?: SampleWorkloadOptions;
  /** The cluster's API server is private (reachable only from its VNet or a network joined to it). Defaults to false. */
  readonly privateClusterEnabled?: boolean;
  /**
   * The machine that runs `pulumi up` is inside the cluster's VNet or a network joined to it (peered, VPN,
   * ExpressRoute), so it can reach a private API server. Defaults to false.
   */
  readonly deployerInVnet?: boolean;
}

/** Whether these options declare any Kubernetes object (a provider alone talks to nothing). */
export function hasInClusterObjects(options: ClusterBasicsOptions): boolean {
  return (
    Object.keys(options.namespaces ?? {}).length > 0 ||
    options.storageClass !== undefined ||
    options.sampleWorkload !== undefined
  );
}

export interface NormalizedNamespace {
  readonly labels: Readonly<Record<string, string>>;
  readonly quota: Required<NamespaceQuotaOptions>;
  readonly limits: Required<NamespaceLimitOptions>;
  /** `subject`: the RoleBinding subject's name, the UPN when given, else the object id. */
  readonly editor?: { readonly objectId?: string; readonly subject: string; readonly kind: "User" | "Group" };
  readonly networkIsolationEnabled: boolean;
}

export type NormalizedStorageClass = Required<StorageClassOptions>;

export interface NormalizedSampleWorkload extends Required<Omit<SampleWorkloadOptions, "volume">> {
  readonly volume?: { readonly sizeGi: number; readonly mountPath: string };
}

export interface NormalizedClusterBasics {
  readonly namespaces: Readonly<Record<string, NormalizedNamespace>>;
  readonly storageClass?: NormalizedStorageClass;
  readonly sampleWorkload?: NormalizedSampleWorkload;
}

const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const QUANTITY = /^[0-9]+(?:\.[0-9]+)?(?:m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

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
    storageClass = {
      name: sc.name ?? "azurefile-lab",
      skuName: sc.skuName ?? "Standard_LRS",
      reclaimPolicy: sc.reclaimPolicy ?? "Delete",
      allowVolumeExpansion: sc.allowVolumeExpansion ?? true,
      volumeBindingMode: sc.volumeBindingMode ?? "Immediate",
      mountOptions: [...(sc.mountOptions ?? ["mfsymlinks", "actimeo=30", "nosharesock"])],
    };
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
    sampleWorkload = {
      namespace: w.namespace,
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
    if (!(w.namespace in namespaces)) {
      problems.push({
        path: p("namespace"),
        message: "is not one of the namespaces this component creates",
        value: w.namespace,
        allowed: Object.keys(namespaces).join(", ") || "a key of namespaces",
      });
    }
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
