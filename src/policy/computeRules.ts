/**
 * VM scale set guardrails.
 * Pure: no Pulumi runtime imports.
 */
import { ResourceType } from "../azure/catalog.ts";
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
    return [
      {
        message: "upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade is not true",
        fix: "Set upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade: true (needs a health probe or the Application Health extension)",
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
