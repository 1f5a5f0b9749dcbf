import { describe, expect, it } from "vitest";
import { DEFAULT_CLOUD_INIT, ScaleSet } from "../../components/compute/scaleSet.ts";
import type { ScaleSetArgs } from "../../components/compute/scaleSet.ts";
import { ResourceType } from "../../src/azure/catalog.ts";
import { countByType, named, registeredBeforeError, resource, run, URN } from "../support/offline.ts";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBxJPsvy5tgU7cH4TSo4Y258D0QybT9JUkO06q8ZtSx5 student@lab";
const base: ScaleSetArgs = {
  resourceGroupName: "rg",
  location: "westeurope",
  subnetId: "/subnets/web",
  sshPublicKey: KEY,
};

const cpuRule = (out: boolean, threshold: number, timeWindow: string) => ({
  metricTrigger: {
    metricName: "Percentage CPU",
    metricNamespace: "microsoft.compute/virtualmachinescalesets",
    metricResourceUri: "web-id",
    operator: out ? "GreaterThan" : "LessThan",
    statistic: "Average",
    threshold,
    timeAggregation: "Average",
    timeGrain: "PT1M",
    timeWindow,
  },
  scaleAction: {
    cooldown: "PT5M",
    direction: out ? "Increase" : "Decrease",
    type: "ChangeCount",
    value: "1",
  },
});

