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
