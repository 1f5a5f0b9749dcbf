import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute/index.js";
import * as monitor from "@pulumi/azure-native/monitor/index.js";
import * as network from "@pulumi/azure-native/network/index.js";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlanDocument } from "../../src/plan/document.ts";
import { capMarkdown, MARKDOWN_LIMIT, renderPlanMarkdown } from "../../src/plan/markdown.ts";
import type { OfflineRun } from "../../src/model/recorded.ts";
import { classProgram, documentOf, editable, planOf, roster, run } from "./fixtures.ts";

/** GitHub rejects issue and pull-request comments longer than this. */
const GITHUB_COMMENT_LIMIT = 65_536;

/** A /24 web subnet and a scale set that autoscales to 300 instances in it: 49 more than it holds. */
async function overfullWeb() {
  const group = { resourceGroupName: "rg", location: "westeurope" };
  const vnet = new network.VirtualNetwork("dev-net-vnet", {
    ...group,
    addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
  });
  const web = new network.Subnet("dev-net-web", {
    resourceGroupName: "rg",
    virtualNetworkName: vnet.name,
    subnetName: "web",
    addressPrefix: "10.0.0.0/24",
  });
  new network.Subnet("dev-net-data", {
    resourceGroupName: "rg",
    virtualNetworkName: vnet.name,
    subnetName: "data",
    addressPrefix: "10.0.1.0/28",
  });
  const vmss = new compute.VirtualMachineScaleSet("dev-web-vmss", {
    ...group,
    sku: { name: "Standard_B2s", capacity: 2 },
    virtualMachineProfile: {
      networkProfile: {
        networkInterfaceConfigurations: [
          { name: "nic", ipConfigurations: [{ name: "ipconfig", subnet: { id: web.id } }] },
        ],
      },
    },
  });
  new monitor.AutoscaleSetting("dev-web-autoscale", {
    ...group,
    enabled: true,
    targetResourceUri: vmss.id,
    profiles: [{ name: "default", capacity: { minimum: "1", default: "2", maximum: "300" }, rules: [] }],
  });
}

/**
 * A class of `count` students (see `roster`) whose stack output lists every environment, the way
 * the real class stack's `students` output does: a shared hub entry, then one entry per student.
 */
function classWithOutputs(count: number) {
  const students = roster(count);
  const program = classProgram(students);
  const acrLoginServer = "labcloud1011e80792c.azurecr.io";
  return async () => {
    await program();
    const environments = Object.entries(students).map(([key, { octet }]) => [
      key,
      {
        acrLoginServer,
        namespace: `student-${key}`,
        resourceGroup: `rg-lab-class-${key}`,
        storageAccount: `lab${createHash("sha256").update(key).digest("hex").slice(0, 8)}`,
        vnetCidr: `10.${octet}.0.0/16`,
        webFqdn: `lab-class-${key}.westeurope.cloudapp.azure.com`,
        webIpAddress: "203.0.113.10",
      },
    ]);
    return {
      acrLoginServer,
      environment: "class",
      students: {
        hub: {
          acrLoginServer,
          kubeconfig: pulumi.secret("apiVersion: v1"),
          resourceGroup: "rg-lab-class-hub",
          vnetCidr: "10.0.0.0/22",
        },
        ...Object.fromEntries(environments),
      },
    };
  };
}

/**
 * The run of a `classWithOutputs` class cut to its first `count` students: every other student's
 * resources (their component and its children, all named after them) and output entry left out.
 */
function firstStudents(recorded: OfflineRun, count: number): OfflineRun {
  const kept = (key: string) => {
    const number = /^s(\d{3})(-|$)/.exec(key)?.[1];
    return number === undefined || Number(number) <= count;
  };
  const students = recorded.outputs["students"] as Record<string, unknown>;
  return {
    ...recorded,
    resources: recorded.resources.filter((r) => kept(r.name)),
    outputs: {
      ...recorded.outputs,
      students: Object.fromEntries(Object.entries(students).filter(([key]) => kept(key))),
    },
  };
}

/** The Markdown from the per-student stack output's block to the end. */
function studentOutputBlock(md: string): string {
  return md.slice(md.indexOf("<details>\n<summary>Stack output `students`"));
}

