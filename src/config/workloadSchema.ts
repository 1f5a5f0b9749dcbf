/**
 * The workload part of the stack-file schema: scale set, storage, registry and AKS, with the
 * defaults a component would otherwise have to guess.
 */
import { z } from "zod";
import { anyPrefix, ipv4Prefix } from "./addressSchema.ts";
import { STORAGE_SKUS } from "../azure/catalog.ts";

const positiveInt = (max: number) => z.number().int().min(1).max(max);

export const scaleSetSchema = z
  .object({
    /** Subnet key (from azlab:network.subnets) for the instances. */
    subnet: z.string(),
    /** VM size; change it to scale vertically. */
    vmSize: z
      .string()
      .regex(/^Standard_[A-Za-z0-9_]+$/, { message: "allowed: an Azure VM size such as Standard_B2s" })
      .default("Standard_B2s"),
    instanceCount: z.number().int().min(0).max(1000).default(2),
    adminUsername: z.string().default("azlabadmin"),
    /** Availability zones, e.g. ["1","2","3"]. Defaults to none. */
    zones: z.array(z.enum(["1", "2", "3"])).default([]),
    loadBalancer: z
      .object({
        /** Public LB with a Standard public IP, or internal with a private frontend. */
        type: z.enum(["public", "internal"]).default("public"),
        dnsLabel: z.string().optional(),
        ports: z.array(z.number().int().min(1).max(65535)).min(1).default([80]),
        distribution: z.enum(["Default", "SourceIP", "SourceIPProtocol"]).default("Default"),
        probe: z
          .object({
            protocol: z.enum(["Http", "Tcp"]).default("Http"),
            port: z.number().int().min(1).max(65535).default(80),
            path: z.string().default("/"),
          })
          .strict()
          .default({ protocol: "Http", port: 80, path: "/" }),
        /** SSH through one NAT port per instance. Defaults to on in a class stack, off otherwise. */
        inboundNatEnabled: z.boolean().optional(),
      })
      .strict()
      .default({
        type: "public",
        ports: [80],
        distribution: "Default",
        probe: { protocol: "Http", port: 80, path: "/" },
      }),
    autoscale: z
      .object({
        min: z.number().int().min(0).max(1000).default(1),
        default: z.number().int().min(0).max(1000).default(2),
        max: z.number().int().min(1).max(1000).default(4),
        scaleOutCpuPercent: z.number().min(1).max(100).default(75),
        scaleInCpuPercent: z.number().min(0).max(99).default(25),
        /** Recurring profiles keyed by name, e.g. class hours. */
        schedules: z
          .record(
            z.string(),
            z
              .object({
                days: z
                  .array(
                    z.enum(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]),
                  )
                  .min(1),
                startTime: z
                  .string()
                  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "allowed: HH:MM, 24-hour" }),
                endTime: z
                  .string()
                  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "allowed: HH:MM, 24-hour" }),
                timeZone: z.string().default("UTC"),
                min: z.number().int().min(0).max(1000),
                default: z.number().int().min(0).max(1000),
                max: z.number().int().min(1).max(1000),
              })
              .strict(),
          )
          .default({}),
      })
      .strict()
      .default({ min: 1, default: 2, max: 4, scaleOutCpuPercent: 75, scaleInCpuPercent: 25, schedules: {} }),
    /** cloud-init text. Defaults to a web server that serves a page naming the instance. */
    customData: z.string().optional(),
    /** Trusted Launch (secure boot, vTPM). Defaults to on where the size and image support it; false opts out. */
    trustedLaunch: z.boolean().optional(),
  })
  .strict();

export const storageSchema = z
  .object({
    namePrefix: z.string().default("azlab"),
    /** StorageV2 (blobs, files, queues, tables) or FileStorage (premium file shares, for NFS). */
    kind: z.enum(["StorageV2", "FileStorage"]).default("StorageV2"),
    sku: z.enum(STORAGE_SKUS).default("Standard_LRS"),
    /** Default blob tier (StorageV2 only); left out, Hot. */
    accessTier: z.enum(["Hot", "Cool", "Cold"]).optional(),
    publicNetworkAccessEnabled: z.boolean().default(true),
    sharedKeyAccessEnabled: z.boolean().default(false),
    /** Who needs shared keys (required when sharedKeyAccessEnabled), e.g. ["aks-azurefile-csi"]. */
    sharedKeyConsumers: z.array(z.string()).optional(),
    containers: z
      .record(z.string(), z.object({ metadata: z.record(z.string(), z.string()).optional() }).strict())
      .default({}),
    fileShares: z
      .record(
        z.string(),
        z
          .object({
            quotaGiB: positiveInt(102_400),
            protocol: z.enum(["SMB", "NFS"]).optional(),
            accessTier: z.enum(["TransactionOptimized", "Hot", "Cool"]).optional(),
            rootSquash: z.enum(["RootSquash", "NoRootSquash", "AllSquash"]).optional(),
          })
          .strict(),
      )
      .default({}),
    queues: z
      .record(z.string(), z.object({ metadata: z.record(z.string(), z.string()).optional() }).strict())
      .default({}),
    tables: z.record(z.string(), z.object({}).strict()).default({}),
    /** Static website from $web, served anonymously; anonymousReadAcknowledged must be true. */
    staticWebsite: z
      .object({
        indexDocument: z.string().optional(),
        error404Document: z.string().optional(),
        anonymousReadAcknowledged: z.boolean(),
      })
      .strict()
      .optional(),
    /** Left out: PrivateLink when publicNetworkAccessEnabled is false, else AAD (same tenant). */
    allowedCopyScope: z.enum(["AAD", "PrivateLink", "Any"]).optional(),
    softDeleteRetentionDays: z.number().int().min(1).max(365).default(7),
    lifecycle: z
      .object({
        coolAfterDays: z.number().int().min(0),
        archiveAfterDays: z.number().int().min(0),
        deleteAfterDays: z.number().int().min(1),
      })
      .strict()
      .optional(),
  })
  .strict();

