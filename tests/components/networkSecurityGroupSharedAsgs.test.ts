import { describe, expect, it } from "vitest";
import { NetworkSecurityGroup } from "../../components/network/networkSecurityGroup.ts";
import { ResourceType } from "../../src/azure/catalog.ts";
import { countByType, registeredBeforeError, resource, run } from "../support/offline.ts";

describe("NetworkSecurityGroup with groups another NSG made, and source ports", () => {
  it("refers to existing groups by id without creating them, and writes source port ranges", async () => {
    const result = await run(
      () =>
        void new NetworkSecurityGroup("app", {
          resourceGroupName: "rg",
          location: "westeurope",
          nameParts: ["azlab", "dev", "app"],
          applicationSecurityGroupIds: { web: "/subscriptions/s/asg-web" },
          rules: {
            "web-to-app": {
              direction: "Inbound",
              access: "Allow",
              protocol: "Tcp",
              source: "asg:web",
              destination: "10.0.1.0/24",
              ports: 8080,
              sourcePorts: ["1024-4999", 49152],
            },
          },
        }),
    );
    expect(countByType(result)).toEqual({
      "azlab:network:NetworkSecurityGroup": 1,
      [ResourceType.NetworkSecurityGroup]: 1,
    });
    expect(resource(result, ResourceType.NetworkSecurityGroup, "app").inputs["securityRules"]).toEqual([
      {
        name: "web-to-app",
        priority: 100,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourcePortRanges: ["1024-4999", "49152"],
        sourceApplicationSecurityGroups: [{ id: "/subscriptions/s/asg-web" }],
        destinationAddressPrefix: "10.0.1.0/24",
        destinationPortRange: "8080",
      },
    ]);
  });

  it("refuses a name that is both created and given by id, before registering anything", async () => {
    const refused = await registeredBeforeError(
      () =>
        void new NetworkSecurityGroup("app", {
          resourceGroupName: "rg",
          location: "westeurope",
          applicationSecurityGroups: { web: {} },
          applicationSecurityGroupIds: { web: "/subscriptions/s/asg-web" },
        }),
    );
    expect(refused.types).toEqual(["pulumi:pulumi:Stack"]);
    expect(refused.error).toMatchObject({
      name: "UserError",
      problems: [
        'applicationSecurityGroupIds.web: names a group this NSG also creates (got "web"; allowed: each name either in applicationSecurityGroups or in applicationSecurityGroupIds)',
      ],
    });
  });
});
