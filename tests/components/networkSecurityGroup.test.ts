import { describe, expect, it } from "vitest";
import { NetworkSecurityGroup } from "../../components/network/networkSecurityGroup.ts";
import {
  allowAzureLoadBalancerProbe,
  denyAllInbound,
  denyLateral,
  httpFromInternet,
  sshFrom,
} from "../../src/network/nsgRules.ts";
import { ResourceType } from "../../src/azure/catalog.ts";
import { countByType, registeredBeforeError, resource, run, URN } from "../support/offline.ts";

describe("NetworkSecurityGroup", () => {
  it("creates the NSG with inline rules, assigned priorities and ASG references", async () => {
    const result = await run(() => {
      const nsg = new NetworkSecurityGroup("web", {
        resourceGroupName: "rg",
        location: "westeurope",
        nameParts: ["azlab", "dev", "main"],
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
      [ResourceType.ApplicationSecurityGroup]: 2,
      [ResourceType.NetworkSecurityGroup]: 1,
    });
    // The main child takes the component's own name; its Azure name follows the stack's scheme.
    const nsg = resource(result, ResourceType.NetworkSecurityGroup, "web");
    expect(nsg.inputs["networkSecurityGroupName"]).toBe("nsg-azlab-dev-main");
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
    expect(resource(result, ResourceType.ApplicationSecurityGroup, "web-app").inputs).toEqual({
      applicationSecurityGroupName: "asg-azlab-dev-main-app",
      location: "westeurope",
      resourceGroupName: "rg",
      tags: { course: "net101", role: "app" },
    });
    expect(result.outputs).toEqual({
      nsgId: "web-id",
      name: "nsg-azlab-dev-main",
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
    const refused = await registeredBeforeError(
      () => void new NetworkSecurityGroup("web", { resourceGroupName: "rg", location: "westeurope", rules }),
    );
    // Validation runs before super(): not even the component is registered.
    expect(refused.types).toEqual(["pulumi:pulumi:Stack"]);
    expect(refused.error).toMatchObject({
      name: "UserError",
      problems: [
        'rules.ssh-any.destination: names an application security group that is not defined (got "asg:db"; allowed: no asg: entries (none defined))',
        'rules.ssh-any.source: Allow Inbound from the internet to management port 22 is refused (got "*"; allowed: specific CIDRs such as a campus range, or add a waiver under waivers.ssh-any with a reason)',
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
    expect(resource(waived, ResourceType.NetworkSecurityGroup, "web").inputs["securityRules"]).toEqual([
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
});
