import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { VirtualMachine, type VirtualMachineArgs } from "../../components/compute/virtualMachine.ts";
import { ResourceType } from "../../src/azure/catalog.ts";
import { SECRET_MARKER } from "../../src/model/recorded.ts";
import { countByType, registeredBeforeError, resource, run } from "../support/offline.ts";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBxJPsvy5tgU7cH4TSo4Y258D0QybT9JUkO06q8ZtSx5 admin@lab";
const STUDENT_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILGua15+LnzD2YAZbTJr1ney58PosqqhEcM++hEKcwHx student@lab";
const VM = "azure-native:compute:VirtualMachine";
const NIC = "azure-native:network:NetworkInterface";
const SCHEDULE = "azure-native:devtestlab:GlobalSchedule";

const wiring = { resourceGroupName: "rg", location: "westeurope", subnetId: "/subnets/app" };

describe("VirtualMachine", () => {
  it("records a Linux VM with two data disks, a static public IP, ASGs and its shutdown schedule", async () => {
    const args: VirtualMachineArgs = {
      ...wiring,
      nameParts: ["azlab", "dev", "web"],
      sshPublicKey: KEY,
      additionalSshPublicKeys: [STUDENT_KEY],
      adminUsername: "azlabadmin",
      computerName: "web",
      publicIp: true,
      applicationSecurityGroupIds: ["/asg/web"],
      osDisk: { type: "Premium_LRS", sizeGb: 64 },
      dataDisks: {
        logs: { lun: 1, sizeGb: 32, type: "Standard_LRS" },
        data: { lun: 0, sizeGb: 128, type: "Premium_LRS" },
      },
      customData: "#cloud-config\n",
      autoShutdown: { time: "18:30", timeZone: "Europe/Amsterdam", notificationEmail: "alice@uni.edu" },
      tags: { course: "net101" },
    };
    const result = await run(() => {
      const vm = new VirtualMachine("web", args);
      return {
        vmId: vm.vmId,
        vmName: vm.vmName,
        publicIpAddress: vm.publicIpAddress,
        shutdownScheduleId: vm.shutdownScheduleId,
      };
    });
    expect(countByType(result)).toEqual({
      "azlab:compute:VirtualMachine": 1,
      "azlab:network:PublicIp": 1,
      [VM]: 1,
      [SCHEDULE]: 1,
      [NIC]: 1,
      [ResourceType.PublicIPAddress]: 1,
    });
    expect(resource(result, ResourceType.PublicIPAddress, "web-ip").inputs).toEqual({
      publicIpAddressName: "pip-azlab-dev-web",
      idleTimeoutInMinutes: 4,
      location: "westeurope",
      publicIPAddressVersion: "IPv4",
      publicIPAllocationMethod: "Static",
      resourceGroupName: "rg",
      sku: { name: "Standard", tier: "Regional" },
      tags: { course: "net101" },
    });
    expect(resource(result, NIC, "web-nic").inputs).toEqual({
      networkInterfaceName: "nic-azlab-dev-web",
      resourceGroupName: "rg",
      location: "westeurope",
      ipConfigurations: [
        {
          name: "ipconfig",
          primary: true,
          subnet: { id: "/subnets/app" },
          privateIPAllocationMethod: "Dynamic",
          privateIPAddressVersion: "IPv4",
          publicIPAddress: { id: "web-ip-id" },
          applicationSecurityGroups: [{ id: "/asg/web" }],
        },
      ],
      tags: { course: "net101" },
    });
    // The main child takes the component's own name.
    expect(resource(result, VM, "web").inputs).toEqual({
      vmName: "vm-azlab-dev-web",
      resourceGroupName: "rg",
      location: "westeurope",
      hardwareProfile: { vmSize: "Standard_B2s" },
      osProfile: {
        computerName: "web",
        adminUsername: "azlabadmin",
        customData: "I2Nsb3VkLWNvbmZpZwo=",
        linuxConfiguration: {
          disablePasswordAuthentication: true,
          provisionVMAgent: true,
          ssh: {
            publicKeys: [
              { path: "/home/azlabadmin/.ssh/authorized_keys", keyData: KEY },
              { path: "/home/azlabadmin/.ssh/authorized_keys", keyData: STUDENT_KEY },
            ],
          },
        },
      },
      securityProfile: {
        securityType: "TrustedLaunch",
        uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
      },
      storageProfile: {
        imageReference: {
          publisher: "Canonical",
          offer: "0001-com-ubuntu-server-jammy",
          sku: "22_04-lts-gen2",
          version: "latest",
        },
        osDisk: {
          name: "disk-azlab-dev-web-os",
          osType: "Linux",
          createOption: "FromImage",
          caching: "ReadWrite",
          deleteOption: "Delete",
          managedDisk: { storageAccountType: "Premium_LRS" },
          diskSizeGB: 64,
        },
        // Sorted by LUN, whatever the order they were written in.
        dataDisks: [
          {
            name: "disk-azlab-dev-web-data",
            lun: 0,
            createOption: "Empty",
            diskSizeGB: 128,
            caching: "ReadOnly",
            deleteOption: "Delete",
            managedDisk: { storageAccountType: "Premium_LRS" },
          },
          {
            name: "disk-azlab-dev-web-logs",
            lun: 1,
            createOption: "Empty",
            diskSizeGB: 32,
            caching: "ReadOnly",
            deleteOption: "Delete",
            managedDisk: { storageAccountType: "Standard_LRS" },
          },
        ],
      },
      networkProfile: { networkInterfaces: [{ id: "web-nic-id", primary: true, deleteOption: "Delete" }] },
      diagnosticsProfile: { bootDiagnostics: { enabled: true } },
      tags: { course: "net101" },
    });
    expect(resource(result, SCHEDULE, "web-shutdown").inputs).toEqual({
      name: "shutdown-computevm-vm-azlab-dev-web",
      resourceGroupName: "rg",
      location: "westeurope",
      status: "Enabled",
      taskType: "ComputeVmShutdownTask",
      dailyRecurrence: { time: "1830" },
      timeZoneId: "W. Europe Standard Time",
      targetResourceId: "web-id",
      notificationSettings: {
        status: "Enabled",
        timeInMinutes: 30,
        emailRecipient: "alice@uni.edu",
        notificationLocale: "en",
      },
      tags: { course: "net101" },
    });
    expect(result.outputs).toEqual({
      vmId: "web-id",
      // The mock engine answers a resource's name with its logical name.
      vmName: "web",
      publicIpAddress: "203.0.113.10",
      shutdownScheduleId: "web-shutdown-id",
    });
  });

  it("records a Windows VM with a secret password, no public IP and a shutdown without notice", async () => {
    const result = await run(
      () =>
        void new VirtualMachine("win", {
          ...wiring,
          image: "windows-2022",
          adminUsername: "labadmin",
          adminPassword: pulumi.secret("Correct-Horse-9"),
        }),
    );
    expect(countByType(result)).toEqual({
      "azlab:compute:VirtualMachine": 1,
      [VM]: 1,
      [SCHEDULE]: 1,
      [NIC]: 1,
    });
    expect(resource(result, NIC, "win-nic").inputs["ipConfigurations"]).toEqual([
      {
        name: "ipconfig",
        primary: true,
        subnet: { id: "/subnets/app" },
        privateIPAllocationMethod: "Dynamic",
        privateIPAddressVersion: "IPv4",
      },
    ]);
    const vm = resource(result, VM, "win");
    expect(vm.secretInputs).toEqual(["osProfile"]);
    expect(vm.inputs).toEqual({
      vmName: "vm-win",
      resourceGroupName: "rg",
      location: "westeurope",
      hardwareProfile: { vmSize: "Standard_B2s" },
      // Only the password is secret; everything else of the profile stays readable in a plan.
      osProfile: {
        computerName: "win",
        adminUsername: "labadmin",
        adminPassword: SECRET_MARKER,
        windowsConfiguration: { provisionVMAgent: true, enableAutomaticUpdates: true },
      },
      securityProfile: {
        securityType: "TrustedLaunch",
        uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
      },
      storageProfile: {
        imageReference: {
          publisher: "MicrosoftWindowsServer",
          offer: "WindowsServer",
          sku: "2022-datacenter-azure-edition",
          version: "latest",
        },
        osDisk: {
          name: "disk-win-os",
          osType: "Windows",
          createOption: "FromImage",
          caching: "ReadWrite",
          deleteOption: "Delete",
          managedDisk: { storageAccountType: "StandardSSD_LRS" },
        },
        dataDisks: [],
      },
      networkProfile: { networkInterfaces: [{ id: "win-nic-id", primary: true, deleteOption: "Delete" }] },
      diagnosticsProfile: { bootDiagnostics: { enabled: true } },
    });
    expect(resource(result, SCHEDULE, "win-shutdown").inputs).toEqual({
      name: "shutdown-computevm-vm-win",
      resourceGroupName: "rg",
      location: "westeurope",
      status: "Enabled",
      taskType: "ComputeVmShutdownTask",
      dailyRecurrence: { time: "1900" },
      timeZoneId: "UTC",
      targetResourceId: "win-id",
      notificationSettings: { status: "Disabled", timeInMinutes: 30 },
    });
  });

  it("takes a gallery image, turns Trusted Launch off for an unknown generation, and can skip the schedule", async () => {
    const id =
      "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/labimages/images/ubuntu-web";
    const result = await run(
      () =>
        void new VirtualMachine("gal", {
          ...wiring,
          image: { id },
          sshPublicKey: KEY,
          autoShutdown: { enabled: false },
        }),
    );
    expect(countByType(result)).toEqual({ "azlab:compute:VirtualMachine": 1, [VM]: 1, [NIC]: 1 });
    const inputs = resource(result, VM, "gal").inputs;
    expect(inputs["securityProfile"]).toBeUndefined();
    expect((inputs["storageProfile"] as Record<string, unknown>)["imageReference"]).toEqual({ id });
  });

  it("registers nothing, not even the component, and never shows the password, when the input is invalid", async () => {
    const { types, error } = await registeredBeforeError(
      () =>
        void new VirtualMachine("bad", {
          ...wiring,
          os: "windows",
          image: "windows-2025",
          adminUsername: "admin",
          adminPassword: "alllowercase",
          computerName: "a-much-too-long-windows-name",
          dataDisks: { a: { lun: 2, sizeGb: 10 }, b: { lun: 2, sizeGb: 10 } },
        }),
    );
    expect(types).toEqual(["pulumi:pulumi:Stack"]);
    expect(error).toMatchObject({
      name: "UserError",
      message: [
        'VirtualMachine "bad" has invalid arguments:',
        `  - adminUsername: is a name Azure reserves (got "admin"; allowed: at most 20 characters, none of \\ / " [ ] : | < > + = ; , ? * @, not ending in a period, and not one of Azure's reserved names (admin, administrator, root, user, guest, test, ...))`,
        "  - adminPassword: has only 1 of the 4 character classes (allowed: 8 to 123 characters with three of: a lower-case letter, an upper-case letter, a digit, a special character; not a common password Azure refuses)",
        '  - computerName: is not a valid Windows computer name (got "a-much-too-long-windows-name"; allowed: 1 to 15 letters, digits and hyphens, starting and ending with a letter or digit, not only digits)',
        "  - dataDisks.b.lun: is already used by data disk a (got 2; allowed: a LUN from 0 to 63 that no other data disk of this VM uses)",
      ].join("\n"),
    });
    expect(String((error as Error).message)).not.toContain("alllowercase");
  });
});
