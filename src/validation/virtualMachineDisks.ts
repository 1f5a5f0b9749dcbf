/**
 * A standalone VM's managed disks: the OS disk's and data disks' types, sizes and LUNs, checked against
 * the size's Premium Storage support and Azure's disk limits.
 */
import type { Problem } from "../errors.ts";
import { integerProblems, isIntIn } from "./checks.ts";
import { resolveAzureName } from "./names.ts";
import {
  DISK_TYPES,
  type DiskType,
  type NormalizedDataDisk,
  type VirtualMachineOptions,
} from "./virtualMachineTypes.ts";

/** "Azure managed disk types": Premium SSD, Standard SSD and Standard HDD go up to 32,767 GiB. */
const MAX_DATA_DISK_GB = 32767;
/** "Introduction to Azure managed disks": an OS disk holds at most 4,095 GiB (MBR partitioning). */
const MAX_OS_DISK_GB = 4095;
/** Host caching is not supported on disks of 4 TiB and more ("Azure premium storage: design for high performance"). */
const CACHING_LIMIT_GB = 4096;

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

export function diskTypeProblems(type: unknown, path: string, size: string): Problem[] {
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

/** The OS disk's size: at least the image's own OS disk where the image is known, at most MBR's limit. */
export function osDiskSizeProblems(
  osDiskSize: number | undefined,
  imageOsDiskGb: number | undefined,
): Problem[] {
  const problems: Problem[] = [];
  if (osDiskSize !== undefined) {
    const minimum = imageOsDiskGb ?? 1;
    if (!isIntIn(osDiskSize, minimum, MAX_OS_DISK_GB)) {
      problems.push({
        path: "osDisk.sizeGb",
        message:
          isIntIn(osDiskSize, 1, minimum - 1) && imageOsDiskGb !== undefined
            ? `is smaller than the image's ${imageOsDiskGb} GiB OS disk`
            : "is out of range",
        value: osDiskSize,
        allowed: `an integer from ${minimum} to ${MAX_OS_DISK_GB} (GiB)`,
      });
    }
  }
  return problems;
}

/** The data disks with their Azure names and host caching, sorted by LUN; problems are added to `problems`. */
export function dataDiskSettings(
  options: VirtualMachineOptions["dataDisks"],
  size: string,
  parts: readonly string[],
  problems: Problem[],
): NormalizedDataDisk[] {
  const dataDisks: NormalizedDataDisk[] = [];
  const lunOwners = new Map<number, string>();
  for (const [key, disk] of Object.entries(options ?? {})) {
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
  return dataDisks;
}
