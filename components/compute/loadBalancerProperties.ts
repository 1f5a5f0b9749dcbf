/**
 * The ScaleSet's load balancer properties. Inside the LoadBalancer resource, sub-resources refer to each
 * other with azure-native's `$self/...` relative ids, because the LB's own id is unknown until it exists
 * (pulumi-azure-native PR #2478).
 */
import type * as inputs from "@pulumi/azure-native/types/input.js";
import { LB_NAMES, type NormalizedScaleSet } from "../../src/validation/scaleSet/index.ts";

function self(kind: string, subName: string): { id: string } {
  return { id: `$self/${kind}/${subName}` };
}

/** Everything of the LoadBalancer but its name, group, region and tags, from the normalized settings. */
export function loadBalancerProperties(
  s: NormalizedScaleSet,
  frontend: inputs.network.FrontendIPConfigurationArgs,
) {
  const publicLb = s.loadBalancer.type === "public";
  const frontendRef = self("frontendIPConfigurations", LB_NAMES.frontend);
  const poolRef = self("backendAddressPools", LB_NAMES.backendPool);
  return {
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
      // Egress is explicit (outbound rule or NAT gateway), never a side effect of an inbound rule. Azure also
      // refuses a load-balancing rule that keeps SNAT on a frontend an outbound rule uses
      // (LoadBalancingRuleMustDisableSNATSinceSameFrontendIPConfigurationIsReferencedByOutboundRule;
      // "Outbound rules Azure Load Balancer", learn.microsoft.com/azure/load-balancer/outbound-rules).
      ...(publicLb ? { disableOutboundSnat: true } : {}),
    })),
    // The VNet's egress when it has no NAT gateway: SNAT to the frontend IP the LB already has, so no new IP.
    // Ports are allocated explicitly (a multiple of 8, at most 64,000 per frontend IP over all instances),
    // never the default, which shrinks as the pool grows ("Source Network Address Translation (SNAT) for
    // outbound connections", learn.microsoft.com/azure/load-balancer/load-balancer-outbound-connections).
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
  };
}
