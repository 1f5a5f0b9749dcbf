/**
 * Defaults and validation for the VirtualMachine component: one Linux or Windows VM with its NIC, OS and
 * data disks, an optional static public IP and Azure's auto-shutdown schedule. Every problem is collected
 * so the user fixes them in one pass; a secret (the Windows password) is never shown in a message.
 */
import type { Problem } from "../errors.ts";
import { timeZoneProblem, windowsTimeZone } from "../schedule/timeZones.ts";
import { integerProblems, isIntIn } from "./checks.ts";
import { resolveAzureName, resolveNameParts, type AzureNaming } from "./names.ts";
import { UBUNTU_IMAGES, imageGeneration, trustedLaunchSupport } from "./scaleSet/index.ts";
import { adminProblems, computerNameOf, passwordProblems, sshKeyProblems } from "./virtualMachineSignIn.ts";

export type VmOs = "linux" | "windows";
export const DISK_TYPES = ["Standard_LRS", "StandardSSD_LRS", "Premium_LRS"] as const;
export type DiskType = (typeof DISK_TYPES)[number];

export interface MarketplaceImage {
  /** Marketplace publisher, for example `Canonical`. Required. */
  readonly publisher: string;
  /** Marketplace offer, for example `ubuntu-24_04-lts`. Required. */
  readonly offer: string;
  /** Marketplace image SKU, for example `server`. Required. */
  readonly sku: string;
  /** `latest` or a version such as `22.04.202401010`. Defaults to `latest`. */
  readonly version?: string;
}

export interface GalleryImage {
  /**
   * Resource id of an Azure Compute Gallery image definition (the newest version is used) or of one of its
   * versions: `/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Compute/galleries/<gallery>/images/<image>[/versions/<version>]`.
   */
  readonly id: string;
}

/** Named images: Ubuntu (the scale set's) and Windows Server Azure Edition, both generation 2. */
export const VM_IMAGES = {
  "ubuntu-22.04": { os: "linux", image: UBUNTU_IMAGES["ubuntu-22.04"], osDiskGb: 30 },
  "ubuntu-24.04": { os: "linux", image: UBUNTU_IMAGES["ubuntu-24.04"], osDiskGb: 30 },
  "windows-2022": {
    os: "windows",
    image: {
      publisher: "MicrosoftWindowsServer",
      offer: "WindowsServer",
      sku: "2022-datacenter-azure-edition",
      version: "latest",
    },
    osDiskGb: 127,
  },
  "windows-2025": {
    os: "windows",
    image: {
      publisher: "MicrosoftWindowsServer",
      offer: "WindowsServer",
      sku: "2025-datacenter-azure-edition",
      version: "latest",
    },
    osDiskGb: 127,
  },
} as const satisfies Record<string, { os: VmOs; image: Required<MarketplaceImage>; osDiskGb: number }>;
export type VmImageName = keyof typeof VM_IMAGES;

/**
 * Windows Server Azure Edition is published for generation 2 only (`az vm image list --publisher
 * MicrosoftWindowsServer --offer WindowsServer --sku azure-edition --all` lists hyperVGeneration V2), so
 * Trusted Launch can be on by default like on the generation 2 Ubuntu images.
 */
const WINDOWS_GEN2_SKUS = /^20(22|25)-datacenter-azure-edition(-core)?(-smalldisk)?$/i;

export interface DataDiskOptions {
  /** Logical unit number, 0–63, unique per VM. Required. */
  readonly lun: number;
  /** Size in GiB, 1–32767. Required. */
  readonly sizeGb: number;
  /** `Standard_LRS` (HDD), `StandardSSD_LRS` or `Premium_LRS`. Defaults to `StandardSSD_LRS`. */
  readonly type?: DiskType;
}

export interface AutoShutdownOptions {
  /** Whether the schedule is on. Defaults to true: a forgotten lab VM stops billing for compute at night. */
  readonly enabled?: boolean;
  /** Daily shutdown time, `HH:MM` (24-hour) in `timeZone`. Defaults to `19:00`. */
  readonly time?: string;
  /** IANA time zone of `time`; azlab converts it to the Windows id Azure takes. Defaults to `UTC`. */
  readonly timeZone?: string;
  /** Who is told 30 minutes before the shutdown. Defaults to nobody (notifications off). */
  readonly notificationEmail?: string;
}

