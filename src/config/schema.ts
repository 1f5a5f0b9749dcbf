/**
 * The one schema for everything a stack file may hold under the `azlab:` namespace.
 * The CLI (`azlab validate`, `azlab plan`) and the Pulumi program both parse config through it;
 * nothing else reads config. Defaults live here, so a component never has to guess.
 */
import { z } from "zod";
import { parsePrefix } from "../cidr/address.ts";

const isCidr = (value: string) => parsePrefix(value) !== undefined;
const isIpv4Cidr = (value: string) => parsePrefix(value)?.version === 4;

export const ipv4Cidr = z
  .string()
  .refine(isIpv4Cidr, { message: "is not an IPv4 CIDR block; allowed: an IPv4 prefix such as 10.20.0.0/16" });
const anyCidr = z
  .string()
  .refine(isCidr, { message: "is not a CIDR block; allowed: an IPv4 or IPv6 prefix such as 10.20.0.0/16" });
/** Accept a single string where a list is expected: `addressSpace: 10.0.0.0/16`. */
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(item).min(1)) as unknown as z.ZodType<
    z.output<T>[]
  >;

const keyName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,30}$/, { message: "allowed: 1–31 lowercase letters, digits and hyphens" });
const tagMap = z.record(z.string().max(512), z.string().max(256));
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "allowed: a date as YYYY-MM-DD" });
const positiveInt = (max: number) => z.number().int().min(1).max(max);

export const subnetSchema = z
  .object({
    /** Request by prefix length, e.g. 24. */
    prefixLength: z.number().int().min(8).max(64).optional(),
    /** Request by usable host count; Azure reserves 5 addresses per subnet. */
    hosts: z.number().int().min(1).max(16_777_211).optional(),
    /** Pin an exact CIDR (checked, never moved). */
    cidr: ipv4Cidr.optional(),
    /** Associate the stack's NSG. Defaults to true (special subnets never get one). */
    nsgEnabled: z.boolean().default(true),
    /** Service endpoints such as Microsoft.Storage. */
    serviceEndpoints: z.array(z.string().regex(/^Microsoft\.[A-Za-z.]+$/)).default([]),
    /** Delegation to a service, e.g. Microsoft.ContainerInstance/containerGroups. */
    delegation: z
      .string()
      .regex(/^Microsoft\.[A-Za-z.]+\/[A-Za-z]+$/)
      .optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const given = ["prefixLength", "hosts", "cidr"].filter(
      (k) => value[k as keyof typeof value] !== undefined,
    );
    if (given.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message: `${given.length === 0 ? "sets no size" : `sets ${given.join(" and ")}`}; allowed: exactly one of prefixLength, hosts or cidr`,
      });
    }
  });

export const networkSchema = z
  .object({
    /** The VNet's IPv4 address space. Required for dev and prod; class stacks carve it from `azlab:class.supernet`. */
    addressSpace: oneOrMany(ipv4Cidr).optional(),
    /** Ranges nothing may overlap: campus, on-premises, peered networks. */
    reservedCidrs: z.array(anyCidr).default([]),
    /** How subnets reach the internet. New Azure VNets have no default outbound access. */
    outbound: z.enum(["natGateway", "loadBalancer"]).default("natGateway"),
    /** Subnets keyed by name. */
    subnets: z.record(z.string(), subnetSchema).refine((s) => Object.keys(s).length > 0, {
      message: "needs at least one subnet",
    }),
  })
  .strict();

const portSpec = z.union([z.number().int(), z.string(), z.array(z.union([z.number().int(), z.string()]))]);
const addressSpec = z.union([z.string(), z.array(z.string()).min(1)]);

export const nsgRuleSchema = z
  .object({
    priority: z.number().int().optional(),
    direction: z.enum(["Inbound", "Outbound"]).default("Inbound"),
    access: z.enum(["Allow", "Deny"]).default("Allow"),
    protocol: z.enum(["Tcp", "Udp", "Icmp", "Esp", "Ah", "*"]).default("Tcp"),
    source: addressSpec,
    destination: addressSpec.default("*"),
    ports: portSpec,
    description: z.string().max(140).optional(),
  })
  .strict();

