/**
 * The ClusterBasics component's options and their normalized form (see clusterBasics.ts for the
 * defaults and checks).
 */
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

/** Azure Files SKUs (azure-aks-docs, azure-csi-files-storage-provision.md). */
export type AzureFilesSku = "Standard_LRS" | "Standard_ZRS" | "Standard_GRS" | "Premium_LRS" | "Premium_ZRS";
/** Managed disk SKUs the Azure Disk CSI driver takes (azure-aks-docs, azure-csi-disk-storage-provision.md). */
export type AzureDiskSku =
  "StandardSSD_LRS" | "StandardSSD_ZRS" | "Premium_LRS" | "Premium_ZRS" | "Standard_LRS";

/** A StorageClass backed by Azure Files or Azure Disk through the AKS CSI drivers. */
export interface StorageClassOptions {
  /**
   * "AzureFiles": SMB shares, ReadWriteMany, so every replica of a workload mounts the same data. "AzureDisk": a
   * managed disk per claim, ReadWriteOnce (one node at a time), zonal. Defaults to "AzureFiles".
   */
  readonly kind?: "AzureFiles" | "AzureDisk";
  /** Kubernetes name. Defaults to "azurefile-lab", or "azuredisk-lab" for a disk class. */
  readonly name?: string;
  /**
   * SKU of the shares or disks the driver creates. Defaults to "Standard_LRS" for Files and "StandardSSD_LRS"
   * for disks (the built-in managed-csi class's: the cheapest SSD; Standard_LRS is an HDD).
   */
  readonly skuName?: AzureFilesSku | AzureDiskSku;
  /**
   * What happens to the share when its claim is deleted. Defaults to "Delete", as the built-in classes;
   * use "Retain" for lab data that must survive.
   */
  readonly reclaimPolicy?: "Delete" | "Retain";
  /** Lets claims grow. Defaults to true. */
  readonly allowVolumeExpansion?: boolean;
  /**
   * When the share or disk is created. Defaults to "Immediate" for Files (not tied to a zone) and
   * "WaitForFirstConsumer" for disks, which are created in the zone of the pod's node.
   */
  readonly volumeBindingMode?: "Immediate" | "WaitForFirstConsumer";
  /**
   * Mount options. Defaults to ["mfsymlinks", "actimeo=30", "nosharesock"] for Files, as in the AKS built-in
   * class, and none for disks.
   */
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
  /**
   * More namespaces that get the same workload, each a key of `namespaces` (a class's student namespaces).
   * Their objects' logical names start with the namespace; the first namespace's keep the plain names.
   * Defaults to none.
   */
  readonly additionalNamespaces?: readonly string[];
  /**
   * An Ingress per namespace through the application routing add-on (class
   * `webapprouting.kubernetes.azure.com`), at the path `/<namespace>` of the controller's address, so that the
   * namespaces share one public IP. The cluster must have `appRoutingEnabled`. Defaults to false.
   */
  readonly ingressEnabled?: boolean;
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
  /**
   * A ReadWriteMany claim on the storage class mounted into the pods. Needs an AzureFiles `storageClass`: a disk
   * is ReadWriteOnce and cannot follow replicas onto other nodes. Defaults to none.
   */
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

export interface NormalizedSampleWorkload extends Required<
  Omit<SampleWorkloadOptions, "volume" | "additionalNamespaces" | "ingressEnabled">
> {
  /** Every namespace of the workload, `namespace` first. */
  readonly namespaces: readonly string[];
  readonly ingressEnabled: boolean;
  readonly volume?: { readonly sizeGi: number; readonly mountPath: string };
}

export interface NormalizedClusterBasics {
  readonly namespaces: Readonly<Record<string, NormalizedNamespace>>;
  readonly storageClass?: NormalizedStorageClass;
  readonly sampleWorkload?: NormalizedSampleWorkload;
}
