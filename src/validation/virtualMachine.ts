/**
 * Defaults and validation for the VirtualMachine component: one Linux or Windows VM with its NIC, OS and
 * data disks, an optional static public IP and Azure's auto-shutdown schedule. Every problem is collected
 * so the user fixes them in one pass; a secret (the Windows password) is never shown in a message.
 * The option types are in ./virtualMachineTypes.ts; image, disk and sign-in rules in their sibling modules.
 */
import type { Problem } from "../errors.ts";
import { timeZoneProblem, windowsTimeZone } from "../schedule/timeZones.ts";
import { resolveAzureName, resolveNameParts } from "./names.ts";
import { dataDiskSettings, diskTypeProblems, osDiskSizeProblems } from "./virtualMachineDisks.ts";
import { resolveImage, trustedLaunchSetting } from "./virtualMachineImage.ts";
import { adminProblems, computerNameOf, passwordProblems, sshKeyProblems } from "./virtualMachineSignIn.ts";
import type {
  AutoShutdownOptions,
  NormalizedVirtualMachine,
  VirtualMachineOptions,
  VmOs,
} from "./virtualMachineTypes.ts";

/** Azure custom data is limited to 64 KiB before base64 ("Custom data and cloud-init on Azure VMs"). */
const MAX_CUSTOM_DATA_BYTES = 65535;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const EMAIL = /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

function autoShutdownOf(
  options: AutoShutdownOptions | undefined,
  problems: Problem[],
): NormalizedVirtualMachine["autoShutdown"] {
  if (options?.enabled === false) return undefined;
  const time = options?.time ?? "19:00";
  const match = HH_MM.exec(time);
  if (!match) {
    problems.push({
      path: "autoShutdown.time",
      message: "is not a time of day",
      value: time,
      allowed: "HH:MM, 24-hour, such as 19:00",
    });
  }
  const zone = options?.timeZone ?? "UTC";
  const zoneProblem = timeZoneProblem(zone);
  if (zoneProblem) problems.push({ path: "autoShutdown.timeZone", value: zone, ...zoneProblem });
  const email = options?.notificationEmail;
  if (email !== undefined && !EMAIL.test(email)) {
    problems.push({
      path: "autoShutdown.notificationEmail",
      message: "is not an email address",
      value: email,
      allowed: "one address such as alice@uni.edu",
    });
  }
  return {
    time: match ? `${match[1]}${match[2]}` : "1900",
    timeZoneId: windowsTimeZone(zone) ?? "UTC",
    ...(email !== undefined ? { notificationEmail: email } : {}),
  };
}

/** Applies defaults and validates. Returns the settings, or every problem found. */
export function normalizeVirtualMachine(
  options: VirtualMachineOptions,
  componentName: string,
): { value: NormalizedVirtualMachine; problems: [] } | { value?: undefined; problems: Problem[] } {
  const { parts, problems } = resolveNameParts(options, componentName);
  const vm = resolveAzureName("virtualMachine", options.vmName, "vmName", parts, problems);
  const names = {
    vm,
    nic: resolveAzureName("networkInterface", undefined, "", parts, problems),
    osDisk: resolveAzureName("managedDisk", undefined, "", parts, problems, "os"),
    publicIp: resolveAzureName("publicIp", undefined, "", parts, problems),
    // The portal and `az vm auto-shutdown` find a VM's schedule by this exact name (Azure/azure-cli #12701).
    schedule: `shutdown-computevm-${vm}`,
  };

  const resolved = resolveImage(options.image, problems);
  if (options.os !== undefined && options.os !== "linux" && options.os !== "windows") {
    problems.push({
      path: "os",
      message: "is not an OS azlab deploys",
      value: options.os,
      allowed: "linux, windows",
    });
  }
  const os: VmOs =
    options.os === "windows" || (options.os === undefined && resolved.os === "windows") ? "windows" : "linux";
  if (options.os !== undefined && resolved.os !== undefined && options.os !== resolved.os) {
    problems.push({
      path: "os",
      message: `does not match the image ${String(options.image)}, which is ${resolved.os}`,
      value: options.os,
      allowed: resolved.os,
    });
  }

  const size = options.size ?? "Standard_B2s";
  if (!/^Standard_[A-Za-z0-9_-]+$/.test(size)) {
    problems.push({
      path: "size",
      message: "is not a VM size",
      value: size,
      allowed: "a size such as Standard_B2s or Standard_D2s_v5",
    });
  }

  const adminUsername = options.adminUsername ?? "azlab";
  problems.push(...adminProblems(adminUsername, os));
  if (os === "linux") {
    problems.push(...sshKeyProblems(options.sshPublicKey, "sshPublicKey"));
    (options.additionalSshPublicKeys ?? []).forEach((key, i) => {
      problems.push(...sshKeyProblems(key, `additionalSshPublicKeys[${i}]`));
    });
    if (options.adminPassword !== undefined) {
      problems.push({
        path: "adminPassword",
        message: "is not used: Linux VMs sign in with SSH keys only, password login is off",
        allowed: "no password; an SSH key in sshPublicKey",
      });
    }
  } else {
    problems.push(...passwordProblems(options.adminPassword));
    if (options.sshPublicKey !== undefined || (options.additionalSshPublicKeys ?? []).length > 0) {
      problems.push({
        path: "sshPublicKey",
        message: "is for Linux VMs: a Windows VM signs in with its admin password",
        allowed: "no SSH key on a Windows VM",
      });
    }
  }

  const computerName = computerNameOf(options, os, parts.at(-1) ?? componentName, problems);

  const osDiskType = options.osDisk?.type ?? "StandardSSD_LRS";
  problems.push(...diskTypeProblems(osDiskType, "osDisk.type", size));
  const osDiskSize = options.osDisk?.sizeGb;
  problems.push(...osDiskSizeProblems(osDiskSize, resolved.osDiskGb));

  const dataDisks = dataDiskSettings(options.dataDisks, size, parts, problems);

  const trustedLaunch = trustedLaunchSetting(options.trustedLaunch, size, resolved.image, problems);
  if (options.customData !== undefined) {
    const bytes = Buffer.byteLength(options.customData, "utf8");
    if (bytes > MAX_CUSTOM_DATA_BYTES) {
      problems.push({
        path: "customData",
        message: `is ${bytes} bytes long`,
        allowed: `at most ${MAX_CUSTOM_DATA_BYTES} bytes`,
      });
    }
  }
  const autoShutdown = autoShutdownOf(options.autoShutdown, problems);

  if (problems.length > 0 || !resolved.image) return { problems };
  return {
    value: {
      names,
      os,
      image: resolved.image,
      size,
      adminUsername,
      computerName,
      osDisk: { type: osDiskType, ...(osDiskSize !== undefined ? { sizeGb: osDiskSize } : {}) },
      dataDisks,
      publicIp: options.publicIp ?? false,
      trustedLaunch,
      ...(options.customData !== undefined ? { customData: options.customData } : {}),
      ...(autoShutdown ? { autoShutdown } : {}),
    },
    problems: [],
  };
}
