/**
 * A Linux VM scale set behind a Standard load balancer, with rolling upgrades gated by the LB health
 * probe and CPU autoscale (plus optional class-hour schedules).
 *
 * Inside the LoadBalancer resource, sub-resources refer to each other with azure-native's `$self/...`
 * relative ids (the LB's own id is unknown until it exists). The scale set is a separate resource, so it
 * refers to the pool and probe by absolute ids built from the LB's id.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute/index.js";
import * as monitor from "@pulumi/azure-native/monitor/index.js";
import * as network from "@pulumi/azure-native/network/index.js";
import type * as inputs from "@pulumi/azure-native/types/input.js";
import { throwProblems } from "../../src/errors.ts";
import type { Problem } from "../../src/errors.ts";
import { NETWORK_NAME } from "../../src/network/nsgRules.ts";
import { isIntIn } from "../../src/validation/checks.ts";
import { PublicIp, publicIpSettings, standardSkuProblems, zoneProblems } from "../network/publicIp.ts";
import { outboundModeProblems, type OutboundMode } from "../network/virtualNetwork.ts";

export type LoadDistribution = "Default" | "SourceIP" | "SourceIPProtocol";
export type Weekday = "Monday" | "Tuesday" | "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday";

export interface LoadBalancerSpec {
  /** `public` (frontend on a public IP) or `internal` (private frontend in a subnet). Defaults to `public`. */
  readonly type?: "public" | "internal";
  /** Load balancer SKU. Defaults to `Standard`, the only value accepted (Basic was retired on 30 September 2025). */
  readonly sku?: string;
  /** SKU of the public IP azlab creates. Defaults to `Standard`, the only value accepted. Public only; conflicts with `publicIp`. */
  readonly publicIpSku?: string;
  /** An existing PublicIp component for the frontend. Defaults to a new Standard one. Public only. */
  readonly publicIp?: PublicIp;
  /** DNS label for the public IP azlab creates. Defaults to none. Public only; conflicts with `publicIp`. */
  readonly dnsLabel?: string;
  /** Zones of the public IP azlab creates, or of the internal frontend. Defaults to none. Conflicts with `publicIp`. */
  readonly zones?: readonly string[];
  /** Subnet of the internal frontend. Defaults to the scale set's `subnetId`. Internal only. */
  readonly frontendSubnetId?: pulumi.Input<string>;
  /** Static private frontend address. Defaults to a dynamic one. Internal only. */
  readonly privateIpAddress?: string;
}

export interface HealthProbeSpec {
  /** `Http` (200 OK from `path`) or `Tcp` (connection accepted). Defaults to `Http`. */
  readonly protocol?: "Http" | "Tcp";
  /** Port probed on each instance. Defaults to 80. */
  readonly port?: number;
  /** Path for Http probes, starting with `/`. Defaults to `/`. Not allowed for Tcp. */
  readonly path?: string;
  /** Seconds between probes, at least 5. Defaults to 15. */
  readonly intervalInSeconds?: number;
  /** Consecutive results before an instance changes state, at least 2. Defaults to 2. */
  readonly probeThreshold?: number;
}

export interface LoadBalancingRuleSpec {
  /** Port on the frontend, 1–65534, unique per protocol. Required. */
  readonly frontendPort: number;
  /** Port on the instances. Defaults to `frontendPort`. */
  readonly backendPort?: number;
  /** `Tcp` or `Udp`. Defaults to `Tcp`. */
  readonly protocol?: "Tcp" | "Udp";
  /** `Default` (5-tuple), `SourceIP` or `SourceIPProtocol` (client affinity). Defaults to `Default`. */
  readonly loadDistribution?: LoadDistribution;
  /** Idle timeout, 4–30 minutes. Defaults to 4. */
  readonly idleTimeoutInMinutes?: number;
}

export interface CpuRuleSpec {
  /** Average CPU percentage (0–100) that triggers the rule. Defaults: scale out above 75, scale in below 25. */
  readonly cpuThresholdPercent?: number;
  /** Metric granularity, ISO-8601, 1 minute to 12 hours. Defaults to `PT1M`. */
  readonly timeGrain?: string;
  /** Period the average is taken over, ISO-8601, 5 minutes to 12 hours. Defaults: out `PT5M`, in `PT10M`. */
  readonly timeWindow?: string;
  /** Wait after a scale action, ISO-8601, 1 minute to 1 week. Defaults to `PT5M`. */
  readonly cooldown?: string;
  /** Instances added or removed per action, at least 1. Defaults to 1. */
  readonly changeCount?: number;
}

export interface ScheduleSpec {
  /** Days on which the schedule starts. Required, at least one. */
  readonly days: readonly Weekday[];
  /** Start hour, 0–23. Required. */
  readonly startHour: number;
  /** Start minute, 0–59. Defaults to 0. */
  readonly startMinute?: number;
  /** End hour, 0–23; the end must be later the same day. Required. */
  readonly endHour: number;
  /** End minute, 0–59. Defaults to 0. */
  readonly endMinute?: number;
  /** Windows time zone name such as `W. Europe Standard Time`. Defaults to `UTC`. */
  readonly timeZone?: string;
  /** Fewest instances during the schedule, 0–1000, at most `default`. Required. */
  readonly minimum: number;
  /** Instances during the schedule when metrics are missing, from `minimum` to `maximum`. Required. */
  readonly default: number;
  /** Most instances during the schedule, up to 1000. Required. */
  readonly maximum: number;
}

