/**
 * The address part of the stack-file schema: the network, its subnets and the NSG. This is the
 * boundary where CIDR text becomes `Prefix` values: every CIDR key is parsed here once, and a CIDR
 * that is not one, or has host bits set, is refused at the key the user wrote. From here on the
 * stack planner and the address planner work with values; text is made again only for output,
 * messages, the lock file and component args.
 */
import { z } from "zod";
import { formatPrefix, isAligned, parsePrefix, type IpVersion, type Prefix } from "../cidr/address.ts";

/**
 * A CIDR block as a `Prefix` value. Refuses text that is no CIDR (of `version`, when given) and a
 * block with host bits set, which Azure refuses too (a VNet range, a subnet, an NSG rule source).
 */
function prefixSchema(version: IpVersion | undefined, invalid: string) {
  return z.string().transform((text, ctx): Prefix => {
    const prefix = parsePrefix(text);
    if (!prefix || (version !== undefined && prefix.version !== version)) {
      ctx.issues.push({ code: "custom", message: invalid, input: text });
      return z.NEVER;
    }
    if (!isAligned(prefix)) {
      ctx.issues.push({
        code: "custom",
        message: `is not aligned to its /${prefix.length} (host bits are set); allowed: ${formatPrefix(prefix)}`,
        input: text,
      });
      return z.NEVER;
    }
    return prefix;
  });
}

/** An IPv4 CIDR block, parsed into a `Prefix`. */
export const ipv4Prefix = prefixSchema(
  4,
  "is not an IPv4 CIDR block; allowed: an IPv4 prefix such as 10.20.0.0/16",
);
/** An IPv4 or IPv6 CIDR block, parsed into a `Prefix`. */
export const anyPrefix = prefixSchema(
  undefined,
  "is not a CIDR block; allowed: an IPv4 or IPv6 prefix such as 10.20.0.0/16",
);
/** Accept a single string where a list is expected: `addressSpace: 10.0.0.0/16`. */
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(item).min(1)) as unknown as z.ZodType<
    z.output<T>[]
  >;

export const subnetSchema = z
  .object({
    /** Request by prefix length, e.g. 24. */
    prefixLength: z.number().int().min(8).max(64).optional(),
    /** Request by usable host count; Azure reserves 5 addresses per subnet. */
    hosts: z.number().int().min(1).max(16_777_211).optional(),
    /** Pin an exact CIDR (checked, never moved). */
    cidr: ipv4Prefix.optional(),
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
    addressSpace: oneOrMany(ipv4Prefix).optional(),
    /** Ranges nothing may overlap: campus, on-premises, peered networks. */
    reservedCidrs: z.array(anyPrefix).default([]),
    /**
     * How subnets reach the internet. New Azure VNets have no default outbound access. Unset: a NAT
     * gateway, except class students behind a public load balancer, who use its outbound rules
     * (src/stack/egress.ts, docs/costs.md#egress).
     */
    outbound: z.enum(["natGateway", "loadBalancer"]).optional(),
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
    /** Source ports; `*` (any) unless given. */
    sourcePorts: portSpec.optional(),
    description: z.string().max(140).optional(),
  })
  .strict();

/** Named waivers for rules that open a management port to the internet. Each needs a reason. */
const waiversSchema = z
  .record(
    z.string(),
    z.object({ reason: z.string().min(10, { message: "allowed: a reason of 10+ characters" }) }).strict(),
  )
  .default({});

/** Machines of an environment that can join an application security group. */
export const ASG_MEMBERS = ["scaleSet"] as const;

export const applicationSecurityGroupSchema = z
  .object({
    /** Whose NICs join the group in every environment: `scaleSet` (each instance's NIC). Defaults to none. */
    members: z.array(z.enum(ASG_MEMBERS)).default([]),
  })
  .strict();

/** A subnet's own NSG: it replaces the environment's NSG on that subnet. */
export const subnetNsgSchema = z
  .object({
    /** Rules keyed by name. A class's isolation rules are added in front; nothing else is derived. */
    rules: z.record(z.string(), nsgRuleSchema).default({}),
    waivers: waiversSchema,
  })
  .strict();

export const nsgSchema = z
  .object({
    /** Extra rules keyed by name, on top of the ones azlab derives (SSH from sourceCidrs, HTTP via the LB). */
    rules: z.record(z.string(), nsgRuleSchema).default({}),
    waivers: waiversSchema,
    /** Application security groups keyed by name; rules name them as `asg:<name>`. One set per environment. */
    applicationSecurityGroups: z.record(z.string(), applicationSecurityGroupSchema).default({}),
    /** Subnets with their own NSG, keyed by subnet name. Every other subnet keeps the environment's NSG. */
    subnets: z.record(z.string(), subnetNsgSchema).default({}),
    /** CIDRs allowed to SSH to lab machines. Defaults to none. */
    sshSourceCidrs: z.array(anyPrefix).default([]),
  })
  .strict();
