import { beforeAll, describe, expect, it } from "vitest";
import type { PlanDocument } from "../../src/plan/document.ts";
import { capMarkdown, renderPlanMarkdown } from "../../src/plan/markdown.ts";
import { classProgram, editable, planOf, roster } from "./fixtures.ts";

/** GitHub rejects issue and pull-request comments longer than this. */
const GITHUB_COMMENT_LIMIT = 65_536;

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

  let hundred: PlanDocument;
  beforeAll(async () => {
    hundred = await planOf(classProgram(roster(100)));
  }, 120_000);

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