export interface AutoscaleSpec {
  /** Whether Azure applies the setting. Defaults to true. When false, the setting still exists, switched off. */
  readonly enabled?: boolean;
  /** Fewest instances. Defaults to 1. */
  readonly minimum?: number;
  /** Instances when metrics are missing. Defaults to 2. */
  readonly default?: number;
  /** Most instances. Defaults to 4. */
  readonly maximum?: number;
  /** CPU scale-out rule. Defaults: above 75% over PT5M, +1, cooldown PT5M. */
  readonly scaleOut?: CpuRuleSpec;
  /** CPU scale-in rule; its threshold must be below the scale-out one. Defaults: below 25% over PT10M, -1, cooldown PT5M. */
  readonly scaleIn?: CpuRuleSpec;
  /** Recurring weekly profiles keyed by name, e.g. class hours. Defaults to none. At most 9. */
  readonly schedules?: Readonly<Record<string, ScheduleSpec>>;
}

export interface ImageSpec {
  /** Marketplace publisher, for example `Canonical`. Required. */
  readonly publisher: string;
  /** Marketplace offer, for example `ubuntu-24_04-lts`. Required. */
  readonly offer: string;
  /** Marketplace image SKU, for example `server`. Required. */
  readonly sku: string;
  /** Must be `latest`: automatic OS upgrades only work with it. */
  readonly version: string;
}

export interface ScaleSetArgs {
  /** Resource group of every resource. Required. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region. Required. */
  readonly location: pulumi.Input<string>;
  /** Subnet of the instances' NICs. Required. */
  readonly subnetId: pulumi.Input<string>;
  /** SSH public key (`ssh-rsa`, `ssh-ed25519` or `ecdsa-sha2-*`). Required; password login is always off. */
  readonly sshPublicKey: pulumi.Input<string>;
  /** Linux admin user. Defaults to `azlab`. 1–64 characters; Azure's reserved names (admin, root, ...) are refused. */
  readonly adminUsername?: string;
  /** VM size; change it to scale vertically (a rolling upgrade). Defaults to `Standard_B2s`. */
  readonly sku?: string;
  /** Initial instance count; autoscale owns it afterwards. Defaults to the autoscale `default` (2). */
  readonly instanceCount?: number;
  /** `ubuntu-24.04`, `ubuntu-22.04` or a marketplace image with version `latest`. Defaults to `ubuntu-24.04`. */
  readonly image?: "ubuntu-24.04" | "ubuntu-22.04" | ImageSpec;
  /** cloud-init text (azlab base64-encodes it). Defaults to DEFAULT_CLOUD_INIT, an nginx page naming the instance. */
  readonly cloudInit?: string;
  /** Host name prefix, 1–15 letters, digits or hyphens. Defaults to the first 9 of `name`'s letters and digits. */
  readonly computerNamePrefix?: string;
  /** OS disk type. Defaults to `StandardSSD_LRS`. */
  readonly osDiskType?: "Standard_LRS" | "StandardSSD_LRS" | "Premium_LRS";
  /** Zones of the instances. Defaults to none. */
  readonly zones?: readonly string[];
  /** Load balancer frontend. Defaults to a public Standard LB on a new Standard public IP. */
  readonly loadBalancer?: LoadBalancerSpec;
  /** Health probe; also gates rolling upgrades. Defaults to Http on port 80, path `/`. */
  readonly healthProbe?: HealthProbeSpec;
  /** Load-balancing rules keyed by name. Defaults to `{ http: { frontendPort: 80 } }`. At least one. */
  readonly rules?: Readonly<Record<string, LoadBalancingRuleSpec>>;
  /**
   * The VNet's egress mode (VirtualNetwork.outbound). `loadBalancer` adds an LB outbound rule (public LB only).
   * Defaults to `none`. Load-balancing rules never give implicit SNAT (disableOutboundSnat) on a public LB.
   */
  readonly outbound?: OutboundMode;
  /** SNAT ports per instance for the outbound rule, a multiple of 8. Defaults to 1024. */
  readonly outboundPortsPerInstance?: number;
  /** Inbound NAT pool mapping one frontend port per instance to SSH (22). Defaults to false. */
  readonly inboundNatEnabled?: boolean;
  /** First frontend port of the NAT pool. Defaults to 50000. */
  readonly inboundNatFrontendPortStart?: number;
  /** CPU autoscale. Defaults to enabled, 1–4 instances (default 2). */
  readonly autoscale?: AutoscaleSpec;
  /** Tags for every resource. Defaults to none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Key path of these args in the stack config, used in error messages. Defaults to `azlab:scaleSet`. */
  readonly configPath?: string;
}

/** cloud-init that installs nginx and serves a page naming the instance, so LB spreading is visible. */
export const DEFAULT_CLOUD_INIT = [
  "#cloud-config",
  "package_update: true",
  "packages:",
  "  - nginx",
  "runcmd:",
  `  - [sh, -c, 'echo "<h1>azlab: served by $(hostname)</h1>" > /var/www/html/index.html']`,
  "  - [systemctl, enable, --now, nginx]",
  "",
].join("\n");

export const UBUNTU_IMAGES: Record<"ubuntu-24.04" | "ubuntu-22.04", ImageSpec> = {
  "ubuntu-24.04": { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" },
  "ubuntu-22.04": {
    publisher: "Canonical",
    offer: "0001-com-ubuntu-server-jammy",
    sku: "22_04-lts-gen2",
    version: "latest",
  },
};

/** Admin names Azure refuses for VMs and scale sets (compared without case). */
export const RESERVED_ADMIN_NAMES: readonly string[] = [
  "administrator",
  "admin",
  "user",
  "user1",
  "test",
  "user2",
  "test1",
  "user3",
  "admin1",
  "1",
  "123",
  "a",
  "actuser",
  "adm",
  "admin2",
  "aspnet",
  "backup",
  "console",
  "david",
  "guest",
  "john",
  "owner",
  "root",
  "server",
  "sql",
  "support",
  "support_388945a0",
  "sys",
  "test2",
  "test3",
  "user4",
  "user5",
];

/** Fixed names of the LB's sub-resources; the scale set refers to them by id. */
export const LB_NAMES = {
  frontend: "frontend",
  backendPool: "backend",
  probe: "health",
  outbound: "outbound",
  natPool: "ssh",
};

/** Azure's limit on autoscale profiles per setting: one default plus a start and an end profile per schedule. */
const MAX_SCHEDULES = 9;
const WEEKDAYS: readonly string[] = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
];
const ADMIN_ALLOWED =
  "1 to 64 lowercase letters, digits, hyphens or underscores, starting with a letter or underscore, and not one of Azure's reserved names (admin, administrator, root, user, guest, test, ...)";