export const nsgSchema = z
  .object({
    /** Extra rules keyed by name, on top of the ones azlab derives (SSH from sourceCidrs, HTTP via the LB). */
    rules: z.record(z.string(), nsgRuleSchema).default({}),
    /** Named waivers for rules that open a management port to the internet. Each needs a reason. */
    waivers: z
      .record(
        z.string(),
        z.object({ reason: z.string().min(10, { message: "allowed: a reason of 10+ characters" }) }).strict(),
      )
      .default({}),
    /** CIDRs allowed to SSH to lab machines. Defaults to none. */
    sshSourceCidrs: z.array(anyCidr).default([]),
  })
  .strict();

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
        inboundNatEnabled: z.boolean().default(false),
      })
      .strict()
      .default({
        type: "public",
        ports: [80],
        distribution: "Default",
        probe: { protocol: "Http", port: 80, path: "/" },
        inboundNatEnabled: false,
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
  })
  .strict();

export const storageSchema = z
  .object({
    namePrefix: z.string().default("azlab"),
    sku: z
      .enum(["Standard_LRS", "Standard_ZRS", "Standard_GRS", "Standard_RAGRS", "Standard_GZRS"])
      .default("Standard_LRS"),
    publicNetworkAccessEnabled: z.boolean().default(true),
    sharedKeyAccessEnabled: z.boolean().default(false),
    /** Who needs shared keys (required when sharedKeyAccessEnabled), e.g. ["aks-azurefile-csi"]. */
    sharedKeyConsumers: z.array(z.string()).optional(),
    containers: z.record(z.string(), z.object({}).strict()).default({}),
    fileShares: z.record(z.string(), z.object({ quotaGiB: positiveInt(102_400) }).strict()).default({}),
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
    zoneRedundancyEnabled: z.boolean().default(false),
    retentionDays: z.number().int().min(0).max(365).optional(),
    quarantineEnabled: z.boolean().default(false),
  })
  .strict();

const poolSchema = z
  .object({
    vmSize: z.string().default("Standard_D2s_v5"),
    osDiskType: z.enum(["Managed", "Ephemeral"]).default("Managed"),
    autoScalingEnabled: z.boolean().default(true),
    minCount: z.number().int().default(1),
    maxCount: z.number().int().default(3),
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
    networkPolicy: z.enum(["azure", "calico", "cilium"]).default("azure"),
    podCidr: ipv4Cidr.default("192.168.0.0/16"),
    serviceCidr: ipv4Cidr.default("172.16.0.0/16"),
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
    authorizedIpRanges: z.array(anyCidr).default([]),
    privateClusterEnabled: z.boolean().default(false),
    entraAdminGroupObjectIds: z.array(z.uuid()).default([]),
    upgradeChannel: z.enum(["none", "patch", "stable", "rapid", "node-image"]).default("patch"),
    /** In-cluster basics: namespaces, Azure Files storage class, sample workload. */
    namespaces: z
      .record(z.string(), z.object({ labels: z.record(z.string(), z.string()).default({}) }).strict())
      .default({}),
    storageClass: z
      .object({
        reclaimPolicy: z.enum(["Delete", "Retain"]).default("Delete"),
        allowVolumeExpansion: z.boolean().default(true),
        volumeBindingMode: z.enum(["Immediate", "WaitForFirstConsumer"]).default("WaitForFirstConsumer"),
      })
      .strict()
      .optional(),
    sampleWorkloadEnabled: z.boolean().default(false),
  })
  .strict();

export const studentSchema = z
  .object({
    /** Entra object id; when given the student gets a RoleBinding in a shared cluster. */
    entraObjectId: z.uuid().optional(),
    displayName: z.string().optional(),
  })
  .strict();