/** The plain (non-Output) settings of a VirtualMachine. */
export interface VirtualMachineOptions extends AzureNaming {
  /**
   * Azure name of the VM. Defaults to `vm-<nameParts>`; the NIC (`nic-`), public IP (`pip-`) and disks
   * (`disk-…-os`, `disk-…-<data disk>`) take the same parts.
   */
  readonly vmName?: string;
  /** `linux` or `windows`. Defaults to the named image's OS, else `linux`. */
  readonly os?: VmOs;
  /** A named image, a marketplace image or an Azure Compute Gallery image id. Defaults to `ubuntu-22.04`. */
  readonly image?: VmImageName | MarketplaceImage | GalleryImage;
  /** VM size. Defaults to `Standard_B2s`. */
  readonly size?: string;
  /** Admin user. Defaults to `azlab`. Azure's reserved names (admin, root, ...) are refused. */
  readonly adminUsername?: string;
  /** Linux only, required there: the admin's SSH public key. Password login is always off on Linux. */
  readonly sshPublicKey?: unknown;
  /** Linux only: more keys for the admin user, such as a class student's own. Defaults to none. */
  readonly additionalSshPublicKeys?: readonly unknown[];
  /**
   * Windows only, required there: the admin password, as a secret. A plain string is checked against
   * Azure's rules (8–123 characters, 3 of 4 character classes); a secret Output passes unchecked.
   */
  readonly adminPassword?: unknown;
  /** Host name. Defaults to the last name part: at most 15 characters on Windows, 64 on Linux. */
  readonly computerName?: string;
  /** OS disk. Defaults to `StandardSSD_LRS` at the image's size. */
  readonly osDisk?: { readonly type?: DiskType; readonly sizeGb?: number };
  /** Empty data disks keyed by name. Defaults to none. */
  readonly dataDisks?: Readonly<Record<string, DataDiskOptions>>;
  /** A Standard static public IP on the NIC. Defaults to false: reach the VM through the lab's own path. */
  readonly publicIp?: boolean;
  /** Trusted Launch (secure boot and vTPM). Defaults to on where the size and image are known to support it. */
  readonly trustedLaunch?: boolean;
  /** Custom data (cloud-init on Linux), at most 64 KiB; azlab base64-encodes it. Defaults to none. */
  readonly customData?: string;
  /** Azure's daily auto-shutdown. Defaults to on at 19:00 UTC without notifications. */
  readonly autoShutdown?: AutoShutdownOptions;
}

export interface NormalizedDataDisk {
  readonly key: string;
  readonly name: string;
  readonly lun: number;
  readonly sizeGb: number;
  readonly type: DiskType;
  readonly caching: "None" | "ReadOnly";
}

/** The options with every default applied. */
export interface NormalizedVirtualMachine {
  readonly names: {
    readonly vm: string;
    readonly nic: string;
    readonly osDisk: string;
    readonly publicIp: string;
    readonly schedule: string;
  };
  readonly os: VmOs;
  readonly image:
    | { readonly kind: "marketplace"; readonly reference: Required<MarketplaceImage> }
    | {
        readonly kind: "gallery";
        readonly id: string;
      };
  readonly size: string;
  readonly adminUsername: string;
  readonly computerName: string;
  readonly osDisk: { readonly type: DiskType; readonly sizeGb?: number };
  /** Sorted by LUN. */
  readonly dataDisks: readonly NormalizedDataDisk[];
  readonly publicIp: boolean;
  readonly trustedLaunch: boolean;
  readonly customData?: string;
  readonly autoShutdown?: {
    /** `HHMM`, the form DevTest Labs schedules take. */
    readonly time: string;
    readonly timeZoneId: string;
    readonly notificationEmail?: string;
  };
}

/** Azure custom data is limited to 64 KiB before base64 ("Custom data and cloud-init on Azure VMs"). */
const MAX_CUSTOM_DATA_BYTES = 65535;
/** "Azure managed disk types": Premium SSD, Standard SSD and Standard HDD go up to 32,767 GiB. */
const MAX_DATA_DISK_GB = 32767;
/** "Introduction to Azure managed disks": an OS disk holds at most 4,095 GiB (MBR partitioning). */
const MAX_OS_DISK_GB = 4095;
/** Host caching is not supported on disks of 4 TiB and more ("Azure premium storage: design for high performance"). */
const CACHING_LIMIT_GB = 4096;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const EMAIL = /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/**
 * An Azure Compute Gallery image definition or version id ("Store and share images in an Azure Compute
 * Gallery": `.../galleries/<gallery>/images/<definition>/versions/<version>`, the version `latest` or
 * MAJOR.MINOR.PATCH).
 */
