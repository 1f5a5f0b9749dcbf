import { describe, expect, it } from "vitest";
import {
  assessStacks,
  COMMENT_LIMIT,
  commentExitCode,
  neutralize,
  neutralizeDeep,
  renderComment,
  type StackPlans,
} from "../../src/plan/comment.ts";
import { basicPlan, GROUP, planOf, resource, withoutStorage } from "./planDocs.ts";

const FAILED = "azlab plan failed for this stack in the pull request";

/** One stack of every kind, given in alphabetical order. */
const mixed: StackPlans[] = [
  { stack: "a-calm", base: basicPlan("a-calm"), head: basicPlan("a-calm") },
  { stack: "b-changed", base: basicPlan("b-changed"), head: basicPlan("b-changed", "v2") },
  { stack: "d-failed", base: basicPlan("d-failed"), failure: FAILED },
  { stack: "e-new", head: basicPlan("e-new") },
  { stack: "f-gone", base: basicPlan("f-gone") },
  { stack: "prod", base: basicPlan("prod"), head: withoutStorage("prod") },
];

describe("neutralize", () => {
  it("turns every Markdown, HTML and GitHub trigger into a visible look-alike", () => {
    expect(
      neutralize(
        '@octocat [x](https://evil.example) <img src=x> `c` | #12 \u202Eabc\nwww.evil.com a&b $x$ \\ "q"',
      ),
    ).toBe("＠octocat ⁅x⁆(https∶//evil.example) ‹img src=x› ˋcˋ ¦ ＃12 �abc www․evil.com a＆b ＄x＄ ∖ ＂q＂");
  });

  it("keeps ordinary names as they are and cuts very long strings", () => {
    expect(neutralize("alice-vnet_01.web:443/tcp (10.0.0.0/24) * ~ !")).toBe(
      "alice-vnet_01.web:443/tcp (10.0.0.0/24) * ~ !",
    );
    const long = neutralize("x".repeat(5_000));
    expect(long).toHaveLength(1_000);
    expect(long.endsWith("x…")).toBe(true);
  });

  it("reaches object keys and nested values, and leaves numbers alone", () => {
    expect(neutralizeDeep({ "@k": ["<b>", 3, { deep: "`x`" }], n: null, t: true })).toEqual({
      "＠k": ["‹b›", 3, { deep: "ˋxˋ" }],
      n: null,
      t: true,
    });
  });
});

describe("assessStacks and the gate", () => {
  it("orders stacks by risk, not by name", () => {
    const outcomes = assessStacks(mixed);
    expect(outcomes.map((o) => [o.stack, o.status])).toEqual([
      ["d-failed", "failed"],
      ["prod", "risky"],
      ["f-gone", "missing"],
      ["e-new", "added"],
      ["b-changed", "changed"],
      ["a-calm", "unchanged"],
    ]);
  });

  it("puts the stack with more risks first within one status", () => {
    const twoRisks = planOf("zz", [
      resource("zz", GROUP, "rg", { location: "westeurope", tags: { note: "v1" } }),
    ]);
    const base = planOf("zz", [
      ...twoRisks.resources,
      resource("zz", "azure-native:storage:StorageAccount", "data"),
      resource("zz", "azure-native:storage:StorageAccount", "logs"),
    ]);
    const outcomes = assessStacks([
      { stack: "aa", base: basicPlan("aa"), head: withoutStorage("aa") },
      { stack: "zz", base, head: twoRisks },
    ]);
    expect(outcomes.map((o) => [o.stack, o.diff?.summary.risks])).toEqual([
      ["zz", 2],
      ["aa", 1],
    ]);
  });

  it("gates 1 on a failure, 3 on a risk or a missing plan, 2 on changes, 0 otherwise", () => {
    const gate = (stacks: StackPlans[]) => commentExitCode(assessStacks(stacks));
    expect(gate(mixed)).toBe(1);
    expect(gate(mixed.filter((s) => s.stack !== "d-failed"))).toBe(3);
    expect(gate(mixed.filter((s) => s.stack === "f-gone" || s.stack === "a-calm"))).toBe(3);
    expect(gate(mixed.filter((s) => s.stack === "e-new" || s.stack === "a-calm"))).toBe(2);
    expect(gate(mixed.filter((s) => s.stack === "b-changed"))).toBe(2);
    expect(gate(mixed.filter((s) => s.stack === "a-calm"))).toBe(0);
    expect(gate([])).toBe(0);
  });
});

