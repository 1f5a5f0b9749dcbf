import { describe, expect, it } from "vitest";
import { NetworkSecurityGroup } from "../../components/network/networkSecurityGroup.ts";
import {
  allowAzureLoadBalancerProbe,
  denyAllInbound,
  denyLateral,
  httpFromInternet,
  sshFrom,
} from "../../src/network/nsgRules.ts";
import { countByType, named, run, URN } from "./helpersNetwork.ts";

describe("NetworkSecurityGroup", () => {
  it("creates the NSG with inline rules, assigned priorities and ASG references", async () => {
    const result = await run(() => {
      const nsg = new NetworkSecurityGroup("web", {
        resourceGroupName: "rg",
        location: "westeurope",
        applicationSecurityGroups: { jump: {}, app: { tags: { role: "app" } } },
        rules: {
          ...denyLateral(["10.1.0.0/22", "10.2.0.0/22"]),
          ...sshFrom("192.0.2.0/24", { priority: 200 }),
          ...httpFromInternet(),
          "jump-to-app": {
            direction: "Inbound",
            access: "Allow",
            protocol: "Tcp",
            source: "asg:jump",
            destination: "asg:app",
            ports: [22, "8000-8080"],
            description: "jump host to app tier",
          },
          ...allowAzureLoadBalancerProbe(),
          ...denyAllInbound(),
        },
        tags: { course: "net101" },
      });
      return { nsgId: nsg.nsgId, name: nsg.name, asgIds: nsg.asgIds };
    });
    expect(countByType(result)).toEqual({
      "azlab:network:NetworkSecurityGroup": 1,
      "azure-native:network:ApplicationSecurityGroup": 2,
      "azure-native:network:NetworkSecurityGroup": 1,
      "pulumi:pulumi:Stack": 1,
    });
    const nsg = named(result, "web-nsg");
    expect(nsg.inputs["securityRules"]).toEqual([
      {
        name: "deny-lateral",
        priority: 100,
        direction: "Inbound",
        access: "Deny",
        protocol: "*",
        sourcePortRange: "*",
        sourceAddressPrefixes: ["10.1.0.0/22", "10.2.0.0/22"],
        destinationAddressPrefix: "*",
        destinationPortRange: "*",
      },
      {
        name: "allow-ssh",
        priority: 200,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourcePortRange: "*",
        sourceAddressPrefix: "192.0.2.0/24",
        destinationAddressPrefix: "*",
        destinationPortRange: "22",
      },
      {
        name: "allow-http",
        priority: 110,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourcePortRange: "*",
        sourceAddressPrefix: "Internet",
        destinationAddressPrefix: "*",
        destinationPortRange: "80",
      },
      {
        name: "jump-to-app",
        priority: 120,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourcePortRange: "*",
        sourceApplicationSecurityGroups: [{ id: "web-jump-id" }],
        destinationApplicationSecurityGroups: [{ id: "web-app-id" }],
        destinationPortRanges: ["22", "8000-8080"],
        description: "jump host to app tier",
      },
      {
        name: "allow-lb-probe",
        priority: 130,
        direction: "Inbound",
        access: "Allow",
        protocol: "*",
        sourcePortRange: "*",
        sourceAddressPrefix: "AzureLoadBalancer",
        destinationAddressPrefix: "*",
        destinationPortRange: "*",
      },
      {
        name: "deny-all-inbound",
        priority: 4096,
        direction: "Inbound",
        access: "Deny",
        protocol: "*",
        sourcePortRange: "*",
        sourceAddressPrefix: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: "*",
      },
    ]);
    expect(nsg.dependencies).toEqual([
      `${URN}azlab:network:NetworkSecurityGroup$azure-native:network:ApplicationSecurityGroup::web-app`,
      `${URN}azlab:network:NetworkSecurityGroup$azure-native:network:ApplicationSecurityGroup::web-jump`,
    ]);
    expect(nsg.parent).toBe(`${URN}azlab:network:NetworkSecurityGroup::web`);
    expect(named(result, "web-app").inputs).toEqual({
      location: "westeurope",
      resourceGroupName: "rg",
      tags: { course: "net101", role: "app" },
    });
    expect(result.outputs).toEqual({
      nsgId: "web-nsg-id",
      name: "web-nsg",
      asgIds: { jump: "web-jump-id", app: "web-app-id" },
    });
  });

  it("refuses an open management port and an unknown ASG, and accepts the port with a waiver", async () => {
    const rules = {
      "ssh-any": {
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        source: "*",
        destination: "asg:db",
        ports: 22,
      },
    } as const;
    await expect(
      run(
        () =>
          void new NetworkSecurityGroup("web", { resourceGroupName: "rg", location: "westeurope", rules }),
      ),
    ).rejects.toMatchObject({
      name: "UserError",
      problems: [
        'azlab:nsg.rules.ssh-any.destination: names an application security group that is not defined (got "asg:db"; allowed: no asg: entries (none defined))',
        'azlab:nsg.rules.ssh-any.source: Allow Inbound from the internet to management port 22 is refused (got "*"; allowed: specific CIDRs such as a campus range, or add a waiver under azlab:nsg.waivers.ssh-any with a reason)',
      ],
      message: expect.stringContaining('NetworkSecurityGroup "web" has invalid arguments:'),
    });

    const waived = await run(
      () =>
        void new NetworkSecurityGroup("web", {
          resourceGroupName: "rg",
          location: "westeurope",
          applicationSecurityGroups: { db: {} },
          rules,
          waivers: { "ssh-any": { reason: "honeypot exercise, week 5" } },
        }),
    );
    expect(named(waived, "web-nsg").inputs["securityRules"]).toEqual([
      {
        name: "ssh-any",
        priority: 100,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourcePortRange: "*",
        sourceAddressPrefix: "*",
        destinationApplicationSecurityGroups: [{ id: "web-db-id" }],
        destinationPortRange: "22",
      },
    ]);
  });

  it("reports a priority clash with the config path the caller gives", async () => {
    await expect(
      run(
        () =>
          void new NetworkSecurityGroup("web", {
            resourceGroupName: "rg",
            location: "westeurope",
            configPath: "azlab:students.alice.nsg",
            rules: { ...sshFrom("192.0.2.0/24", { priority: 300 }), ...httpFromInternet({ priority: 300 }) },
          }),
      ),
    ).rejects.toMatchObject({
      problems: [
        'azlab:students.alice.nsg.rules.allow-http.priority: Inbound priority 300 is already used by rule "allow-ssh" (got 300; allowed: a priority no other Inbound rule uses)',
      ],
    });
  });
});
