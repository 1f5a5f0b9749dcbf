/**
 * The ScaleSet's autoscale profiles, built by the pure src/validation/scaleSet/autoscaleProfiles.ts
 * (which `azlab validate` uses too) and typed as azure-native inputs here.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as inputs from "@pulumi/azure-native/types/input.js";
import type { NormalizedScaleSet } from "../../src/validation/scaleSet/index.ts";
import { autoscaleProfiles as profilesOf } from "../../src/validation/scaleSet/autoscaleProfiles.ts";

/** The default profile and the schedule profiles of the set whose id is `vmssId`. */
export function autoscaleProfiles(
  s: NormalizedScaleSet,
  vmssId: pulumi.Input<string>,
): inputs.monitor.AutoscaleProfileArgs[] {
  return profilesOf(s, vmssId);
}