export interface CpuRuleSettings {
  readonly cpuThresholdPercent: number;
  readonly timeGrain: string;
  readonly timeWindow: string;
  readonly cooldown: string;
  readonly changeCount: number;
}

/** The args with every default applied. */
export interface ScaleSetSettings {
  readonly configPath: string;
  readonly adminUsername: string;
  readonly vmSize: string;
  readonly instanceCount: number;
  readonly image: ImageSpec;
  readonly cloudInit: string;
  readonly computerNamePrefix: string;
  readonly osDiskType: string;
  readonly zones: readonly string[];
  readonly loadBalancer: {
    readonly type: "public" | "internal";
    readonly publicIp?: PublicIp;
    readonly dnsLabel?: string;
    readonly zones: readonly string[];
    readonly privateIpAddress?: string;
  };
  readonly healthProbe: Required<Omit<HealthProbeSpec, "path">> & { readonly path?: string };
  readonly rules: readonly (Required<LoadBalancingRuleSpec> & { readonly name: string })[];
  readonly outbound: OutboundMode;
  readonly outboundPortsPerInstance: number;
  readonly inboundNat?: { readonly frontendPortStart: number; readonly frontendPortEnd: number };
  readonly autoscale: {
    readonly enabled: boolean;
    readonly minimum: number;
    readonly default: number;
    readonly maximum: number;
    readonly scaleOut: CpuRuleSettings;
    readonly scaleIn: CpuRuleSettings;
    readonly schedules: readonly (Required<ScheduleSpec> & { readonly name: string })[];
  };
  /** Most instances the set can ever have; sizes the NAT pool and the SNAT port budget. */
  readonly maxInstances: number;
}