export const registrySchema = z
  .object({
    namePrefix: z.string().default("azlab"),
    sku: z.enum(["Basic", "Standard", "Premium"]).default("Basic"),
    publicNetworkAccessEnabled: z.boolean().default(true),
    /** Premium only; left out, Azure's default applies (zone-redundant in regions with zones, on every tier). */
    zoneRedundancyEnabled: z.boolean().optional(),
    /** Left out: off where Azure allows it (Premium with public network access off), on elsewhere. */
    exportsEnabled: z.boolean().optional(),
    retentionDays: z.number().int().min(0).max(365).optional(),
    quarantineEnabled: z.boolean().default(false),
  })
  .strict();

const poolSchema = z
  .object({
    vmSize: z.string().default("Standard_D2s_v5"),
    osDiskType: z.enum(["Managed", "Ephemeral"]).default("Managed"),
    autoScalingEnabled: z.boolean().default(true),
    minCount: z.number().int().min(0).default(1),
    maxCount: z.number().int().min(0).default(3),
    maxPods: z.number().int().default(110),
    maxSurge: z.number().int().min(0).default(1),
    zones: z.array(z.enum(["1", "2", "3"])).default([]),
    nodeLabels: z.record(z.string(), z.string()).default({}),
    nodeTaints: z.array(z.string()).default([]),
  })
  .strict();

export const aksSchema = z
  .object({
    /** Subnet key for the nodes. */
    subnet: z.string(),
    kubernetesVersion: z.string().optional(),
    networkPlugin: z.enum(["azure-cni-overlay", "azure-cni"]).default("azure-cni-overlay"),
    /** Network policy engine; left out, the component picks cilium (Azure NPM on Linux retires 2028-09-30). */
    networkPolicy: z.enum(["cilium", "azure", "calico", "none"]).optional(),
    /** Control plane tier: Free for labs and dev, Standard (uptime SLA) for prod. */
    skuTier: z.enum(["Free", "Standard"]).default("Free"),
    /** Keeps `az aks command invoke`; left out, it stays on only for a private cluster. */
    runCommandEnabled: z.boolean().optional(),
    imageCleanerEnabled: z.boolean().default(true),
    /** Checked by the component's validator: 24 to 2160 hours. */
    imageCleanerIntervalHours: z.number().optional(),
    // prefault, not default: the default text goes through the parser like a written value.
    podCidr: ipv4Prefix.prefault("192.168.0.0/16"),
    serviceCidr: ipv4Prefix.prefault("172.16.0.0/16"),
    dnsServiceIp: z.string().default("172.16.0.10"),
    systemPool: poolSchema.default({
      vmSize: "Standard_D2s_v5",
      osDiskType: "Managed",
      autoScalingEnabled: true,
      minCount: 1,
      maxCount: 3,
      maxPods: 110,
      maxSurge: 1,
      zones: [],
      nodeLabels: {},
      nodeTaints: [],
    }),
    userPools: z.record(z.string(), poolSchema).default({}),
    autoscalerProfile: z
      .object({
        scanInterval: z.string().default("10s"),
        scaleDownDelayAfterAdd: z.string().default("10m"),
        scaleDownUnneededTime: z.string().default("10m"),
        expander: z.enum(["random", "least-waste", "most-pods", "priority"]).default("least-waste"),
      })
      .strict()
      .default({
        scanInterval: "10s",
        scaleDownDelayAfterAdd: "10m",
        scaleDownUnneededTime: "10m",
        expander: "least-waste",
      }),
    authorizedIpRanges: z.array(anyPrefix).default([]),
    privateClusterEnabled: z.boolean().default(false),
    entraAdminGroupObjectIds: z.array(z.uuid()).default([]),
    /**
     * Entra ID sign-in with Azure RBAC, local accounts off. Unset: on with admin groups, or for a class whose
     * students get cluster access (src/access/studentAccess.ts entraSignInEnabled); otherwise off.
     */
    entraEnabled: z.boolean().optional(),
    /** How kubelogin signs in on an Entra cluster without a prompt (src/access/kubeconfig.ts). */
    kubeloginMode: z.enum(["azurecli", "spn", "msi", "workloadidentity"]).default("azurecli"),
    /** msi only: client id of the user-assigned identity kubelogin uses. */
    kubeloginClientId: z.uuid().optional(),
    /** The principal that runs pulumi up; defaults to User with azurecli, else ServicePrincipal. */
    deployerPrincipalType: z.enum(["User", "ServicePrincipal"]).optional(),
    /** pulumi up runs inside the cluster's VNet or a network joined to it (private clusters). */
    deployerInVnet: z.boolean().default(false),
    upgradeChannel: z.enum(["none", "patch", "stable", "rapid", "node-image"]).default("patch"),
    /** In-cluster basics: namespaces, Azure Files storage class, sample workload. */
    namespaces: z
      .record(z.string(), z.object({ labels: z.record(z.string(), z.string()).default({}) }).strict())
      .default({}),
    storageClass: z
      .object({
        /** AzureFiles (ReadWriteMany shares) or AzureDisk (ReadWriteOnce managed disks). */
        kind: z.enum(["AzureFiles", "AzureDisk"]).default("AzureFiles"),
        /** Checked by the ClusterBasics validator against the kind's SKUs; left out, the cheapest SSD or LRS. */
        skuName: z.string().optional(),
        reclaimPolicy: z.enum(["Delete", "Retain"]).default("Delete"),
        allowVolumeExpansion: z.boolean().default(true),
        volumeBindingMode: z.enum(["Immediate", "WaitForFirstConsumer"]).default("WaitForFirstConsumer"),
      })
      .strict()
      .optional(),
    sampleWorkloadEnabled: z.boolean().default(false),
    /** The vertical pod autoscaler add-on (src/validation/aks/addons.ts). */
    verticalPodAutoscalerEnabled: z.boolean().default(false),
    /** The application routing (managed NGINX) ingress add-on; the sample workload then gets an Ingress. */
    appRoutingEnabled: z.boolean().default(false),
  })
  .strict();

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "allowed: HH:MM, 24-hour" });
const vmDiskType = z.enum(["Standard_LRS", "StandardSSD_LRS", "Premium_LRS"]);

