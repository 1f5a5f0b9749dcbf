/**
 * Argument and settings types of the ScaleSet component: the options a caller writes and the same
 * options with every default applied.
 */
import type { OutboundMode } from "../virtualNetwork.ts";
import type { AzureNaming } from "../names.ts";

export type LoadDistribution = "Default" | "SourceIP" | "SourceIPProtocol";
export type Weekday = "Monday" | "Tuesday" | "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday";

/** The load balancer's frontend. `Ref` values (an existing public IP, a subnet id) are wiring the component passes through. */
export interface LoadBalancerOptions {
  /** `public` (frontend on a public IP) or `internal` (private frontend in a subnet). Defaults to `public`. */
  readonly type?: "public" | "internal";
  /** Load balancer SKU. Defaults to `Standard`, the only value accepted (Basic was retired on 30 September 2025). */
  readonly sku?: string;
  /** SKU of the public IP azlab creates. Defaults to `Standard`, the only value accepted. Public only; conflicts with `publicIp`. */
  readonly publicIpSku?: string;
  /** An existing PublicIp component for the frontend. Defaults to a new Standard one. Public only. */
  readonly publicIp?: unknown;
  /** DNS label for the public IP azlab creates. Defaults to none. Public only; conflicts with `publicIp`. */
  readonly dnsLabel?: string;
  /** Zones of the public IP azlab creates, or of the internal frontend. Defaults to none. Conflicts with `publicIp`. */
  readonly zones?: readonly string[];
  /** Subnet of the internal frontend. Defaults to the scale set's `subnetId`. Internal only. */
  readonly frontendSubnetId?: unknown;
  /** Static private frontend address. Defaults to a dynamic one. Internal only. */
  readonly privateIpAddress?: string;
}

