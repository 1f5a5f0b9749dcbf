/**
 * What each planned resource bills: which meters, how many units, and whether the count follows the
 * class-hours schedule. Pure: reads recorded inputs only (anything may be absent or "[secret]").
 */
import { ResourceType } from "../azure/catalog.ts";
import type { CostAssumptions, CostCategory } from "./types.ts";

/** The part of a recorded or planned resource the estimator reads. */
export interface CostedResource {
  readonly urn: string;
  readonly type: string;
  readonly custom: boolean;
  readonly parent?: string | null;
  readonly inputs: Record<string, unknown>;
}

/**
 * How many units a meter bills: `classCount` during class hours and `idleCount` outside them, for
 * instance-like meters (billed per hour, day or month while they exist); `monthly` units for usage
 * meters (GB, 10K operations), spread evenly over the hours.
 */
export type Units =
  | { readonly kind: "count"; readonly classCount: number; readonly idleCount: number }
  | {
      readonly kind: "usage";
      readonly monthly: number;
      /** The `azlab:cost.assumptions` keys the figure sums, joined by " + ". */
      readonly assumption: string;
    };

export interface Usage {
  readonly meter: string;
  readonly category: CostCategory;
  readonly units: Units;
}

/** Types Azure does not bill for by themselves: no line at all (their traffic bills on other meters). */
export const FREE_TYPES: ReadonlySet<string> = new Set([
  ResourceType.ResourceGroup,
  ResourceType.VirtualNetwork,
  ResourceType.Subnet,
  ResourceType.NetworkSecurityGroup,
  ResourceType.SecurityRule,
  ResourceType.ApplicationSecurityGroup,
  // Route tables have no charge (azure.microsoft.com/pricing/details/virtual-network/).
  ResourceType.RouteTable,
  ResourceType.AutoscaleSetting,
  ResourceType.BlobServiceProperties,
  ResourceType.BlobContainer,
  ResourceType.FileServiceProperties,
  ResourceType.FileShare,
  ResourceType.RoleAssignment,
  ResourceType.UserAssignedIdentity,
  // A NIC bills nothing by itself; a VM's auto-shutdown schedule is free too (it only stops the VM).
  ResourceType.NetworkInterface,
  ResourceType.GlobalSchedule,
  // A storage account's lifecycle rules: free; the tier moves they cause bill on the account's meters.
  "azure-native:storage:ManagementPolicy",
  // Queues, tables and the static website bill as data and operations on the account's meters.
  ResourceType.Queue,
  ResourceType.Table,
  "azure-native:storage:StorageAccountStaticWebsite",
]);

