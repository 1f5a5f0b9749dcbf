/**
 * `npm run bench`: prints the planner and offline-plan figures quoted in the README.
 * Each figure is a median over several runs; ratios compare runs made in this same invocation.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { classStackWithStudents } from "./classStack.ts";

const RUNS = Number(process.env["AZLAB_BENCH_RUNS"] ?? 5);
const SIZES = [10, 100, 200];
const tsx = join("node_modules", ".bin", "tsx");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function spawnChild(args: string[]): string {
  const result = spawnSync(tsx, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    process.stderr.write(`bench child failed: ${args.join(" ")}\n${result.stderr}`);
    process.exit(1);
  }
  return result.stdout;
}

function runChild(args: string[]): { ms: number; maxRssMiB: number; resources: number } {
  const stdout = spawnChild(args);
  const line = stdout.trim().split("\n").at(-1) ?? "{}";
  return JSON.parse(line) as { ms: number; maxRssMiB: number; resources: number };
}

// 1. The network planner.
const planner = spawnSync(tsx, ["bench/planner.bench.ts"], {
  encoding: "utf8",
  stdio: ["ignore", "inherit", "inherit"],
});
if (planner.status !== 0) process.exit(planner.status ?? 1);

// 1b. Diffing hostile plans (every resource renamed), which used to be quadratic.
const hostile = spawnSync(tsx, ["bench/hostilePlans.ts"], {
  encoding: "utf8",
  stdio: ["ignore", "inherit", "inherit"],
});
if (hostile.status !== 0) process.exit(hostile.status ?? 1);

// 2. The offline plan of class stacks, against bare registrations of the same resources.
const dir = mkdtempSync(join(tmpdir(), "azlab-bench-"));
const medians: Record<number, number> = {};
process.stdout.write(`offline plan: ${RUNS} runs per size, median in-process time and peak RSS\n`);
for (const size of SIZES) {
  const file = join(dir, `Pulumi.bench-${size}.yaml`);
  writeFileSync(file, classStackWithStudents(size));
  const recorded = join(dir, `resources-${size}.json`);
  spawnChild(["bench/planOnce.ts", "record", file, recorded]);
  const azlab: ReturnType<typeof runChild>[] = [];
  const baseline: ReturnType<typeof runChild>[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const a = runChild(["bench/planOnce.ts", "azlab", file]);
    const b = runChild(["bench/planOnce.ts", "baseline", file, recorded]);
    azlab.push(a);
    baseline.push(b);
    ratios.push(a.ms / b.ms);
  }
  medians[size] = median(azlab.map((r) => r.ms));
  process.stdout.write(
    `  ${String(size).padStart(3)} students: ${azlab[0]?.resources} resources, ` +
      `azlab ${median(azlab.map((r) => r.ms)).toFixed(0)} ms / ${median(azlab.map((r) => r.maxRssMiB)).toFixed(0)} MiB, ` +
      `baseline ${median(baseline.map((r) => r.ms)).toFixed(0)} ms / ${median(baseline.map((r) => r.maxRssMiB)).toFixed(0)} MiB, ` +
      `overhead ${median(ratios).toFixed(2)}x (median of per-pair ratios)\n`,
  );
}
const growth = (medians[200] ?? 0) / (medians[100] ?? 1);
process.stdout.write(`  growth 100 -> 200 students: ${growth.toFixed(2)}x time (linear is 2.00x)\n`);
