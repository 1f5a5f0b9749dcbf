#!/usr/bin/env node
// Runs the stack-file fuzz test with many more cases than `npm test` does.
//   npm run fuzz                      # 1,000 cases, 50 plan comparisons, a fresh seed
//   npm run fuzz -- --runs 5000 --plan-runs 200 --seed 42
// A failure prints the seed and the shrunk counterexample; rerun with that --seed to replay it.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "1000" },
    "plan-runs": { type: "string", default: "50" },
    seed: { type: "string", default: String(Date.now() % 2 ** 31) },
  },
});
for (const [name, text] of Object.entries(values)) {
  if (!/^\d+$/.test(text)) {
    process.stderr.write(`fuzz: --${name} must be a whole number (got ${JSON.stringify(text)})\n`);
    process.exit(1);
  }
}
process.stdout.write(
  `fuzz: seed ${values.seed}, ${values.runs} cases, ${values["plan-runs"]} plan comparisons\n`,
);
const result = spawnSync("npx", ["vitest", "run", "tests/fuzz/"], {
  stdio: "inherit",
  env: {
    ...process.env,
    FUZZ_SEED: values.seed,
    FUZZ_RUNS: values.runs,
    FUZZ_PLAN_RUNS: values["plan-runs"],
    // Many cases take longer than a unit test may.
    FUZZ_TIMEOUT_MS: String(60_000 + Number(values.runs) * 2_000 + Number(values["plan-runs"]) * 10_000),
  },
});
process.exit(result.status ?? 1);
