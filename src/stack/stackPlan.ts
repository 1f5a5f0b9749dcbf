/**
 * The plain-data shape of a planned stack (`StackPlan`, one `EnvironmentPlan` per environment) and the
 * reserved keys and priorities the stack planner (./planStack.ts) and the program agree on.
 */
import type { StackConfig, SubnetConfig } from "../config/schema.ts";
import type { NsgRules } from "../network/nsgRules.ts";
import type { NetworkLock, PlannedVnet } from "../planner/types.ts";
import type { OutboundMode } from "../validation/virtualNetwork.ts";
import type { SubnetNsgPlan } from "./nsgPlan.ts";

/** Key of the class-wide hub environment (shared AKS cluster, hub and spoke). Not a valid student id. */
export const HUB_KEY = "hub";

/**
 * Key of the hub's Bastion block in the class's block lock: a /26 range of its own on the hub's VNet, so
 * turning Bastion on never moves the hub's other subnets. Student ids have no `_`, so it never collides.
 */
export const HUB_BASTION_KEY = "hub_bastion";

/** Priority of the derived rule that lets the hub's Bastion in: below the class isolation rules (3990, 4000). */
export const BASTION_RULE_PRIORITY = 3980;

/** One user-defined route of a student's route table (`azlab:hubAndSpoke.routes`), addresses as text. */
export interface RoutePlan {
  readonly addressPrefix: string;
  readonly nextHopType: "VirtualAppliance" | "VnetLocal" | "Internet" | "None";
  readonly nextHopIpAddress?: string;
}

/** Which AKS role an environment has. */
export type AksRole = "cluster" | "namespace";

export interface EnvironmentPlan {
  /** Stable key: the stack's environment kind for dev/prod, the student id or `hub` for classes. */
  readonly key: string;
  /** The student this environment belongs to, for tags and outputs. */
  readonly student?: string;
  /** Azure name of the resource group. */
  readonly resourceGroupName: string;
  /** The planned VNet. */
  readonly vnet: PlannedVnet;
  /** Per-subnet settings from the config, keyed like `vnet.subnets`. */
  readonly subnetSettings: Readonly<Record<string, SubnetConfig & { special: boolean }>>;
  /** NSG rules for this environment, keyed by rule name. */
  readonly nsgRules: NsgRules;
  /** Subnets with their own NSG (`azlab:nsg.subnets`), keyed by subnet name; the others use the environment's. */
  readonly subnetNsgs: Readonly<Record<string, SubnetNsgPlan>>;
  /** Application security groups this environment creates (`azlab:nsg.applicationSecurityGroups`). */
  readonly applicationSecurityGroups: readonly string[];
  readonly scaleSetEnabled: boolean;
  readonly storageEnabled: boolean;
  /** Standalone VMs this environment gets (`azlab:vms` keys): every one but the class hub. */
  readonly vms: readonly string[];
  /** How this VNet reaches the internet: `azlab:network.outbound`, else chosen in ./egress.ts. */
  readonly outbound: OutboundMode;
  /** `cluster`: this environment runs an AKS cluster; `namespace`: it gets a namespace in the hub's. */
  readonly aks?: AksRole;
  /** Students who get a namespace in this environment's cluster: every student for the shared class hub, else none. */
  readonly namespaceStudents: readonly string[];
  /**
   * Hub and spoke (`azlab:hubAndSpoke`), students only: this VNet is peered with the hub's and its ordinary
   * subnets share one route table with these routes (keyed by route name; empty when none are given).
   */
  readonly spoke?: { readonly routes: Readonly<Record<string, RoutePlan>> };
  /** The hub's Azure Bastion (`azlab:hubAndSpoke.bastion`): its SKU and its AzureBastionSubnet's CIDR. */
  readonly bastion?: { readonly sku: string; readonly subnetCidr: string };
}

export interface StackPlan {
  readonly stack: string;
  readonly config: StackConfig;
  /** Environments keyed by their stable key, sorted. */
  readonly environments: Readonly<Record<string, EnvironmentPlan>>;
  /** Whether stateful resources get `protect` and `retainOnDelete`. */
  readonly protectStateful: boolean;
  /** Tags every taggable resource carries (student tags are added per environment). */
  readonly baseTags: Readonly<Record<string, string>>;
}

export interface PreparedStack {
  readonly plan: StackPlan;
  /** The lock to write so that these allocations never move. */
  readonly lock: NetworkLock;
  /** True when the lock on disk lacks allocations this plan made. */
  readonly lockOutdated: boolean;
  /** Remarks worth showing (not problems). */
  readonly notes: readonly string[];
}
