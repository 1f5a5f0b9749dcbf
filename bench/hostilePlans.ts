/**
 * Hostile plan documents for the diff: `bigPlan` builds N subnets that are all renamed between two
 * plans (the tests use it small), and running this file times validate + diff + render at 10,000,
 * 20,000 and 40,000 resources a side, with the growth as paired per-run ratios (linear is 2.00x).
 * Run: npx tsx bench/hostilePlans.ts
 */
import { pathToFileURL } from "node:url";
import { diffPlans, renderDiffMarkdown } from "../src/plan/diff.ts";
import type { PlanDocument, PlanResource } from "../src/plan/document.ts";
import { validatePlanDocument } from "../src/plan/planSchema.ts";

const URN = "urn:pulumi:test::azlab::";

/** A plan of `count` subnets named `<prefix>-<i>`, each its own Azure subnet, under one VNet component. */
export function bigPlan(count: number, prefix: string, chain = false): PlanDocument {
  const parentUrn = `${URN}azlab:test:Net::net`;
  const resources: PlanResource[] = [
    {
      urn: parentUrn,
      type: "azlab:test:Net",
      name: "net",
      custom: false,
      parent: null,
      dependencies: [],
      protect: false,
      retainOnDelete: false,
      ignoreChanges: [],
      inputs: {},
      secretInputs: [],
    },
  ];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}-${i}`;
    // A chained plan nests each subnet under the one before; the URN keeps one type chain, which
    // the schema does not tie to the parent's (a real one would grow with the depth).
    const parent = chain && i > 0 ? resources[i]! : resources[0]!;
    resources.push({
      urn: `${URN}azlab:test:Net$azure-native:network:Subnet::${name}`,
      type: "azure-native:network:Subnet",
      name,
      custom: true,
      parent: parent.urn,
      dependencies: i > 0 ? [resources[i]!.urn] : [],
      protect: false,
      retainOnDelete: false,
      ignoreChanges: [],
      inputs: {
        resourceGroupName: "class-rg",
        virtualNetworkName: "vnet",
        subnetName: `s${i}`,
        tags: { student: `st${i % 100}` },
      },
      secretInputs: [],
    });
  }
  return {
    version: "azlab.plan/v1",
    stack: "test",
    file: "stacks/Pulumi.test.yaml",
    summary: { resourceCounts: {}, total: resources.length },
    resources,
    network: [],
    nsgRules: [],
    findings: [],
    outputs: {},
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Milliseconds to validate both sides, diff them and render the Markdown. */
function timeDiff(size: number): number {
  const base: unknown = JSON.parse(JSON.stringify(bigPlan(size, "old")));
  const head: unknown = JSON.parse(JSON.stringify(bigPlan(size, "new")));
  const started = performance.now();
  const a = validatePlanDocument(base, "base.json");
  const b = validatePlanDocument(head, "head.json");
  renderDiffMarkdown(diffPlans(a.plan!, b.plan!));
  return performance.now() - started;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const runs = Number(process.env["AZLAB_BENCH_RUNS"] ?? 5);
  const sizes = [10_000, 20_000, 40_000];
  timeDiff(1_000); // warm-up
  const times: Record<number, number[]> = Object.fromEntries(sizes.map((s) => [s, []]));
  for (let i = 0; i < runs; i++) for (const size of sizes) times[size]!.push(timeDiff(size));
  process.stdout.write(`hostile diff: validate + diff + render, every resource renamed, median of ${runs}\n`);
  for (const size of sizes) {
    process.stdout.write(
      `  ${size.toLocaleString("en-US")} x ${size.toLocaleString("en-US")}: ${median(times[size]!).toFixed(0)} ms\n`,
    );
  }
  const growth = times[40_000]!.map((t, i) => t / times[20_000]![i]!);
  process.stdout.write(
    `  growth 20,000 -> 40,000: ${median(growth).toFixed(2)}x (median of paired ratios; linear is 2.00x)\n`,
  );
}
