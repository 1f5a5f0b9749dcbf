/**
 * From a validated stack config to the complete, plain-data plan of a stack: which environments
 * exist, where their addresses are, which rules guard them. Every check runs here, before the
 * program registers a single resource, and every problem is reported at once. Addresses arrive as
 * `Prefix` values from config parsing and stay values; text is made for NSG rules (rendered into
 * Azure resources) and, by the program, for component args.
 */
import { existsSync } from "node:fs";
import { formatPrefix } from "../cidr/address.ts";
import { dedupeProblems, type Problem } from "../errors.ts";
import { checkAksNetwork, type AksNetworkPlugin } from "../planner/aks.ts";
import { planClassBlockPrefixes, planNetwork, type VnetRequest } from "../planner/network.ts";
import type { NetworkLock, PlannedVnet, SubnetRequest } from "../planner/types.ts";
import { parseLock } from "../planner/lock.ts";
import { readTextFile, stackProblemsError } from "../config/stackFile.ts";
import { isSpecialSubnet } from "../planner/subnetRules.ts";
import { BASTION_SUBNET, BASTION_SUBNET_MAX_LENGTH as BASTION_SUBNET_LENGTH } from "../validation/bastion.ts";
import type { StackConfig, SubnetConfig } from "../config/schema.ts";
import { allowAzureLoadBalancerProbe, sshFrom, type NsgRules } from "../network/nsgRules.ts";
import { classIsolationRules, nsgConfigProblems, subnetNsgs, type SubnetNsgPlan } from "./nsgPlan.ts";
import { azureName } from "../naming/azureNames.ts";
import type { OutboundMode } from "../validation/virtualNetwork.ts";
import { egressFor } from "./egress.ts";

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

const C = "azlab:";

/** Reads a lock file; a missing file is an empty lock. */
export function readLock(path: string): NetworkLock | undefined {
  if (!existsSync(path)) return undefined;
  // Same limits as a stack file: a regular file, not huge, valid UTF-8.
  const { lock, problems } = parseLock(readTextFile(path, "lock file"));
  if (problems.length > 0) throw stackProblemsError(path, problems);
  return lock;
}

function toRequest(subnet: SubnetConfig): SubnetRequest {
  if (subnet.cidr !== undefined) return { cidr: subnet.cidr };
  if (subnet.hosts !== undefined) return { hosts: subnet.hosts };
  return { prefixLength: subnet.prefixLength ?? 0 };
}

/**
 * Rules azlab derives from the stack's intent, before the user's own `azlab:nsg.rules`. A student's own
 * `sourceCidrs` (home, another campus) join the class's ranges in that student's rules only.
 */
function derivedRules(
  config: StackConfig,
  vnetSpace: readonly string[],
  student?: string,
  bastionCidr?: string,
): NsgRules {
  const isClass = config.environment === "class";
  const own = student ? (config.class?.students[student]?.sourceCidrs ?? []) : [];
  // NSG rules are rendered into Azure resources, so their addresses are text; a repeat is listed once.
  const classSources = [...new Set([...(config.class?.sourceCidrs ?? []), ...own].map(formatPrefix))];
  const sshSources = isClass ? classSources : config.nsg.sshSourceCidrs.map(formatPrefix);
  const lb = config.scaleSet?.loadBalancer;
  const web: NsgRules = lb
    ? {
        "allow-web": {
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          // A class admits only its own source ranges; dev and prod serve the internet through the LB.
          source: isClass ? classSources : lb.type === "public" ? "Internet" : "VirtualNetwork",
          destination: "*",
          ports: [...lb.ports],
        },
        ...allowAzureLoadBalancerProbe(),
      }
    : {};
  const isolation = classIsolationRules(config, vnetSpace);
  return {
    ...(sshSources.length > 0 ? sshFrom(sshSources) : {}),
    ...web,
    ...bastionRules(bastionCidr),
    ...isolation,
  };
}

/**
 * SSH and RDP from the hub's AzureBastionSubnet, which Bastion connects to VMs from ("Working with NSG
 * access and Azure Bastion", learn.microsoft.com/azure/bastion/bastion-nsg: the target VMs' NSG must allow
 * 22 and 3389 from the Bastion subnet). Its priority sits below the class's deny-lateral rule, which
 * would otherwise refuse the hub's range (it is inside the class supernet).
 */
function bastionRules(bastionCidr: string | undefined): NsgRules {
  if (bastionCidr === undefined) return {};
  return {
    "allow-bastion": {
      priority: BASTION_RULE_PRIORITY,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      source: [bastionCidr],
      destination: "*",
      ports: [22, 3389],
    },
  };
}

