/** Defaults and fixed names of the ScaleSet component, shared by its validator and the component. */
import type { ImageSpec } from "./types.ts";

/** cloud-init that installs nginx and serves a page naming the instance, so LB spreading is visible. */
export const DEFAULT_CLOUD_INIT = [
  "#cloud-config",
  "package_update: true",
  "packages:",
  "  - nginx",
  "runcmd:",
  `  - [sh, -c, 'echo "<h1>azlab: served by $(hostname)</h1>" > /var/www/html/index.html']`,
  "  - [systemctl, enable, --now, nginx]",
  "",
].join("\n");

/** The Ubuntu images azlab names; only some of them support automatic OS image upgrades (below). */
export const UBUNTU_IMAGES: Record<"ubuntu-24.04" | "ubuntu-22.04", ImageSpec> = {
  "ubuntu-24.04": { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" },
  "ubuntu-22.04": {
    publisher: "Canonical",
    offer: "0001-com-ubuntu-server-jammy",
    sku: "22_04-lts-gen2",
    version: "latest",
  },
};

/**
 * Linux marketplace images that automatic OS image upgrades accept: the Canonical rows of "Supported OS
 * images" in "Azure Virtual Machine Scale Set automatic OS image upgrades" (azure-compute-docs,
 * articles/virtual-machine-scale-sets/virtual-machine-scale-sets-automatic-upgrade.md, as of mid-2026).
 * The Ubuntu 24.04 row lists only `server-arm64`, so the x64 `server` SKU is rejected with "Automatic OS
 * Upgrade cannot be enabled...". Deliberately short: an image missing here only turns the feature off,
 * while a wrong entry fails the deployment.
 */
export const AUTOMATIC_OS_UPGRADE_IMAGES: readonly Omit<ImageSpec, "version">[] = [
  { publisher: "Canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts" },
  { publisher: "Canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts-gen2" },
  { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server-arm64" },
];

/** Whether Microsoft lists `image` for automatic OS image upgrades (Azure compares these names without case). */
export function supportsAutomaticOsUpgrade(image: ImageSpec): boolean {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return AUTOMATIC_OS_UPGRADE_IMAGES.some(
    (listed) =>
      same(listed.publisher, image.publisher) &&
      same(listed.offer, image.offer) &&
      same(listed.sku, image.sku),
  );
}

/** Admin names Azure refuses for VMs and scale sets (compared without case). */
export const RESERVED_ADMIN_NAMES: readonly string[] = [
  "administrator",
  "admin",
  "user",
  "user1",
  "test",
  "user2",
  "test1",
  "user3",
  "admin1",
  "1",
  "123",
  "a",
  "actuser",
  "adm",
  "admin2",
  "aspnet",
  "backup",
  "console",
  "david",
  "guest",
  "john",
  "owner",
  "root",
  "server",
  "sql",
  "support",
  "support_388945a0",
  "sys",
  "test2",
  "test3",
  "user4",
  "user5",
];

/** Fixed names of the LB's sub-resources; the scale set refers to them by id. */
export const LB_NAMES = {
  frontend: "frontend",
  backendPool: "backend",
  probe: "health",
  outbound: "outbound",
  natPool: "ssh",
};

/** Azure's limit on autoscale profiles per setting: one default plus a start and an end profile per schedule. */
export const MAX_SCHEDULES = 9;
export const WEEKDAYS: readonly string[] = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
];

/**
 * Trusted Launch by VM size, from the size table of "Trusted Launch for Azure virtual machines"
 * (learn.microsoft.com/azure/virtual-machines/trusted-launch, "Virtual machines sizes"). Deliberately
 * short: the families azlab's stacks and docs use, and the families that page lists as not supported.
 * A size in neither list is "unknown": azlab does not turn Trusted Launch on by itself, and leaves an
 * explicit `trustedLaunch: true` to Azure. Each pattern matches a whole size name.
 */
export const TRUSTED_LAUNCH_SIZES: {
  readonly supported: readonly { readonly series: string; readonly pattern: RegExp }[];
  readonly unsupported: readonly { readonly series: string; readonly pattern: RegExp }[];
} = {
  supported: [
    { series: "B-series", pattern: /^Standard_B\d+(ls|s|ms)$/i },
    { series: "Dsv2-series", pattern: /^Standard_DS\d+_v2$/i },
    { series: "Dsv3-series", pattern: /^Standard_D\d+s_v3$/i },
    { series: "Dv4, Dsv4, Ddv4, Ddsv4, Dav4 and Dasv4-series", pattern: /^Standard_D\d+(s|d|ds|a|as)?_v4$/i },
    {
      series: "Dv5, Dsv5, Ddv5, Ddsv5, Dasv5, Dadsv5, Dlsv5 and Dldsv5-series",
      pattern: /^Standard_D\d+(s|d|ds|as|ads|ls|lds)?_v5$/i,
    },
    { series: "Fsv2-series", pattern: /^Standard_F\d+s_v2$/i },
    { series: "Esv3-series", pattern: /^Standard_E\d+s_v3$/i },
    { series: "Ev4, Esv4, Edv4, Edsv4, Eav4 and Easv4-series", pattern: /^Standard_E\d+(s|d|ds|a|as)?_v4$/i },
  ],
  unsupported: [
    { series: "Av2-series", pattern: /^Standard_A\d+m?_v2$/i },
    { series: "Dv2-series", pattern: /^Standard_D\d+_v2$/i },
    { series: "Dv3-series", pattern: /^Standard_D\d+_v3$/i },
    // M, Msv2, Mdsv2 and Mv2: the whole M family, including constrained-vCPU names such as M8-2ms.
    { series: "M-series", pattern: /^Standard_M\d+/i },
  ],
};

/** Whether the size table says `size` supports Trusted Launch; undefined when the size is in neither list. */
export function trustedLaunchSupport(size: string): { supported: boolean; series: string } | undefined {
  for (const supported of [true, false]) {
    const list = supported ? TRUSTED_LAUNCH_SIZES.supported : TRUSTED_LAUNCH_SIZES.unsupported;
    const hit = list.find((entry) => entry.pattern.test(size));
    if (hit) return { supported, series: hit.series };
  }
  return undefined;
}

/**
 * Hyper-V generation of the marketplace images azlab knows. Trusted Launch needs a generation 2 image
 * (same page, "Trusted Launch ... of generation 2 VMs"); Canonical publishes Gen1 and Gen2 as separate
 * SKUs (`az vm image list --publisher Canonical --all` shows `hyperVGeneration`). Unknown images: undefined.
 */
export const IMAGE_GENERATIONS: readonly (Omit<ImageSpec, "version"> & { readonly generation: 1 | 2 })[] = [
  { publisher: "Canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts", generation: 1 },
  { publisher: "Canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts-gen2", generation: 2 },
  { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", generation: 2 },
  { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server-gen1", generation: 1 },
];

export function imageGeneration(image: ImageSpec): 1 | 2 | undefined {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return IMAGE_GENERATIONS.find(
    (known) =>
      same(known.publisher, image.publisher) && same(known.offer, image.offer) && same(known.sku, image.sku),
  )?.generation;
}
