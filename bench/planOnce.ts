/**
 * One measured run, in its own process so peak memory is this run's alone:
 *   tsx bench/planOnce.ts azlab STACK_FILE    plans the stack with the real program under mocks
 *   tsx bench/planOnce.ts record STACK_FILE OUT  writes the custom resources azlab registers to OUT
 *   tsx bench/planOnce.ts baseline STACK_FILE OUT registers OUT's resources with bare CustomResource
 *                                             calls (no azlab code) under the same mocks
 * Prints one JSON line: { ms, maxRssMiB, resources }.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { loadStackFile, stackNameOf } from "../src/config/stackFile.ts";
import { planStackOffline } from "../src/program/offline.ts";
import { runOffline } from "../src/plan/mockEngine.ts";

/** A resource registered by type token alone, as a bare azure-native constructor does. */
class BareResource extends pulumi.CustomResource {
  constructor(type: string, name: string, inputs: pulumi.Inputs) {
    super(type, name, inputs);
  }
}

const [mode, file, out] = process.argv.slice(2);
if (!file || !["azlab", "record", "baseline"].includes(mode ?? "") || (mode !== "azlab" && !out)) {
  process.stderr.write(
    "usage: planOnce.ts azlab STACK_FILE | record STACK_FILE OUT | baseline STACK_FILE OUT\n",
  );
  process.exit(2);
}
const loaded = loadStackFile(file, stackNameOf(file));

if (mode === "azlab") {
  const started = process.hrtime.bigint();
  const run = await planStackOffline(loaded);
  report(started, run.resources.length);
} else if (mode === "record") {
  const recorded = (await planStackOffline(loaded)).resources.filter((r) => r.custom);
  writeFileSync(
    out!,
    JSON.stringify(recorded.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs }))),
  );
} else {
  const recorded = JSON.parse(readFileSync(out!, "utf8")) as {
    type: string;
    name: string;
    inputs: pulumi.Inputs;
  }[];
  const started = process.hrtime.bigint();
  const run = await runOffline({
    project: "azlab",
    stack: loaded.stack,
    config: loaded.engineConfig,
    secretKeys: loaded.secretKeys,
    program: async () => {
      for (const r of recorded) new BareResource(r.type, r.name, r.inputs);
      return {};
    },
  });
  report(started, run.resources.length);
}

function report(started: bigint, resources: number): void {
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ms, maxRssMiB, resources })}\n`);
}
