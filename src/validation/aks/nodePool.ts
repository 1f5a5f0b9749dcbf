/**
 * One AKS node pool. System pools refuse B-series sizes ("Manage system node pools", azure-aks-docs
 * use-system-pools.md), and maxPods is 10 to 250 ("Configure Azure CNI networking", max-pods).
 */
import type { Problem } from "../../errors.ts";
import { isIntIn } from "../checks.ts";
import type { ClusterNetworkPlugin, NodePoolOptions, NormalizedNodePool } from "./types.ts";

const TAINT = /^[A-Za-z0-9][-A-Za-z0-9_./]*=[-A-Za-z0-9_.]*:(NoSchedule|PreferNoSchedule|NoExecute)$/;
const MAX_POOL_NODES = 1000;

/** Applies a pool's defaults and collects its problems; `at` turns a pool key into its path. */
export function normalizePool(
  pool: NodePoolOptions,
  system: boolean,
  plugin: ClusterNetworkPlugin,
  at: (key: string) => string,
  problems: Problem[],
): NormalizedNodePool {
  const kind = system ? "system" : "user";
  const lowest = system ? 1 : 0;
  const range = `an integer from ${lowest} to ${MAX_POOL_NODES}`;
  const vmSize = pool.vmSize ?? "Standard_D2s_v5";
  if (system && /^standard_b/i.test(vmSize)) {
    problems.push({
      path: at("vmSize"),
      message: "is a B-series (burstable) size, which AKS does not support for system pools",
      value: vmSize,
      allowed: "a non-B-series size with at least 2 vCPUs and 4 GiB, such as Standard_D2s_v5",
    });
  }
  const osDiskType = pool.osDiskType ?? "Managed";
  if (osDiskType !== "Managed" && osDiskType !== "Ephemeral") {
    problems.push({
      path: at("osDiskType"),
      message: "is not an OS disk type",
      value: osDiskType,
      allowed: "Managed, Ephemeral",
    });
  }

  const autoScalingEnabled = pool.autoScalingEnabled ?? false;
  let count = pool.nodeCount ?? 1;
  if (autoScalingEnabled) {
    if (pool.nodeCount !== undefined) {
      problems.push({
        path: at("nodeCount"),
        message:
          "conflicts with autoScalingEnabled; the autoscaler sets the count between minCount and maxCount",
        value: pool.nodeCount,
      });
    }
    for (const key of ["minCount", "maxCount"] as const) {
      const value = pool[key];
      if (value === undefined) {
        problems.push({
          path: at(key),
          message: "is required when autoScalingEnabled is true",
          allowed: range,
        });
      } else if (!isIntIn(value, lowest, MAX_POOL_NODES)) {
        problems.push({
          path: at(key),
          message: `is out of range for a ${kind} pool`,
          value,
          allowed: range,
        });
      }
    }
    if (pool.minCount !== undefined && pool.maxCount !== undefined && pool.minCount > pool.maxCount) {
      problems.push({
        path: at("minCount"),
        message: "is greater than maxCount",
        value: pool.minCount,
        allowed: `at most maxCount (${pool.maxCount})`,
      });
    }
    count = pool.minCount ?? lowest;
  } else {
    for (const key of ["minCount", "maxCount"] as const) {
      if (pool[key] !== undefined) {
        problems.push({ path: at(key), message: "needs autoScalingEnabled: true", value: pool[key] });
      }
    }
    if (!isIntIn(count, lowest, MAX_POOL_NODES)) {
      problems.push({
        path: at("nodeCount"),
        message: `is out of range for a ${kind} pool`,
        value: count,
        allowed: range,
      });
    }
  }

  const maxPods = pool.maxPods ?? (plugin === "azure-cni-overlay" ? 250 : 30);
  if (!isIntIn(maxPods, 10, 250)) {
    problems.push({
      path: at("maxPods"),
      message: "is outside the range AKS accepts",
      value: maxPods,
      allowed: "an integer from 10 to 250",
    });
  }
  const maxSurge = pool.maxSurge ?? 1;
  if (!isIntIn(maxSurge, 1, MAX_POOL_NODES)) {
    problems.push({
      path: at("maxSurge"),
      message: "is out of range",
      value: maxSurge,
      allowed: `an integer from 1 to ${MAX_POOL_NODES}`,
    });
  }
  const zones = pool.zones ?? [];
  for (const zone of zones) {
    if (!["1", "2", "3"].includes(zone)) {
      problems.push({
        path: at("zones"),
        message: "names an availability zone that does not exist",
        value: zone,
        allowed: '"1", "2", "3"',
      });
    }
  }
  for (const taint of pool.nodeTaints ?? []) {
    if (!TAINT.test(taint)) {
      problems.push({
        path: at("nodeTaints"),
        message: "is not a taint",
        value: taint,
        allowed: "key=value:Effect with Effect NoSchedule, PreferNoSchedule or NoExecute",
      });
    }
  }
  return {
    vmSize,
    osDiskType,
    autoScalingEnabled,
    count,
    ...(autoScalingEnabled ? { minCount: pool.minCount ?? lowest, maxCount: pool.maxCount ?? lowest } : {}),
    maxPods,
    maxSurge,
    zones: [...zones],
    nodeLabels: { ...(pool.nodeLabels ?? {}) },
    nodeTaints: [...(pool.nodeTaints ?? [])],
  };
}