/** Validates every argument and applies every default, in one place; never throws. */
export function scaleSetSettings(
  name: string,
  args: ScaleSetArgs,
): { settings: ScaleSetSettings; problems: Problem[] } {
  const p = args.configPath ?? "azlab:scaleSet";
  const problems: Problem[] = [];
  const integerIn = (value: number, lo: number, hi: number, path: string) => {
    if (!isIntIn(value, lo, hi)) {
      problems.push({ path, message: "is out of range", value, allowed: `an integer from ${lo} to ${hi}` });
    }
  };

  // --- VM ---
  const adminUsername = args.adminUsername ?? "azlab";
  if (RESERVED_ADMIN_NAMES.includes(adminUsername.toLowerCase())) {
    problems.push({
      path: `${p}.adminUsername`,
      message: "is a name Azure reserves",
      value: adminUsername,
      allowed: ADMIN_ALLOWED,
    });
  } else if (!/^[a-z_][a-z0-9_-]{0,63}$/.test(adminUsername)) {
    problems.push({
      path: `${p}.adminUsername`,
      message: "is not a valid Linux user name",
      value: adminUsername,
      allowed: ADMIN_ALLOWED,
    });
  }
  if (args.sshPublicKey === undefined || args.sshPublicKey === "") {
    problems.push({
      path: `${p}.sshPublicKey`,
      message: "is missing: password login is always off, so a key is the only way in",
      allowed: "the contents of a .pub file",
    });
  } else if (typeof args.sshPublicKey === "string") {
    if (args.sshPublicKey.includes("PRIVATE KEY")) {
      // Show no value: it is a secret the user pasted by mistake.
      problems.push({
        path: `${p}.sshPublicKey`,
        message: "holds a private key",
        allowed: "the contents of the .pub file",
      });
    } else if (
      !/^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+={0,3}( \S.*)?$/.test(
        args.sshPublicKey.trim(),
      )
    ) {
      problems.push({
        path: `${p}.sshPublicKey`,
        message: "is not an SSH public key",
        value: args.sshPublicKey.slice(0, 20),
        allowed: "one line starting with ssh-rsa, ssh-ed25519 or ecdsa-sha2-nistp256/384/521",
      });
    }
  }
  const vmSize = args.sku ?? "Standard_B2s";
  if (!/^Standard_[A-Za-z0-9_]+$/.test(vmSize)) {
    problems.push({
      path: `${p}.sku`,
      message: "is not a VM size",
      value: vmSize,
      allowed: "a size such as Standard_B2s or Standard_D2s_v5",
    });
  }
  const image = typeof args.image === "object" ? args.image : UBUNTU_IMAGES[args.image ?? "ubuntu-24.04"];
  if (!image) {
    problems.push({
      path: `${p}.image`,
      message: "is not a known image",
      value: args.image,
      allowed: `"ubuntu-24.04", "ubuntu-22.04" or { publisher, offer, sku, version: "latest" }`,
    });
  } else if (image.version !== "latest") {
    problems.push({
      path: `${p}.image.version`,
      message: "must be latest because automatic OS upgrades are on",
      value: image.version,
      allowed: `"latest"`,
    });
  }
  const cloudInit = args.cloudInit ?? DEFAULT_CLOUD_INIT;
  if (Buffer.byteLength(cloudInit, "utf8") > 65535) {
    problems.push({
      path: `${p}.cloudInit`,
      message: `is ${Buffer.byteLength(cloudInit, "utf8")} bytes long`,
      allowed: "at most 65535 bytes",
    });
  }
  const computerNamePrefix =
    args.computerNamePrefix ??
    (name
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "")
      .slice(0, 9) ||
      "vm");
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,14}$/.test(computerNamePrefix)) {
    problems.push({
      path: `${p}.computerNamePrefix`,
      message: "is not a valid host name prefix",
      value: computerNamePrefix,
      allowed: "1 to 15 letters, digits or hyphens, starting with a letter or digit",
    });
  }
  const zones = [...(args.zones ?? [])];
  problems.push(...zoneProblems(zones, `${p}.zones`));

  // --- Autoscale ---
  const auto = args.autoscale ?? {};
  const minimum = auto.minimum ?? 1;
  const defaultCount = auto.default ?? 2;
  const maximum = auto.maximum ?? 4;
  capacityProblems(minimum, defaultCount, maximum, `${p}.autoscale`, problems);
  const scaleOut = cpuRule(
    auto.scaleOut,
    { cpuThresholdPercent: 75, timeWindow: "PT5M" },
    `${p}.autoscale.scaleOut`,
    problems,
  );
  const scaleIn = cpuRule(
    auto.scaleIn,
    { cpuThresholdPercent: 25, timeWindow: "PT10M" },
    `${p}.autoscale.scaleIn`,
    problems,
  );
  const inRange = (t: number) => t >= 0 && t <= 100;
  if (
    inRange(scaleIn.cpuThresholdPercent) &&
    inRange(scaleOut.cpuThresholdPercent) &&
    scaleIn.cpuThresholdPercent >= scaleOut.cpuThresholdPercent
  ) {
    problems.push({
      path: `${p}.autoscale.scaleIn.cpuThresholdPercent`,
      message: `must be below the scale-out threshold ${scaleOut.cpuThresholdPercent}, or the set keeps scaling out and in`,
      value: scaleIn.cpuThresholdPercent,
      allowed: `less than ${scaleOut.cpuThresholdPercent}`,
    });
  }
  const scheduleEntries = Object.entries(auto.schedules ?? {});
  if (scheduleEntries.length > MAX_SCHEDULES) {
    problems.push({
      path: `${p}.autoscale.schedules`,
      message: `has ${scheduleEntries.length} schedules`,
      allowed: `at most ${MAX_SCHEDULES} (Azure allows 20 profiles: a start and an end per schedule, plus the default)`,
    });
  }
  const schedules = scheduleEntries.map(([key, s]) => {
    const path = `${p}.autoscale.schedules.${key}`;
    if (!NETWORK_NAME.test(key) || key.length > 76) {
      problems.push({
        path,
        message: "is not a valid schedule name",
        value: key,
        allowed: "1 to 76 letters, digits, underscores, periods or hyphens",
      });
    }
    if (!Array.isArray(s.days) || s.days.length === 0) {
      problems.push({ path: `${path}.days`, message: "is empty", allowed: WEEKDAYS.join(", ") });
    }
    for (const day of s.days ?? []) {
      if (!WEEKDAYS.includes(day))
        problems.push({
          path: `${path}.days`,
          message: "has an unknown day",
          value: day,
          allowed: WEEKDAYS.join(", "),
        });
    }
    const startMinute = s.startMinute ?? 0;
    const endMinute = s.endMinute ?? 0;
    integerIn(s.startHour, 0, 23, `${path}.startHour`);
    integerIn(startMinute, 0, 59, `${path}.startMinute`);
    integerIn(s.endHour, 0, 23, `${path}.endHour`);
    integerIn(endMinute, 0, 59, `${path}.endMinute`);
    if (s.endHour * 60 + endMinute <= s.startHour * 60 + startMinute) {
      problems.push({
        path: `${path}.endHour`,
        message: "must be later the same day than the start",
        value: `${pad(s.endHour)}:${pad(endMinute)}`,
        allowed: `a time after ${pad(s.startHour)}:${pad(startMinute)}`,
      });
    }
    capacityProblems(s.minimum, s.default, s.maximum, path, problems);
    return {
      name: key,
      days: [...(s.days ?? [])],
      startHour: s.startHour,
      startMinute,
      endHour: s.endHour,
      endMinute,
      timeZone: s.timeZone ?? "UTC",
      minimum: s.minimum,
      default: s.default,
      maximum: s.maximum,
    };
  });
  const autoscaleEnabled = auto.enabled ?? true;
  const instanceCount = args.instanceCount ?? defaultCount;
  integerIn(instanceCount, 0, 1000, `${p}.instanceCount`);
  if (
    autoscaleEnabled &&
    Number.isInteger(instanceCount) &&
    minimum <= maximum &&
    (instanceCount < minimum || instanceCount > maximum)
  ) {
    problems.push({
      path: `${p}.instanceCount`,
      message: "lies outside the autoscale range",
      value: instanceCount,
      allowed: `an integer from ${minimum} to ${maximum}`,
    });
  }
  const maxInstances = autoscaleEnabled
    ? Math.max(maximum, instanceCount, ...schedules.map((s) => s.maximum))
    : instanceCount;

  // --- Load balancer ---
  const lb = args.loadBalancer ?? {};
  const lbPath = `${p}.loadBalancer`;
  const type = lb.type ?? "public";
  if (type !== "public" && type !== "internal") {
    problems.push({
      path: `${lbPath}.type`,
      message: "is not a load balancer type",
      value: type,
      allowed: `"public", "internal"`,
    });
  }
  problems.push(...standardSkuProblems(lb.sku, `${lbPath}.sku`, "load balancer"));
  if (type === "public") {
    if (lb.publicIp === undefined) {
      problems.push(
        ...publicIpSettings(
          { sku: lb.publicIpSku, zones: lb.zones, dnsLabel: lb.dnsLabel },
          lbPath,
        ).problems.map(renameSku),
      );
    } else {
      for (const key of ["publicIpSku", "dnsLabel", "zones"] as const) {
        if (lb[key] !== undefined)
          problems.push({
            path: `${lbPath}.${key}`,
            message: "conflicts with publicIp",
            allowed: "set it on the PublicIp component instead",
          });
      }
    }
    for (const key of ["frontendSubnetId", "privateIpAddress"] as const) {
      if (lb[key] !== undefined)
        problems.push({
          path: `${lbPath}.${key}`,
          message: "applies to internal load balancers only",
          allowed: `leave it out, or set ${lbPath}.type to "internal"`,
        });
    }
  } else {
    for (const key of ["publicIp", "publicIpSku", "dnsLabel"] as const) {
      if (lb[key] !== undefined)
        problems.push({
          path: `${lbPath}.${key}`,
          message: "applies to public load balancers only",
          allowed: `leave it out, or set ${lbPath}.type to "public"`,
        });
    }
  }

  const probeIn = args.healthProbe ?? {};
  const probePath = `${p}.healthProbe`;
  const probeProtocol = probeIn.protocol ?? "Http";
  if (probeProtocol !== "Http" && probeProtocol !== "Tcp") {
    problems.push({
      path: `${probePath}.protocol`,
      message: "is not supported",
      value: probeProtocol,
      allowed: `"Http", "Tcp"`,
    });
  }
  const probePort = probeIn.port ?? 80;
  integerIn(probePort, 1, 65535, `${probePath}.port`);
  const intervalInSeconds = probeIn.intervalInSeconds ?? 15;
  integerIn(intervalInSeconds, 5, 2147483647, `${probePath}.intervalInSeconds`);
  const probeThreshold = probeIn.probeThreshold ?? 2;
  integerIn(probeThreshold, 2, 2147483647, `${probePath}.probeThreshold`);
  let probePathValue: string | undefined;
  if (probeProtocol === "Tcp") {
    if (probeIn.path !== undefined)
      problems.push({
        path: `${probePath}.path`,
        message: "is not allowed for Tcp probes",
        value: probeIn.path,
        allowed: `leave it out, or use protocol "Http"`,
      });
  } else {
    probePathValue = probeIn.path ?? "/";
    if (!probePathValue.startsWith("/"))
      problems.push({
        path: `${probePath}.path`,
        message: "must start with /",
        value: probePathValue,
        allowed: "a path such as /healthz",
      });
  }

  const outbound = args.outbound ?? "none";
  problems.push(...outboundModeProblems(outbound, `${p}.outbound`));
  if (outbound === "loadBalancer" && type === "internal") {
    problems.push({
      path: `${p}.outbound`,
      message: "needs a public load balancer: an internal one has no address to SNAT to",
      value: outbound,
      allowed: `"natGateway", "none", or loadBalancer.type "public"`,
    });
  }
  const outboundPortsPerInstance = args.outboundPortsPerInstance ?? 1024;
  if (
    !Number.isInteger(outboundPortsPerInstance) ||
    outboundPortsPerInstance < 8 ||
    outboundPortsPerInstance % 8 !== 0
  ) {
    problems.push({
      path: `${p}.outboundPortsPerInstance`,
      message: "is not a multiple of 8",
      value: outboundPortsPerInstance,
      allowed: "8, 16, ..., 64000",
    });
  } else if (outbound === "loadBalancer" && outboundPortsPerInstance * maxInstances > 64000) {
    // One frontend IP offers 64,000 SNAT ports, shared by every instance.
    problems.push({
      path: `${p}.outboundPortsPerInstance`,
      message: `times ${maxInstances} instances exceeds the 64000 SNAT ports of one frontend IP`,
      value: outboundPortsPerInstance,
      allowed: `at most ${Math.floor(64000 / maxInstances / 8) * 8}`,
    });
  }

  let inboundNat: { frontendPortStart: number; frontendPortEnd: number } | undefined;
  if (args.inboundNatEnabled === true) {
    const start = args.inboundNatFrontendPortStart ?? 50000;
    const end = start + Math.max(maxInstances, 1) - 1;
    if (!Number.isInteger(start) || start < 1 || end > 65534) {
      problems.push({
        path: `${p}.inboundNatFrontendPortStart`,
        message: `leaves no room for ${maxInstances} instance ports`,
        value: start,
        allowed: `an integer from 1 to ${65535 - Math.max(maxInstances, 1)}`,
      });
    }
    inboundNat = { frontendPortStart: start, frontendPortEnd: end };
  } else if (args.inboundNatFrontendPortStart !== undefined) {
    problems.push({
      path: `${p}.inboundNatFrontendPortStart`,
      message: "needs inboundNatEnabled",
      allowed: "leave it out, or set inboundNatEnabled to true",
    });
  }

  const ruleEntries = Object.entries(args.rules ?? { http: { frontendPort: 80 } });
  if (ruleEntries.length === 0) {
    problems.push({
      path: `${p}.rules`,
      message: "is empty",
      allowed: "at least one rule: the rolling-upgrade health probe must be used by a load-balancing rule",
    });
  }
  const frontends = new Map<string, string>();
  const rules = ruleEntries.map(([key, r]) => {
    const path = `${p}.rules.${key}`;
    if (!NETWORK_NAME.test(key)) {
      problems.push({
        path,
        message: "is not a valid rule name",
        value: key,
        allowed: "1 to 80 letters, digits, underscores, periods or hyphens",
      });
    }
    const protocol = r.protocol ?? "Tcp";
    if (protocol !== "Tcp" && protocol !== "Udp")
      problems.push({
        path: `${path}.protocol`,
        message: "is not supported",
        value: protocol,
        allowed: `"Tcp", "Udp"`,
      });
    integerIn(r.frontendPort, 1, 65534, `${path}.frontendPort`);
    const backendPort = r.backendPort ?? r.frontendPort;
    integerIn(backendPort, 1, 65535, `${path}.backendPort`);
    const loadDistribution = r.loadDistribution ?? "Default";
    if (!["Default", "SourceIP", "SourceIPProtocol"].includes(loadDistribution)) {
      problems.push({
        path: `${path}.loadDistribution`,
        message: "is not supported",
        value: loadDistribution,
        allowed: `"Default", "SourceIP", "SourceIPProtocol"`,
      });
    }
    const idleTimeoutInMinutes = r.idleTimeoutInMinutes ?? 4;
    integerIn(idleTimeoutInMinutes, 4, 30, `${path}.idleTimeoutInMinutes`);
    const slot = `${protocol}/${r.frontendPort}`;
    const holder = frontends.get(slot);
    if (holder !== undefined) {
      problems.push({
        path: `${path}.frontendPort`,
        message: `is already used by rule "${holder}" for ${protocol}`,
        value: r.frontendPort,
        allowed: "a frontend port no other rule uses",
      });
    }
    frontends.set(slot, key);
    if (
      inboundNat &&
      protocol === "Tcp" &&
      r.frontendPort >= inboundNat.frontendPortStart &&
      r.frontendPort <= inboundNat.frontendPortEnd
    ) {
      problems.push({
        path: `${path}.frontendPort`,
        message: "lies in the inbound NAT pool range",
        value: r.frontendPort,
        allowed: `a port outside ${inboundNat.frontendPortStart}-${inboundNat.frontendPortEnd}`,
      });
    }
    return {
      name: key,
      frontendPort: r.frontendPort,
      backendPort,
      protocol,
      loadDistribution,
      idleTimeoutInMinutes,
    };
  });

  return {
    settings: {
      configPath: p,
      adminUsername,
      vmSize,
      instanceCount,
      image: image ?? UBUNTU_IMAGES["ubuntu-24.04"],
      cloudInit,
      computerNamePrefix,
      osDiskType: args.osDiskType ?? "StandardSSD_LRS",
      zones,
      loadBalancer: {
        type,
        ...(lb.publicIp !== undefined ? { publicIp: lb.publicIp } : {}),
        ...(lb.dnsLabel !== undefined ? { dnsLabel: lb.dnsLabel } : {}),
        zones: [...(lb.zones ?? [])],
        ...(lb.privateIpAddress !== undefined ? { privateIpAddress: lb.privateIpAddress } : {}),
      },
      healthProbe: {
        protocol: probeProtocol,
        port: probePort,
        intervalInSeconds,
        probeThreshold,
        ...(probePathValue !== undefined ? { path: probePathValue } : {}),
      },
      rules,
      outbound,
      outboundPortsPerInstance,
      ...(inboundNat ? { inboundNat } : {}),
      autoscale: {
        enabled: autoscaleEnabled,
        minimum,
        default: defaultCount,
        maximum,
        scaleOut,
        scaleIn,
        schedules,
      },
      maxInstances,
    },
    problems,
  };
}

