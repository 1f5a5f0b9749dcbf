import { beforeAll, describe, expect, it } from "vitest";
import { diffExitCode, diffPlans, renderDiffMarkdown } from "../../src/plan/diff.ts";
import type { PlanDiff } from "../../src/plan/diff.ts";
import type { PlanDocument } from "../../src/plan/document.ts";
import type { OfflineRun } from "../../src/model/recorded.ts";
import { classProgram, named, planEdited, planOf, run } from "./fixtures.ts";

const URN = "urn:pulumi:test::azlab::";
const ENV = `${URN}azlab:test:StudentEnv$`;
const CLASS = { alice: { octet: 1 }, bob: { octet: 2 }, carol: { octet: 3 } };

let recorded: OfflineRun;
let base: PlanDocument;

beforeAll(async () => {
  recorded = await run(classProgram(CLASS));
  base = planEdited(recorded, () => undefined);
}, 120_000);

describe("diffPlans", () => {
  it("reports nothing, exit 0, for identical plans", () => {
    const diff = diffPlans(
      base,
      planEdited(recorded, () => undefined),
    );
    expect(diff.summary).toEqual({
      added: 0,
      removed: 0,
      replaced: 0,
      changed: 0,
      outputsChanged: 0,
      risks: 0,
    });
    expect(diffExitCode(diff)).toBe(0);
    expect(renderDiffMarkdown(diff)).toContain("No changes.");
  });

  it("flags a subnet whose CIDR changes", () => {
    const head = planEdited(recorded, (rs) => {
      named(rs, "alice-web").inputs["addressPrefix"] = "10.1.0.128/26";
    });
    const diff = diffPlans(base, head);
    expect(diff.changed).toEqual([
      {
        urn: `${ENV}azure-native:network:Subnet::alice-web`,
        type: "azure-native:network:Subnet",
        name: "alice-web",
        student: "alice",
        replaceReasons: [],
        changes: [{ path: "inputs.addressPrefix", before: "10.1.0.0/26", after: "10.1.0.128/26" }],
      },
    ]);
    expect(diff.risks).toEqual([
      {
        kind: "subnet-cidr-changed",
        urn: `${ENV}azure-native:network:Subnet::alice-web`,
        message:
          "subnet web of VNet alice-vnet moves from 10.1.0.0/26 to 10.1.0.128/26; Azure refuses while anything is attached",
      },
    ]);
    expect(diffExitCode(diff)).toBe(3);
  });

  it("flags an address space that shrinks, not one that grows", () => {
    const shrunk = planEdited(recorded, (rs) => {
      named(rs, "alice-vnet").inputs["addressSpace"] = { addressPrefixes: ["10.1.0.0/24"] };
    });
    expect(diffPlans(base, shrunk).risks).toEqual([
      {
        kind: "address-space-shrank",
        urn: `${ENV}azure-native:network:VirtualNetwork::alice-vnet`,
        message: "VNet alice-vnet no longer covers 10.1.0.0/16 (address space 10.1.0.0/16 → 10.1.0.0/24)",
      },
    ]);
    const grown = planEdited(recorded, (rs) => {
      named(rs, "alice-vnet").inputs["addressSpace"] = { addressPrefixes: ["10.0.0.0/15", "fd00::/48"] };
    });
    const diff = diffPlans(base, grown);
    expect(diff.risks).toEqual([]);
    expect(diff.changed.map((c) => c.changes.map((f) => f.path))).toEqual([
      ["inputs.addressSpace.addressPrefixes[0]", "inputs.addressSpace.addressPrefixes[1]"],
    ]);
    expect(diffExitCode(diff)).toBe(2);
  });

  it("flags an NSG rule that newly allows inbound traffic from the internet", () => {
    const head = planEdited(recorded, (rs) => {
      named(rs, "alice-nsg").inputs["securityRules"][0].sourceAddressPrefix = "Internet";
      named(rs, "bob-nsg").inputs["securityRules"].push({
        name: "rdp",
        priority: 300,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefix: "0.0.0.0/0",
        destinationAddressPrefix: "*",
        destinationPortRange: "3389",
      });
      // Denying the internet is not a risk.
      named(rs, "carol-nsg").inputs["securityRules"][0].access = "Deny";
      named(rs, "carol-nsg").inputs["securityRules"][0].sourceAddressPrefix = "*";
    });
    const diff = diffPlans(base, head);
    expect(diff.risks).toEqual([
      {
        kind: "internet-inbound-allowed",
        urn: `${ENV}azure-native:network:NetworkSecurityGroup::alice-nsg`,
        message: "NSG alice-nsg rule ssh (priority 100) now allows inbound Tcp to ports 22 from Internet",
      },
      {
        kind: "internet-inbound-allowed",
        urn: `${ENV}azure-native:network:NetworkSecurityGroup::bob-nsg`,
        message: "NSG bob-nsg rule rdp (priority 300) now allows inbound Tcp to ports 3389 from 0.0.0.0/0",
      },
    ]);
    expect(diff.changed.map((c) => c.name)).toEqual(["alice-nsg", "bob-nsg", "carol-nsg"]);
  });

  it("flags a deleted stateful resource", () => {
    const head = planEdited(recorded, (rs) => rs.filter((r) => r.name !== "shared"));
    const diff = diffPlans(base, head);
    expect(diff.removed).toEqual([
      {
        urn: `${URN}azure-native:storage:StorageAccount::shared`,
        type: "azure-native:storage:StorageAccount",
        name: "shared",
        student: null,
      },
    ]);
    expect(diff.risks).toEqual([
      {
        kind: "stateful-deleted",
        urn: `${URN}azure-native:storage:StorageAccount::shared`,
        message: "azure-native:storage:StorageAccount shared is deleted, with its data",
      },
    ]);
    expect(diffExitCode(diff)).toBe(3);
  });

  it("flags a stateful resource replaced by a name change", () => {
    const head = planEdited(recorded, (rs) => {
      named(rs, "shared").inputs["accountName"] = "azlabshared2";
    });
    const diff = diffPlans(base, head);
    expect(diff.changed).toEqual([]);
    expect(diff.replaced).toEqual([
      {
        urn: `${URN}azure-native:storage:StorageAccount::shared`,
        type: "azure-native:storage:StorageAccount",
        name: "shared",
        student: null,
        replaceReasons: ["accountName changed"],
        changes: [{ path: "inputs.accountName", before: "azlabshared", after: "azlabshared2" }],
      },
    ]);
    expect(diff.risks).toEqual([
      {
        kind: "stateful-replaced",
        urn: `${URN}azure-native:storage:StorageAccount::shared`,
        message:
          "azure-native:storage:StorageAccount shared is deleted and re-created (accountName changed), losing its data",
      },
    ]);
  });

  it("flags location, public IP SKU and type changes as replacements, but not a tag change", () => {
    const head = planEdited(recorded, (rs) => {
      named(rs, "bob-vnet").inputs["location"] = "northeurope";
      named(rs, "gateway-ip").inputs["sku"] = { name: "Basic" };
      named(rs, "shared").inputs["tags"] = { course: "net102" };
      const subnet = named(rs, "carol-db");
      return rs.map((r) =>
        r === subnet
          ? { ...r, type: "azure-native:network:SubnetV2", urn: r.urn.replace("Subnet::", "SubnetV2::") }
          : r,
      );
    });
    const diff = diffPlans(base, head);
    expect(diff.replaced.map((r) => [r.name, r.replaceReasons, r.previousUrn ?? null])).toEqual([
      [
        "carol-db",
        ["type changed from azure-native:network:Subnet"],
        `${ENV}azure-native:network:Subnet::carol-db`,
      ],
      ["bob-vnet", ["location changed"], null],
      ["gateway-ip", ["sku changed"], null],
    ]);
    expect(diff.risks.map((r) => `${r.kind} ${r.message}`)).toEqual([
      "replacement azure-native:network:SubnetV2 carol-db is deleted and re-created (type changed from azure-native:network:Subnet)",
      "replacement azure-native:network:VirtualNetwork bob-vnet is deleted and re-created (location changed)",
      "replacement azure-native:network:PublicIPAddress gateway-ip is deleted and re-created (sku changed)",
    ]);
    expect(diff.changed.map((c) => [c.name, c.changes])).toEqual([
      ["shared", [{ path: "inputs.tags.course", before: "net101", after: "net102" }]],
    ]);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
  });

  it("shows a roster removal as that student's resources only, without a risk", async () => {
    const head = await planOf(classProgram({ alice: CLASS.alice, bob: CLASS.bob }));
    const diff = diffPlans(base, head);
    expect(diff.removed.map((r) => [r.name, r.student])).toEqual([
      ["carol-nsg", "carol"],
      ["carol-db", "carol"],
      ["carol-web", "carol"],
      ["carol-vnet", "carol"],
      ["carol", "carol"],
    ]);
    expect(diff.added).toEqual([]);
    expect(diff.changed).toEqual([]);
    expect(diff.risks).toEqual([]);
    expect(diff.outputs).toEqual([{ path: "students", before: 3, after: 2 }]);
    expect(diffExitCode(diff)).toBe(2);
    const md = renderDiffMarkdown(diff);
    expect(md).toContain(
      "- `{student}-nsg` (azure-native:network:NetworkSecurityGroup)".replace("{student}", "carol"),
    );
    expect(md).not.toContain("Risky");
  });

  it("flags a roster change that also modifies another student's or a shared resource", () => {
    const head = planEdited(recorded, (rs) => {
      named(rs, "bob-nsg").inputs["securityRules"][0].destinationPortRange = "2222";
      named(rs, "gateway-ip").inputs["tags"] = { note: "x" };
      return rs.filter((r) => !r.name.startsWith("carol"));
    });
    const diff = diffPlans(base, head);
    expect(diff.removed).toHaveLength(5);
    expect(diff.risks).toEqual([
      {
        kind: "roster-change-touches-other-resource",
        urn: `${ENV}azure-native:network:NetworkSecurityGroup::bob-nsg`,
        message:
          "roster change (students carol) also modifies student bob resource azure-native:network:NetworkSecurityGroup bob-nsg",
      },
      {
        kind: "roster-change-touches-other-resource",
        urn: `${URN}azure-native:network:PublicIPAddress::gateway-ip`,
        message:
          "roster change (students carol) also modifies shared resource azure-native:network:PublicIPAddress gateway-ip",
      },
    ]);
    expect(diffExitCode(diff)).toBe(3);
  });

  it("renders risks before the lists of changes", () => {
    const head = planEdited(recorded, (rs) => {
      named(rs, "alice-web").inputs["addressPrefix"] = "10.1.0.128/26";
      return rs.filter((r) => r.name !== "shared");
    });
    const md = renderDiffMarkdown(diffPlans(base, head));
    expect(md.split("\n").slice(0, 9)).toEqual([
      "### azlab diff: `test`",
      "",
      "**⚠️ 2 risky changes** · 0 to add · 1 to delete · 0 to replace · 1 to update · 0 output changes",
      "",
      "#### ⚠️ Risky changes",
      "",
      "| Risk | Resource | What happens |",
      "| --- | --- | --- |",
      "| Stateful resource deleted | `shared` | azure-native:storage:StorageAccount shared is deleted, with its data |",
    ]);
    expect(md.indexOf("#### Deleted")).toBeGreaterThan(md.indexOf("Subnet re-addressed"));
    expect(md).toContain('| `inputs.addressPrefix` | `"10.1.0.0/26"` | `"10.1.0.128/26"` |');
  });

  it("caps the Markdown of a very large diff below GitHub's comment limit", () => {
    const changed = Array.from({ length: 2000 }, (_, i) => ({
      urn: `${URN}azure-native:network:NetworkSecurityGroup::s${i}-nsg`,
      type: "azure-native:network:NetworkSecurityGroup",
      name: `s${i}-nsg`,
      student: `s${i}`,
      replaceReasons: [],
      changes: [{ path: "inputs.securityRules[0].destinationPortRange", before: "22", after: "2222" }],
    }));
    const diff: PlanDiff = {
      ...diffPlans(base, base),
      changed,
      summary: { added: 0, removed: 0, replaced: 0, changed: changed.length, outputsChanged: 0, risks: 0 },
    };
    const md = renderDiffMarkdown(diff);
    expect(md.length).toBeLessThanOrEqual(60_000);
    expect(md).toContain("0 to add · 0 to delete · 0 to replace · 2000 to update");
    expect(md).toContain("> **Truncated:**");
  });
});
