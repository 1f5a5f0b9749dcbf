/**
 * The VirtualMachine component's option and normalized types, and the named images azlab offers: plain
 * data shared by the validator (./virtualMachine.ts), its image and disk rules and the component.
 */
import { UBUNTU_IMAGES } from "./scaleSet/index.ts";
import type { AzureNaming } from "./names.ts";

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
