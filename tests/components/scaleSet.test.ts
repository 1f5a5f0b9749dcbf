import { describe, expect, it } from "vitest";
import { DEFAULT_CLOUD_INIT, ScaleSet } from "../../components/compute/scaleSet.ts";
import type { ScaleSetArgs } from "../../components/compute/scaleSet.ts";
import { countByType, named, run, URN } from "./helpersNetwork.ts";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests student@lab";
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
    metricResourceUri: "web-vmss-id",
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
      "azure-native:compute:VirtualMachineScaleSet": 1,
      "azure-native:monitor:AutoscaleSetting": 1,
      "azure-native:network:LoadBalancer": 1,
      "azure-native:network:PublicIPAddress": 1,
      "pulumi:pulumi:Stack": 1,
    });

    expect(named(result, "web-frontend-pip").inputs["sku"]).toEqual({ name: "Standard", tier: "Regional" });
    const lb = named(result, "web-lb");
    expect(lb.inputs).toEqual({
      backendAddressPools: [{ name: "backend" }],
      frontendIPConfigurations: [{ name: "frontend", publicIPAddress: { id: "web-frontend-pip-id" } }],
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

    const vmss = named(result, "web-vmss");
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
      offer: "ubuntu-24_04-lts",
      sku: "server",
      version: "latest",
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
      targetResourceUri: "web-vmss-id",
    });

    expect(result.outputs).toEqual({
      frontendIpAddress: "203.0.113.10",
      backendPoolId: "web-lb-id/backendAddressPools/backend",
      vmssName: "web-vmss",
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
                timeZone: "W. Europe Standard Time",
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
    expect(named(result, "web-frontend-pip").inputs["dnsSettings"]).toEqual({
      domainNameLabel: "net101-web",
    });

    const vmss = named(result, "web-vmss").inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
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
    expect(countByType(result)["azure-native:network:PublicIPAddress"]).toBeUndefined();
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
    const vmss = named(result, "api-vmss");
    expect(vmss.ignoreChanges).toEqual([]);
    expect((vmss.inputs["sku"] as { capacity: number }).capacity).toBe(3);
    expect(named(result, "api-autoscale").inputs["enabled"]).toBe(false);
  });

  it("refuses Basic SKUs, bad autoscale counts and thresholds, reserved user names and probe mistakes", async () => {
    await expect(
      run(
        () =>
          void new ScaleSet("web", {
            ...base,
            adminUsername: "Admin",
            loadBalancer: { sku: "Basic", publicIpSku: "Basic" },
            healthProbe: { protocol: "Tcp", path: "/healthz", probeThreshold: 1 },
            autoscale: {
              minimum: 5,
              default: 3,
              maximum: 2,
              scaleOut: { cpuThresholdPercent: 120 },
              scaleIn: { cpuThresholdPercent: 130, timeWindow: "10 minutes" },
            },
            instanceCount: 3,
          }),
      ),
    ).rejects.toMatchObject({
      name: "UserError",
      problems: [
        'azlab:scaleSet.adminUsername: is a name Azure reserves (got "Admin"; allowed: 1 to 64 lowercase letters, digits, hyphens or underscores, starting with a letter or underscore, and not one of Azure\'s reserved names (admin, administrator, root, user, guest, test, ...))',
        'azlab:scaleSet.autoscale: instance counts must satisfy minimum <= default <= maximum (got {"minimum":5,"default":3,"maximum":2})',
        "azlab:scaleSet.autoscale.scaleOut.cpuThresholdPercent: is out of range (got 120; allowed: a percentage from 0 to 100)",
        "azlab:scaleSet.autoscale.scaleIn.cpuThresholdPercent: is out of range (got 130; allowed: a percentage from 0 to 100)",
        'azlab:scaleSet.autoscale.scaleIn.timeWindow: is not an ISO-8601 duration in range (got "10 minutes"; allowed: a duration from PT5M to PT12H)',
        'azlab:scaleSet.loadBalancer.sku: the Basic load balancer SKU was retired on 30 September 2025 and can no longer be created (got "Basic"; allowed: "Standard")',
        'azlab:scaleSet.loadBalancer.publicIpSku: the Basic public IP SKU was retired on 30 September 2025 and can no longer be created (got "Basic"; allowed: "Standard")',
        "azlab:scaleSet.healthProbe.probeThreshold: is out of range (got 1; allowed: an integer from 2 to 2147483647)",
        'azlab:scaleSet.healthProbe.path: is not allowed for Tcp probes (got "/healthz"; allowed: leave it out, or use protocol "Http")',
      ],
    });
  });

  it("refuses a min above max, LB egress on an internal LB, a private key and a pinned image", async () => {
    await expect(
      run(
        () =>
          void new ScaleSet("web", {
            ...base,
            sshPublicKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nabc",
            image: {
              publisher: "Canonical",
              offer: "ubuntu-24_04-lts",
              sku: "server",
              version: "24.04.202501010",
            },
            loadBalancer: { type: "internal", dnsLabel: "web" },
            outbound: "loadBalancer",
            autoscale: { minimum: 4, default: 4, maximum: 3, scaleIn: { cpuThresholdPercent: 75 } },
            instanceCount: 3,
            rules: {},
          }),
      ),
    ).rejects.toMatchObject({
      problems: [
        "azlab:scaleSet.sshPublicKey: holds a private key (allowed: the contents of the .pub file)",
        'azlab:scaleSet.image.version: must be latest because automatic OS upgrades are on (got "24.04.202501010"; allowed: "latest")',
        'azlab:scaleSet.autoscale: instance counts must satisfy minimum <= default <= maximum (got {"minimum":4,"default":4,"maximum":3})',
        "azlab:scaleSet.autoscale.scaleIn.cpuThresholdPercent: must be below the scale-out threshold 75, or the set keeps scaling out and in (got 75; allowed: less than 75)",
        'azlab:scaleSet.loadBalancer.dnsLabel: applies to public load balancers only (allowed: leave it out, or set azlab:scaleSet.loadBalancer.type to "public")',
        'azlab:scaleSet.outbound: needs a public load balancer: an internal one has no address to SNAT to (got "loadBalancer"; allowed: "natGateway", "none", or loadBalancer.type "public")',
        "azlab:scaleSet.rules: is empty (allowed: at least one rule: the rolling-upgrade health probe must be used by a load-balancing rule)",
      ],
    });
    await expect(
      run(
        () => void new ScaleSet("web", { ...base, adminUsername: "root", loadBalancer: { sku: "Gateway" } }),
      ),
    ).rejects.toThrow(
      'ScaleSet "web" has invalid arguments:\n  - azlab:scaleSet.adminUsername: is a name Azure reserves (got "root";',
    );
  });
});

describe("ScaleSet instance count", () => {
  it("must lie inside the autoscale range", async () => {
    await expect(run(() => void new ScaleSet("web", { ...base, instanceCount: 9 }))).rejects.toMatchObject({
      problems: [
        "azlab:scaleSet.instanceCount: lies outside the autoscale range (got 9; allowed: an integer from 1 to 4)",
      ],
    });
  });
});

describe("ScaleSet SSH key", () => {
  it("is required", async () => {
    await expect(run(() => void new ScaleSet("web", { ...base, sshPublicKey: "" }))).rejects.toMatchObject({
      problems: [
        "azlab:scaleSet.sshPublicKey: is missing: password login is always off, so a key is the only way in (allowed: the contents of a .pub file)",
      ],
    });
  });
});
