/** The ScaleSet's VM profile: admin user, SSH key, size, image, cloud-init, host names and zones. */
import type { Problem } from "../../errors.ts";
import { sshPublicKeyFault } from "../../azure/sshPublicKey.ts";
import { zoneProblems } from "../publicIp.ts";
import {
  AUTOMATIC_OS_UPGRADE_IMAGES,
  DEFAULT_CLOUD_INIT,
  RESERVED_ADMIN_NAMES,
  UBUNTU_IMAGES,
  imageGeneration,
  supportsAutomaticOsUpgrade,
  trustedLaunchSupport,
} from "./defaults.ts";
import type { ImageSpec, NormalizedScaleSet, ScaleSetOptions } from "./types.ts";
import { defaultComputerNamePrefix } from "../../naming/azureNames.ts";

const ADMIN_ALLOWED =
  "1 to 64 lowercase letters, digits, hyphens or underscores, starting with a letter or underscore, and not one of Azure's reserved names (admin, administrator, root, user, guest, test, ...)";

/** Azure custom data is limited to 64 KiB before base64 ("Custom data and cloud-init on Azure VMs"). */
const MAX_CUSTOM_DATA_BYTES = 65535;

export type NormalizedVm = Pick<
  NormalizedScaleSet,
  | "adminUsername"
  | "vmSize"
  | "image"
  | "automaticOsUpgrade"
  | "trustedLaunch"
  | "cloudInit"
  | "computerNamePrefix"
  | "osDiskType"
  | "zones"
>;

function adminProblems(adminUsername: string): Problem[] {
  if (RESERVED_ADMIN_NAMES.includes(adminUsername.toLowerCase())) {
    return [
      {
        path: "adminUsername",
        message: "is a name Azure reserves",
        value: adminUsername,
        allowed: ADMIN_ALLOWED,
      },
    ];
  }
  if (!/^[a-z_][a-z0-9_-]{0,63}$/.test(adminUsername)) {
    return [
      {
        path: "adminUsername",
        message: "is not a valid Linux user name",
        value: adminUsername,
        allowed: ADMIN_ALLOWED,
      },
    ];
  }
  return [];
}

/** A plain key is checked; a secret or other Output cannot be read here and passes. */
function sshKeyProblems(key: unknown): Problem[] {
  if (key === undefined || key === "") {
    return [
      {
        path: "sshPublicKey",
        message: "is missing: password login is always off, so a key is the only way in",
        allowed: "the contents of a .pub file",
      },
    ];
  }
  if (typeof key !== "string") return [];
  if (key.includes("PRIVATE KEY")) {
    // Show no value: it is a secret the user pasted by mistake.
    return [
      { path: "sshPublicKey", message: "holds a private key", allowed: "the contents of the .pub file" },
    ];
  }
  const fault = sshPublicKeyFault(key);
  if (fault !== undefined) {
    return [
      {
        path: "sshPublicKey",
        message:
          fault.kind === "shape" ? "is not an SSH public key" : `is not an SSH public key: ${fault.reason}`,
        value: key.slice(0, 20),
        allowed: "one line starting with ssh-rsa, ssh-ed25519 or ecdsa-sha2-nistp256/384/521",
      },
    ];
  }
  return [];
}

/**
 * Trusted Launch: on by default only where the size table and the image's generation say Azure accepts
 * it. An explicit `true` is refused only on a size or image known not to support it, because Azure
 * rejects that create ("Trusted Launch for Azure virtual machines": generation 2 images, listed sizes).
 */
function trustedLaunchSetting(
  requested: boolean | undefined,
  vmSize: string,
  image: ImageSpec | undefined,
  problems: Problem[],
): boolean {
  const size = trustedLaunchSupport(vmSize);
  const generation = image ? imageGeneration(image) : undefined;
  if (requested === undefined) return size?.supported === true && generation === 2;
  if (!requested) return false;
  if (size?.supported === false) {
    problems.push({
      path: "trustedLaunch",
      message: `cannot be on for ${vmSize}: Microsoft lists the ${size.series} as not supporting Trusted Launch`,
      value: true,
      allowed: "false, or a size that supports it such as Standard_B2s or Standard_D2s_v5",
    });
  }
  if (image && generation === 1) {
    problems.push({
      path: "trustedLaunch",
      message: `cannot be on for ${image.publisher}:${image.offer}:${image.sku}, a generation 1 image`,
      value: true,
      allowed: "false, or a generation 2 image such as ubuntu-22.04 (22_04-lts-gen2)",
    });
  }
  return true;
}

