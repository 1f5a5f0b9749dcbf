/**
 * How each environment's VNet reaches the internet. New VNets have no default outbound access (Azure
 * retired it for new VNets after 30 September 2025: learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access),
 * and azlab's subnets set `defaultOutboundAccess: false` anyway, so egress is always one explicit path: a
 * NAT gateway, or outbound rules on a public Standard load balancer.
 *
 * The class default was chosen by measured cost (docs/costs.md#egress): a student whose scale set sits
 * behind a public load balancer gets the load balancer's outbound rules, which reuse the frontend IP the
 * student already has and stay within the five rules the load balancer's hourly meter includes, where a NAT
 * gateway adds a gateway hour, a data meter and a public IP per student.
 */
import type { StackConfig } from "../config/schema.ts";
import type { Problem } from "../errors.ts";
import type { OutboundMode } from "../validation/virtualNetwork.ts";

export interface EgressContext {
  /** The class hub (it hosts the shared AKS cluster, whose subnet has no load balancer of azlab's). */
  readonly hub: boolean;
  /** The environment runs the scale set. */
  readonly scaleSet: boolean;
  /** Standalone VMs in the environment (`azlab:vms`): they sit behind no load balancer. */
  readonly vms: number;
  /** The environment runs an AKS cluster (dev, prod, a dedicated-topology student, a shared class hub). */
  readonly aksCluster: boolean;
}

/**
 * `azlab:network.outbound` when the stack file sets it (`natGateway` gives every student a NAT gateway again);
 * otherwise a NAT gateway, except for a class student whose only workload is a scale set behind a public
 * load balancer: that student's egress is the load balancer's outbound rule. Workloads with no load
 * balancer of azlab's in front (an AKS node subnet, standalone VMs, the hub) keep the NAT gateway, so they
 * still have explicit egress. The student's other subnets then have no internet egress at all. A hub
 * without a cluster gets no egress.
 */
export function egressFor(config: StackConfig, env: EgressContext): OutboundMode {
  // A hub with no cluster holds only AzureBastionSubnet, which takes no NAT gateway: one would bill for
  // nothing, and Bastion needs none.
  if (env.hub && !env.aksCluster) return "none";
  if (config.network.outbound !== undefined) return config.network.outbound;
  if (config.environment !== "class" || env.hub || env.aksCluster || env.vms > 0 || !env.scaleSet) {
    return "natGateway";
  }
  const s = config.scaleSet;
  if (!s || s.loadBalancer.type !== "public") return "natGateway";
  // One frontend IP has 64,000 SNAT ports and the outbound rule gives every instance 1,024 (the ScaleSet
  // validator's default, src/validation/scaleSet/loadBalancer.ts), so a scale set that can grow past 62
  // instances keeps a NAT gateway instead of failing validation on a setting the stack file never wrote.
  const most = Math.max(
    s.instanceCount,
    s.autoscale.max,
    ...Object.values(s.autoscale.schedules).map((p) => p.max),
  );
  return most * OUTBOUND_PORTS_PER_INSTANCE <= SNAT_PORTS_PER_FRONTEND_IP ? "loadBalancer" : "natGateway";
}

/** The ScaleSet's default `outboundPortsPerInstance`. */
const OUTBOUND_PORTS_PER_INSTANCE = 1024;
/** SNAT ports one frontend IP offers ("Source NAT for outbound connections", learn.microsoft.com/azure/load-balancer). */
const SNAT_PORTS_PER_FRONTEND_IP = 64000;

/**
 * `outbound: loadBalancer` set in the stack file gives egress only to the scale set behind the load balancer:
 * standalone VMs sit behind none, so they would have no way out at all (no default outbound access).
 */
export function egressProblems(plan: {
  readonly config: Pick<StackConfig, "network">;
  readonly environments: Readonly<Record<string, { readonly key: string; readonly vms: readonly string[] }>>;
}): Problem[] {
  if (plan.config.network.outbound !== "loadBalancer") return [];
  const withVms = Object.values(plan.environments).filter((env) => env.vms.length > 0);
  if (withVms.length === 0) return [];
  const vms = [...new Set(withVms.flatMap((env) => env.vms))].sort();
  return [
    {
      path: "azlab:network.outbound",
      message: `gives the standalone VMs (${vms.join(", ")}) no internet egress: only a scale set sits behind the load balancer, and subnets have no default outbound access`,
      value: "loadBalancer",
      allowed: "natGateway, or leave it out (environments with VMs then get a NAT gateway)",
    },
  ];
}
