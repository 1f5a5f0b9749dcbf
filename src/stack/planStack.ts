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
import type { NetworkLock, SubnetRequest } from "../planner/types.ts";
import { parseLock } from "../planner/lock.ts";
import { readTextFile, stackProblemsError } from "../config/stackFile.ts";
import { isSpecialSubnet } from "../planner/subnetRules.ts";
import { BASTION_SUBNET, BASTION_SUBNET_MAX_LENGTH as BASTION_SUBNET_LENGTH } from "../validation/bastion.ts";
import type { StackConfig, SubnetConfig } from "../config/schema.ts";
import type { NsgRules } from "../network/nsgRules.ts";
import { classIsolationRules, subnetNsgs } from "./nsgPlan.ts";
import { azureName } from "../naming/azureNames.ts";
import { egressFor } from "./egress.ts";
import { bastionRules, derivedRules } from "./derivedRules.ts";
import { crossFieldProblems, stackModules } from "./stackChecks.ts";
import {
  HUB_BASTION_KEY,
  HUB_KEY,
  type EnvironmentPlan,
  type RoutePlan,
  type StackPlan,
} from "./stackPlan.ts";

// The plan's types and reserved keys live in ./stackPlan.ts; the program imports them from here.
export * from "./stackPlan.ts";

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
 * Plans a whole stack. Pure: the lock is passed in. Returns every problem found; `plan` is only
 * present when there are none.
 */
export function planStack(
  stack: string,
  config: StackConfig,
  lock: NetworkLock | undefined,
): { plan?: StackPlan; lock: NetworkLock; problems: Problem[]; notes: string[] } {
  const isClass = config.environment === "class";
  // Cross-field rules the schema cannot express on one key alone.
  const modules = stackModules(config);
  const { problems, notes } = crossFieldProblems(config, modules);
  const sharedAks = isClass && modules.aks && config.class?.aksTopology === "shared";
  const hubAndSpoke = isClass && config.hubAndSpoke?.enabled === true ? config.hubAndSpoke : undefined;
  const bastion = hubAndSpoke?.bastion.enabled ? hubAndSpoke.bastion : undefined;
  const hasHub = sharedAks || hubAndSpoke !== undefined;
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
