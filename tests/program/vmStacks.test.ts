/**
 * `azlab:vms` from the stack file through pre-flight and the real program: every student of a class gets
 * each VM with their own SSH key and their own shutdown notice; problems are reported at the key written.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { formatProblem } from "../../src/errors.ts";
import { loadStackFile } from "../../src/config/stackFile.ts";
import { preflight } from "../../src/program/preflight.ts";
import { planStackOffline } from "../../src/program/offline.ts";
import { vmArgs } from "../../src/program/vmArgs.ts";
import { usagesOf } from "../../src/cost/usage.ts";
import { DEFAULT_ASSUMPTIONS } from "../../src/cost/types.ts";
import { ofType, resource } from "../support/offline.ts";
import { runCli } from "../support/cli.ts";

const ADMIN =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILGua15+LnzD2YAZbTJr1ney58PosqqhEcM++hEKcwHx instructor@azlab";
const KEYS = {
  alice: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBxJPsvy5tgU7cH4TSo4Y258D0QybT9JUkO06q8ZtSx5 alice@laptop",
  bob: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA bob@laptop",
};
const VM = "azure-native:compute:VirtualMachine";
const SCHEDULE = "azure-native:devtestlab:GlobalSchedule";
const NIC = "azure-native:network:NetworkInterface";

/** A class of three students with one Linux VM; `edit` changes the config before it is written. */
function classConfig(): Record<string, unknown> {
  return {
    "azure-native:location": "westeurope",
    "azlab:environment": "class",
    "azlab:location": "westeurope",
    "azlab:owner": "instructor@example.edu",
    "azlab:namePrefix": "lab",
    "azlab:adminSshPublicKey": ADMIN,
    "azlab:network": { subnets: { app: { prefixLength: 26 } } },
    "azlab:nsg": { applicationSecurityGroups: { web: {} } },
    "azlab:class": {
      courseId: "cloud-101",
      instructor: "instructor@example.edu",
      expiresOn: "2027-01-31",
      timeZone: "Europe/Amsterdam",
      sourceCidrs: ["145.100.0.0/16"],
      supernet: "10.128.0.0/16",
      students: {
        alice: { email: "alice@uni.edu", sshPublicKeys: [KEYS.alice] },
        bob: { email: "bob@uni.edu", sshPublicKeys: [KEYS.bob] },
        carol: {},
      },
    },
    "azlab:vms": { web: { subnet: "app", applicationSecurityGroups: ["web"] } },
  };
}

function stackPath(config: Record<string, unknown>, stack: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "azlab-vm-")), `Pulumi.${stack}.yaml`);
  writeFileSync(path, stringify({ config }));
  return path;
}

function writeStack(config: Record<string, unknown>, stack = "vmclass") {
  return loadStackFile(stackPath(config, stack), stack);
}

function problemsOf(config: Record<string, unknown>): string[] {
  const loaded = writeStack(config);
  return preflight(loaded.stack, loaded.config, undefined).problems.map((p) => formatProblem(p));
}

