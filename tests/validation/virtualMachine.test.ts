import { describe, expect, it } from "vitest";
import { formatProblem, type Problem } from "../../src/errors.ts";
import { normalizeVirtualMachine } from "../../src/validation/virtualMachine.ts";
import { premiumStorageCapable } from "../../src/validation/virtualMachineDisks.ts";
import type { VirtualMachineOptions } from "../../src/validation/virtualMachineTypes.ts";

const lines = (result: { problems: readonly Problem[] }) => result.problems.map((p) => formatProblem(p));

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBxJPsvy5tgU7cH4TSo4Y258D0QybT9JUkO06q8ZtSx5 admin@lab";
const linux: VirtualMachineOptions = { sshPublicKey: KEY };
const windows: VirtualMachineOptions = { image: "windows-2022", adminPassword: "Correct-Horse-9" };

const ADMIN_LINUX =
  "1 to 64 lowercase letters, digits, hyphens or underscores, starting with a letter or underscore, and not one of Azure's reserved names (admin, administrator, root, user, guest, test, ...)";
const ADMIN_WINDOWS =
  "at most 20 characters, none of \\ / \" [ ] : | < > + = ; , ? * @, not ending in a period, and not one of Azure's reserved names (admin, administrator, root, user, guest, test, ...)";
const PASSWORD =
  "8 to 123 characters with three of: a lower-case letter, an upper-case letter, a digit, a special character; not a common password Azure refuses";
const DISK_TYPE = "Standard_LRS (HDD), StandardSSD_LRS or Premium_LRS";

