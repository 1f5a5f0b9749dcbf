/**
 * VM scale set guardrails.
 * Pure: no Pulumi runtime imports.
 */
import { ResourceType } from "../azure/catalog.ts";
import { trustedLaunchSupport } from "../validation/scaleSet/defaults.ts";
import { rec, list, at, eqi, resourceRule } from "./ruleKit.ts";

// ---- VM scale sets ------------------------------------------------------------------------------

export const vmssPasswordAuth = resourceRule({
  id: "AZL-VMSS-001",
  title: "Linux scale sets use SSH keys only",
  severity: "error",
  equivalents: ["CKV_AZURE_49", "AVD-AZU-0039", "Azure.VMSS.PublicKey"],
  resourceTypes: [ResourceType.VirtualMachineScaleSet],
  check(resource) {
    const linux = rec(at(resource.props, "virtualMachineProfile", "osProfile", "linuxConfiguration"));
    if (!linux || linux["disablePasswordAuthentication"] === true) return [];
    return [
      {
        message:
          "virtualMachineProfile.osProfile.linuxConfiguration.disablePasswordAuthentication is not true",
        fix: "Set disablePasswordAuthentication: true and provide ssh.publicKeys",
      },
    ];
  },
});

export const vmssAutoOsUpgrade = resourceRule({
  id: "AZL-VMSS-002",
  title: "Scale sets upgrade their OS image automatically",
  severity: "warning",
  equivalents: ["CKV_AZURE_95"],
  resourceTypes: [ResourceType.VirtualMachineScaleSet],
  check(resource) {
    if (at(resource.props, "upgradePolicy", "automaticOSUpgradePolicy", "enableAutomaticOSUpgrade") === true)
      return [];
    // A Flexible scale set on an image off the automatic OS image upgrade list can use automatic guest
    // patching instead; `patchMode` applies only to Flexible orchestration (LinuxVMGuestPatchMode in the
    // Microsoft.Compute spec).
    const patchMode = at(
      resource.props,
      "virtualMachineProfile",
      "osProfile",
      "linuxConfiguration",
      "patchSettings",
      "patchMode",
    );
    if (eqi(patchMode, "AutomaticByPlatform")) return [];
    return [
      {
        message:
          "upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade is not true and guest patching is not AutomaticByPlatform",
        fix: "Set upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade: true on an image Microsoft lists for it (needs a health probe or the Application Health extension), or linuxConfiguration.patchSettings.patchMode: AutomaticByPlatform",
      },
    ];
  },
});

const HEALTH_EXTENSIONS = ["ApplicationHealthLinux", "ApplicationHealthWindows"];

export const vmssRollingHealth = resourceRule({
  id: "AZL-VMSS-003",
  title: "Rolling upgrades have a health signal",
  severity: "error",
  equivalents: [],
  resourceTypes: [ResourceType.VirtualMachineScaleSet],
  check(resource) {
    if (!eqi(at(resource.props, "upgradePolicy", "mode"), "Rolling")) return [];
    const profile = rec(resource.props["virtualMachineProfile"]);
    // A profile that holds a secret (the SSH key) arrives as "[secret]" as a whole: nothing to read.
    if (!profile) return [];
    if (rec(at(profile, "networkProfile", "healthProbe"))) return [];
    const extensions = list(at(profile, "extensionProfile", "extensions"));
    if (extensions.some((e) => HEALTH_EXTENSIONS.some((h) => eqi(at(e, "type"), h)))) return [];
    return [
      {
        message: "upgradePolicy.mode is Rolling without a health probe or the Application Health extension",
        fix: "Set virtualMachineProfile.networkProfile.healthProbe.id to a load balancer probe, or add the ApplicationHealthLinux extension",
      },
    ];
  },
});

/**
 * Trusted Launch asked for on a size that neither size list of "Trusted Launch for Azure virtual machines"
 * (learn.microsoft.com/azure/virtual-machines/trusted-launch, "Virtual machines sizes") names. The validator
 * refuses a listed-unsupported size; an unlisted one passes to Azure, which may reject the create, so say so.
 */
export const vmssTrustedLaunchUnknownSize = resourceRule({
  id: "AZL-VMSS-005",
  title: "Trusted Launch is asked for on a size azlab knows supports it",
  severity: "info",
  equivalents: [],
  resourceTypes: [ResourceType.VirtualMachineScaleSet],
  check(resource) {
    // A profile that holds a secret (the SSH key) arrives as "[secret]" as a whole: nothing to read.
    const securityType = at(resource.props, "virtualMachineProfile", "securityProfile", "securityType");
    if (!eqi(securityType, "TrustedLaunch")) return [];
    const size = at(resource.props, "sku", "name");
    if (typeof size !== "string" || trustedLaunchSupport(size) !== undefined) return [];
    return [
      {
        message: `Trusted Launch is on for ${size}, a size in neither Trusted Launch size list azlab knows; Azure may reject the create`,
        fix: "Check the size on learn.microsoft.com/azure/virtual-machines/trusted-launch, or use a listed size such as Standard_B2s or Standard_D2s_v5 (azlab:scaleSet.sku), or set azlab:scaleSet.trustedLaunch: false",
      },
    ];
  },
});

// ---- Autoscale ----------------------------------------------------------------------------------

/**
 * While metrics flow, Azure Monitor keeps the count between `minimum` and `maximum` by the rules and uses
 * `default` only when metrics are missing ("Best practices for autoscale", learn.microsoft.com/azure/
 * azure-monitor/autoscale/autoscale-best-practices). A scheduled profile whose `default` is above its
 * `minimum` therefore never adds the instances it seems to promise. Profiles that only bring the
 * default capacity back (the same capacity as the first, unscheduled profile) are not schedules.
 */
export const autoscaleScheduleFloor = resourceRule({
  id: "AZL-VMSS-004",
  title: "Scheduled autoscale profiles raise their minimum, not their default",
  severity: "warning",
  equivalents: [],
  resourceTypes: [ResourceType.AutoscaleSetting],
  check(resource) {
    const profiles = list(resource.props["profiles"]);
    const base = JSON.stringify(at(profiles[0], "capacity"));
    const findings = [];
    for (const profile of profiles) {
      if (!rec(at(profile, "recurrence")) && !rec(at(profile, "fixedDate"))) continue;
      if (list(at(profile, "rules")).length === 0) continue;
      if (JSON.stringify(at(profile, "capacity")) === base) continue;
      const minimum = Number(at(profile, "capacity", "minimum"));
      const def = Number(at(profile, "capacity", "default"));
      if (!(def > minimum)) continue;
      findings.push({
        message: `Profile "${String(at(profile, "name"))}" has default ${def} above minimum ${minimum}; with metric rules Azure keeps ${minimum} instance(s) while metrics flow`,
        fix: `Raise the schedule's min to ${def} (the count it should guarantee)`,
      });
    }
    return findings;
  },
});
