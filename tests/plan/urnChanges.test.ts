import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network/index.js";
import { beforeAll, describe, expect, it } from "vitest";
import { diffExitCode, diffPlans, renderDiffMarkdown } from "../../src/plan/diff.ts";
import type { PlanDocument } from "../../src/plan/document.ts";
import type { OfflineRun } from "../../src/model/recorded.ts";
import { classProgram, named, planEdited, planOf, run } from "./fixtures.ts";

const URN = "urn:pulumi:test::azlab::";
const ENV = `${URN}azlab:test:StudentEnv$`;
const CLASS = { alice: { octet: 1 }, bob: { octet: 2 } };
const WEB = `${ENV}azure-native:network:Subnet::alice-web`;
const FRONTEND = `${ENV}azure-native:network:Subnet::alice-frontend`;

let recorded: OfflineRun;
let base: PlanDocument;

beforeAll(async () => {
  recorded = await run(classProgram(CLASS));
  base = planEdited(recorded, () => undefined);
}, 120_000);

/** The base plan with alice's web subnet under a new Pulumi name, optionally aliased to the old URN. */
function renamedWeb(aliases?: string[]): PlanDocument {
  return planEdited(recorded, (rs) => {
    const web = named(rs, "alice-web");
    return rs.map((r) =>
      r === web ? { ...r, name: "alice-frontend", urn: FRONTEND, ...(aliases ? { aliases } : {}) } : r,
    );
  });
}

describe("URN changes in azlab diff", () => {
  it("reports a rename without an alias as a replacement that deletes the old URN and creates the new", () => {
    const diff = diffPlans(base, renamedWeb());
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed).toEqual([]);
    expect(diff.replaced).toEqual([
      {
        urn: FRONTEND,
        type: "azure-native:network:Subnet",
        name: "alice-frontend",
        student: "alice",
        previousUrn: WEB,
        replaceReasons: ["URN changed without an alias"],
        changes: [{ path: "urn", before: WEB, after: FRONTEND }],
      },
    ]);
    expect(diff.risks).toEqual([
      {
        kind: "renamed-without-alias",
        urn: FRONTEND,
        message: `replace: ${WEB} deleted and ${FRONTEND} created, because the URN changed without an alias; declare the old URN in the resource's aliases to keep it`,
      },
    ]);
    expect(diffExitCode(diff)).toBe(3);
    expect(renderDiffMarkdown(diff).split("\n").slice(0, 9)).toEqual([
      "### azlab diff: `test`",
      "",
      "**⚠️ 1 risky change** · 0 to add · 0 to delete · 1 to replace · 0 to update · 0 output changes",
      "",
      "#### ⚠️ Risky changes",
      "",
      "| Risk | Resource | What happens |",
      "| --- | --- | --- |",
      `| URN changed without an alias | \`alice-frontend\` | replace: ${WEB} deleted and ${FRONTEND} created, because the URN changed without an alias; declare the old URN in the resource's aliases to keep it |`,
    ]);
  });

  it("reports the same rename with an alias to the old URN as a plain update", () => {
    const diff = diffPlans(base, renamedWeb([WEB]));
    expect(diff.replaced).toEqual([]);
    expect(diff.changed).toEqual([
      {
        urn: FRONTEND,
        type: "azure-native:network:Subnet",
        name: "alice-frontend",
        student: "alice",
        previousUrn: WEB,
        replaceReasons: [],
        changes: [{ path: "urn", before: WEB, after: FRONTEND }],
      },
    ]);
    expect(diff.risks).toEqual([]);
    expect(diffExitCode(diff)).toBe(2);
  });

  it("still replaces an aliased rename whose Azure name changes too", () => {
    const head = planEdited(recorded, (rs) => {
      const web = named(rs, "alice-web");
      web.inputs["subnetName"] = "frontend";
      return rs.map((r) => (r === web ? { ...r, name: "alice-frontend", urn: FRONTEND, aliases: [WEB] } : r));
    });
    const diff = diffPlans(base, head);
    expect(diff.replaced.map((r) => [r.urn, r.previousUrn, r.replaceReasons])).toEqual([
      [FRONTEND, WEB, ["subnetName changed"]],
    ]);
    expect(diff.risks.map((r) => r.kind)).toEqual(["replacement"]);
  });

  it("flags a stateful resource renamed without an alias as losing its data", () => {
    const old = `${URN}azure-native:storage:StorageAccount::shared`;
    const now = `${URN}azure-native:storage:StorageAccount::class-data`;
    const head = planEdited(recorded, (rs) => {
      const shared = named(rs, "shared");
      return rs.map((r) => (r === shared ? { ...r, name: "class-data", urn: now } : r));
    });
    expect(diffPlans(base, head).risks).toEqual([
      {
        kind: "stateful-replaced",
        urn: now,
        message: `replace: ${old} deleted and ${now} created, because the URN changed without an alias, losing its data; declare the old URN in the resource's aliases to keep it`,
      },
    ]);
  });

  it("does not pair resources that Azure names itself: they stay one addition and one deletion", () => {
    // gateway-ip sets no publicIpAddressName; its resource group alone identifies nothing.
    const head = planEdited(recorded, (rs) => {
      const ip = named(rs, "gateway-ip");
      return rs.map((r) =>
        r === ip ? { ...r, name: "gateway", urn: `${URN}azure-native:network:PublicIPAddress::gateway` } : r,
      );
    });
    const diff = diffPlans(base, head);
    expect(diff.added.map((r) => r.name)).toEqual(["gateway"]);
    expect(diff.removed.map((r) => r.name)).toEqual(["gateway-ip"]);
    expect(diff.replaced).toEqual([]);
    expect(diff.risks).toEqual([]);
  });

  it("escapes plan strings in a risky change's Markdown", () => {
    const hostile = "x|y @admin <img src=x> [l](https://e.vil) `z`";
    const now = `${ENV}azure-native:network:Subnet::${hostile}`;
    const head = planEdited(recorded, (rs) => {
      const web = named(rs, "alice-web");
      return rs.map((r) => (r === web ? { ...r, name: hostile, urn: now } : r));
    });
    const md = renderDiffMarkdown(diffPlans(base, head));
    const row = md.split("\n").find((line) => line.startsWith("| URN changed without an alias"));
    const escapedName = "x\\|y @\u200badmin \\<img src=x\\> \\[l\\](https://\u200be.vil) \\`z\\`";
    expect(row).toBe(
      `| URN changed without an alias | \`\` x\\|y @admin <img src=x> [l](https://e.vil) \`z\` \`\` | replace: ${WEB} deleted and ${ENV}azure-native:network:Subnet::${escapedName} created, because the URN changed without an alias; declare the old URN in the resource's aliases to keep it |`,
    );
    expect(md).toContain(
      `#### \`\` ${hostile} \`\` (azure-native:network:Subnet) — replaced: URN changed without an alias`,
    );
  });
});