/**
 * Plans a whole stack. Pure: the lock is passed in. Returns every problem found; `plan` is only
 * present when there are none.
 */
export function planStack(
  stack: string,
  config: StackConfig,
  lock: NetworkLock | undefined,
): { plan?: StackPlan; lock: NetworkLock; problems: Problem[]; notes: string[] } {
  const problems: Problem[] = [];
  const notes: string[] = [];
  const isClass = config.environment === "class";
  const subnetKeys = Object.keys(config.network.subnets);

  // Cross-field rules the schema cannot express on one key alone.
  if (isClass) {
    if (!config.class) {
      problems.push({
        path: `${C}class`,
        message: "is required for a class stack",
        allowed: "a class section with courseId, instructor, expiresOn, sourceCidrs, supernet and students",
      });
    }
    if (config.network.addressSpace) {
      problems.push({
        path: `${C}network.addressSpace`,
        message: "is planned from azlab:class.supernet in a class stack",
        value: config.network.addressSpace.map(formatPrefix),
        allowed: "leave it out; set azlab:class.supernet",
      });
    }
    if (config.class && HUB_KEY in config.class.students) {
      problems.push({
        path: `${C}class.students.${HUB_KEY}`,
        message: "is reserved for the class's shared environment",
        allowed: "any other student id",
      });
    }
    if (config.hubAndSpoke?.enabled && config.class && Object.keys(config.class.students).length === 0) {
      problems.push({
        path: `${C}hubAndSpoke.enabled`,
        message: "needs at least one student to peer with the hub",
        value: true,
        allowed: "students under azlab:class.students, or enabled: false",
      });
    }
  } else {
    if (config.hubAndSpoke?.enabled) {
      problems.push({
        path: `${C}hubAndSpoke`,
        message: `is only for class stacks (this is a ${config.environment} stack)`,
        allowed: "azlab:environment: class, or remove azlab:hubAndSpoke",
      });
    }
    if (!config.network.addressSpace) {
      problems.push({
        path: `${C}network.addressSpace`,
        message: "is required",
        allowed: "one or more IPv4 CIDRs such as 10.20.0.0/16",
      });
    }
    if (config.class) {
      problems.push({
        path: `${C}class`,
        message: `is only for class stacks (this is a ${config.environment} stack)`,
        allowed: `azlab:environment: class, or remove azlab:class`,
      });
    }
  }
  const modules = isClass
    ? (config.class?.modules ?? { scaleSet: false, storage: false, aks: false })
    : { scaleSet: !!config.scaleSet, storage: !!config.storage, aks: !!config.aks };
  problems.push(...nsgConfigProblems(config, modules));
  const sharedAks = isClass && modules.aks && config.class?.aksTopology === "shared";
  const hubAndSpoke = isClass && config.hubAndSpoke?.enabled === true ? config.hubAndSpoke : undefined;
  const bastion = hubAndSpoke?.bastion.enabled ? hubAndSpoke.bastion : undefined;
  const hasHub = sharedAks || hubAndSpoke !== undefined;
  if (modules.scaleSet) {
    if (!config.scaleSet) {
      problems.push({
        path: `${C}scaleSet`,
        message: "is required when the class module scaleSet is on",
        allowed: "a scaleSet section with at least subnet",
      });
    } else if (!subnetKeys.includes(config.scaleSet.subnet)) {
      problems.push({
        path: `${C}scaleSet.subnet`,
        message: "names no subnet of azlab:network.subnets",
        value: config.scaleSet.subnet,
        allowed: subnetKeys.join(", "),
      });
    }
    if (config.adminSshPublicKey === undefined) {
      problems.push({
        path: `${C}adminSshPublicKey`,
        message: "is required for the scale set (password login is disabled)",
        allowed: "an OpenSSH public key line",
      });
    }
  }
  if (modules.storage && !config.storage) {
    problems.push({
      path: `${C}storage`,
      message: "is required when the class module storage is on",
      allowed: "a storage section",
    });
  }
  if (modules.aks) {
    if (!config.aks) {
      problems.push({
        path: `${C}aks`,
        message: "is required when the class module aks is on",
        allowed: "an aks section with at least subnet",
      });
    } else if (!sharedAks && !subnetKeys.includes(config.aks.subnet)) {
      problems.push({
        path: `${C}aks.subnet`,
        message: "names no subnet of azlab:network.subnets",
        value: config.aks.subnet,
        allowed: subnetKeys.join(", "),
      });
    }
  }
  if (isClass && config.class && modules.aks && config.class.aksTopology === "dedicated") {
    const count = Object.keys(config.class.students).length;
    if (count > 20) {
      notes.push(
        `${count} dedicated AKS clusters exceed AKS's regional PUT budget (20, refilled at 1 per minute): expect throttling; consider azlab:class.aksTopology: shared`,
      );
    }
  }
  if (problems.length > 0) return { lock: lock ?? { version: 1, vnets: {} }, problems, notes };

  // Addresses: class blocks first (each student's VNet space), then every VNet's subnets.
  const reserved = config.network.reservedCidrs;
  const vnetRequests: Record<string, VnetRequest> = {};
  const subnetRequests = Object.fromEntries(
    Object.entries(config.network.subnets).map(([name, subnet]) => [name, toRequest(subnet)]),
  );
  let blockLock = lock?.blocks?.["class"];
  if (isClass && config.class) {
    const cls = config.class;
    const blocks = planClassBlockPrefixes({
      supernet: cls.supernet,
      studentPrefixLength: cls.studentPrefixLength,
      studentKeys: Object.keys(cls.students),
      ...(hasHub
        ? {
            sharedBlocks: {
              // A shared cluster's hub as before; a hub only for peering holds one student-sized block,
              // free for an appliance a route may point at.
              [HUB_KEY]: sharedAks ? Math.max(cls.studentPrefixLength - 2, 16) : cls.studentPrefixLength,
              ...(bastion ? { [HUB_BASTION_KEY]: BASTION_SUBNET_LENGTH } : {}),
            },
          }
        : {}),
      ...(blockLock ? { lock: blockLock } : {}),
      reservedCidrs: reserved,
      path: `${C}class.students`,
    });
    problems.push(...blocks.problems);
    blockLock = blocks.lock;
    const bastionBlock = blocks.prefixes[HUB_BASTION_KEY];
    for (const [key, block] of Object.entries(blocks.prefixes)) {
      if (key === HUB_BASTION_KEY) continue;
      vnetRequests[key] =
        key === HUB_KEY
          ? {
              // Bastion's block is a second range of the hub's VNet, filled by its pinned subnet.
              addressSpace: bastionBlock ? [block, bastionBlock] : [block],
              subnets: {
                // A shared cluster's subnet fills the hub's block.
                ...(sharedAks ? { [config.aks?.subnet ?? "aks-nodes"]: { prefixLength: block.length } } : {}),
                ...(bastionBlock ? { [BASTION_SUBNET]: { cidr: bastionBlock } } : {}),
              },
              path: sharedAks ? `${C}aks` : `${C}hubAndSpoke`,
            }
          : { addressSpace: [block], subnets: subnetRequests, path: `${C}network`, owner: `student ${key}` };
    }
  } else {
    vnetRequests[config.environment] = {
      addressSpace: [...(config.network.addressSpace ?? [])],
      subnets: subnetRequests,
      path: `${C}network`,
    };
  }
  const network = planNetwork(
    { vnets: vnetRequests, reservedCidrs: reserved, reservedPath: `${C}network.reservedCidrs` },
    lock,
  );
  problems.push(...network.problems);
  const newLock: NetworkLock = {
    ...network.lock,
    ...(blockLock ? { blocks: { ...(network.lock.blocks ?? {}), class: blockLock } } : {}),
  };

  const namePrefix = config.namePrefix;
  const environments: Record<string, EnvironmentPlan> = {};
  const bastionCidr = bastion ? network.vnets[HUB_KEY]?.subnets[BASTION_SUBNET]?.cidr : undefined;
  const routes: Record<string, RoutePlan> = Object.fromEntries(
    Object.entries(hubAndSpoke?.routes ?? {}).map(([name, route]) => [
      name,
      {
        addressPrefix: formatPrefix(route.addressPrefix),
        nextHopType: route.nextHopType,
        ...(route.nextHopIpAddress !== undefined ? { nextHopIpAddress: route.nextHopIpAddress } : {}),
      },
    ]),
  );
  for (const key of Object.keys(network.vnets).sort()) {
    const vnet = network.vnets[key];
    if (!vnet) continue;
    const hub = isClass && key === HUB_KEY;
    const student = isClass && !hub ? key : undefined;
    const derived = derivedRules(config, vnet.addressSpace, student, student ? bastionCidr : undefined);
    const subnetSettings = Object.fromEntries(
      Object.keys(vnet.subnets).map((name) => {
        const fromConfig = config.network.subnets[name] ?? { nsgEnabled: true, serviceEndpoints: [] };
        return [name, { ...fromConfig, special: isSpecialSubnet(name) }];
      }),
    );
    environments[key] = {
      key,
      ...(student ? { student } : {}),
      resourceGroupName: azureName("resourceGroup", isClass ? [namePrefix, stack, key] : [namePrefix, stack]),
      vnet,
      subnetSettings,
      nsgRules: hub ? {} : { ...derived, ...(config.nsg.rules as NsgRules) },
      // The hub only hosts the shared cluster: no lab machines, so no per-subnet NSGs or ASGs.
      subnetNsgs: hub
        ? {}
        : subnetNsgs(config, Object.keys(vnet.subnets), {
            // Bastion reaches every subnet of a student, so its rule joins the isolation rules each NSG starts from.
            isolation: {
              ...bastionRules(student ? bastionCidr : undefined),
              ...classIsolationRules(config, vnet.addressSpace),
            },
            derived,
            ...(modules.scaleSet && config.scaleSet ? { scaleSetSubnet: config.scaleSet.subnet } : {}),
          }),
      applicationSecurityGroups: hub ? [] : Object.keys(config.nsg.applicationSecurityGroups),
      scaleSetEnabled: !hub && modules.scaleSet,
      storageEnabled: !hub && modules.storage,
      vms: hub ? [] : Object.keys(config.vms),
      outbound: egressFor(config, {
        hub,
        scaleSet: !hub && modules.scaleSet,
        vms: hub ? 0 : Object.keys(config.vms).length,
        aksCluster: hub ? sharedAks : modules.aks && (!isClass || config.class?.aksTopology === "dedicated"),
      }),
      // A shared cluster in the hub hosts every student's namespace.
      namespaceStudents: hub && sharedAks ? Object.keys(config.class?.students ?? {}).sort() : [],
      // A hub that exists only for hub and spoke has no cluster.
      ...(modules.aks && !(hub && !sharedAks)
        ? {
            aks:
              hub || !isClass || config.class?.aksTopology === "dedicated"
                ? ("cluster" as const)
                : ("namespace" as const),
          }
        : {}),
      ...(student && hubAndSpoke ? { spoke: { routes } } : {}),
      ...(hub && bastion && bastionCidr ? { bastion: { sku: bastion.sku, subnetCidr: bastionCidr } } : {}),
    };
  }

  // AKS addressing: pod and service ranges against every VNet and reserved range.
  if (config.aks && modules.aks) {
    const aks = config.aks;
    const pools = [aks.systemPool, ...Object.values(aks.userPools)];
    const plugin: AksNetworkPlugin = aks.networkPlugin;
    // A pool whose minCount exceeds its maxCount has no node count to size for; the cluster's own
    // validator reports it at the pool's key, which a derived maxNodes problem would only obscure.
    const countsUsable = pools.every((p) => !p.autoScalingEnabled || p.minCount <= p.maxCount);
    for (const env of Object.values(environments).filter((e) => countsUsable && e.aks === "cluster")) {
      const nodeSubnet = env.vnet.subnets[aks.subnet];
      if (!nodeSubnet) continue;
      problems.push(
        ...checkAksNetwork({
          path: `${C}aks`,
          plugin,
          nodeSubnetCidr: nodeSubnet.prefix,
          maxNodes: pools.reduce((sum, p) => sum + (p.autoScalingEnabled ? p.maxCount : p.minCount), 0),
          maxSurge: pools.reduce((sum, p) => sum + p.maxSurge, 0),
          maxPods: Math.max(...pools.map((p) => p.maxPods)),
          ...(plugin === "azure-cni" ? {} : { podCidr: aks.podCidr }),
          serviceCidr: aks.serviceCidr,
          dnsServiceIp: aks.dnsServiceIp,
          vnetAddressSpace: Object.values(environments).flatMap((e) => e.vnet.prefixes),
          reservedCidrs: reserved,
        }),
      );
      // One check per stack is enough: every cluster shares the same ranges and template.
      break;
    }
  }

  const protectStateful = config.protectStateful ?? config.environment === "prod";
  const baseTags: Record<string, string> = {
    ...config.tags,
    "managed-by": "azlab",
    environment: config.environment,
    owner: config.owner,
    ...(config.class ? { course: config.class.courseId, "expires-on": config.class.expiresOn } : {}),
  };
  const dedup = dedupeProblems(problems);
  if (dedup.length > 0) return { lock: newLock, problems: dedup, notes };
  return {
    plan: { stack, config, environments, protectStateful, baseTags },
    lock: newLock,
    problems: [],
    notes,
  };
}