/** publicIpSettings reports the SKU as `<path>.sku`; here the public IP's SKU arg is `publicIpSku`. */
function renameSku(problem: Problem): Problem {
  return problem.path.endsWith(".sku")
    ? { ...problem, path: `${problem.path.slice(0, -4)}.publicIpSku` }
    : problem;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function capacityProblems(
  minimum: number,
  def: number,
  maximum: number,
  path: string,
  problems: Problem[],
): void {
  const counts = { minimum, default: def, maximum };
  for (const [key, value] of Object.entries(counts)) {
    if (!isIntIn(value, 0, 1000)) {
      problems.push({
        path: `${path}.${key}`,
        message: "is out of range",
        value,
        allowed: "an integer from 0 to 1000",
      });
      return;
    }
  }
  if (minimum > def || def > maximum) {
    problems.push({
      path,
      message: "instance counts must satisfy minimum <= default <= maximum",
      value: counts,
    });
  }
}

/** ISO-8601 duration (`PT5M`, `P1D`) to seconds; undefined when it is not one. */
export function durationSeconds(text: string): number | undefined {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  if (!match || text === "P" || text.endsWith("T")) return undefined;
  const [, d, h, m, s] = match.map((part) => Number(part ?? 0));
  return (d ?? 0) * 86400 + (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
}

function cpuRule(
  spec: CpuRuleSpec | undefined,
  defaults: { cpuThresholdPercent: number; timeWindow: string },
  path: string,
  problems: Problem[],
): CpuRuleSettings {
  const rule: CpuRuleSettings = {
    cpuThresholdPercent: spec?.cpuThresholdPercent ?? defaults.cpuThresholdPercent,
    timeGrain: spec?.timeGrain ?? "PT1M",
    timeWindow: spec?.timeWindow ?? defaults.timeWindow,
    cooldown: spec?.cooldown ?? "PT5M",
    changeCount: spec?.changeCount ?? 1,
  };
  if (
    typeof rule.cpuThresholdPercent !== "number" ||
    !(rule.cpuThresholdPercent >= 0 && rule.cpuThresholdPercent <= 100)
  ) {
    problems.push({
      path: `${path}.cpuThresholdPercent`,
      message: "is out of range",
      value: rule.cpuThresholdPercent,
      allowed: "a percentage from 0 to 100",
    });
  }
  if (!Number.isInteger(rule.changeCount) || rule.changeCount < 1) {
    problems.push({
      path: `${path}.changeCount`,
      message: "is out of range",
      value: rule.changeCount,
      allowed: "an integer of at least 1",
    });
  }
  const limits: [keyof CpuRuleSettings, number, number, string][] = [
    ["timeGrain", 60, 43200, "from PT1M to PT12H"],
    ["timeWindow", 300, 43200, "from PT5M to PT12H"],
    ["cooldown", 60, 604800, "from PT1M to P7D"],
  ];
  const seconds: Partial<Record<keyof CpuRuleSettings, number>> = {};
  for (const [key, lo, hi, allowed] of limits) {
    const value = String(rule[key]);
    const s = durationSeconds(value);
    if (s === undefined || s < lo || s > hi) {
      problems.push({
        path: `${path}.${key}`,
        message: "is not an ISO-8601 duration in range",
        value,
        allowed: `a duration ${allowed}`,
      });
    } else {
      seconds[key] = s;
    }
  }
  if (
    seconds.timeGrain !== undefined &&
    seconds.timeWindow !== undefined &&
    seconds.timeWindow < seconds.timeGrain
  ) {
    problems.push({
      path: `${path}.timeWindow`,
      message: "is shorter than the time grain",
      value: rule.timeWindow,
      allowed: `at least ${rule.timeGrain}`,
    });
  }
  return rule;
}

export class ScaleSet extends pulumi.ComponentResource {
  /** Address of the LB frontend: the public IP, or the private address of an internal LB. */
  readonly frontendIpAddress: pulumi.Output<string | undefined>;
  /** DNS name of the frontend; only when the public IP has a DNS label. */
  readonly fqdn?: pulumi.Output<string | undefined>;
  /** Azure resource id of the LB backend pool. */
  readonly backendPoolId: pulumi.Output<string>;
  /** Azure name of the scale set. */
  readonly vmssName: pulumi.Output<string>;
  /** Principal id of the scale set's system-assigned identity, e.g. for AcrPull. */
  readonly vmssPrincipalId: pulumi.Output<string>;
  /** Azure resource id of the autoscale setting. */
  readonly autoscaleSettingId: pulumi.Output<string>;
  /** Azure resource id of the load balancer. */
  readonly loadBalancerId: pulumi.Output<string>;

  constructor(name: string, args: ScaleSetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("azlab:compute:ScaleSet", name, {}, opts);
    const { settings: s, problems } = scaleSetSettings(name, args);
    throwProblems(problems, undefined, `ScaleSet "${name}" has invalid arguments:`);

    const publicLb = s.loadBalancer.type === "public";
    let publicIp: PublicIp | undefined;
    if (publicLb) {
      publicIp =
        s.loadBalancer.publicIp ??
        new PublicIp(
          `${name}-frontend`,
          {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            zones: s.loadBalancer.zones,
            ...(s.loadBalancer.dnsLabel !== undefined ? { dnsLabel: s.loadBalancer.dnsLabel } : {}),
            tags: args.tags,
            configPath: `${s.configPath}.loadBalancer`,
          },
          { parent: this },
        );
    }

    const self = (kind: string, subName: string) => ({ id: `$self/${kind}/${subName}` });
    const frontendRef = self("frontendIPConfigurations", LB_NAMES.frontend);
    const poolRef = self("backendAddressPools", LB_NAMES.backendPool);
    const frontend: inputs.network.FrontendIPConfigurationArgs = publicIp
      ? { name: LB_NAMES.frontend, publicIPAddress: { id: publicIp.publicIpId } }
      : {
          name: LB_NAMES.frontend,
          subnet: { id: args.loadBalancer?.frontendSubnetId ?? args.subnetId },
          privateIPAddressVersion: "IPv4",
          ...(s.loadBalancer.privateIpAddress !== undefined
            ? { privateIPAllocationMethod: "Static", privateIPAddress: s.loadBalancer.privateIpAddress }
            : { privateIPAllocationMethod: "Dynamic" }),
          ...(s.loadBalancer.zones.length > 0 ? { zones: [...s.loadBalancer.zones] } : {}),
        };

    const lb = new network.LoadBalancer(
      `${name}-lb`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        sku: { name: "Standard", tier: "Regional" },
        frontendIPConfigurations: [frontend],
        backendAddressPools: [{ name: LB_NAMES.backendPool }],
        probes: [
          {
            name: LB_NAMES.probe,
            protocol: s.healthProbe.protocol,
            port: s.healthProbe.port,
            ...(s.healthProbe.path !== undefined ? { requestPath: s.healthProbe.path } : {}),
            intervalInSeconds: s.healthProbe.intervalInSeconds,
            probeThreshold: s.healthProbe.probeThreshold,
          },
        ],
        loadBalancingRules: s.rules.map((rule) => ({
          name: rule.name,
          frontendIPConfiguration: frontendRef,
          backendAddressPool: poolRef,
          probe: self("probes", LB_NAMES.probe),
          protocol: rule.protocol,
          frontendPort: rule.frontendPort,
          backendPort: rule.backendPort,
          loadDistribution: rule.loadDistribution,
          idleTimeoutInMinutes: rule.idleTimeoutInMinutes,
          enableFloatingIP: false,
          enableTcpReset: rule.protocol === "Tcp",
          // Egress is explicit (outbound rule or NAT gateway), never a side effect of an inbound rule.
          ...(publicLb ? { disableOutboundSnat: true } : {}),
        })),
        ...(s.outbound === "loadBalancer"
          ? {
              outboundRules: [
                {
                  name: LB_NAMES.outbound,
                  frontendIPConfigurations: [frontendRef],
                  backendAddressPool: poolRef,
                  protocol: "All",
                  allocatedOutboundPorts: s.outboundPortsPerInstance,
                  idleTimeoutInMinutes: 4,
                  enableTcpReset: true,
                },
              ],
            }
          : {}),
        ...(s.inboundNat
          ? {
              inboundNatPools: [
                {
                  name: LB_NAMES.natPool,
                  frontendIPConfiguration: frontendRef,
                  protocol: "Tcp",
                  frontendPortRangeStart: s.inboundNat.frontendPortStart,
                  frontendPortRangeEnd: s.inboundNat.frontendPortEnd,
                  backendPort: 22,
                  idleTimeoutInMinutes: 4,
                  enableTcpReset: true,
                },
              ],
            }
          : {}),
        tags: args.tags,
      },
      { parent: this },
    );
    const backendPoolId = pulumi.interpolate`${lb.id}/backendAddressPools/${LB_NAMES.backendPool}`;
    const probeId = pulumi.interpolate`${lb.id}/probes/${LB_NAMES.probe}`;

    const vmss = new compute.VirtualMachineScaleSet(
      `${name}-vmss`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        sku: { name: s.vmSize, tier: "Standard", capacity: s.instanceCount },
        // Uniform: the mode in which LB health probes drive rolling upgrades and NAT pools apply.
        orchestrationMode: "Uniform",
        overprovision: false,
        ...(s.zones.length > 0 ? { zones: [...s.zones] } : {}),
        identity: { type: "SystemAssigned" },
        upgradePolicy: {
          mode: "Rolling",
          rollingUpgradePolicy: {
            maxBatchInstancePercent: 20,
            maxUnhealthyInstancePercent: 20,
            maxUnhealthyUpgradedInstancePercent: 20,
            pauseTimeBetweenBatches: "PT0S",
          },
          automaticOSUpgradePolicy: {
            enableAutomaticOSUpgrade: true,
            disableAutomaticRollback: false,
            useRollingUpgradePolicy: true,
          },
        },
        virtualMachineProfile: {
          osProfile: {
            computerNamePrefix: s.computerNamePrefix,
            adminUsername: s.adminUsername,
            customData: Buffer.from(s.cloudInit, "utf8").toString("base64"),
            linuxConfiguration: {
              disablePasswordAuthentication: true,
              provisionVMAgent: true,
              ssh: {
                publicKeys: [
                  { path: `/home/${s.adminUsername}/.ssh/authorized_keys`, keyData: args.sshPublicKey },
                ],
              },
            },
          },
          storageProfile: {
            imageReference: { ...s.image },
            osDisk: {
              createOption: "FromImage",
              caching: "ReadWrite",
              managedDisk: { storageAccountType: s.osDiskType },
            },
          },
          networkProfile: {
            healthProbe: { id: probeId },
            networkInterfaceConfigurations: [
              {
                name: "nic",
                primary: true,
                ipConfigurations: [
                  {
                    name: "ipconfig",
                    primary: true,
                    subnet: { id: args.subnetId },
                    loadBalancerBackendAddressPools: [{ id: backendPoolId }],
                    ...(s.inboundNat
                      ? {
                          loadBalancerInboundNatPools: [
                            { id: pulumi.interpolate`${lb.id}/inboundNatPools/${LB_NAMES.natPool}` },
                          ],
                        }
                      : {}),
                  },
                ],
              },
            ],
          },
        },
        tags: args.tags,
      },
      // Autoscale owns the instance count; without this every `pulumi up` would reset it.
      { parent: this, ...(s.autoscale.enabled ? { ignoreChanges: ["sku.capacity"] } : {}) },
    );

    const cpu = (rule: CpuRuleSettings, out: boolean): inputs.monitor.ScaleRuleArgs => ({
      metricTrigger: {
        metricName: "Percentage CPU",
        metricNamespace: "microsoft.compute/virtualmachinescalesets",
        metricResourceUri: vmss.id,
        timeGrain: rule.timeGrain,
        statistic: "Average",
        timeWindow: rule.timeWindow,
        timeAggregation: "Average",
        operator: out ? "GreaterThan" : "LessThan",
        threshold: rule.cpuThresholdPercent,
      },
      scaleAction: {
        direction: out ? "Increase" : "Decrease",
        type: "ChangeCount",
        value: String(rule.changeCount),
        cooldown: rule.cooldown,
      },
    });
    const rules = [cpu(s.autoscale.scaleOut, true), cpu(s.autoscale.scaleIn, false)];
    const capacity = (c: { minimum: number; default: number; maximum: number }) => ({
      minimum: String(c.minimum),
      default: String(c.default),
      maximum: String(c.maximum),
    });
    const weekly = (days: readonly string[], hour: number, minute: number, timeZone: string) => ({
      frequency: "Week" as const,
      schedule: { days: [...days], hours: [hour], minutes: [minute], timeZone },
    });
    const profiles: inputs.monitor.AutoscaleProfileArgs[] = [
      { name: "default", capacity: capacity(s.autoscale), rules },
    ];
    for (const schedule of s.autoscale.schedules) {
      profiles.push({
        name: schedule.name,
        capacity: capacity(schedule),
        rules,
        recurrence: weekly(schedule.days, schedule.startHour, schedule.startMinute, schedule.timeZone),
      });
      // A recurring profile lasts until the next one starts, so the default counts come back at the end.
      profiles.push({
        name: `${schedule.name}-end`,
        capacity: capacity(s.autoscale),
        rules,
        recurrence: weekly(schedule.days, schedule.endHour, schedule.endMinute, schedule.timeZone),
      });
    }
    const autoscale = new monitor.AutoscaleSetting(
      `${name}-autoscale`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        enabled: s.autoscale.enabled,
        targetResourceUri: vmss.id,
        profiles,
        tags: args.tags,
      },
      { parent: this },
    );

    this.frontendIpAddress = publicIp
      ? publicIp.ipAddress
      : lb.frontendIPConfigurations.apply((configs) => configs?.[0]?.privateIPAddress);
    if (publicIp?.fqdn) this.fqdn = publicIp.fqdn;
    this.backendPoolId = backendPoolId;
    this.vmssName = vmss.name;
    this.vmssPrincipalId = vmss.identity.apply((identity) => identity?.principalId ?? "");
    this.autoscaleSettingId = autoscale.id;
    this.loadBalancerId = lb.id;
    this.registerOutputs({
      frontendIpAddress: this.frontendIpAddress,
      fqdn: this.fqdn,
      backendPoolId: this.backendPoolId,
      vmssName: this.vmssName,
      vmssPrincipalId: this.vmssPrincipalId,
      autoscaleSettingId: this.autoscaleSettingId,
      loadBalancerId: this.loadBalancerId,
    });
  }
}