const GALLERY_IMAGE_ID =
  /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w.()]+\/providers\/Microsoft\.Compute\/galleries\/[A-Za-z0-9_.]+\/images\/[A-Za-z0-9_.-]+(\/versions\/(latest|\d+\.\d+\.\d+))?$/i;

/** The OS a named image implies, and the image in ARM's form; undefined image when it is unknown. */
function resolveImage(
  image: VirtualMachineOptions["image"],
  problems: Problem[],
): { image?: NormalizedVirtualMachine["image"]; os?: VmOs; osDiskGb?: number } {
  if (image === undefined || typeof image === "string") {
    const named = VM_IMAGES[(image ?? "ubuntu-22.04") as VmImageName] as
      (typeof VM_IMAGES)[VmImageName] | undefined;
    if (!named || !Object.hasOwn(VM_IMAGES, image ?? "ubuntu-22.04")) {
      problems.push({
        path: "image",
        message: "is not a known image",
        value: image,
        allowed: `${Object.keys(VM_IMAGES).join(", ")}, { publisher, offer, sku, version } or { id } of a gallery image`,
      });
      return {};
    }
    return {
      image: { kind: "marketplace", reference: { ...named.image } },
      os: named.os,
      osDiskGb: named.osDiskGb,
    };
  }
  if (typeof image !== "object" || image === null) {
    problems.push({
      path: "image",
      message: "is not an image",
      value: image,
      allowed: "a name, { publisher, offer, sku, version } or { id }",
    });
    return {};
  }
  if ("id" in image) {
    if (typeof image.id !== "string" || !GALLERY_IMAGE_ID.test(image.id)) {
      problems.push({
        path: "image.id",
        message: "is not an Azure Compute Gallery image id",
        value: image.id,
        allowed:
          "/subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.Compute/galleries/<gallery>/images/<image>, optionally /versions/<latest or 1.2.3>",
      });
      return {};
    }
    return { image: { kind: "gallery", id: image.id } };
  }
  let ok = true;
  for (const field of ["publisher", "offer", "sku"] as const) {
    const value: unknown = image[field];
    if (typeof value !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) {
      ok = false;
      problems.push({
        path: `image.${field}`,
        message: value === undefined ? "is missing" : "is not a marketplace image name",
        ...(value === undefined ? {} : { value }),
        allowed: "letters, digits, periods, hyphens and underscores, as `az vm image list` shows them",
      });
    }
  }
  const version = image.version ?? "latest";
  if (version !== "latest" && !/^\d+\.\d+\.\d+$/.test(version)) {
    ok = false;
    problems.push({
      path: "image.version",
      message: "is not an image version",
      value: version,
      allowed: `"latest" or MAJOR.MINOR.PATCH such as 22.04.202401010`,
    });
  }
  if (!ok) return {};
  return {
    image: {
      kind: "marketplace",
      reference: { publisher: image.publisher, offer: image.offer, sku: image.sku, version },
    },
  };
}

/**
 * Premium SSDs need a size whose name carries `s` (Premium Storage capable) in its additive features, or
 * the older DS and GS families ("Azure virtual machine sizes naming conventions"). Undefined when the
 * name does not follow the convention: then Azure decides.
 */
export function premiumStorageCapable(size: string): boolean | undefined {
  const parts = /^Standard_([A-Z]+)(\d+)(?:-\d+)?([a-z]*)(?:_v\d+)?$/.exec(size);
  if (!parts) return undefined;
  return parts[3]!.includes("s") || /^[DG]S$/.test(parts[1]!);
}

/** Generation of the image where azlab knows it: its named images, Canonical's SKUs, Azure Edition. */
function generationOf(image: NormalizedVirtualMachine["image"] | undefined): 1 | 2 | undefined {
  if (!image || image.kind === "gallery") return undefined;
  const ref = image.reference;
  if (ref.publisher.toLowerCase() === "microsoftwindowsserver" && WINDOWS_GEN2_SKUS.test(ref.sku)) return 2;
  return imageGeneration(ref);
}

