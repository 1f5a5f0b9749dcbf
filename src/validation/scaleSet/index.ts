/**
 * Defaults and validation for the ScaleSet component, split along its seams: the VM profile, the
 * autoscale setting and the load balancer. Every problem is collected so the user fixes them in one pass.
 */
import type { Problem } from "../../errors.ts";
import { resolveAzureName, resolveNameParts } from "../names.ts";
import { normalizeAutoscale } from "./autoscale.ts";
import { normalizeLoadBalancer } from "./loadBalancer.ts";
import type { NormalizedScaleSet, ScaleSetOptions } from "./types.ts";
import { normalizeVm } from "./vm.ts";

export * from "./types.ts";
export {
  AUTOMATIC_OS_UPGRADE_IMAGES,
  DEFAULT_CLOUD_INIT,
  IMAGE_GENERATIONS,
  LB_NAMES,
  RESERVED_ADMIN_NAMES,
  UBUNTU_IMAGES,
  TRUSTED_LAUNCH_SIZES,
  imageGeneration,
  supportsAutomaticOsUpgrade,
  trustedLaunchSupport,
} from "./defaults.ts";
export { durationSeconds } from "./autoscale.ts";

/** Applies defaults and validates. Returns the settings, or every problem found. */
export function normalizeScaleSet(
  options: ScaleSetOptions,
  componentName: string,
): { value: NormalizedScaleSet; problems: [] } | { value?: undefined; problems: Problem[] } {
  const { parts, problems } = resolveNameParts(options, componentName);
  const names = {
    vmss: resolveAzureName("virtualMachineScaleSet", options.vmssName, "vmssName", parts, problems),
    loadBalancer: resolveAzureName("loadBalancer", undefined, "", parts, problems),
    publicIp: resolveAzureName("publicIp", undefined, "", parts, problems),
    autoscale: resolveAzureName("autoscaleSetting", undefined, "", parts, problems),
  };
  const vm = normalizeVm(options, componentName, problems);
  const autoscale = normalizeAutoscale(options, problems);
  const loadBalancer = normalizeLoadBalancer(options, autoscale.maxInstances, problems);
  if (problems.length > 0) return { problems };
  return { value: { names, ...vm, ...autoscale, ...loadBalancer }, problems: [] };
}
