/**
 * The ScaleSet's Standard load balancer: frontend, health probe, load-balancing rules, outbound SNAT and
 * the inbound NAT pool. Basic load balancers were retired on 30 September 2025, and one frontend IP
 * offers 64,000 SNAT ports ("Source NAT for outbound connections", learn.microsoft.com/azure/load-balancer).
 */
import type { Problem } from "../../errors.ts";
import { NETWORK_NAME } from "../../network/nsgRules.ts";
import { integerProblems } from "../checks.ts";
import { dnsLabelProblems, standardSkuProblems, zoneProblems } from "../publicIp.ts";
import { outboundModeProblems } from "../virtualNetwork.ts";
import type { NormalizedScaleSet, ScaleSetOptions } from "./types.ts";

export type NormalizedLoadBalancer = Pick<
  NormalizedScaleSet,
  "loadBalancer" | "healthProbe" | "rules" | "outbound" | "outboundPortsPerInstance" | "inboundNat"
>;

/** Applies the load balancer defaults and collects their problems; `maxInstances` sizes SNAT and NAT ports. */
export function normalizeLoadBalancer(
  options: ScaleSetOptions,
  maxInstances: number,
  problems: Problem[],
): NormalizedLoadBalancer {
  const lb = options.loadBalancer ?? {};
  const lbPath = "loadBalancer";
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
      problems.push(...standardSkuProblems(lb.publicIpSku, `${lbPath}.publicIpSku`, "public IP"));
      problems.push(...zoneProblems(lb.zones ?? [], `${lbPath}.zones`));
      problems.push(...dnsLabelProblems(lb.dnsLabel, `${lbPath}.dnsLabel`));
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
    problems.push(...zoneProblems(lb.zones ?? [], `${lbPath}.zones`));
    for (const key of ["publicIp", "publicIpSku", "dnsLabel"] as const) {
      if (lb[key] !== undefined)
        problems.push({
          path: `${lbPath}.${key}`,
          message: "applies to public load balancers only",
          allowed: `leave it out, or set ${lbPath}.type to "public"`,
        });
    }
  }

  const probeIn = options.healthProbe ?? {};
  const probePath = "healthProbe";
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
  problems.push(...integerProblems(probePort, 1, 65535, `${probePath}.port`));
  const intervalInSeconds = probeIn.intervalInSeconds ?? 15;
  problems.push(...integerProblems(intervalInSeconds, 5, 2147483647, `${probePath}.intervalInSeconds`));
  const probeThreshold = probeIn.probeThreshold ?? 2;
  problems.push(...integerProblems(probeThreshold, 2, 2147483647, `${probePath}.probeThreshold`));
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

  const outbound = options.outbound ?? "none";
  problems.push(...outboundModeProblems(outbound, "outbound"));
  if (outbound === "loadBalancer" && type === "internal") {
    problems.push({
      path: "outbound",
      message: "needs a public load balancer: an internal one has no address to SNAT to",
      value: outbound,
      allowed: `"natGateway", or loadBalancer.type "public"`,
    });
  }
  const outboundPortsPerInstance = options.outboundPortsPerInstance ?? 1024;
  if (
    !Number.isInteger(outboundPortsPerInstance) ||
    outboundPortsPerInstance < 8 ||
    outboundPortsPerInstance % 8 !== 0
  ) {
    problems.push({
      path: "outboundPortsPerInstance",
      message: "is not a multiple of 8",
      value: outboundPortsPerInstance,
      allowed: "8, 16, ..., 64000",
    });
  } else if (outbound === "loadBalancer" && outboundPortsPerInstance * maxInstances > 64000) {
    // One frontend IP offers 64,000 SNAT ports, shared by every instance.
    problems.push({
      path: "outboundPortsPerInstance",
      message: `times ${maxInstances} instances exceeds the 64000 SNAT ports of one frontend IP`,
      value: outboundPortsPerInstance,
      allowed: `at most ${Math.floor(64000 / maxInstances / 8) * 8}`,
    });
  }

  let inboundNat: { frontendPortStart: number; frontendPortEnd: number } | undefined;
  if (options.inboundNatEnabled === true) {
    const start = options.inboundNatFrontendPortStart ?? 50000;
    const end = start + Math.max(maxInstances, 1) - 1;
    if (!Number.isInteger(start) || start < 1 || end > 65534) {
      problems.push({
        path: "inboundNatFrontendPortStart",
        message: `leaves no room for ${maxInstances} instance ports`,
        value: start,
        allowed: `an integer from 1 to ${65535 - Math.max(maxInstances, 1)}`,
      });
    }
    inboundNat = { frontendPortStart: start, frontendPortEnd: end };
  } else if (options.inboundNatFrontendPortStart !== undefined) {
    problems.push({
      path: "inboundNatFrontendPortStart",
      message: "needs inboundNatEnabled",
      allowed: "leave it out, or set inboundNatEnabled to true",
    });
  }

  const ruleEntries = Object.entries(options.rules ?? { http: { frontendPort: 80 } });
  if (ruleEntries.length === 0) {
    problems.push({
      path: "rules",
      message: "is empty",
      allowed: "at least one rule: the rolling-upgrade health probe must be used by a load-balancing rule",
    });
  }
  const frontends = new Map<string, string>();
  const rules = ruleEntries.map(([key, r]) => {
    const path = `rules.${key}`;
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
    problems.push(...integerProblems(r.frontendPort, 1, 65534, `${path}.frontendPort`));
    const backendPort = r.backendPort ?? r.frontendPort;
    problems.push(...integerProblems(backendPort, 1, 65535, `${path}.backendPort`));
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
    problems.push(...integerProblems(idleTimeoutInMinutes, 4, 30, `${path}.idleTimeoutInMinutes`));
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
    loadBalancer: {
      type,
      existingPublicIp: lb.publicIp !== undefined,
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
  };
}