describe("azlab:vms in a class of three", () => {
  it("gives every student their own VM, with their own SSH key and their own shutdown notice", async () => {
    const result = await planStackOffline(writeStack(classConfig()));
    expect(
      ofType(result, VM)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["alice-web-vm", "bob-web-vm", "carol-web-vm"]);
    const keysOf = (student: string) =>
      (
        (resource(result, VM, `${student}-web-vm`).inputs["osProfile"] as Record<string, never>)[
          "linuxConfiguration"
        ]["ssh"] as { publicKeys: { keyData: string }[] }
      ).publicKeys.map((k) => k.keyData);
    expect(keysOf("alice")).toEqual([ADMIN, KEYS.alice]);
    expect(keysOf("bob")).toEqual([ADMIN, KEYS.bob]);
    // carol has no key of her own in the roster: only the instructor's.
    expect(keysOf("carol")).toEqual([ADMIN]);

    const schedule = (student: string) => resource(result, SCHEDULE, `${student}-web-vm-shutdown`).inputs;
    expect(schedule("alice")).toEqual({
      name: "shutdown-computevm-vm-lab-vmclass-alice-web",
      resourceGroupName: "rg-lab-vmclass-alice",
      location: "westeurope",
      status: "Enabled",
      taskType: "ComputeVmShutdownTask",
      // No class hours in this stack: 19:00 in the class's time zone.
      dailyRecurrence: { time: "1900" },
      timeZoneId: "W. Europe Standard Time",
      targetResourceId: "alice-web-vm-id",
      notificationSettings: {
        status: "Enabled",
        timeInMinutes: 30,
        emailRecipient: "alice@uni.edu",
        notificationLocale: "en",
      },
      tags: {
        course: "cloud-101",
        environment: "class",
        "expires-on": "2027-01-31",
        "managed-by": "azlab",
        owner: "instructor@example.edu",
        student: "alice",
      },
    });
    const recipient = (student: string) =>
      (schedule(student)["notificationSettings"] as Record<string, unknown>)["emailRecipient"];
    expect(recipient("bob")).toBe("bob@uni.edu");
    // Without an email in the roster, the instructor is told.
    expect(recipient("carol")).toBe("instructor@example.edu");

    // Each NIC joins its own environment's group, in its own subnet, with no public address.
    const nic = resource(result, NIC, "bob-web-vm-nic").inputs;
    expect(nic["ipConfigurations"]).toEqual([
      {
        name: "ipconfig",
        primary: true,
        subnet: { id: "bob-net-app-id" },
        privateIPAllocationMethod: "Dynamic",
        privateIPAddressVersion: "IPv4",
        applicationSecurityGroups: [{ id: "bob-nsg-web-id" }],
      },
    ]);
    // The class hub gets no VM.
    expect(ofType(result, VM).some((r) => r.name.startsWith("hub"))).toBe(false);
  });

  it("shuts down at the end of class hours, in their time zone, when the stack has them", () => {
    const config = classConfig();
    config["azlab:scaleSet"] = {
      subnet: "app",
      autoscale: {
        schedules: {
          morning: {
            days: ["Monday"],
            startTime: "08:00",
            endTime: "12:00",
            timeZone: "America/New_York",
            min: 1,
            default: 1,
            max: 2,
          },
          evening: {
            days: ["Tuesday"],
            startTime: "18:00",
            endTime: "21:30",
            timeZone: "Asia/Tokyo",
            min: 1,
            default: 1,
            max: 2,
          },
        },
      },
    };
    const loaded = writeStack(config);
    const plan = preflight(loaded.stack, loaded.config, undefined).plan!;
    const args = vmArgs(plan, plan.environments["alice"]!, "web", {
      resourceGroupName: "rg",
      location: "westeurope",
      subnetId: "s",
      sshPublicKey: ADMIN,
    });
    // The later end of the two windows, in its own zone: no VM stops during either.
    expect(args.autoShutdown).toEqual({
      time: "21:30",
      timeZone: "Asia/Tokyo",
      notificationEmail: "alice@uni.edu",
    });
  });
});

