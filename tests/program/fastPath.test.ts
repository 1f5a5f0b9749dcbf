/**
 * Issue #16: the large-class fast path (src/program/derive.ts) gives the very plan the full registration
 * gives, byte for byte, and falls back to the full registration when a shape fails its check.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { classStackWithStudents } from "../../bench/classStack.ts";
import { loadStackFile, type LoadedStack } from "../../src/config/stackFile.ts";
import { planDocumentOf } from "../../src/cli/commands/plan.ts";
import { serializePlan } from "../../src/plan/document.ts";
import type { DerivedStats } from "../../src/program/derive.ts";

const AS_OF = new Date("2026-12-01T00:00:00Z");

/**
 * A generated class stack in a folder of its own, loaded; `edit` may change its config first. With
 * `mixed`, six kinds of roster entry in turn; otherwise every entry is empty (one shape).
 */
function generatedClass(
  name: string,
  count: number,
  mixed: boolean,
  edit: (config: Record<string, Record<string, unknown>>) => void = () => {},
): LoadedStack {
  const doc = parse(classStackWithStudents(count, { mixed })) as {
    config: Record<string, Record<string, unknown>>;
  };
  edit(doc.config);
  const file = join(mkdtempSync(join(tmpdir(), "azlab-fast-")), `Pulumi.${name}.yaml`);
  writeFileSync(file, stringify(doc));
  return loadStackFile(file, name);
}

/** Both paths' JSON plans, and what the fast path reported. */
async function bothPlans(loaded: LoadedStack) {
  const derived: DerivedStats[] = [];
  const fallbacks: string[] = [];
  const fast = serializePlan(
    await planDocumentOf(loaded, {
      asOf: AS_OF,
      registration: "fast",
      onDerived: (s) => derived.push(s),
      onFallback: (r) => fallbacks.push(r),
    }),
  );
  const full = serializePlan(await planDocumentOf(loaded, { asOf: AS_OF, registration: "full" }));
  return { fast, full, derived, fallbacks };
}

describe("the fast path's plan is the full path's plan", () => {
  it("for class-demo (no shape has a third student, so nothing is derived)", async () => {
    const loaded = loadStackFile("stacks/Pulumi.class-demo.yaml", "class-demo");
    const { fast, full, derived, fallbacks } = await bothPlans(loaded);
    expect(fast).toBe(full);
    expect(derived).toEqual([]);
    expect(fallbacks).toEqual([]);
  });

  // 19 students: each of the six shapes has a third student or more, so every shape derives someone.
  it("for a generated 19-student class with six kinds of roster entry, 6 students derived", async () => {
    const { fast, full, derived, fallbacks } = await bothPlans(generatedClass("mixed-19", 19, true));
    expect(fallbacks).toEqual([]);
    expect(derived).toEqual([{ registeredStudents: 13, derivedStudents: 6, shapes: 6 }]);
    expect(fast).toBe(full);
    // The plan holds every student: 19 environments' resource groups.
    const doc = JSON.parse(full) as { resources: { type: string; name: string }[] };
    const groups = doc.resources.filter((r) => r.type === "azure-native:resources:ResourceGroup");
    expect(groups.map((g) => g.name).filter((n) => /^s\d{3}-rg$/.test(n))).toHaveLength(19);
  });

  it("for a class with a dedicated cluster per student", async () => {
    const loaded = generatedClass("dedicated-4", 4, false, (config) => {
      config["azlab:class"]!["aksTopology"] = "dedicated";
      config["azlab:class"]!["studentPrefixLength"] = 23;
      (config["azlab:network"]!["subnets"] as Record<string, unknown>)["aks-nodes"] = { prefixLength: 25 };
    });
    const { fast, full, derived, fallbacks } = await bothPlans(loaded);
    expect(fallbacks).toEqual([]);
    expect(derived).toEqual([{ registeredStudents: 3, derivedStudents: 1, shapes: 1 }]);
    expect(fast).toBe(full);
  });

  it("falls back to the full registration when a student key is also a role word, with the same plan", async () => {
    // `web` is the scale set's role: `registry-acrpull-a-web` could be student `a`'s or student `web`'s.
    const loaded = generatedClass("role-words", 5, false, (config) => {
      config["azlab:class"]!["students"] = { a: {}, b: {}, c: {}, d: {}, web: {} };
    });
    const { fast, full, derived, fallbacks } = await bothPlans(loaded);
    expect(derived).toEqual([]);
    expect(fallbacks).toEqual(["registry-acrpull-a-web names more than one student"]);
    expect(fast).toBe(full);
  });
});