function trustedLaunchSetting(
  requested: boolean | undefined,
  size: string,
  image: NormalizedVirtualMachine["image"] | undefined,
  problems: Problem[],
): boolean {
  const support = trustedLaunchSupport(size);
  const generation = generationOf(image);
  if (requested === undefined) return support?.supported === true && generation === 2;
  if (!requested) return false;
  // Azure rejects these creates ("Trusted Launch for Azure virtual machines": listed sizes, generation 2 images).
  if (support?.supported === false) {
    problems.push({
      path: "trustedLaunch",
      message: `cannot be on for ${size}: Microsoft lists the ${support.series} as not supporting Trusted Launch`,
      value: true,
      allowed: "false, or a size that supports it such as Standard_B2s or Standard_D2s_v5",
    });
  }
  if (generation === 1) {
    problems.push({
      path: "trustedLaunch",
      message: "cannot be on for a generation 1 image",
      value: true,
      allowed: "false, or a generation 2 image such as ubuntu-22.04 or windows-2022",
    });
  }
  return true;
}

function diskTypeProblems(type: unknown, path: string, size: string): Problem[] {
  if (!DISK_TYPES.includes(type as DiskType)) {
    return [
      {
        path,
        message: "is not a managed disk type azlab offers",
        value: type,
        allowed: "Standard_LRS (HDD), StandardSSD_LRS or Premium_LRS",
      },
    ];
  }
  if (type === "Premium_LRS" && premiumStorageCapable(size) === false) {
    return [
      {
        path,
        message: `needs a Premium Storage capable size, and ${size} is not one (no "s" in its features)`,
        value: type,
        allowed: "StandardSSD_LRS or Standard_LRS, or a size such as Standard_B2s or Standard_D2s_v5",
      },
    ];
  }
  return [];
}

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
  if (osDiskSize !== undefined) {
    const minimum = resolved.osDiskGb ?? 1;
    if (!isIntIn(osDiskSize, minimum, MAX_OS_DISK_GB)) {
      problems.push({
        path: "osDisk.sizeGb",
        message:
          isIntIn(osDiskSize, 1, minimum - 1) && resolved.osDiskGb !== undefined
            ? `is smaller than the image's ${resolved.osDiskGb} GiB OS disk`
            : "is out of range",
        value: osDiskSize,
        allowed: `an integer from ${minimum} to ${MAX_OS_DISK_GB} (GiB)`,
      });
    }
  }

  const dataDisks: NormalizedDataDisk[] = [];
  const lunOwners = new Map<number, string>();
  for (const [key, disk] of Object.entries(options.dataDisks ?? {})) {
    const path = `dataDisks.${key}`;
    if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(key)) {
      problems.push({
        path,
        message: "is not a valid data disk name",
        value: key,
        allowed: "1 to 31 lowercase letters, digits and hyphens",
      });
    }
    problems.push(...integerProblems(disk.lun, 0, 63, `${path}.lun`));
    problems.push(...integerProblems(disk.sizeGb, 1, MAX_DATA_DISK_GB, `${path}.sizeGb`));
    const type = disk.type ?? "StandardSSD_LRS";
    problems.push(...diskTypeProblems(type, `${path}.type`, size));
    // ARM refuses two data disks on one LUN: the LUN is how the guest tells them apart.
    const owner = lunOwners.get(disk.lun);
    if (owner !== undefined) {
      problems.push({
        path: `${path}.lun`,
        message: `is already used by data disk ${owner}`,
        value: disk.lun,
        allowed: "a LUN from 0 to 63 that no other data disk of this VM uses",
      });
    } else if (isIntIn(disk.lun, 0, 63)) {
      lunOwners.set(disk.lun, key);
    }
    dataDisks.push({
      key,
      name: resolveAzureName("managedDisk", undefined, "", parts, problems, key),
      lun: disk.lun,
      sizeGb: disk.sizeGb,
      type,
      caching: disk.sizeGb >= CACHING_LIMIT_GB ? "None" : "ReadOnly",
    });
  }
  dataDisks.sort((a, b) => a.lun - b.lun);

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
