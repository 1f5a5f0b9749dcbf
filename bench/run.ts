/**
 * `npm run bench`: prints every figure docs/benchmarks.md quotes. Each figure is a median; every
 * comparison is a median of per-pair ratios, the two sides of a pair run back to back in one invocation.
 *
 *   AZLAB_BENCH_RUNS      pairs per figure (default 3)
 *   AZLAB_BENCH_SIZES     class sizes for the whole-process plans (default 10,50,100,200,400)
 *   AZLAB_BENCH_BASELINE  a checkout of an earlier commit with its own node_modules (docs/benchmarks.md
 *                         says how to make one): its CLI becomes the "before" side of the goals' ratios
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { classStackWithStudents } from "./classStack.ts";

const RUNS = Number(process.env["AZLAB_BENCH_RUNS"] ?? 3);
const SIZES = (process.env["AZLAB_BENCH_SIZES"] ?? "10,50,100,200,400").split(",").map(Number);
const BASELINE = process.env["AZLAB_BENCH_BASELINE"];
const AS_OF = "2026-12-01";
const here = resolve(".");
const tsx = join("node_modules", ".bin", "tsx");
const out = (text: string) => process.stdout.write(text);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function runScript(script: string): void {
  const result = spawnSync(tsx, [script], { encoding: "utf8", stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

interface Sample {
  readonly ms: number;
  readonly rssMiB: number;
}

/**
 * One whole `azlab` process, start to exit: wall time, and the peak RSS of the largest process it ran
 * (bench/peakRss.mjs reports each one's at exit; a launcher that starts a TypeScript loader runs two).
 */
function whole(root: string, args: readonly string[], cwd = root): Sample {
  const report = join(mkdtempSync(join(tmpdir(), "azlab-rss-")), "rss");
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [join(root, "bin", "azlab.js"), ...args], {
    cwd,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: {
      ...process.env,
      NODE_OPTIONS: `${process.env["NODE_OPTIONS"] ?? ""} --import ${pathToFileURL(join(here, "bench", "peakRss.mjs")).href}`,
      AZLAB_PEAK_RSS_FILE: report,
    },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    out(`bench: azlab ${args.join(" ")} failed in ${root}\n${result.stderr}`);
    process.exit(1);
  }
  const kib = readFileSync(report, "utf8").trim().split("\n").map(Number);
  return { ms, rssMiB: Math.max(...kib) / 1024 };
}

/** Runs `sides` in turn, RUNS times, after one uncounted warm-up round; returns each side's samples. */
function paired(sides: readonly (() => Sample)[]): Sample[][] {
  for (const side of sides) side();
  const samples = sides.map((): Sample[] => []);
  for (let i = 0; i < RUNS; i++) sides.forEach((side, s) => samples[s]!.push(side()));
  return samples;
}

const fmt = (s: readonly Sample[]) =>
  `${median(s.map((x) => x.ms)).toFixed(0)} ms / ${median(s.map((x) => x.rssMiB)).toFixed(0)} MiB`;
/** Median of before/after per pair: how many times faster, and how many times lighter. */
const ratios = (before: readonly Sample[], after: readonly Sample[]) => {
  const time = median(before.map((b, i) => b.ms / after[i]!.ms));
  const rss = median(before.map((b, i) => b.rssMiB / after[i]!.rssMiB));
  return `${time.toFixed(2)}x faster, ${rss.toFixed(2)}x lighter`;
};

// 1. The network planner, and diffing hostile plans (every resource renamed), which used to be quadratic.
runScript("bench/planner.bench.ts");
runScript("bench/hostilePlans.ts");

// 2. Start-up alone: the launcher, the compiled CLI and its command tree, no stack read.
const startup = paired([() => whole(here, ["--help"])])[0]!;
out(`\nstart-up (azlab --help, whole process): ${fmt(startup)} (median of ${RUNS})\n`);