/** A student environment whose component type was renamed, with an alias to the old type. */
class Student extends pulumi.ComponentResource {
  constructor(student: string, withAlias: boolean) {
    super(
      "azlab:test:Student",
      student,
      {},
      withAlias ? { aliases: [{ type: "azlab:test:StudentEnv" }] } : {},
    );
    new network.VirtualNetwork(
      `${student}-vnet`,
      {
        resourceGroupName: "class-rg",
        virtualNetworkName: `${student}-vnet`,
        location: "westeurope",
        addressSpace: { addressPrefixes: ["10.1.0.0/16"] },
        tags: { student },
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}

/** The same environment under its old type. */
class StudentEnv extends pulumi.ComponentResource {
  constructor(student: string) {
    super("azlab:test:StudentEnv", student, {});
    new network.VirtualNetwork(
      `${student}-vnet`,
      {
        resourceGroupName: "class-rg",
        virtualNetworkName: `${student}-vnet`,
        location: "westeurope",
        addressSpace: { addressPrefixes: ["10.1.0.0/16"] },
        tags: { student },
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}

describe("aliases recorded by the offline engine", () => {
  const OLD_ENV = `${URN}azlab:test:StudentEnv::alice`;
  const OLD_VNET = `${URN}azlab:test:StudentEnv$azure-native:network:VirtualNetwork::alice-vnet`;
  const NEW_VNET = `${URN}azlab:test:Student$azure-native:network:VirtualNetwork::alice-vnet`;

  it("records azlab's own aliases and those a child inherits, without azure-native's version aliases", async () => {
    const result = await run(async () => {
      new Student("alice", true);
    });
    const aliasesOf = (name: string) => result.resources.find((r) => r.name === name)?.aliases;
    expect(aliasesOf("alice")).toEqual([OLD_ENV]);
    expect(aliasesOf("alice-vnet")).toEqual([OLD_VNET]);
  });

  it("makes a component type change with an alias a plain update of every child, and one without it a replacement", async () => {
    const before = await planOf(async () => {
      new StudentEnv("alice");
    });
    const aliased = diffPlans(
      before,
      await planOf(async () => {
        new Student("alice", true);
      }),
    );
    expect(aliased.risks).toEqual([]);
    expect(aliased.changed.map((c) => [c.previousUrn, c.urn])).toEqual([
      [OLD_VNET, NEW_VNET],
      [OLD_ENV, `${URN}azlab:test:Student::alice`],
    ]);
    // The component itself moves by its alias too, and has nothing to compare but its URN.
    expect(aliased.added).toEqual([]);
    expect(aliased.removed).toEqual([]);

    const bare = diffPlans(
      before,
      await planOf(async () => {
        new Student("alice", false);
      }),
    );
    expect(bare.risks.map((r) => [r.kind, r.urn])).toEqual([["renamed-without-alias", NEW_VNET]]);
    // The component is replaced too (its type is part of its URN), but it has nothing in Azure to lose.
    expect(bare.replaced.map((r) => [r.previousUrn, r.urn, r.replaceReasons])).toEqual([
      [OLD_VNET, NEW_VNET, ["URN changed without an alias"]],
      [OLD_ENV, `${URN}azlab:test:Student::alice`, ["type changed from azlab:test:StudentEnv"]],
    ]);
    expect(bare.added).toEqual([]);
    expect(bare.removed).toEqual([]);
  });
});
