/**
 * A Linux VM scale set behind a Standard load balancer, with rolling upgrades gated by the LB health
 * probe and CPU autoscale (plus optional class-hour schedules).
 *
 * Arguments are checked by src/validation/scaleSet before anything is registered. The load balancer's
 * properties and the autoscale profiles are built in the sibling modules; the scale set is a separate
 * resource, so it refers to the LB's pool and probe by absolute ids built from the LB's id.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute/index.js";
import * as monitor from "@pulumi/azure-native/monitor/index.js";
import * as network from "@pulumi/azure-native/network/index.js";
import type * as inputs from "@pulumi/azure-native/types/input.js";
import { logicalName } from "../../src/naming/azureNames.ts";
import {
  LB_NAMES,
  normalizeScaleSet,
  type LoadBalancerOptions,
  type ScaleSetOptions,
} from "../../src/validation/scaleSet/index.ts";
import { PublicIp } from "../network/publicIp.ts";
import { autoscaleProfiles } from "./autoscaleProfiles.ts";
import { loadBalancerProperties } from "./loadBalancerProperties.ts";
import { valueOrThrow } from "../shared/validated.ts";
import { TRUSTED_LAUNCH_PROFILE } from "../shared/trustedLaunch.ts";

export type {
  AutoscaleOptions,
  CpuRuleOptions,
  HealthProbeOptions,
  ImageSpec,
  LoadBalancingRuleOptions,
  LoadDistribution,
  ScheduleOptions,
  Weekday,
} from "../../src/validation/scaleSet/index.ts";
export { DEFAULT_CLOUD_INIT, UBUNTU_IMAGES } from "../../src/validation/scaleSet/index.ts";

/** The load balancer's frontend, with the wiring the validator only checks for presence. */
export interface LoadBalancerSpec extends LoadBalancerOptions {
  /** An existing PublicIp component for the frontend. Defaults to a new Standard one. Public only. */
  readonly publicIp?: PublicIp;
  /** Subnet of the internal frontend. Defaults to the scale set's `subnetId`. Internal only. */
  readonly frontendSubnetId?: pulumi.Input<string>;
}

export interface ScaleSetArgs extends ScaleSetOptions {
  /** Resource group of every resource. Required. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region. Required. */
  readonly location: pulumi.Input<string>;
  /** Subnet of the instances' NICs. Required. */
  readonly subnetId: pulumi.Input<string>;
  /** SSH public key (`ssh-rsa`, `ssh-ed25519` or `ecdsa-sha2-*`). Required; password login is always off. */
  readonly sshPublicKey: pulumi.Input<string>;
  /** More SSH public keys for the admin user, such as a class student's own. Defaults to none. */
  readonly additionalSshPublicKeys?: readonly pulumi.Input<string>[];
  /**
   * Application security groups every instance's NIC joins, by resource id. Defaults to none. Azure requires
   * them in the NIC's region, and all members of one group in one VNet.
   */
  readonly applicationSecurityGroupIds?: readonly pulumi.Input<string>[];
  /** Load balancer frontend. Defaults to a public Standard LB on a new Standard public IP. */
  readonly loadBalancer?: LoadBalancerSpec;
  /** Tags for every resource. Defaults to none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class ScaleSet extends pulumi.ComponentResource {
  /** Address of the LB frontend: the public IP, or the private address of an internal LB. */
  readonly frontendIpAddress: pulumi.Output<string | undefined>;
  /** DNS name of the frontend; only when the public IP has a DNS label. */
  readonly fqdn?: pulumi.Output<string | undefined>;
  /** Azure resource id of the LB backend pool. */
  readonly backendPoolId: pulumi.Output<string>;
  /** Azure name of the scale set. */
  readonly vmssName: pulumi.Output<string>;
  /** Principal id of the scale set's system-assigned identity, e.g. for AcrPull. */
  readonly vmssPrincipalId: pulumi.Output<string>;
  /** Azure resource id of the autoscale setting. */
  readonly autoscaleSettingId: pulumi.Output<string>;
  /** Azure resource id of the load balancer. */
  readonly loadBalancerId: pulumi.Output<string>;
  /** Frontend ports of the inbound NAT pool, one per instance, mapped to SSH; only when it is on. */
  readonly sshPorts?: { readonly first: number; readonly last: number };

