/**
 * A standalone Linux or Windows VM: its NIC (optionally with a Standard static public IP and in application
 * security groups), a managed OS disk, empty managed data disks, and Azure's daily auto-shutdown schedule
 * with a notice 30 minutes before.
 *
 * Arguments are checked by src/validation/virtualMachine.ts before anything is registered. Linux VMs take
 * SSH keys only; a Windows VM takes its admin password as a secret and azlab never makes one up.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute/index.js";
import * as devtestlab from "@pulumi/azure-native/devtestlab/index.js";
import * as network from "@pulumi/azure-native/network/index.js";
import { logicalName } from "../../src/naming/azureNames.ts";
import { normalizeVirtualMachine } from "../../src/validation/virtualMachine.ts";
import type { VirtualMachineOptions } from "../../src/validation/virtualMachineTypes.ts";
import { PublicIp } from "../network/publicIp.ts";
import { valueOrThrow } from "../shared/validated.ts";
import { TRUSTED_LAUNCH_PROFILE } from "../shared/trustedLaunch.ts";

export type {
  AutoShutdownOptions,
  DataDiskOptions,
  DiskType,
  GalleryImage,
  MarketplaceImage,
  VmImageName,
  VmOs,
} from "../../src/validation/virtualMachineTypes.ts";
export { VM_IMAGES } from "../../src/validation/virtualMachineTypes.ts";

export interface VirtualMachineArgs extends VirtualMachineOptions {
  /** Resource group of every resource. Required. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region. Required. */
  readonly location: pulumi.Input<string>;
  /** Subnet of the NIC. Required. */
  readonly subnetId: pulumi.Input<string>;
  /** Linux only, required there: the admin's SSH public key. */
  readonly sshPublicKey?: pulumi.Input<string>;
  /** Linux only: more keys for the admin user, such as a class student's own. Defaults to none. */
  readonly additionalSshPublicKeys?: readonly pulumi.Input<string>[];
  /** Windows only, required there: the admin password. Pass a secret (`pulumi.secret` or a secret config value). */
  readonly adminPassword?: pulumi.Input<string>;
  /**
   * Application security groups the NIC joins, by resource id. Defaults to none. Azure requires them in the
   * NIC's region, and all members of one group in one VNet.
   */
  readonly applicationSecurityGroupIds?: readonly pulumi.Input<string>[];
  /** Tags for every resource. Defaults to none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The NIC's one IP configuration, by the name other resources would refer to it with. */
const IP_CONFIGURATION = "ipconfig";

export class VirtualMachine extends pulumi.ComponentResource {
  /** Azure resource id of the VM. */
  readonly vmId: pulumi.Output<string>;
  /** Azure name of the VM. */
  readonly vmName: pulumi.Output<string>;
  /** The NIC's private address (dynamic, so known once the NIC exists). */
  readonly privateIpAddress: pulumi.Output<string | undefined>;
  /** The static public address; only when `publicIp` is on. */
  readonly publicIpAddress?: pulumi.Output<string | undefined>;
  /** Azure resource id of the auto-shutdown schedule; only when it is on. */
  readonly shutdownScheduleId?: pulumi.Output<string>;