describe("ScaleSet", () => {
  it("wires a public Standard LB, a locked-down rolling VMSS and CPU autoscale by default", async () => {
    const result = await run(() => {
      const set = new ScaleSet("web", base);
      return {
        frontendIpAddress: set.frontendIpAddress,
        backendPoolId: set.backendPoolId,
        vmssName: set.vmssName,
        vmssPrincipalId: set.vmssPrincipalId,
        autoscaleSettingId: set.autoscaleSettingId,
        loadBalancerId: set.loadBalancerId,
        hasFqdn: set.fqdn !== undefined,
      };
    });
    expect(countByType(result)).toEqual({
      "azlab:compute:ScaleSet": 1,
      "azlab:network:PublicIp": 1,
      [ResourceType.VirtualMachineScaleSet]: 1,
      [ResourceType.AutoscaleSetting]: 1,
      [ResourceType.LoadBalancer]: 1,
      [ResourceType.PublicIPAddress]: 1,
    });

    const frontend = resource(result, ResourceType.PublicIPAddress, "web-frontend");
    expect(frontend.inputs["sku"]).toEqual({ name: "Standard", tier: "Regional" });
    expect(frontend.inputs["publicIpAddressName"]).toBe("pip-web");
    const lb = named(result, "web-lb");
    expect(lb.inputs).toEqual({
      backendAddressPools: [{ name: "backend" }],
      frontendIPConfigurations: [{ name: "frontend", publicIPAddress: { id: "web-frontend-id" } }],
      loadBalancerName: "lbe-web",
      loadBalancingRules: [
        {
          name: "http",
          backendAddressPool: { id: "$self/backendAddressPools/backend" },
          backendPort: 80,
          disableOutboundSnat: true,
          enableFloatingIP: false,
          enableTcpReset: true,
          frontendIPConfiguration: { id: "$self/frontendIPConfigurations/frontend" },
          frontendPort: 80,
          idleTimeoutInMinutes: 4,
          loadDistribution: "Default",
          probe: { id: "$self/probes/health" },
          protocol: "Tcp",
        },
      ],
      location: "westeurope",
      probes: [
        {
          name: "health",
          protocol: "Http",
          port: 80,
          requestPath: "/",
          intervalInSeconds: 15,
          probeThreshold: 2,
        },
      ],
      resourceGroupName: "rg",
      sku: { name: "Standard", tier: "Regional" },
    });

    // The main child takes the component's own name.
    const vmss = resource(result, ResourceType.VirtualMachineScaleSet, "web");
    expect(vmss.inputs["vmScaleSetName"]).toBe("vmss-web");
    expect(vmss.ignoreChanges).toEqual(["sku.capacity"]);
    expect(vmss.dependencies).toEqual([
      `${URN}azlab:compute:ScaleSet$azure-native:network:LoadBalancer::web-lb`,
    ]);
    const inputs = vmss.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(inputs["sku"]).toEqual({ name: "Standard_B2s", tier: "Standard", capacity: 2 });
    expect(inputs["identity"]).toEqual({ type: "SystemAssigned" });
    expect(inputs["orchestrationMode"]).toBe("Uniform");
    expect(inputs["upgradePolicy"]).toEqual({
      mode: "Rolling",
      rollingUpgradePolicy: {
        maxBatchInstancePercent: 20,
        maxUnhealthyInstancePercent: 20,
        maxUnhealthyUpgradedInstancePercent: 20,
        pauseTimeBetweenBatches: "PT0S",
      },
      automaticOSUpgradePolicy: {
        enableAutomaticOSUpgrade: true,
        disableAutomaticRollback: false,
        useRollingUpgradePolicy: true,
      },
    });
    const profile = inputs["virtualMachineProfile"];
    expect(profile.osProfile).toEqual({
      adminUsername: "azlab",
      computerNamePrefix: "web",
      customData: Buffer.from(DEFAULT_CLOUD_INIT).toString("base64"),
      linuxConfiguration: {
        disablePasswordAuthentication: true,
        provisionVMAgent: true,
        ssh: { publicKeys: [{ path: "/home/azlab/.ssh/authorized_keys", keyData: KEY }] },
      },
    });
    expect(Object.keys(profile.osProfile)).not.toContain("adminPassword");
    expect(Buffer.from(profile.osProfile.customData, "base64").toString()).toContain("$(hostname)");
    expect(profile.storageProfile.imageReference).toEqual({
      publisher: "Canonical",
      offer: "0001-com-ubuntu-server-jammy",
      sku: "22_04-lts-gen2",
      version: "latest",
    });
    // Standard_B2s (B-series) on a generation 2 image: Trusted Launch with secure boot and vTPM.
    expect(profile.securityProfile).toEqual({
      securityType: "TrustedLaunch",
      uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
    });
    // The scale set refers to the LB's probe and pool by absolute ids built from the LB's id.
    expect(profile.networkProfile).toEqual({
      healthProbe: { id: "web-lb-id/probes/health" },
      networkInterfaceConfigurations: [
        {
          name: "nic",
          primary: true,
          ipConfigurations: [
            {
              name: "ipconfig",
              primary: true,
              subnet: { id: "/subnets/web" },
              loadBalancerBackendAddressPools: [{ id: "web-lb-id/backendAddressPools/backend" }],
            },
          ],
        },
      ],
    });

    expect(named(result, "web-autoscale").inputs).toEqual({
      autoscaleSettingName: "as-web",
      enabled: true,
      location: "westeurope",
      profiles: [
        {
          name: "default",
          capacity: { minimum: "1", default: "2", maximum: "4" },
          rules: [cpuRule(true, 75, "PT5M"), cpuRule(false, 25, "PT10M")],
        },
      ],
      resourceGroupName: "rg",
      targetResourceUri: "web-id",
    });

    expect(result.outputs).toEqual({
      frontendIpAddress: "203.0.113.10",
      backendPoolId: "web-lb-id/backendAddressPools/backend",
      vmssName: "vmss-web",
      vmssPrincipalId: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      ),
      autoscaleSettingId: "web-autoscale-id",
      loadBalancerId: "web-lb-id",
      hasFqdn: false,
    });
  });

  it("adds an outbound rule, a NAT pool, keyed rules and class-hour schedules", async () => {
    const result = await run(
      () =>
        void new ScaleSet("web", {
          ...base,
          sku: "Standard_D2s_v5",
          image: "ubuntu-22.04",
          adminUsername: "student",
          outbound: "loadBalancer",
          inboundNatEnabled: true,
          loadBalancer: { dnsLabel: "net101-web" },
          healthProbe: { protocol: "Tcp", port: 8080, intervalInSeconds: 5, probeThreshold: 3 },
          rules: {
            http: { frontendPort: 80, backendPort: 8080, loadDistribution: "SourceIP" },
            https: { frontendPort: 443, backendPort: 8443, loadDistribution: "SourceIPProtocol" },
          },
          autoscale: {
            minimum: 2,
            default: 2,
            maximum: 6,
            scaleOut: { cpuThresholdPercent: 60, timeWindow: "PT10M", cooldown: "PT10M", changeCount: 2 },
            scaleIn: { cpuThresholdPercent: 20 },
            schedules: {
              "class-hours": {
                days: ["Monday", "Wednesday"],
                startHour: 8,
                startMinute: 30,
                endHour: 12,
                // The stack file speaks IANA; Azure Monitor receives the CLDR windowsZones id.
                timeZone: "Europe/Amsterdam",
                minimum: 4,
                default: 4,
                maximum: 10,
              },
            },
          },
        }),
    );
    const lb = named(result, "web-lb").inputs as Record<string, unknown>;
    expect(lb["outboundRules"]).toEqual([
      {
        name: "outbound",
        frontendIPConfigurations: [{ id: "$self/frontendIPConfigurations/frontend" }],
        backendAddressPool: { id: "$self/backendAddressPools/backend" },
        protocol: "All",
        allocatedOutboundPorts: 1024,
        idleTimeoutInMinutes: 4,
        enableTcpReset: true,
      },
    ]);
    // 10 ports: the schedule's maximum is the most instances the set can have.
    expect(lb["inboundNatPools"]).toEqual([
      {
        name: "ssh",
        frontendIPConfiguration: { id: "$self/frontendIPConfigurations/frontend" },
        protocol: "Tcp",
        frontendPortRangeStart: 50000,
        frontendPortRangeEnd: 50009,
        backendPort: 22,
        idleTimeoutInMinutes: 4,
        enableTcpReset: true,
      },
    ]);
    expect(lb["probes"]).toEqual([
      { name: "health", protocol: "Tcp", port: 8080, intervalInSeconds: 5, probeThreshold: 3 },
    ]);
    expect(
      (lb["loadBalancingRules"] as Record<string, unknown>[]).map((r) => [
        r["name"],
        r["frontendPort"],
        r["backendPort"],
        r["loadDistribution"],
        r["disableOutboundSnat"],
        (r["probe"] as { id: string }).id,
      ]),
    ).toEqual([
      ["http", 80, 8080, "SourceIP", true, "$self/probes/health"],
      ["https", 443, 8443, "SourceIPProtocol", true, "$self/probes/health"],
    ]);
    expect(resource(result, ResourceType.PublicIPAddress, "web-frontend").inputs["dnsSettings"]).toEqual({
      domainNameLabel: "net101-web",
      domainNameLabelScope: "ResourceGroupReuse",
    });

    const vmss = resource(result, ResourceType.VirtualMachineScaleSet, "web").inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(vmss["sku"]).toEqual({ name: "Standard_D2s_v5", tier: "Standard", capacity: 2 });
    const profile = vmss["virtualMachineProfile"];
    expect(profile.storageProfile.imageReference).toEqual({
      publisher: "Canonical",
      offer: "0001-com-ubuntu-server-jammy",
      sku: "22_04-lts-gen2",
      version: "latest",
    });
    expect(profile.osProfile.linuxConfiguration.ssh.publicKeys).toEqual([
      { path: "/home/student/.ssh/authorized_keys", keyData: KEY },
    ]);
    expect(
      profile.networkProfile.networkInterfaceConfigurations[0].ipConfigurations[0]
        .loadBalancerInboundNatPools,
    ).toEqual([{ id: "web-lb-id/inboundNatPools/ssh" }]);

    const out = {
      ...cpuRule(true, 60, "PT10M"),
      scaleAction: { cooldown: "PT10M", direction: "Increase", type: "ChangeCount", value: "2" },
    };
    const rules = [out, cpuRule(false, 20, "PT10M")];
    expect(named(result, "web-autoscale").inputs["profiles"]).toEqual([
      { name: "default", capacity: { minimum: "2", default: "2", maximum: "6" }, rules },
      {
        name: "class-hours",
        capacity: { minimum: "4", default: "4", maximum: "10" },
        rules,
        recurrence: {
          frequency: "Week",
          schedule: {
            days: ["Monday", "Wednesday"],
            hours: [8],
            minutes: [30],
            timeZone: "W. Europe Standard Time",
          },
        },
      },
      {
        name: "class-hours-end",
        capacity: { minimum: "2", default: "2", maximum: "6" },
        rules,
        recurrence: {
          frequency: "Week",
          schedule: {
            days: ["Monday", "Wednesday"],
            hours: [12],
            minutes: [0],
            timeZone: "W. Europe Standard Time",
          },
        },
      },
    ]);
  });

  it("keeps automatic OS image upgrade off on Ubuntu 24.04 x64, which Microsoft does not list for it", async () => {
    // "Supported OS images", virtual-machine-scale-sets-automatic-upgrade.md: 24.04 lists server-arm64 only;
    // Azure rejects the create otherwise ("Automatic OS Upgrade cannot be enabled...").
    const result = await run(() => void new ScaleSet("web", { ...base, image: "ubuntu-24.04" }));
    const inputs = resource(result, ResourceType.VirtualMachineScaleSet, "web").inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(inputs["upgradePolicy"]["automaticOSUpgradePolicy"]).toEqual({
      enableAutomaticOSUpgrade: false,
      disableAutomaticRollback: false,
      useRollingUpgradePolicy: true,
    });
    expect(inputs["virtualMachineProfile"]["storageProfile"]["imageReference"]).toEqual({
      publisher: "Canonical",
      offer: "ubuntu-24_04-lts",
      sku: "server",
      version: "latest",
    });
  });

  it("puts an internal LB's frontend in a subnet and creates no public IP", async () => {
    const result = await run(
      () =>
        void new ScaleSet("api", {
          ...base,
          loadBalancer: { type: "internal", frontendSubnetId: "/subnets/lb", privateIpAddress: "10.1.5.10" },
          autoscale: { enabled: false },
          instanceCount: 3,
        }),
    );
    expect(countByType(result)[ResourceType.PublicIPAddress]).toBeUndefined();
    const lb = named(result, "api-lb").inputs as Record<string, unknown>;
    expect(lb["frontendIPConfigurations"]).toEqual([
      {
        name: "frontend",
        subnet: { id: "/subnets/lb" },
        privateIPAddressVersion: "IPv4",
        privateIPAllocationMethod: "Static",
        privateIPAddress: "10.1.5.10",
      },
    ]);
    expect(Object.keys((lb["loadBalancingRules"] as object[])[0]!)).not.toContain("disableOutboundSnat");
    const vmss = resource(result, ResourceType.VirtualMachineScaleSet, "api");
    expect(vmss.ignoreChanges).toEqual([]);
    expect((vmss.inputs["sku"] as { capacity: number }).capacity).toBe(3);
    expect(named(result, "api-autoscale").inputs["enabled"]).toBe(false);
  });

  it("sends no securityProfile for a size Microsoft lists as unsupported, or when the stack opts out", async () => {
    // "Trusted Launch for Azure virtual machines", sizes table: Dv3 is not supported, Dsv5 is.
    for (const args of [
      { ...base, sku: "Standard_D2_v3" },
      { ...base, sku: "Standard_D2s_v5", trustedLaunch: false },
    ]) {
      const result = await run(() => void new ScaleSet("web", args));
      const inputs = resource(result, ResourceType.VirtualMachineScaleSet, "web").inputs;
      expect(Object.keys(inputs["virtualMachineProfile"] as object)).toEqual([
        "networkProfile",
        "osProfile",
        "storageProfile",
      ]);
      expect(inputs["sku"]).toEqual({ name: args.sku, tier: "Standard", capacity: 2 });
    }
  });

  it("registers nothing when Trusted Launch is forced on a generation 1 image", async () => {
    const gen1 = {
      publisher: "Canonical",
      offer: "0001-com-ubuntu-server-jammy",
      sku: "22_04-lts",
      version: "latest",
    };
    const { types, error } = await registeredBeforeError(
      () => void new ScaleSet("web", { ...base, image: gen1, trustedLaunch: true }),
    );
    expect(types).toEqual(["pulumi:pulumi:Stack"]);
    expect(error).toMatchObject({
      name: "UserError",
      problems: [
        "trustedLaunch: cannot be on for Canonical:0001-com-ubuntu-server-jammy:22_04-lts, a generation 1 image (got true; allowed: false, or a generation 2 image such as ubuntu-22.04 (22_04-lts-gen2))",
      ],
    });
  });

  it("registers nothing, not even the component, when the input is invalid", async () => {
    const { types, error } = await registeredBeforeError(
      () => void new ScaleSet("web", { ...base, adminUsername: "root", loadBalancer: { sku: "Gateway" } }),
    );
    expect(types).toEqual(["pulumi:pulumi:Stack"]);
    expect(error).toMatchObject({
      name: "UserError",
      problems: [
        'adminUsername: is a name Azure reserves (got "root"; allowed: 1 to 64 lowercase letters, digits, hyphens or underscores, starting with a letter or underscore, and not one of Azure\'s reserved names (admin, administrator, root, user, guest, test, ...))',
        'loadBalancer.sku: is not a load balancer SKU azlab supports (got "Gateway"; allowed: "Standard")',
      ],
      message: expect.stringMatching(/^ScaleSet "web" has invalid arguments:\n {2}- adminUsername: /),
    });
  });
});