export function rec(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function num(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** Weekly class window of one autoscale schedule, and the counts in and out of it. */
export interface ScheduledCounts {
  /** Hours per week the class-hours profiles are in force. */
  readonly weeklyHours: number;
  /** Instance floor during class hours (the largest schedule minimum). */
  readonly classMinimum: number;
  /** Instance floor outside them (the default profile's minimum). */
  readonly idleMinimum: number;
}

/**
 * Reads an AutoscaleSetting the way components/compute/autoscaleProfiles.ts writes it: a default
 * profile, and per schedule a start profile and a `<name>-end` profile that brings the default back.
 * Azure keeps at least `minimum` instances while a profile is in force (`default` only applies when
 * metrics are missing; learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-understanding-settings),
 * so the estimate bills the minimum: CPU scale-out above it is not predicted.
 */
export function scheduledCounts(autoscale: Record<string, unknown>): ScheduledCounts | undefined {
  const profiles = Array.isArray(autoscale["profiles"]) ? autoscale["profiles"].map(rec) : [];
  const byName = new Map(profiles.map((p) => [text(p["name"]) ?? "", p]));
  const minimum = (p: Record<string, unknown>) => num(rec(p["capacity"])["minimum"]);
  const base = profiles.find((p) => p["recurrence"] === undefined);
  const idleMinimum = base ? minimum(base) : undefined;
  if (idleMinimum === undefined) return undefined;
  let weeklyHours = 0;
  let classMinimum = idleMinimum;
  for (const start of profiles) {
    const name = text(start["name"]);
    const end = name ? byName.get(`${name}-end`) : undefined;
    if (!end || start["recurrence"] === undefined) continue;
    const at = (p: Record<string, unknown>) => {
      const s = rec(rec(p["recurrence"])["schedule"]);
      const hour = Array.isArray(s["hours"]) ? num(s["hours"][0]) : undefined;
      const minute = Array.isArray(s["minutes"]) ? num(s["minutes"][0]) : undefined;
      return { days: Array.isArray(s["days"]) ? s["days"].length : 0, at: (hour ?? 0) * 60 + (minute ?? 0) };
    };
    const from = at(start);
    const to = at(end);
    // An end before the start means the window runs past midnight.
    const minutes = to.at > from.at ? to.at - from.at : to.at + 24 * 60 - from.at;
    weeklyHours += (from.days * minutes) / 60;
    classMinimum = Math.max(classMinimum, minimum(start) ?? idleMinimum);
  }
  return { weeklyHours, classMinimum, idleMinimum };
}

/**
 * The managed disk tier of an OS disk: azlab's Ubuntu images are 30 GiB (the 32 GiB tiers: E4, P4,
 * S4) unless a size is set; AKS node OS disks default to 128 GiB (E10, P10, S10).
 */
function diskMeter(storageType: string | undefined, sizeGb: number | undefined, defaultGb: number): string {
  const type = storageType ?? "StandardSSD_LRS";
  const size = sizeGb ?? defaultGb;
  const letter = type.startsWith("Premium") ? "P" : type === "Standard_LRS" ? "S" : "E";
  const family = letter === "P" ? "Premium_LRS" : letter === "S" ? "Standard_LRS" : "StandardSSD_LRS";
  return `disk:${family}:${letter}${size <= 32 ? 4 : size <= 128 ? 10 : 99}`;
}

/** Every usage of one resource; `schedule` is the resource's own autoscale schedule, if any. */
export function usagesOf(
  resource: CostedResource,
  assumptions: CostAssumptions,
  schedule: ScheduledCounts | undefined,
  clusterStops = false,
): Usage[] | "free" | "unknown" {
  const inputs = resource.inputs;
  const sku = rec(inputs["sku"]);
  const always = (n: number): Units => ({ kind: "count", classCount: n, idleCount: n });
  const usage = (...keys: readonly [keyof CostAssumptions, ...(keyof CostAssumptions)[]]): Units => ({
    kind: "usage",
    monthly: keys.reduce((sum, key) => sum + assumptions[key], 0),
    assumption: keys.join(" + "),
  });
  switch (resource.type) {
    case ResourceType.VirtualMachineScaleSet: {
      const capacity = num(sku["capacity"]) ?? 0;
      const units: Units = schedule
        ? { kind: "count", classCount: schedule.classMinimum, idleCount: schedule.idleMinimum }
        : always(capacity);
      const storage = rec(rec(inputs["virtualMachineProfile"])["storageProfile"]);
      const osDisk = rec(storage["osDisk"]);
      return [
        { meter: `vm:${text(sku["name"]) ?? "unknown"}`, category: "compute", units },
        {
          meter: diskMeter(
            text(rec(osDisk["managedDisk"])["storageAccountType"]),
            num(osDisk["diskSizeGB"]),
            30,
          ),
          category: "storage",
          units,
        },
      ];
    }
    case ResourceType.VirtualMachine: {
      const size = text(rec(inputs["hardwareProfile"])["vmSize"]) ?? "unknown";
      const storage = rec(inputs["storageProfile"]);
      const osDisk = rec(storage["osDisk"]);
      // A Windows VM bills its licence with the compute, on meters of their own.
      const windows = osDisk["osType"] === "Windows";
      const dataDisks = Array.isArray(storage["dataDisks"]) ? storage["dataDisks"].map(rec) : [];
      // Billed around the clock: auto-shutdown stops the VM at night, but when it is started again is
      // up to the student, so the estimate cannot predict it and can only overstate.
      return [
        { meter: `${windows ? "vm-windows" : "vm"}:${size}`, category: "compute", units: always(1) },
        {
          meter: diskMeter(
            text(rec(osDisk["managedDisk"])["storageAccountType"]),
            num(osDisk["diskSizeGB"]),
            windows ? 127 : 30,
          ),
          category: "storage",
          units: always(1),
        },
        ...dataDisks.map((disk): Usage => ({
          meter: diskMeter(text(rec(disk["managedDisk"])["storageAccountType"]), num(disk["diskSizeGB"]), 32),
          category: "storage",
          units: always(1),
        })),
      ];
    }
    case ResourceType.ManagedCluster:
    case ResourceType.AgentPool: {
      const pools =
        resource.type === ResourceType.AgentPool
          ? [inputs]
          : Array.isArray(inputs["agentPoolProfiles"])
            ? inputs["agentPoolProfiles"].map(rec)
            : [];
      const out: Usage[] = [];
      if (resource.type === ResourceType.ManagedCluster) {
        out.push({ meter: `aks:${text(sku["tier"]) ?? "Free"}`, category: "containers", units: always(1) });
      }
      for (const pool of pools) {
        // Nodes are billed as VMs; the autoscaler's floor is what runs when the class is idle.
        const nodes = num(pool["minCount"]) ?? num(pool["count"]) ?? 1;
        // A stopped cluster bills no node VMs (learn.microsoft.com/azure/aks/start-stop-cluster); its
        // disks are still billed here, which can only overstate the idle cost.
        out.push({
          meter: `vm:${text(pool["vmSize"]) ?? "unknown"}`,
          category: "containers",
          units: clusterStops ? { kind: "count", classCount: nodes, idleCount: 0 } : always(nodes),
        });
        if (pool["osDiskType"] !== "Ephemeral") {
          out.push({
            meter: diskMeter(
              text(pool["vmSize"])?.includes("s_") || text(pool["vmSize"])?.endsWith("s")
                ? "Premium_LRS"
                : "StandardSSD_LRS",
              num(pool["osDiskSizeGB"]),
              128,
            ),
            category: "containers",
            units: always(nodes),
          });
        }
      }
      return out;
    }
    case ResourceType.PublicIPAddress:
      return [{ meter: `pip:${text(sku["name"]) ?? "Standard"}`, category: "network", units: always(1) }];
    case ResourceType.LoadBalancer: {
      const name = text(sku["name"]) ?? "Standard";
      // Outbound rules make the load balancer the VNet's egress: it processes the traffic a NAT gateway
      // would have, so that usage moves here ("Data processed" counts inbound and outbound traffic:
      // azure.microsoft.com/pricing/details/load-balancer/). Up to five load-balancing and outbound rules
      // together are in the hourly meter, which covers azlab's (one rule per port, one outbound rule).
      const outbound = Array.isArray(inputs["outboundRules"]) && inputs["outboundRules"].length > 0;
      return [
        { meter: `lb:${name}:rules`, category: "network", units: always(1) },
        {
          meter: `lb:${name}:data`,
          category: "network",
          units: outbound ? usage("loadBalancerDataGb", "natGatewayDataGb") : usage("loadBalancerDataGb"),
        },
      ];
    }
    case ResourceType.NatGateway:
      return [
        { meter: "nat:Standard:hour", category: "network", units: always(1) },
        {
          meter: "nat:Standard:data",
          category: "network",
          units: usage("natGatewayDataGb"),
        },
      ];
    case ResourceType.StorageAccount: {
      const skuName = text(sku["name"]) ?? "Standard_LRS";
      const red = skuName.replace(/^(Standard|Premium)_/, "");
      // Premium (SSD) accounts bill on other meters, which azlab does not list: they come out unpriced.
      const tier = skuName.startsWith("Premium") ? "Premium" : (text(inputs["accessTier"]) ?? "Hot");
      const id = `storage:${tier}:${red}`;
      return [
        { meter: `${id}:capacity`, category: "storage", units: usage("storageGb") },
        {
          meter: `${id}:write`,
          category: "storage",
          units: usage("storageWriteOps10k"),
        },
        {
          meter: `${id}:read`,
          category: "storage",
          units: usage("storageReadOps10k"),
        },
      ];
    }
    case ResourceType.Registry:
      return [{ meter: `acr:${text(sku["name"]) ?? "Basic"}`, category: "containers", units: always(1) }];
    case "azure-native:network:BastionHost":
      return [{ meter: `bastion:${text(sku["name"]) ?? "Basic"}`, category: "network", units: always(1) }];
    case ResourceType.VirtualNetworkPeering:
      // What the local VNet sends through this peering: egress here, ingress at the remote end.
      return [
        { meter: "peering:egress", category: "network", units: usage("peeringDataGb") },
        { meter: "peering:ingress", category: "network", units: usage("peeringDataGb") },
      ];
    case "azure-native:consumption:Budget":
    case "azure-native:costmanagement:Budget":
      // Cost Management, budgets and their alerts included, is "Free for Azure"
      // (azure.microsoft.com/pricing/details/cost-management/, read 2026-12-01): no line, like a VNet.
      return "free";
    default:
      if (!resource.custom || FREE_TYPES.has(resource.type) || !resource.type.startsWith("azure-native:"))
        return "free";
      return "unknown";
  }
}
