/**
 * The one schema for everything a stack file may hold under the `azlab:` namespace.
 * The CLI (`azlab validate`, `azlab plan`) and the Pulumi program both parse config through it;
 * nothing else reads config. Defaults live here, so a component never has to guess.
 * The address and workload sections are in addressSchema.ts and workloadSchema.ts; CIDR keys come
 * out of parsing as `Prefix` values.
 */
import { z } from "zod";
import { sshPublicKeyFault } from "../azure/sshPublicKey.ts";
import { anyPrefix, ipv4Prefix, networkSchema, nsgSchema } from "./addressSchema.ts";
import type { nsgRuleSchema, subnetSchema } from "./addressSchema.ts";
import { aksSchema, registrySchema, scaleSetSchema, storageSchema, vmsSchema } from "./workloadSchema.ts";

export {
  anyPrefix,
  ipv4Prefix,
  networkSchema,
  nsgRuleSchema,
  nsgSchema,
  subnetSchema,
} from "./addressSchema.ts";
export {
  aksSchema,
  registrySchema,
  scaleSetSchema,
  storageSchema,
  vmSchema,
  vmsSchema,
} from "./workloadSchema.ts";

/**
 * One OpenSSH public key line; the same check for the instructor's key and each student's. The key
 * data must be a real key of the line's type (src/azure/sshPublicKey.ts), so `ssh-rsa notakey` fails here.
 */
const SSH_KEY_ALLOWED = "an OpenSSH public key line (ssh-ed25519 AAAA... or ssh-rsa AAAA...)";
const sshPublicKeyLine = z.string().superRefine((line, ctx) => {
  const fault = sshPublicKeyFault(line);
  if (fault === undefined) return;
  const what = fault.kind === "shape" ? "" : `: ${fault.reason}`;
  ctx.addIssue({
    code: "custom",
    message: `is not an OpenSSH public key line${what}; allowed: ${SSH_KEY_ALLOWED}`,
  });
});

const keyName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,30}$/, { message: "allowed: 1–31 lowercase letters, digits and hyphens" });
const tagMap = z.record(z.string().max(512), z.string().max(256));
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "allowed: a date as YYYY-MM-DD" });

/**
 * A mail-style sign-in name (`name@domain.tld`). Entra UPNs have this form ("Plan and troubleshoot
 * User Principal Name changes in Microsoft Entra ID": alias@domain, no spaces, at most 113 characters
 * before the domain); email addresses too, for the `mail` lookup.
 */
const signInName = z
  .string()
  .max(256)
  .regex(/^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, {
    message: "is not a sign-in name; allowed: a sign-in name such as alice.smith@uni.edu",
  });

export const studentSchema = z
  .object({
    /** Entra object id; when given it is used as is and no lookup is made at deploy time. */
    entraObjectId: z.uuid().optional(),
    /** Entra user principal name; resolved to the object id through Microsoft Graph at `pulumi up`. */
    upn: signInName.optional(),
    /** Email address (Graph `mail`); resolved like `upn` when the student has no UPN. */
    email: signInName.optional(),
    displayName: z.string().max(256).optional(),
    /** The student's own OpenSSH keys, trusted on their machines next to the instructor's key. */
    sshPublicKeys: z.array(sshPublicKeyLine).default([]),
    /** Extra public prefixes (home, another campus) that widen only this student's rules. */
    sourceCidrs: z.array(anyPrefix).default([]),
  })
  .strict();

/**
 * `azlab:class.budget` and `azlab:budget` (dev and prod): one shape. A monthly Azure Consumption budget
 * over the stack's resource groups; thresholds in percent of `amount`. The Azure rules (at most five
 * notifications, thresholds above 0 and up to 1000) are checked by src/validation/budget.ts.
 */