// 3. Whole-process plans of generated classes (class-demo's settings, six kinds of roster entry):
//    the fast path (the default) against the full registration, in pairs.
const stacks = mkdtempSync(join(tmpdir(), "azlab-bench-"));
const plan = (root: string, dir: string, stack: string, registration?: string) => () =>
  whole(root, [
    "plan",
    "--stacks-dir",
    dir,
    "--stack",
    stack,
    "--format",
    "json",
    "--out",
    join(dir, `${stack}.${registration ?? "plan"}.json`),
    "--as-of",
    AS_OF,
    ...(registration ? ["--registration", registration] : []),
  ]);
out(`\nazlab plan, whole process, fast path against --registration full (${RUNS} pairs):\n`);
const fastBySize = new Map<number, Sample[]>();
for (const size of SIZES) {
  writeFileSync(join(stacks, `Pulumi.class-${size}.yaml`), classStackWithStudents(size, { mixed: true }));
  const [fast, full] = paired([
    plan(here, stacks, `class-${size}`, "fast"),
    plan(here, stacks, `class-${size}`, "full"),
  ]);
  fastBySize.set(size, fast!);
  out(
    `  ${String(size).padStart(3)} students: fast ${fmt(fast!)}, full ${fmt(full!)}: ${ratios(full!, fast!)}\n`,
  );
}
const growth = (from: number, to: number) => {
  const a = fastBySize.get(from);
  const b = fastBySize.get(to);
  if (!a || !b) return;
  const time = median(a.map((x, i) => b[i]!.ms / x.ms));
  out(
    `  growth ${from} -> ${to} students (fast, per-round ratio): ${time.toFixed(2)}x time (linear: ${(to / from).toFixed(2)}x)\n`,
  );
};
growth(100, 200);
growth(200, 400);

// 4. The goals of issue #16, against an earlier commit's CLI on the same stacks (its own class-demo's
//    settings, so that its schema reads them).
if (BASELINE) {
  if (!existsSync(join(BASELINE, "bin", "azlab.js"))) {
    out(`bench: AZLAB_BENCH_BASELINE=${BASELINE} holds no bin/azlab.js\n`);
    process.exit(1);
  }
  out(`\nagainst the baseline in ${BASELINE} (${RUNS} pairs, baseline first):\n`);
  const baseStacks = mkdtempSync(join(tmpdir(), "azlab-bench-base-"));
  for (const size of [200, 400].filter((s) => SIZES.includes(s))) {
    const demo = join(BASELINE, "stacks", "Pulumi.class-demo.yaml");
    writeFileSync(
      join(baseStacks, `Pulumi.class-${size}.yaml`),
      classStackWithStudents(size, { demoPath: demo }),
    );
    writeFileSync(join(stacks, `Pulumi.plain-${size}.yaml`), classStackWithStudents(size));
    const [before, after] = paired([
      () =>
        whole(BASELINE, [
          "plan",
          "--stacks-dir",
          baseStacks,
          "--stack",
          `class-${size}`,
          "--format",
          "json",
          "--out",
          join(baseStacks, "p.json"),
        ]),
      plan(here, stacks, `plain-${size}`),
    ]);
    out(
      `  plan, ${size} students: baseline ${fmt(before!)}, now ${fmt(after!)}: ${ratios(before!, after!)}\n`,
    );
  }
  for (const stack of ["dev", "prod", "class-demo"]) {
    const [before, after] = paired([
      () => whole(BASELINE, ["plan", "--stack", stack], BASELINE),
      () => whole(here, ["plan", "--stack", stack, "--as-of", AS_OF]),
    ]);
    out(
      `  plan --stack ${stack}: baseline ${fmt(before!)}, now ${fmt(after!)}: ${ratios(before!, after!)}\n`,
    );
  }
  // The baseline has no --as-of; it judges expiry now, as these stacks' class runs past today.
  for (const args of [
    ["validate", "--stack", "class-demo"],
    ["lock", "--stack", "class-demo", "--check"],
  ]) {
    const [before, after] = paired([() => whole(BASELINE, args, BASELINE), () => whole(here, args)]);
    out(
      `  ${args[0]} --stack class-demo: baseline ${fmt(before!)}, now ${fmt(after!)}: ${ratios(before!, after!)}\n`,
    );
  }
}