export const classSchema = z
  .object({
    courseId: z.string().min(1).max(40),
    instructor: z.string().min(1),
    expiresOn: isoDate,
    /** IANA time zone in which expiresOn ends. Defaults to UTC. */
    timeZone: z.string().default("UTC"),
    /** CIDRs that may reach lab machines: campus range, instructor IP. */
    sourceCidrs: z.array(anyCidr).min(1),
    /** Every student block (and the shared hub) is carved from this range. */
    supernet: ipv4Cidr,
    studentPrefixLength: z.number().int().min(16).max(28).default(24),
    modules: z
      .object({
        scaleSet: z.boolean().default(false),
        storage: z.boolean().default(false),
        aks: z.boolean().default(false),
      })
      .strict()
      .default({ scaleSet: false, storage: false, aks: false }),
    aksTopology: z.enum(["shared", "dedicated"]).default("shared"),
    /** Roster keyed by student id (stable key: never reuse or rename). */
    students: z.record(
      keyName,
      studentSchema.nullable().transform((s) => s ?? {}),
    ),
  })
  .strict();

export const teardownSchema = z
  .object({
    prodAllowed: z.boolean().default(false),
    protectedAllowed: z.boolean().default(false),
  })
  .strict();

export const policySchema = z
  .object({
    overrides: z
      .record(
        z.string().regex(/^AZL-[A-Z]+-\d{3}$/, { message: "allowed: a rule id such as AZL-NSG-001" }),
        z
          .object({
            enforcement: z.enum(["advisory", "disabled"]),
            reason: z.string().min(10, { message: "allowed: a written reason of 10+ characters" }),
          })
          .strict(),
      )
      .default({}),
  })
  .strict();

/** Every `azlab:` key a stack file may set, with its schema. Order is the order of the docs. */
export const configKeys = {
  environment: z.enum(["dev", "prod", "class"]),
  location: z
    .string()
    .regex(/^[a-z][a-z0-9]{2,30}$/, { message: "allowed: an Azure region name such as westeurope" }),
  owner: z.string().min(1),
  namePrefix: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,14}$/, {
      message: "allowed: 2–15 lowercase letters, digits and hyphens, starting with a letter",
    })
    .default("azlab"),
  tags: tagMap.default({}),
  adminSshPublicKey: z
    .string()
    .regex(/^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+( .*)?$/, {
      message: "allowed: an OpenSSH public key line (ssh-ed25519 AAAA... or ssh-rsa AAAA...)",
    })
    .optional(),
  protectStateful: z.boolean().optional(),
  network: networkSchema,
  nsg: nsgSchema.default({ rules: {}, waivers: {}, sshSourceCidrs: [] }),
  scaleSet: scaleSetSchema.optional(),
  storage: storageSchema.optional(),
  registry: registrySchema.optional(),
  aks: aksSchema.optional(),
  class: classSchema.optional(),
  teardown: teardownSchema.default({ prodAllowed: false, protectedAllowed: false }),
  policy: policySchema.default({ overrides: {} }),
} as const;

export type ConfigKey = keyof typeof configKeys;
type KeyOutput<K extends ConfigKey> = z.output<(typeof configKeys)[K]>;
export type StackConfig = { [K in ConfigKey]: KeyOutput<K> } & {
  /** Keys whose value came from a `secure:` entry. Their content is never validated or printed. */
  readonly secretKeys: readonly ConfigKey[];
};
export type NetworkConfig = z.output<typeof networkSchema>;
export type SubnetConfig = z.output<typeof subnetSchema>;
export type NsgConfig = z.output<typeof nsgSchema>;
export type NsgRuleConfig = z.output<typeof nsgRuleSchema>;
export type ScaleSetConfig = z.output<typeof scaleSetSchema>;
export type StorageConfig = z.output<typeof storageSchema>;
export type RegistryConfig = z.output<typeof registrySchema>;
export type AksConfig = z.output<typeof aksSchema>;
export type ClassConfig = z.output<typeof classSchema>;