describe("normalizeVirtualMachine", () => {
  it("fills every default for a Linux VM and derives its names from the name parts", () => {
    expect(normalizeVirtualMachine({ ...linux, nameParts: ["azlab", "dev", "web"] }, "ignored")).toEqual({
      value: {
        names: {
          vm: "vm-azlab-dev-web",
          nic: "nic-azlab-dev-web",
          osDisk: "disk-azlab-dev-web-os",
          publicIp: "pip-azlab-dev-web",
          schedule: "shutdown-computevm-vm-azlab-dev-web",
        },
        os: "linux",
        image: {
          kind: "marketplace",
          reference: {
            publisher: "Canonical",
            offer: "0001-com-ubuntu-server-jammy",
            sku: "22_04-lts-gen2",
            version: "latest",
          },
        },
        size: "Standard_B2s",
        adminUsername: "azlab",
        computerName: "web",
        osDisk: { type: "StandardSSD_LRS" },
        dataDisks: [],
        publicIp: false,
        trustedLaunch: true,
        autoShutdown: { time: "1900", timeZoneId: "UTC" },
      },
      problems: [],
    });
  });

  it("takes the OS from a named Windows image and cuts a derived computer name to 15 characters", () => {
    const result = normalizeVirtualMachine(
      { ...windows, nameParts: ["azlab", "a-very-long-vm-name-here"] },
      "x",
    );
    expect(result.value?.os).toBe("windows");
    expect(result.value?.computerName).toBe("a-very-long-vm");
    expect(result.value?.trustedLaunch).toBe(true);
  });

  it("drops a trailing hyphen from a derived computer name", () => {
    expect(normalizeVirtualMachine({ ...linux, nameParts: ["azlab", "web-"] }, "x").value?.computerName).toBe(
      "web",
    );
  });

  it("gives an all-digit derived name a prefix, because Windows refuses it", () => {
    expect(normalizeVirtualMachine({ ...windows, nameParts: ["2024"] }, "x").value?.computerName).toBe(
      "vm2024",
    );
  });

  it("converts the shutdown time and IANA zone to the HHMM and Windows id the schedule takes", () => {
    const result = normalizeVirtualMachine(
      {
        ...linux,
        autoShutdown: { time: "07:05", timeZone: "America/New_York", notificationEmail: "a@b.edu" },
      },
      "web",
    );
    expect(result.value?.autoShutdown).toEqual({
      time: "0705",
      timeZoneId: "Eastern Standard Time",
      notificationEmail: "a@b.edu",
    });
    expect(
      normalizeVirtualMachine({ ...linux, autoShutdown: { enabled: false } }, "web").value?.autoShutdown,
    ).toBe(undefined);
  });

  it("picks caching by disk size: none from 4 TiB, where Azure supports no host caching", () => {
    const result = normalizeVirtualMachine(
      {
        ...linux,
        dataDisks: { big: { lun: 3, sizeGb: 4096 }, small: { lun: 1, sizeGb: 4095, type: "Standard_LRS" } },
      },
      "db",
    );
    expect(result.value?.dataDisks).toEqual([
      {
        key: "small",
        name: "disk-db-small",
        lun: 1,
        sizeGb: 4095,
        type: "Standard_LRS",
        caching: "ReadOnly",
      },
      { key: "big", name: "disk-db-big", lun: 3, sizeGb: 4096, type: "StandardSSD_LRS", caching: "None" },
    ]);
  });

  it.each<[string, VirtualMachineOptions, string[]]>([
    [
      "an unknown named image",
      { ...linux, image: "debian-12" as never },
      [
        'image: is not a known image (got "debian-12"; allowed: ubuntu-22.04, ubuntu-24.04, windows-2022, windows-2025, { publisher, offer, sku, version } or { id } of a gallery image)',
      ],
    ],
    [
      "a gallery id of another resource type",
      {
        ...linux,
        image: { id: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/images/web" },
      },
      [
        'image.id: is not an Azure Compute Gallery image id (got "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/images/web"; allowed: /subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.Compute/galleries/<gallery>/images/<image>, optionally /versions/<latest or 1.2.3>)',
      ],
    ],
    [
      "a marketplace image with a bad version",
      {
        ...linux,
        image: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "v1" },
      },
      [
        'image.version: is not an image version (got "v1"; allowed: "latest" or MAJOR.MINOR.PATCH such as 22.04.202401010)',
      ],
    ],
    [
      "an OS that contradicts the named image",
      { ...windows, os: "linux", sshPublicKey: KEY, adminPassword: undefined },
      ['os: does not match the image windows-2022, which is windows (got "linux"; allowed: windows)'],
    ],
    [
      "a size that is no VM size",
      { ...linux, size: "B2s" },
      ['size: is not a VM size (got "B2s"; allowed: a size such as Standard_B2s or Standard_D2s_v5)'],
    ],
    [
      "a reserved admin name, compared without case",
      { ...linux, adminUsername: "Root" },
      [`adminUsername: is a name Azure reserves (got "Root"; allowed: ${ADMIN_LINUX})`],
    ],
    [
      "a Linux admin name with upper case",
      { ...linux, adminUsername: "LabAdmin" },
      [`adminUsername: is not a valid Linux user name (got "LabAdmin"; allowed: ${ADMIN_LINUX})`],
    ],
    [
      "a Windows admin name over 20 characters",
      { ...windows, adminUsername: "a-very-long-admin-name" },
      [
        `adminUsername: is not a valid Windows user name (got "a-very-long-admin-name"; allowed: ${ADMIN_WINDOWS})`,
      ],
    ],
    [
      "a Windows admin name ending in a period",
      { ...windows, adminUsername: "lab." },
      [`adminUsername: is not a valid Windows user name (got "lab."; allowed: ${ADMIN_WINDOWS})`],
    ],
    [
      "a Linux VM without a key",
      {},
      [
        "sshPublicKey: is missing: password login is always off on Linux, so a key is the only way in (allowed: the contents of a .pub file)",
      ],
    ],
    [
      "a student key that is not one",
      { ...linux, additionalSshPublicKeys: ["ssh-rsa notakey"] },
      [
        'additionalSshPublicKeys[0]: is not an SSH public key: its key data is not valid base64 (got "ssh-rsa notakey"; allowed: one line starting with ssh-rsa, ssh-ed25519 or ecdsa-sha2-nistp256/384/521)',
      ],
    ],
    [
      "a password on a Linux VM",
      { ...linux, adminPassword: "Correct-Horse-9" },
      [
        "adminPassword: is not used: Linux VMs sign in with SSH keys only, password login is off (allowed: no password; an SSH key in sshPublicKey)",
      ],
    ],
    [
      "a Windows VM without a password",
      { image: "windows-2025" },
      [
        "adminPassword: is missing: a Windows VM needs an admin password, and azlab never makes one up (allowed: a secret set with `pulumi config set --secret`)",
      ],
    ],
    [
      "a short password",
      { ...windows, adminPassword: "Ab1!" },
      [`adminPassword: is 4 characters long (allowed: ${PASSWORD})`],
    ],
    [
      "a password Azure refuses by name",
      { ...windows, adminPassword: "P@ssw0rd" },
      [`adminPassword: is a common password Azure refuses (allowed: ${PASSWORD})`],
    ],
    [
      "an SSH key on a Windows VM",
      { ...windows, sshPublicKey: KEY },
      [
        "sshPublicKey: is for Linux VMs: a Windows VM signs in with its admin password (allowed: no SSH key on a Windows VM)",
      ],
    ],
    [
      "a Windows computer name of 16 characters",
      { ...windows, computerName: "abcdefghijklmnop" },
      [
        'computerName: is not a valid Windows computer name (got "abcdefghijklmnop"; allowed: 1 to 15 letters, digits and hyphens, starting and ending with a letter or digit, not only digits)',
      ],
    ],
    [
      "an all-digit Windows computer name",
      { ...windows, computerName: "12345" },
      [
        'computerName: is not a valid Windows computer name (got "12345"; allowed: 1 to 15 letters, digits and hyphens, starting and ending with a letter or digit, not only digits)',
      ],
    ],
    [
      "a Linux computer name with a period",
      { ...linux, computerName: "web.lab" },
      [
        'computerName: is not a valid Linux computer name (got "web.lab"; allowed: 1 to 64 letters, digits and hyphens, starting and ending with a letter or digit)',
      ],
    ],
    [
      "an unknown disk type",
      { ...linux, osDisk: { type: "UltraSSD_LRS" as never } },
      [`osDisk.type: is not a managed disk type azlab offers (got "UltraSSD_LRS"; allowed: ${DISK_TYPE})`],
    ],
    [
      "a Premium disk on a size without premium storage",
      { ...linux, size: "Standard_D2_v3", dataDisks: { data: { lun: 0, sizeGb: 64, type: "Premium_LRS" } } },
      [
        'dataDisks.data.type: needs a Premium Storage capable size, and Standard_D2_v3 is not one (no "s" in its features) (got "Premium_LRS"; allowed: StandardSSD_LRS or Standard_LRS, or a size such as Standard_B2s or Standard_D2s_v5)',
      ],
    ],
    [
      "an OS disk smaller than the image's",
      { ...windows, osDisk: { sizeGb: 64 } },
      [
        "osDisk.sizeGb: is smaller than the image's 127 GiB OS disk (got 64; allowed: an integer from 127 to 4095 (GiB))",
      ],
    ],
    [
      "an OS disk over 4,095 GiB",
      { ...linux, osDisk: { sizeGb: 4096 } },
      ["osDisk.sizeGb: is out of range (got 4096; allowed: an integer from 30 to 4095 (GiB))"],
    ],
    [
      "data disks on one LUN, a LUN out of range and a size out of range",
      {
        ...linux,
        dataDisks: {
          a: { lun: 0, sizeGb: 10 },
          b: { lun: 0, sizeGb: 10 },
          c: { lun: 64, sizeGb: 32768 },
        },
      },
      [
        "dataDisks.b.lun: is already used by data disk a (got 0; allowed: a LUN from 0 to 63 that no other data disk of this VM uses)",
        "dataDisks.c.lun: is out of range (got 64; allowed: an integer from 0 to 63)",
        "dataDisks.c.sizeGb: is out of range (got 32768; allowed: an integer from 1 to 32767)",
      ],
    ],
    [
      "a data disk name Azure names cannot hold",
      { ...linux, dataDisks: { "Data Disk": { lun: 0, sizeGb: 10 } } },
      [
        'dataDisks.Data Disk: is not a valid data disk name (got "Data Disk"; allowed: 1 to 31 lowercase letters, digits and hyphens)',
      ],
    ],
    [
      "Trusted Launch on a size Microsoft lists as unsupported",
      { ...linux, size: "Standard_D2_v3", trustedLaunch: true },
      [
        "trustedLaunch: cannot be on for Standard_D2_v3: Microsoft lists the Dv3-series as not supporting Trusted Launch (got true; allowed: false, or a size that supports it such as Standard_B2s or Standard_D2s_v5)",
      ],
    ],
    [
      "Trusted Launch on a generation 1 image",
      {
        ...linux,
        image: { publisher: "Canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts" },
        trustedLaunch: true,
      },
      [
        "trustedLaunch: cannot be on for a generation 1 image (got true; allowed: false, or a generation 2 image such as ubuntu-22.04 or windows-2022)",
      ],
    ],
    [
      "a shutdown time, zone and email that are none",
      {
        ...linux,
        autoShutdown: { time: "7pm", timeZone: "W. Europe Standard Time", notificationEmail: "alice" },
      },
      [
        'autoShutdown.time: is not a time of day (got "7pm"; allowed: HH:MM, 24-hour, such as 19:00)',
        'autoShutdown.timeZone: is a Windows time zone id; write the IANA name, azlab converts it for Azure Monitor (got "W. Europe Standard Time"; allowed: an IANA time zone name such as "Europe/Amsterdam", "America/New_York" or "UTC" (one that CLDR 48 maps to a Windows id))',
        'autoShutdown.notificationEmail: is not an email address (got "alice"; allowed: one address such as alice@uni.edu)',
      ],
    ],
    [
      "custom data over 64 KiB",
      { ...linux, customData: "x".repeat(65536) },
      ["customData: is 65536 bytes long (allowed: at most 65535 bytes)"],
    ],
  ])("refuses %s", (_case, options, expected) => {
    expect(lines(normalizeVirtualMachine(options, "web"))).toEqual(expected);
  });

  it("never shows a password, only the rule it breaks", () => {
    const shown = lines(normalizeVirtualMachine({ ...windows, adminPassword: "nouppercase1!" }, "win"));
    expect(shown).toEqual([]);
    const refused = lines(normalizeVirtualMachine({ ...windows, adminPassword: "onlylower" }, "win"));
    expect(refused).toEqual([`adminPassword: has only 1 of the 4 character classes (allowed: ${PASSWORD})`]);
    expect(refused.join("\n")).not.toContain("onlylower");
  });

  it("passes a secret it cannot read: a non-string password or key", () => {
    expect(
      lines(normalizeVirtualMachine({ image: "windows-2022", adminPassword: { secret: true } }, "w")),
    ).toEqual([]);
  });
});

describe("premiumStorageCapable", () => {
  it.each([
    ["Standard_B2s", true],
    ["Standard_B1ls", true],
    ["Standard_D2s_v5", true],
    ["Standard_D2as_v5", true],
    ["Standard_DS2_v2", true],
    ["Standard_D2_v5", false],
    ["Standard_A2_v2", false],
    ["Standard_B2", false],
  ])("%s: %s", (size, capable) => {
    expect(premiumStorageCapable(size)).toBe(capable);
  });

  it("leaves a name outside the naming convention to Azure", () => {
    expect(premiumStorageCapable("Standard_Custom")).toBeUndefined();
  });
});