export interface HealthProbeOptions {
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

export interface LoadBalancingRuleOptions {
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

export interface CpuRuleOptions {
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

export interface ScheduleOptions {
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
  /** IANA time zone name such as `Europe/Amsterdam`; converted to its Windows id for Azure Monitor. Defaults to `UTC`. */
  readonly timeZone?: string;
  /**
   * Fewest instances during the schedule, 0–1000, at most `default`. Required. This is the count the
   * schedule guarantees: while metrics flow, Azure keeps `minimum` and ignores `default`.
   */
  readonly minimum: number;
  /** Instances during the schedule when metrics are missing, from `minimum` to `maximum`. Required. */
  readonly default: number;
  /** Most instances during the schedule, up to 1000. Required. */
  readonly maximum: number;
}

export interface AutoscaleOptions {
  /** Whether Azure applies the setting. Defaults to true. When false, the setting still exists, switched off. */
  readonly enabled?: boolean;
  /** Fewest instances. Defaults to 1. */
  readonly minimum?: number;
  /** Instances when metrics are missing. Defaults to 2. */
  readonly default?: number;
  /** Most instances. Defaults to 4. */
  readonly maximum?: number;
  /** CPU scale-out rule. Defaults: above 75% over PT5M, +1, cooldown PT5M. */
  readonly scaleOut?: CpuRuleOptions;
  /** CPU scale-in rule; its threshold must be below the scale-out one. Defaults: below 25% over PT10M, -1, cooldown PT5M. */
  readonly scaleIn?: CpuRuleOptions;
  /** Recurring weekly profiles keyed by name, e.g. class hours. Defaults to none. At most 9. */
  readonly schedules?: Readonly<Record<string, ScheduleOptions>>;
}

export interface ImageSpec {
  /** Marketplace publisher, for example `Canonical`. Required. */
  readonly publisher: string;
  /** Marketplace offer, for example `ubuntu-24_04-lts`. Required. */
  readonly offer: string;
  /** Marketplace image SKU, for example `server`. Required. */
  readonly sku: string;
  /** Must be `latest` while automatic OS image upgrades are on: they only work with it. */
  readonly version: string;
}

/** The plain (non-Output) settings of a ScaleSet. */
export interface ScaleSetOptions extends AzureNaming {
  /**
   * Azure name of the scale set. Defaults to `vmss-<nameParts>`; the load balancer (`lbe-`), its public IP
   * (`pip-`) and the autoscale setting (`as-`) take the same parts.
   */
  readonly vmssName?: string;
  /**
   * SSH public key (`ssh-rsa`, `ssh-ed25519` or `ecdsa-sha2-*`). Required; password login is always off.
   * Only a plain string can be checked; a secret or other Output passes unchecked.
   */
  readonly sshPublicKey?: unknown;
  /**
   * More SSH public keys for the same admin user, such as a class student's own keys next to the
   * instructor's. Defaults to none. Each is checked like `sshPublicKey`.
   */
  readonly additionalSshPublicKeys?: readonly unknown[];
  /** Linux admin user. Defaults to `azlab`. 1–64 characters; Azure's reserved names (admin, root, ...) are refused. */
  readonly adminUsername?: string;
  /** VM size; change it to scale vertically (a rolling upgrade). Defaults to `Standard_B2s`. */
  readonly sku?: string;
  /** Initial instance count; autoscale owns it afterwards. Defaults to the autoscale `default` (2). */
  readonly instanceCount?: number;
  /**
   * `ubuntu-22.04`, `ubuntu-24.04` or a marketplace image. Defaults to `ubuntu-22.04`, the newest x64 Ubuntu
   * on Microsoft's list of images that support automatic OS image upgrades.
   */
  readonly image?: "ubuntu-24.04" | "ubuntu-22.04" | ImageSpec;
  /**
   * Automatic OS image upgrades. Defaults to on for an image on Microsoft's supported list
   * (AUTOMATIC_OS_UPGRADE_IMAGES) and off otherwise; `true` with another image is refused, because Azure
   * rejects the create.
   */
  readonly automaticOsUpgrade?: boolean;
  /**
   * Trusted Launch (secure boot and vTPM). Defaults to on when TRUSTED_LAUNCH_SIZES lists `sku` as supported
   * and the image is a known generation 2 image, and off otherwise. `true` with a size listed as not
   * supported, or with a generation 1 image, is refused; `false` opts out.
   */
  readonly trustedLaunch?: boolean;
  /** cloud-init text (azlab base64-encodes it). Defaults to DEFAULT_CLOUD_INIT, an nginx page naming the instance. */
  readonly cloudInit?: string;
  /** Host name prefix, 1–15 letters, digits or hyphens. Defaults to the first 9 of `name`'s letters and digits. */
  readonly computerNamePrefix?: string;
  /** OS disk type. Defaults to `StandardSSD_LRS`. */
  readonly osDiskType?: "Standard_LRS" | "StandardSSD_LRS" | "Premium_LRS";
  /** Zones of the instances. Defaults to none. */
  readonly zones?: readonly string[];
  /** Load balancer frontend. Defaults to a public Standard LB on a new Standard public IP. */
  readonly loadBalancer?: LoadBalancerOptions;
  /** Health probe; also gates rolling upgrades. Defaults to Http on port 80, path `/`. */
  readonly healthProbe?: HealthProbeOptions;
  /** Load-balancing rules keyed by name. Defaults to `{ http: { frontendPort: 80 } }`. At least one. */
  readonly rules?: Readonly<Record<string, LoadBalancingRuleOptions>>;
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
  readonly autoscale?: AutoscaleOptions;
}

export interface NormalizedCpuRule {
  readonly cpuThresholdPercent: number;
  readonly timeGrain: string;
  readonly timeWindow: string;
  readonly cooldown: string;
  readonly changeCount: number;
}

/** The options with every default applied. */
export interface NormalizedScaleSet {
  /** Azure names of the scale set and the resources around it. */
  readonly names: {
    readonly vmss: string;
    readonly loadBalancer: string;
    readonly publicIp: string;
    readonly autoscale: string;
  };
  readonly adminUsername: string;
  readonly vmSize: string;
  readonly instanceCount: number;
  readonly image: ImageSpec;
  /** Whether automatic OS image upgrades are on (only for an image on the supported list). */
  readonly automaticOsUpgrade: boolean;
  /** Whether the instances use Trusted Launch (securityProfile with secure boot and vTPM). */
  readonly trustedLaunch: boolean;
  readonly cloudInit: string;
  readonly computerNamePrefix: string;
  readonly osDiskType: string;
  readonly zones: readonly string[];
  readonly loadBalancer: {
    readonly type: "public" | "internal";
    /** Whether the caller passed an existing public IP (the component then creates none). */
    readonly existingPublicIp: boolean;
    readonly dnsLabel?: string;
    readonly zones: readonly string[];
    readonly privateIpAddress?: string;
  };
  readonly healthProbe: Required<Omit<HealthProbeOptions, "path">> & { readonly path?: string };
  readonly rules: readonly (Required<LoadBalancingRuleOptions> & { readonly name: string })[];
  readonly outbound: OutboundMode;
  readonly outboundPortsPerInstance: number;
  readonly inboundNat?: { readonly frontendPortStart: number; readonly frontendPortEnd: number };
  readonly autoscale: {
    readonly enabled: boolean;
    readonly minimum: number;
    readonly default: number;
    readonly maximum: number;
    readonly scaleOut: NormalizedCpuRule;
    readonly scaleIn: NormalizedCpuRule;
    readonly schedules: readonly (Required<ScheduleOptions> & {
      readonly name: string;
      /** `timeZone` as the Windows id that Azure Monitor takes. */
      readonly windowsTimeZone: string;
    })[];
  };
  /** Most instances the set can ever have; sizes the NAT pool and the SNAT port budget. */
  readonly maxInstances: number;
}