/**
 * One standalone VM of `azlab:vms` (src/program/vmArgs.ts). Every environment gets it: dev, prod and each
 * student of a class. Azure's own rules (sizes, disks, names, passwords) are checked by the component's
 * validator, src/validation/virtualMachine.ts, and reported at these keys.
 */
export const vmSchema = z
  .object({
    /** Subnet key (from azlab:network.subnets) of the VM's NIC. */
    subnet: z.string(),
    /** Left out: the named image's OS, else linux. */
    os: z.enum(["linux", "windows"]).optional(),
    /** A named image (ubuntu-22.04, ubuntu-24.04, windows-2022, windows-2025), a marketplace image or a gallery image id. */
    image: z
      .union(
        [
          z.string(),
          z.object({ id: z.string() }).strict(),
          z
            .object({
              publisher: z.string(),
              offer: z.string(),
              sku: z.string(),
              version: z.string().optional(),
            })
            .strict(),
        ],
        {
          error:
            "allowed: a named image such as ubuntu-22.04 or windows-2022, { publisher, offer, sku, version } or { id } of an Azure Compute Gallery image",
        },
      )
      .default("ubuntu-22.04"),
    size: z.string().default("Standard_B2s"),
    adminUsername: z.string().default("azlabadmin"),
    /** Host name; left out, the VM's key. */
    computerName: z.string().optional(),
    osDisk: z
      .object({ type: vmDiskType.default("StandardSSD_LRS"), sizeGb: z.number().int().optional() })
      .strict()
      .prefault({}),
    /** Empty data disks keyed by name, each on its own LUN. */
    dataDisks: z
      .record(
        z.string(),
        z
          .object({
            lun: z.number().int(),
            sizeGb: z.number().int(),
            type: vmDiskType.default("StandardSSD_LRS"),
          })
          .strict(),
      )
      .default({}),
    /** A Standard static public IP; off: students reach the VM through the class's own access path. */
    publicIp: z.boolean().default(false),
    /** Trusted Launch (secure boot, vTPM); left out, on where the size and image support it. */
    trustedLaunch: z.boolean().optional(),
    /** cloud-init (Linux) or custom data (Windows). */
    customData: z.string().optional(),
    /** Application security groups (azlab:nsg.applicationSecurityGroups) the NIC joins. */
    applicationSecurityGroups: z.array(z.string()).default([]),
    /** Azure's daily auto-shutdown; left out, on for class and dev stacks, off for prod. */
    autoShutdown: z
      .object({
        enabled: z.boolean().optional(),
        /** Left out: the end of class hours, else 19:00. */
        time: hhmm.optional(),
        /** IANA; left out, the class hours' zone, else azlab:class.timeZone, else UTC. */
        timeZone: z.string().optional(),
        /** Email a notice 30 minutes before: the student's roster email, else the instructor or owner. */
        notify: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** VM names are part of Azure names and the default host name, which Windows caps at 15 characters. */
export const vmsSchema = z.record(
  z.string().regex(/^[a-z][a-z0-9-]{0,14}$/, {
    message: "allowed: 1–15 lowercase letters, digits and hyphens, starting with a letter",
  }),
  vmSchema,
);