const budgetPercent = z.number();
export const budgetSchema = z
  .object({
    /** A month's budget, in `currency`. */
    amount: z.number().positive().max(1_000_000_000),
    /** The price table is in USD only, so the estimate can only be compared in USD. */
    currency: z.enum(["USD"]).default("USD"),
    thresholds: z
      .object({
        /** Percent of the amount actually spent that sends an alert. */
        actual: z.array(budgetPercent).default([50, 80, 100]),
        /** Percent of the amount Azure forecasts for the month that sends an alert. */
        forecasted: z.array(budgetPercent).default([100]),
      })
      .strict()
      .prefault({}),
    contactEmails: z.array(z.string()).min(1),
    /** A month's budget per student, over the student's own resource group; none when absent. */
    perStudent: z.number().positive().max(1_000_000_000).optional(),
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
    sourceCidrs: z.array(anyPrefix).min(1),
    /** Every student block (and the shared hub) is carved from this range. */
    supernet: ipv4Prefix,
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
    /** The Azure roles every student with an Entra identity gets on their own scopes (docs/running-a-class.md). */
    studentAccess: z
      .object({
        /** operator: Reader + Virtual Machine Contributor; reader: Reader; none. */
        resourceGroup: z.enum(["operator", "reader", "none"]).default("operator"),
        /** Blob and SMB file data roles on their own storage account. */
        storage: z.boolean().default(true),
        /** push: AcrPush; pull: AcrPull; none. On the class registry (every repository: see the docs). */
        registry: z.enum(["push", "pull", "none"]).default("push"),
        /** Cluster User on the cluster, and a namespace RoleBinding (shared) or RBAC Writer (dedicated). */
        cluster: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    budget: budgetSchema.optional(),
    /**
     * The class-hours workflow (.github/workflows/class-hours.yml) stops the class's AKS clusters
     * outside the scale sets' schedules and starts them an hour before; the estimate then bills no
     * idle nodes. Off when absent.
     */
    stopClusterOutsideClassHours: z.boolean().optional(),
    /** Roster keyed by student id (stable key: never reuse or rename). */
    students: z.record(
      keyName,
      studentSchema.nullable().transform((s) => s ?? studentSchema.parse({})),
    ),
  })
  .strict();

/**
 * `azlab:hubAndSpoke` (class stacks): each student's VNet peered with the class hub, a route table per
 * student, and an optional Azure Bastion in the hub (docs/hub-and-spoke.md). Off by default.
 */
export const hubAndSpokeSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** User-defined routes in every student's route table, keyed by route name. */
    routes: z
      .record(
        z.string(),
        z
          .object({
            addressPrefix: ipv4Prefix,
            nextHopType: z.enum(["VirtualAppliance", "VnetLocal", "Internet", "None"]),
            /** Only for VirtualAppliance, and inside the hub's address space (src/validation/routeTable.ts). */
            nextHopIpAddress: z.string().optional(),
          })
          .strict(),
      )
      .default({}),
    bastion: z
      .object({
        enabled: z.boolean().default(false),
        /** Developer is refused by src/validation/bastion.ts: it cannot reach peered VNets. */
        sku: z.enum(["Basic", "Standard", "Premium", "Developer"]).default("Basic"),
      })
      .strict()
      .prefault({}),
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

/**
 * `azlab:cost`: the usage the estimate assumes (per resource, per month; see docs/costs.md) and the
 * monthly increase in USD above which `azlab diff` calls a change risky.
 */
const usageFigure = z.number().min(0).max(1_000_000);
export const costSchema = z
  .object({
    assumptions: z
      .object({
        natGatewayDataGb: usageFigure.optional(),
        loadBalancerDataGb: usageFigure.optional(),
        storageGb: usageFigure.optional(),
        storageWriteOps10k: usageFigure.optional(),
        storageReadOps10k: usageFigure.optional(),
        peeringDataGb: usageFigure.optional(),
      })
      .strict()
      .default({}),
    riskThreshold: z.number().min(0).max(1_000_000).optional(),
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
  adminSshPublicKey: sshPublicKeyLine.optional(),
  protectStateful: z.boolean().optional(),
  network: networkSchema,
  nsg: nsgSchema.default({
    rules: {},
    waivers: {},
    sshSourceCidrs: [],
    applicationSecurityGroups: {},
    subnets: {},
  }),
  scaleSet: scaleSetSchema.optional(),
  storage: storageSchema.optional(),
  registry: registrySchema.optional(),
  aks: aksSchema.optional(),
  /** Standalone VMs keyed by name, in every environment (src/program/vmArgs.ts). */
  vms: vmsSchema.default({}),
  /**
   * The admin password of every Windows VM in azlab:vms. Only as a secure value (`pulumi config set
   * --secret`): a plain one is refused (src/config/parse.ts), and azlab never makes one up.
   */
  windowsAdminPassword: z.string().optional(),
  class: classSchema.optional(),
  teardown: teardownSchema.default({ prodAllowed: false, protectedAllowed: false }),
  policy: policySchema.default({ overrides: {} }),
  cost: costSchema.default({ assumptions: {} }),
  /** dev and prod stacks; a class sets `azlab:class.budget`. */
  budget: budgetSchema.optional(),
  hubAndSpoke: hubAndSpokeSchema.optional(),
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
export type StudentConfig = z.output<typeof studentSchema>;
export type BudgetConfig = z.output<typeof budgetSchema>;
export type VmConfig = z.output<typeof vmsSchema>[string];
export type HubAndSpokeConfig = z.output<typeof hubAndSpokeSchema>;
