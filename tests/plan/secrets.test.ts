import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network/index.js";
import { describe, expect, it } from "vitest";
import { diffPlans, renderDiffMarkdown, serializeDiff } from "../../src/plan/diff.ts";
import { serializePlan } from "../../src/plan/document.ts";
import { renderPlanMarkdown } from "../../src/plan/markdown.ts";
import { planOf } from "./fixtures.ts";

const PLANTED = "PLANTED-SECRET-123";

/**
 * A VNet and NSG with the planted secret in a tag, inside a rule, and in three outputs. Without it the
 * same places hold a plain, non-secret value, so a diff between the two has real changes to render.
 */
function program(withSecret: boolean) {
  return async () => {
    const secret = withSecret ? pulumi.secret(PLANTED) : pulumi.output("plain");
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
    // The diffs are not empty: every place the secret went is a change, shown only as the marker.
    const added = diffPlans(without, withSecret);
    expect(added.summary).toEqual({
      added: 0,
      removed: 0,
      replaced: 0,
      changed: 2,
      outputsChanged: 3,
      risks: 0,
    });
    expect(added.changed.map((c) => [c.name, c.changes])).toEqual([
      [
        "n",
        [
          { path: "inputs.securityRules[0].description", before: "key plain", after: "[secret]" },
          { path: "secretInputs[0]", after: "securityRules" },
        ],
      ],
      [
        "v",
        [
          { path: "inputs.tags.token", before: "plain", after: "[secret]" },
          { path: "secretInputs[0]", after: "tags" },
        ],
      ],
    ]);
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