  constructor(name: string, args: VirtualMachineArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super() so that invalid input registers nothing, not even the component.
    const s = valueOrThrow(
      normalizeVirtualMachine(args, name),
      `VirtualMachine "${name}" has invalid arguments:`,
    );
    super("azlab:compute:VirtualMachine", name, {}, opts);
    const wiring = { resourceGroupName: args.resourceGroupName, location: args.location };

    let publicIp: PublicIp | undefined;
    if (s.publicIp) {
      publicIp = new PublicIp(
        logicalName(name, "ip"),
        { publicIpName: s.names.publicIp, ...wiring, tags: args.tags },
        { parent: this },
      );
    }

    const nic = new network.NetworkInterface(
      logicalName(name, "nic"),
      {
        networkInterfaceName: s.names.nic,
        ...wiring,
        ipConfigurations: [
          {
            name: IP_CONFIGURATION,
            primary: true,
            subnet: { id: args.subnetId },
            privateIPAllocationMethod: "Dynamic",
            privateIPAddressVersion: "IPv4",
            ...(publicIp ? { publicIPAddress: { id: publicIp.publicIpId } } : {}),
            ...(args.applicationSecurityGroupIds?.length
              ? { applicationSecurityGroups: args.applicationSecurityGroupIds.map((id) => ({ id })) }
              : {}),
          },
        ],
        tags: args.tags,
      },
      { parent: this },
    );

    const linux = s.os === "linux";
    const osProfile = linux
      ? {
          computerName: s.computerName,
          adminUsername: s.adminUsername,
          linuxConfiguration: {
            disablePasswordAuthentication: true,
            provisionVMAgent: true,
            // Every key goes to the admin's authorized_keys (ARM SshPublicKey.path; Azure appends to the file).
            ssh: {
              publicKeys: [args.sshPublicKey!, ...(args.additionalSshPublicKeys ?? [])].map((keyData) => ({
                path: `/home/${s.adminUsername}/.ssh/authorized_keys`,
                keyData,
              })),
            },
          },
        }
      : {
          computerName: s.computerName,
          adminUsername: s.adminUsername,
          // Kept secret even when the caller passed a plain string, so it never shows in a plan or state diff.
          adminPassword: pulumi.secret(args.adminPassword!),
          windowsConfiguration: { provisionVMAgent: true, enableAutomaticUpdates: true },
        };

    const vm = new compute.VirtualMachine(
      name,
      {
        vmName: s.names.vm,
        ...wiring,
        hardwareProfile: { vmSize: s.size },
        osProfile: {
          ...osProfile,
          ...(s.customData !== undefined
            ? { customData: Buffer.from(s.customData, "utf8").toString("base64") }
            : {}),
        },
        ...(s.trustedLaunch ? { securityProfile: TRUSTED_LAUNCH_PROFILE } : {}),
        storageProfile: {
          imageReference: s.image.kind === "gallery" ? { id: s.image.id } : { ...s.image.reference },
          osDisk: {
            name: s.names.osDisk,
            // Said even for an image: the plan and the estimate read the OS here, where no secret hides it.
            osType: linux ? "Linux" : "Windows",
            createOption: "FromImage",
            caching: "ReadWrite",
            // Deleted with the VM: a lab's teardown must not leave billed disks behind.
            deleteOption: "Delete",
            managedDisk: { storageAccountType: s.osDisk.type },
            ...(s.osDisk.sizeGb !== undefined ? { diskSizeGB: s.osDisk.sizeGb } : {}),
          },
          dataDisks: s.dataDisks.map((disk) => ({
            name: disk.name,
            lun: disk.lun,
            createOption: "Empty",
            diskSizeGB: disk.sizeGb,
            caching: disk.caching,
            deleteOption: "Delete",
            managedDisk: { storageAccountType: disk.type },
          })),
        },
        networkProfile: {
          networkInterfaces: [{ id: nic.id, primary: true, deleteOption: "Delete" }],
        },
        // Managed boot diagnostics: the serial console works without a storage account of azlab's.
        diagnosticsProfile: { bootDiagnostics: { enabled: true } },
        tags: args.tags,
      },
      { parent: this },
    );

    if (s.autoShutdown) {
      const shutdown = s.autoShutdown;
      // Auto-shutdown of a VM outside DevTest Labs: a Microsoft.DevTestLab/schedules resource named after the
      // VM with task type ComputeVmShutdownTask (learn.microsoft.com/azure/templates/microsoft.devtestlab/schedules;
      // learn.microsoft.com/azure/virtual-machines/auto-shutdown-vm). Time is HHMM in a Windows time zone id.
      const schedule = new devtestlab.GlobalSchedule(
        logicalName(name, "shutdown"),
        {
          name: s.names.schedule,
          ...wiring,
          status: "Enabled",
          taskType: "ComputeVmShutdownTask",
          dailyRecurrence: { time: shutdown.time },
          timeZoneId: shutdown.timeZoneId,
          targetResourceId: vm.id,
          notificationSettings:
            shutdown.notificationEmail !== undefined
              ? {
                  status: "Enabled",
                  timeInMinutes: 30,
                  emailRecipient: shutdown.notificationEmail,
                  notificationLocale: "en",
                }
              : { status: "Disabled", timeInMinutes: 30 },
          tags: args.tags,
        },
        { parent: this },
      );
      this.shutdownScheduleId = schedule.id;
    }

    this.vmId = vm.id;
    this.vmName = vm.name;
    this.privateIpAddress = nic.ipConfigurations.apply((configs) => configs?.[0]?.privateIPAddress);
    if (publicIp) this.publicIpAddress = publicIp.ipAddress;
    this.registerOutputs({
      vmId: this.vmId,
      vmName: this.vmName,
      privateIpAddress: this.privateIpAddress,
      publicIpAddress: this.publicIpAddress,
      shutdownScheduleId: this.shutdownScheduleId,
    });
  }
}