describe("azlab:vms problems at the key the user wrote", () => {
  it("refuses a Windows VM without azlab:windowsAdminPassword, naming the VM", () => {
    const config = classConfig();
    config["azlab:vms"] = { win: { subnet: "app", image: "windows-2022" } };
    expect(problemsOf(config)).toEqual([
      "azlab:windowsAdminPassword: is missing: azlab:vms.win is a Windows VM, which needs an admin password, and azlab never makes one up (allowed: a secret, set with `pulumi config set --secret azlab:windowsAdminPassword <password>`)",
    ]);
  });

  it("names the file too when `azlab validate` refuses it, with no stack trace", async () => {
    const config = classConfig();
    config["azlab:vms"] = { win: { subnet: "app", image: "windows-2022" } };
    const path = stackPath(config, "vmclass");
    const result = await runCli(["validate", "--config-file", path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `azlab: ${path}: 1 problem in the stack config:\n` +
        `  - ${path}: azlab:windowsAdminPassword: is missing: azlab:vms.win is a Windows VM, which needs an admin password, and azlab never makes one up (allowed: a secret, set with \`pulumi config set --secret azlab:windowsAdminPassword <password>\`)\n`,
    );
  });

  it("accepts a Windows VM whose password is a secure value, and refuses a plain one without showing it", () => {
    const config = classConfig();
    config["azlab:vms"] = { win: { subnet: "app", image: "windows-2022" } };
    config["azlab:windowsAdminPassword"] = { secure: "v1:Zm9vYmFy" };
    expect(problemsOf(config)).toEqual([]);
    config["azlab:windowsAdminPassword"] = "Correct-Horse-9";
    expect(() => writeStack(config)).toThrow(
      "azlab:windowsAdminPassword: must be a secure value: a plain-text password would sit in the stack file (allowed: a secret, set with `pulumi config set --secret azlab:windowsAdminPassword <password>`)",
    );
    expect(() => writeStack(config)).not.toThrow(/Correct-Horse-9/);
  });

  it("reports the validator's problems under azlab:vms.<name>", () => {
    const config = classConfig();
    config["azlab:vms"] = {
      db: {
        subnet: "app",
        size: "Standard_D2_v3",
        adminUsername: "root",
        osDisk: { type: "Premium_LRS" },
        dataDisks: { a: { lun: 1, sizeGb: 10 }, b: { lun: 1, sizeGb: 10 } },
        autoShutdown: { time: "19:00", timeZone: "Mars/Olympus" },
      },
    };
    expect(problemsOf(config)).toEqual([
      `azlab:vms.db.adminUsername: is a name Azure reserves (got "root"; allowed: 1 to 64 lowercase letters, digits, hyphens or underscores, starting with a letter or underscore, and not one of Azure's reserved names (admin, administrator, root, user, guest, test, ...))`,
      'azlab:vms.db.osDisk.type: needs a Premium Storage capable size, and Standard_D2_v3 is not one (no "s" in its features) (got "Premium_LRS"; allowed: StandardSSD_LRS or Standard_LRS, or a size such as Standard_B2s or Standard_D2s_v5)',
      "azlab:vms.db.dataDisks.b.lun: is already used by data disk a (got 1; allowed: a LUN from 0 to 63 that no other data disk of this VM uses)",
      'azlab:vms.db.autoShutdown.timeZone: is not an IANA time zone name (got "Mars/Olympus"; allowed: an IANA time zone name such as "Europe/Amsterdam", "America/New_York" or "UTC" (one that CLDR 48 maps to a Windows id))',
    ]);
  });

  it("reports a default shutdown zone at the key it came from", () => {
    const config = classConfig();
    (config["azlab:class"] as Record<string, unknown>)["timeZone"] = "Antarctica/Troll";
    expect(problemsOf(config)).toContain(
      'azlab:class.timeZone: has no Windows time zone id in CLDR 48 (got "Antarctica/Troll"; allowed: an IANA time zone name such as "Europe/Amsterdam", "America/New_York" or "UTC" (one that CLDR 48 maps to a Windows id))',
    );
  });

  it("refuses an unknown subnet and an undeclared application security group", () => {
    const config = classConfig();
    config["azlab:vms"] = { web: { subnet: "db", applicationSecurityGroups: ["web", "admins"] } };
    expect(problemsOf(config)).toEqual([
      'azlab:vms.web.subnet: names no subnet of azlab:network.subnets (got "db"; allowed: app)',
      'azlab:vms.web.applicationSecurityGroups[1]: names no application security group of azlab:nsg.applicationSecurityGroups (got "admins"; allowed: web)',
    ]);
  });

  it("reports a problem every student shares once", () => {
    const config = classConfig();
    config["azlab:vms"] = { web: { subnet: "app", image: "ubuntu-24.04", computerName: "web.lab" } };
    expect(problemsOf(config)).toEqual([
      'azlab:vms.web.computerName: is not a valid Linux computer name (got "web.lab"; allowed: 1 to 64 letters, digits and hyphens, starting and ending with a letter or digit)',
    ]);
  });
});

describe("azlab:vms in dev and prod", () => {
  function devConfig(environment: "dev" | "prod"): Record<string, unknown> {
    return {
      "azure-native:location": "westeurope",
      "azlab:environment": environment,
      "azlab:location": "westeurope",
      "azlab:owner": "platform-team@example.edu",
      "azlab:adminSshPublicKey": ADMIN,
      "azlab:network": { addressSpace: "10.20.0.0/16", subnets: { app: { prefixLength: 24 } } },
      "azlab:vms": {
        web: {
          subnet: "app",
          publicIp: true,
          dataDisks: { data: { lun: 0, sizeGb: 64, type: "Premium_LRS" }, logs: { lun: 1, sizeGb: 32 } },
        },
      },
    };
  }

  it("gives dev one VM with its public IP, a shutdown notice to the owner, and bills its VM and disks", async () => {
    const result = await planStackOffline(writeStack(devConfig("dev"), "dev"));
    expect(ofType(result, VM).map((r) => r.name)).toEqual(["dev-web-vm"]);
    expect(resource(result, NIC, "dev-web-vm-nic").inputs["ipConfigurations"]).toEqual([
      {
        name: "ipconfig",
        primary: true,
        subnet: { id: "dev-net-app-id" },
        privateIPAllocationMethod: "Dynamic",
        privateIPAddressVersion: "IPv4",
        publicIPAddress: { id: "dev-web-vm-ip-id" },
      },
    ]);
    const schedule = resource(result, SCHEDULE, "dev-web-vm-shutdown").inputs;
    expect(schedule["timeZoneId"]).toBe("UTC");
    expect((schedule["notificationSettings"] as Record<string, unknown>)["emailRecipient"]).toBe(
      "platform-team@example.edu",
    );
    const vm = resource(result, VM, "dev-web-vm");
    expect(usagesOf(vm, DEFAULT_ASSUMPTIONS, undefined)).toEqual([
      {
        meter: "vm:Standard_B2s",
        category: "compute",
        units: { kind: "count", classCount: 1, idleCount: 1 },
      },
      {
        meter: "disk:StandardSSD_LRS:E4",
        category: "storage",
        units: { kind: "count", classCount: 1, idleCount: 1 },
      },
      {
        meter: "disk:Premium_LRS:P10",
        category: "storage",
        units: { kind: "count", classCount: 1, idleCount: 1 },
      },
      {
        meter: "disk:StandardSSD_LRS:E4",
        category: "storage",
        units: { kind: "count", classCount: 1, idleCount: 1 },
      },
    ]);
    expect(usagesOf(resource(result, SCHEDULE, "dev-web-vm-shutdown"), DEFAULT_ASSUMPTIONS, undefined)).toBe(
      "free",
    );
  });

  it("leaves prod's VMs running at night unless the stack asks for the shutdown", () => {
    const loaded = writeStack(devConfig("prod"), "prod");
    const plan = preflight(loaded.stack, loaded.config, undefined).plan!;
    const args = vmArgs(plan, plan.environments["prod"]!, "web", {
      resourceGroupName: "rg",
      location: "westeurope",
      subnetId: "s",
      sshPublicKey: ADMIN,
    });
    expect(args.autoShutdown).toEqual({ enabled: false });
  });

  it("bills a Windows VM on a meter of its own, which the price table does not have", async () => {
    const config = devConfig("dev");
    config["azlab:vms"] = { win: { subnet: "app", image: "windows-2022" } };
    config["azlab:windowsAdminPassword"] = { secure: "v1:Zm9vYmFy" };
    const result = await planStackOffline(writeStack(config, "dev"));
    const vm = resource(result, VM, "dev-win-vm");
    expect(vm.secretInputs).toEqual(["osProfile"]);
    expect(usagesOf(vm, DEFAULT_ASSUMPTIONS, undefined)).toEqual([
      {
        meter: "vm-windows:Standard_B2s",
        category: "compute",
        units: { kind: "count", classCount: 1, idleCount: 1 },
      },
      // Windows images have a 127 GiB OS disk: the E10 (128 GiB) tier.
      {
        meter: "disk:StandardSSD_LRS:E10",
        category: "storage",
        units: { kind: "count", classCount: 1, idleCount: 1 },
      },
    ]);
  });
});