/** Applies the VM defaults and collects their problems into `problems`. */
export function normalizeVm(
  options: ScaleSetOptions,
  componentName: string,
  problems: Problem[],
): NormalizedVm {
  const adminUsername = options.adminUsername ?? "azlab";
  problems.push(...adminProblems(adminUsername), ...sshKeyProblems(options.sshPublicKey));
  (options.additionalSshPublicKeys ?? []).forEach((key, i) => {
    const at = `additionalSshPublicKeys[${i}]`;
    problems.push(...sshKeyProblems(key).map((p) => ({ ...p, path: at })));
  });
  const vmSize = options.sku ?? "Standard_B2s";
  if (!/^Standard_[A-Za-z0-9_]+$/.test(vmSize)) {
    problems.push({
      path: "sku",
      message: "is not a VM size",
      value: vmSize,
      allowed: "a size such as Standard_B2s or Standard_D2s_v5",
    });
  }
  const image =
    typeof options.image === "object" ? options.image : UBUNTU_IMAGES[options.image ?? "ubuntu-22.04"];
  const listed = image !== undefined && supportsAutomaticOsUpgrade(image);
  const automaticOsUpgrade = options.automaticOsUpgrade ?? listed;
  if (!image) {
    problems.push({
      path: "image",
      message: "is not a known image",
      value: options.image,
      allowed: `"ubuntu-22.04", "ubuntu-24.04" or { publisher, offer, sku, version }`,
    });
  } else if (automaticOsUpgrade && !listed) {
    // Azure refuses the create ("Automatic OS Upgrade cannot be enabled..."): see AUTOMATIC_OS_UPGRADE_IMAGES.
    problems.push({
      path: "automaticOsUpgrade",
      message: `cannot be on for ${image.publisher}:${image.offer}:${image.sku}, which Microsoft does not list for automatic OS image upgrades`,
      value: true,
      allowed: `false, or an image listed for it: ${AUTOMATIC_OS_UPGRADE_IMAGES.map((i) => `${i.publisher}:${i.offer}:${i.sku}`).join(", ")}`,
    });
  } else if (automaticOsUpgrade && image.version !== "latest") {
    problems.push({
      path: "image.version",
      message: "must be latest because automatic OS upgrades are on",
      value: image.version,
      allowed: `"latest"`,
    });
  }
  const trustedLaunch = trustedLaunchSetting(options.trustedLaunch, vmSize, image, problems);
  const cloudInit = options.cloudInit ?? DEFAULT_CLOUD_INIT;
  const bytes = Buffer.byteLength(cloudInit, "utf8");
  if (bytes > MAX_CUSTOM_DATA_BYTES) {
    problems.push({
      path: "cloudInit",
      message: `is ${bytes} bytes long`,
      allowed: `at most ${MAX_CUSTOM_DATA_BYTES} bytes`,
    });
  }
  const computerNamePrefix = options.computerNamePrefix ?? defaultComputerNamePrefix(componentName);
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,14}$/.test(computerNamePrefix)) {
    problems.push({
      path: "computerNamePrefix",
      message: "is not a valid host name prefix",
      value: computerNamePrefix,
      allowed: "1 to 15 letters, digits or hyphens, starting with a letter or digit",
    });
  }
  const zones = [...(options.zones ?? [])];
  problems.push(...zoneProblems(zones, "zones"));
  return {
    adminUsername,
    vmSize,
    image: image ?? UBUNTU_IMAGES["ubuntu-22.04"],
    automaticOsUpgrade: automaticOsUpgrade && listed,
    trustedLaunch,
    cloudInit,
    computerNamePrefix,
    osDiskType: options.osDiskType ?? "StandardSSD_LRS",
    zones,
  };
}