  constructor(name: string, args: ScaleSetArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super() so that invalid input registers nothing, not even the component.
    const s = valueOrThrow(normalizeScaleSet(args, name), `ScaleSet "${name}" has invalid arguments:`);
    super("azlab:compute:ScaleSet", name, {}, opts);

    const publicLb = s.loadBalancer.type === "public";
    let publicIp: PublicIp | undefined;
    if (publicLb) {
      publicIp =
        args.loadBalancer?.publicIp ??
        new PublicIp(
          logicalName(name, "frontend"),
          {
            publicIpName: s.names.publicIp,
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            zones: s.loadBalancer.zones,
            ...(s.loadBalancer.dnsLabel !== undefined ? { dnsLabel: s.loadBalancer.dnsLabel } : {}),
            tags: args.tags,
          },
          { parent: this },
        );
    }

    const frontend: inputs.network.FrontendIPConfigurationArgs = publicIp
      ? { name: LB_NAMES.frontend, publicIPAddress: { id: publicIp.publicIpId } }
      : {
          name: LB_NAMES.frontend,
          subnet: { id: args.loadBalancer?.frontendSubnetId ?? args.subnetId },
          privateIPAddressVersion: "IPv4",
          ...(s.loadBalancer.privateIpAddress !== undefined
            ? { privateIPAllocationMethod: "Static", privateIPAddress: s.loadBalancer.privateIpAddress }
            : { privateIPAllocationMethod: "Dynamic" }),
          ...(s.loadBalancer.zones.length > 0 ? { zones: [...s.loadBalancer.zones] } : {}),
        };

    const lb = new network.LoadBalancer(
      logicalName(name, "lb"),
      {
        loadBalancerName: s.names.loadBalancer,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        ...loadBalancerProperties(s, frontend),
        tags: args.tags,
      },
      { parent: this },
    );
    const backendPoolId = pulumi.interpolate`${lb.id}/backendAddressPools/${LB_NAMES.backendPool}`;
    const probeId = pulumi.interpolate`${lb.id}/probes/${LB_NAMES.probe}`;

    const vmss = new compute.VirtualMachineScaleSet(
      name,
      {
        vmScaleSetName: s.names.vmss,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        sku: { name: s.vmSize, tier: "Standard", capacity: s.instanceCount },
        // Uniform: the mode in which LB health probes drive rolling upgrades and NAT pools apply.
        orchestrationMode: "Uniform",
        overprovision: false,
        ...(s.zones.length > 0 ? { zones: [...s.zones] } : {}),
        identity: { type: "SystemAssigned" },
        upgradePolicy: {
          mode: "Rolling",
          rollingUpgradePolicy: {
            maxBatchInstancePercent: 20,
            maxUnhealthyInstancePercent: 20,
            maxUnhealthyUpgradedInstancePercent: 20,
            pauseTimeBetweenBatches: "PT0S",
          },
          // Only on images Microsoft lists for it; the validator decided (AUTOMATIC_OS_UPGRADE_IMAGES).
          automaticOSUpgradePolicy: {
            enableAutomaticOSUpgrade: s.automaticOsUpgrade,
            disableAutomaticRollback: false,
            useRollingUpgradePolicy: true,
          },
        },
        virtualMachineProfile: {
          osProfile: {
            computerNamePrefix: s.computerNamePrefix,
            adminUsername: s.adminUsername,
            customData: Buffer.from(s.cloudInit, "utf8").toString("base64"),
            linuxConfiguration: {
              disablePasswordAuthentication: true,
              provisionVMAgent: true,
              // Every key goes to the admin user's authorized_keys (ARM SshPublicKey.path; Azure appends to the file).
              ssh: {
                publicKeys: [args.sshPublicKey, ...(args.additionalSshPublicKeys ?? [])].map((keyData) => ({
                  path: `/home/${s.adminUsername}/.ssh/authorized_keys`,
                  keyData,
                })),
              },
            },
          },
          // Secure boot and vTPM where the validator found the size and image support them.
          ...(s.trustedLaunch ? { securityProfile: TRUSTED_LAUNCH_PROFILE } : {}),
          storageProfile: {
            imageReference: { ...s.image },
            osDisk: {
              createOption: "FromImage",
              caching: "ReadWrite",
              managedDisk: { storageAccountType: s.osDiskType },
            },
          },
          networkProfile: {
            healthProbe: { id: probeId },
            networkInterfaceConfigurations: [
              {
                name: "nic",
                primary: true,
                ipConfigurations: [
                  {
                    name: "ipconfig",
                    primary: true,
                    subnet: { id: args.subnetId },
                    loadBalancerBackendAddressPools: [{ id: backendPoolId }],
                    ...(args.applicationSecurityGroupIds?.length
                      ? { applicationSecurityGroups: args.applicationSecurityGroupIds.map((id) => ({ id })) }
                      : {}),
                    ...(s.inboundNat
                      ? {
                          loadBalancerInboundNatPools: [
                            { id: pulumi.interpolate`${lb.id}/inboundNatPools/${LB_NAMES.natPool}` },
                          ],
                        }
                      : {}),
                  },
                ],
              },
            ],
          },
        },
        tags: args.tags,
      },
      // Autoscale owns the instance count; without this every `pulumi up` would reset it.
      { parent: this, ...(s.autoscale.enabled ? { ignoreChanges: ["sku.capacity"] } : {}) },
    );

    const profiles = autoscaleProfiles(s, vmss.id);
    const autoscale = new monitor.AutoscaleSetting(
      logicalName(name, "autoscale"),
      {
        autoscaleSettingName: s.names.autoscale,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        enabled: s.autoscale.enabled,
        targetResourceUri: vmss.id,
        profiles,
        tags: args.tags,
      },
      { parent: this },
    );

    this.frontendIpAddress = publicIp
      ? publicIp.ipAddress
      : lb.frontendIPConfigurations.apply((configs) => configs?.[0]?.privateIPAddress);
    if (publicIp?.fqdn) this.fqdn = publicIp.fqdn;
    this.backendPoolId = backendPoolId;
    this.vmssName = vmss.name;
    this.vmssPrincipalId = vmss.identity.apply((identity) => identity?.principalId ?? "");
    this.autoscaleSettingId = autoscale.id;
    this.loadBalancerId = lb.id;
    if (s.inboundNat) {
      this.sshPorts = { first: s.inboundNat.frontendPortStart, last: s.inboundNat.frontendPortEnd };
    }
    this.registerOutputs({
      frontendIpAddress: this.frontendIpAddress,
      fqdn: this.fqdn,
      backendPoolId: this.backendPoolId,
      vmssName: this.vmssName,
      vmssPrincipalId: this.vmssPrincipalId,
      autoscaleSettingId: this.autoscaleSettingId,
      loadBalancerId: this.loadBalancerId,
    });
  }
}