describe("renderPlanMarkdown", () => {
  it("renders a small class: summary, subnets, NSG rules, topology, details", async () => {
    const doc = await planOf(
      classProgram({ alice: { octet: 1 }, bob: { octet: 2 }, carol: { octet: 3, sshSource: "*" } }),
    );
    const md = renderPlanMarkdown(doc);
    await expect(md).toMatchFileSnapshot("__snapshots__/plan-small.md");
    // Summary comes before everything else.
    const order = ["### Summary", "### Subnets", "### NSG rules", "### Topology", "### Resources"].map((h) =>
      md.indexOf(h),
    );
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
  });

  it("shows planned use and free addresses per subnet, with a warning above a table that overflows", async () => {
    const md = renderPlanMarkdown(await planOf(overfullWeb));
    const warning =
      "⚠ subnet `web` of `dev-net-vnet` needs 300 addresses at full scale but has 251 usable (dev-web-vmss: up to 300 instances)";
    const table = [
      "| Subnet | CIDR | Addresses | Usable | Planned use | Free | NSG | NAT gateway |",
      "| --- | --- | ---: | ---: | ---: | ---: | --- | --- |",
      "| `data` | 10.0.1.0/28 | 16 | 11 | 0 | 11 | — | no |",
      "| `web` | 10.0.0.0/24 | 256 | 251 | 300 | ⚠ -49 | — | no |",
    ].join("\n");
    expect(md).toContain(`#### VNet \`dev-net-vnet\` — 10.0.0.0/16\n\n${warning}\n\n${table}\n`);
    expect(md.match(/⚠ subnet/g)).toHaveLength(1);
  });

  it("folds student environments only when their planned use matches too", async () => {
    const doc = editable(await planOf(classProgram({ alice: { octet: 1 }, bob: { octet: 2 } })));
    const web = (student: string) =>
      doc.network
        .find((v: { name: string }) => v.name === `${student}-vnet`)
        .subnets.find((s: { name: string }) => s.name === "web");
    for (const student of ["alice", "bob"]) {
      Object.assign(web(student), {
        plannedUse: 70,
        free: -11,
        consumers: [`${student}-web-vmss: up to 70 instances`],
      });
    }
    const folded = renderPlanMarkdown(doc);
    expect(folded).toContain("#### 2 student environments (`{student}-vnet`), identical layout");
    expect(folded).toContain(
      "⚠ subnet `web` of `{student}-vnet` (each of 2 student environments) needs 70 addresses at full scale but has 59 usable ({student}-web-vmss: up to 70 instances)",
    );
    expect(folded).toContain("| `web` | /26 | 64 | 59 | 70 | ⚠ -11 | `{student}-nsg` | no |");

    Object.assign(web("bob"), { plannedUse: 20, free: 39, consumers: ["bob-web-vmss: up to 20 instances"] });
    const apart = renderPlanMarkdown(doc);
    expect(apart).not.toContain("student environments");
    expect(apart).toContain("#### VNet `alice-vnet` — 10.1.0.0/16");
    expect(apart).toContain("| `web` | 10.2.0.0/26 | 64 | 59 | 20 | 39 | `bob-nsg` | no |");
    expect(apart.match(/⚠ subnet/g)).toHaveLength(1);
  });

  let hundred: PlanDocument;
  let twoHundred: PlanDocument;
  beforeAll(async () => {
    // One registration of 200 students. A student's resources and output entry depend only on the
    // student, so its first 100 students are exactly what classWithOutputs(100) registers.
    const recorded = await run(classWithOutputs(200));
    twoHundred = documentOf(recorded);
    hundred = documentOf(firstStudents(recorded, 100));
  }, 240_000);

  it("folds 100 identical student environments into one row and stays under GitHub's limit", () => {
    const doc = hundred;
    expect(doc.summary.total).toBe(2 + 100 * 5);
    const md = renderPlanMarkdown(doc);
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(md).toContain(
      "| 100 student environments, identical layout: subnets db /27, web /26 | /16 each | 65,536 each | 96 each | 65,440 each | 0.1% |",
    );
    expect(md).toContain("#### 100 NSGs `{student}-nsg`, identical rules");
    expect(md).toContain('n0["Subnet: {student}-db ×100"]');
    // The student table lists every student once, inside a collapsed block.
    expect(md).toContain("<summary>Student → address space (100)</summary>");
    expect(md).toContain("| s100 | s100-vnet | 10.100.0.0/16 | 10.100.0.64/27, 10.100.0.0/26 |");
    expect(md.match(/\| s\d{3} \| s\d{3}-vnet \|/g)).toHaveLength(100);
    // Nothing lists the 100 subnets one by one.
    expect(md).not.toContain("s042-web");
    expect(md).not.toContain("Truncated");
  });

  it("renders a stack output keyed by student as one table, with what every student shares above it", () => {
    // The JSON plan keeps every student's outputs; only the Markdown summarizes them.
    expect(Object.keys(hundred.outputs.students as object)).toHaveLength(101);
    const md = renderPlanMarkdown(hundred);
    expect(md.length).toBeLessThan(40_000);
    const block = studentOutputBlock(md);
    expect(block).toContain(
      [
        "<details>",
        "<summary>Stack output `students` (100 students, 1 other entry)</summary>",
        "",
        "- `hub`: acrLoginServer `labcloud1011e80792c.azurecr.io` · kubeconfig [secret] · resourceGroup `rg-lab-class-hub` · vnetCidr `10.0.0.0/22`",
        "",
        "Same for every student (`{student}` is the student's key):",
        "",
        "- acrLoginServer: `labcloud1011e80792c.azurecr.io`",
        "- namespace: `student-{student}`",
        "- resourceGroup: `rg-lab-class-{student}`",
        "- webFqdn: `lab-class-{student}.westeurope.cloudapp.azure.com`",
        "- webIpAddress: `203.0.113.10`",
        "",
        "| Student | storageAccount | vnetCidr |",
        "| --- | --- | --- |",
        "| s001 | `lab7e3bc81f` | `10.1.0.0/16` |",
      ].join("\n"),
    );
    expect(block).toContain("| s100 | `labaa0da3a0` | `10.100.0.0/16` |\n\n</details>\n");
    expect(block.match(/^\| s\d{3} \|/gm)).toHaveLength(100);
    // The whole block: the lines above, 100 rows and the closing tag.
    expect(block.length).toBe(4_769);
    // The remaining outputs stay JSON, without the student record.
    expect(md).toContain(
      '<summary>Stack outputs</summary>\n\n```json\n{\n  "acrLoginServer": "labcloud1011e80792c.azurecr.io",\n  "environment": "class"\n}\n```',
    );
    expect(md).not.toContain("student-s042");
  });

  it("fits 200 students in one comment without a cut", () => {
    const md = renderPlanMarkdown(twoHundred);
    expect(md.length).toBeLessThan(MARKDOWN_LIMIT);
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(md).not.toContain("Truncated");
    const block = studentOutputBlock(md);
    expect(block).toContain("<summary>Stack output `students` (200 students, 1 other entry)</summary>");
    expect(block).toContain("| Student | storageAccount | vnetCidr |\n| --- | --- | --- |\n| s001 |");
    expect(block).toContain("| s200 | `lab32dedd8f` | `10.200.0.0/16` |\n\n</details>\n");
    expect(block.match(/^\| s\d{3} \|/gm)).toHaveLength(200);
    // The 100-student block plus 100 rows of 43 characters.
    expect(block.length).toBe(4_769 + 100 * 43);
  });

  it("caps a plan whose NSGs do not fold, keeping every section and noting the cut", () => {
    const doc = editable(hundred);
    // Give every NSG its own source address and more rules, so no two NSGs are alike.
    doc.nsgRules = hundred.nsgRules.flatMap((rule, i) =>
      [100, 110, 120, 130].map((priority) => ({ ...rule, priority, source: [`192.0.2.${i}/32`] })),
    );
    const md = renderPlanMarkdown(doc);
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(md).toContain("#### NSG `s001-nsg`");
    expect(md).toContain("> **Truncated:**");
    for (const heading of ["### Summary", "### Subnets", "### NSG rules", "### Topology", "### Resources"]) {
      expect(md).toContain(heading);
    }
  });
});

describe("capMarkdown", () => {
  it("cuts at a line, closes open blocks and says what was left out", () => {
    const text = [
      "# Title",
      "<details>",
      "",
      "```json",
      ...Array.from({ length: 100 }, (_, i) => `line ${i}`),
    ].join("\n");
    const capped = capMarkdown(text, 500);
    expect(capped.length).toBeLessThanOrEqual(500);
    expect(capped.startsWith("# Title\n<details>\n\n```json\nline 0\n")).toBe(true);
    expect(capped).toContain("\n```\n\n</details>\n\n> **Truncated:**");
    expect(capMarkdown(text, 10_000)).toBe(text);
  });
});
