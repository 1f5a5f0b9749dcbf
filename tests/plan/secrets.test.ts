import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network/index.js";
import { describe, expect, it } from "vitest";
import { diffPlans, renderDiffMarkdown, serializeDiff } from "../../src/plan/diff.ts";
import { serializePlan } from "../../src/plan/document.ts";
import { renderPlanMarkdown } from "../../src/plan/markdown.ts";
import { planOf } from "./fixtures.ts";

const PLANTED = "PLANTED-SECRET-123";

/** A VNet and NSG with the planted secret in a tag, inside a rule, and in three outputs. */
function program(withSecret: boolean) {
  return async () => {
    const secret = pulumi.secret(withSecret ? PLANTED : "plain");
    const vnet = new network.VirtualNetwork("v", {
      resourceGroupName: "rg",
      addressSpace: { addressPrefixes: ["10.9.0.0/16"] },
      tags: { student: "s1", token: secret },
    });
    new network.NetworkSecurityGroup("n", {
      resourceGroupName: "rg",
      tags: { student: "s1" },
      securityRules: [
        {
          name: "ssh",
          priority: 100,
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          description: pulumi.interpolate`key ${secret}`,
          sourceAddressPrefix: "10.0.0.0/8",
          destinationAddressPrefix: "*",
          destinationPortRange: "22",
        },
      ],
    });
    return {
      password: secret,
      nested: { value: secret },
      derived: pulumi.interpolate`${vnet.name}:${secret}`,
    };
  };
}

describe("secrets", () => {
  it("never reach the JSON plan, the Markdown plan or the diff", async () => {
    const withSecret = await planOf(program(true));
    const without = await planOf(program(false));
    const texts = [
      serializePlan(withSecret),
      renderPlanMarkdown(withSecret),
      serializeDiff(diffPlans(without, withSecret)),
      renderDiffMarkdown(diffPlans(without, withSecret)),
      serializeDiff(diffPlans(withSecret, without)),
      renderDiffMarkdown(diffPlans(withSecret, without)),
    ];
    for (const text of texts) expect(text).not.toContain(PLANTED);
    // The places the secret flowed to show the marker instead.
    const vnet = withSecret.resources.find((r) => r.name === "v")!;
    expect(vnet.inputs["tags"]).toEqual({ student: "s1", token: "[secret]" });
    expect(vnet.secretInputs).toEqual(["tags"]);
    const nsg = withSecret.resources.find((r) => r.name === "n")!;
    expect((nsg.inputs["securityRules"] as Record<string, unknown>[])[0]?.["description"]).toBe("[secret]");
    expect(withSecret.outputs).toEqual({
      derived: "[secret]",
      nested: { value: "[secret]" },
      password: "[secret]",
    });
    expect(texts[1]).toContain('"password": "[secret]"');
  });
});