describe("renderComment", () => {
  it("opens with a table of every stack, riskiest first, before any details", () => {
    const comment = renderComment(assessStacks(mixed), { intro: ["Trusted intro."] });
    const table = [
      "## azlab plan",
      "",
      "Trusted intro.",
      "",
      "**❌ At least one plan failed.** 6 stacks, riskiest first:",
      "",
      "| Stack | Result | Risks | Add | Delete | Replace | Update |",
      "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
      "| `d-failed` | ❌ plan failed | — | — | — | — | — |",
      "| `prod` | ⚠️ risky changes | 1 | 0 | 1 | 0 | 0 |",
      "| `f-gone` | ⚠️ no plan from the pull request | — | — | — | — | — |",
      "| `e-new` | 🆕 new stack | 0 | 2 | 0 | 0 | 0 |",
      "| `b-changed` | changes | 0 | 0 | 0 | 0 | 2 |",
      "| `a-calm` | no changes | 0 | 0 | 0 | 0 | 0 |",
      "",
      "### azlab plan: `d-failed`",
      "",
      `**The plan failed:** ${FAILED}.`,
      "",
      "### azlab diff: `prod`",
      "",
    ].join("\n");
    expect(comment.startsWith(table)).toBe(true);
    const headings = comment.split("\n").filter((line) => /^### azlab (plan|diff): /.test(line));
    expect(headings).toEqual([
      "### azlab plan: `d-failed`",
      "### azlab diff: `prod`",
      "### azlab plan: `f-gone`",
      "### azlab plan: `e-new`",
      "### azlab diff: `b-changed`",
      "### azlab diff: `a-calm`",
    ]);
    // The risk row itself is diffMarkdown.ts's (tests/plan); here only that prod's section carries it.
    const prod = comment.slice(
      comment.indexOf("### azlab diff: `prod`"),
      comment.indexOf("### azlab plan: `f-gone`"),
    );
    expect(prod).toMatch(
      /^\| Stateful resource deleted \| .*data.* \| azure-native:storage:StorageAccount data is deleted, with its data \|$/m,
    );
    expect(comment.endsWith("### azlab diff: `a-calm`\n\nNo changes.\n")).toBe(true);
  });

  it("drops the calmest sections first when the comment is too long, and names them", () => {
    // Forty big changed stacks, alphabetically before prod, would have pushed prod out of the comment.
    // Twenty changed resources each make twice the limit: about half the sections are left out.
    const big = (stack: string) =>
      planOf(
        stack,
        Array.from({ length: 20 }, (_, i) =>
          resource(stack, GROUP, `rg-${String(i).padStart(2, "0")}`, {
            tags: { note: "v1", pad: "p".repeat(60) },
          }),
        ),
      );
    const bumped = (stack: string) =>
      planOf(
        stack,
        big(stack).resources.map((r) => ({ ...r, inputs: { tags: { note: "v2", pad: "p".repeat(60) } } })),
      );
    const stacks: StackPlans[] = [
      ...Array.from({ length: 40 }, (_, i) => {
        const name = `class-${String(i).padStart(2, "0")}`;
        return { stack: name, base: big(name), head: bumped(name) };
      }),
      { stack: "prod", base: basicPlan("prod"), head: withoutStorage("prod") },
    ];
    const comment = renderComment(assessStacks(stacks));
    expect(comment.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    const table = comment.slice(0, comment.indexOf("\n\n###"));
    expect(table.split("\n").filter((l) => l.startsWith("| `")).length).toBe(41);
    expect(table).toContain("**⚠️ Risky changes: review them before merging.** 41 stacks, riskiest first:");
    expect(comment.indexOf("### azlab diff: `prod`")).toBeGreaterThan(0);
    expect(comment.indexOf("### azlab diff: `prod`")).toBeLessThan(
      comment.indexOf("### azlab diff: `class-00`"),
    );
    const notShown =
      /^> \*\*Not shown\*\* \(the comment hit GitHub's size limit; the run's artifact has every plan\): (.*)$/m.exec(
        comment,
      );
    expect(notShown).not.toBeNull();
    const omitted = notShown![1]!.split(", ");
    const shown = comment.split("\n").filter((l) => l.startsWith("### azlab diff: `class-"));
    expect(omitted.length + shown.length).toBe(40);
    expect(omitted.length).toBeGreaterThan(0);
    // Ties on status, risks and size fall back to the name: the last classes are the ones left out.
    expect(omitted.at(-1)).toBe("`class-39`");
  });

  it("posts nothing from a forged plan that GitHub would act on", () => {
    const forged =
      "x @admin [No changes](https://evil.example) <!-- azlab-plan --> ![i](https://t.example/p.png) #1";
    const head = planOf("dev", [
      resource("dev", GROUP, forged, { tags: { note: forged } }),
      resource("dev", GROUP, "rg", { location: "westeurope", tags: { note: "v1" } }),
      resource("dev", "azure-native:storage:StorageAccount", "data", {
        location: "westeurope",
        tags: { note: "v1" },
      }),
    ]);
    const added = { ...head, stack: "fresh", outputs: { [forged]: forged } };
    const comment = renderComment(
      assessStacks([
        { stack: "dev", base: basicPlan("dev"), head },
        { stack: "fresh", head: added },
      ]),
    );
    expect(comment).toContain("x ＠admin ⁅No changes⁆(https∶//evil.example)");
    for (const bad of ["@admin", "](", "<!--", "<img", "https://", "#1", "!["]) {
      expect(comment.includes(bad), bad).toBe(false);
    }
  });
});
