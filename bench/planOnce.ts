/**
 * One measured run, in its own process so peak memory is this run's alone:
 *   tsx bench/planOnce.ts azlab STACK_FILE    plans the stack with the real program under mocks
 *   tsx bench/planOnce.ts record STACK_FILE OUT  writes the custom resources azlab registers to OUT
 *   tsx bench/planOnce.ts baseline STACK_FILE OUT registers OUT's resources with bare azure-native and
 *                                             kubernetes constructor calls (no azlab code) under the same mocks
 * Prints one JSON line: { ms, maxRssMiB, resources }.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type * as pulumi from "@pulumi/pulumi";
import { loadStackFile, stackNameOf } from "../src/config/stackFile.ts";
import { planStackOffline } from "../src/program/offline.ts";
import { runOffline } from "../src/engine/mockEngine.ts";

type Constructor = new (name: string, args: pulumi.Inputs) => pulumi.Resource;

/**
 * The SDK class behind a type token, so the baseline pays what any program pays per resource
 * (azure-native classes, for instance, carry dozens of version aliases).
 */
async function sdkClass(type: string): Promise<Constructor> {
  const [pkg, module, kind] = type.split(":") as [string, string, string];
  if (pkg === "azure-native") {
    const mod = (await import(`@pulumi/azure-native/${module}/index.js`)) as Record<string, Constructor>;
    return mod[kind]!;
  }
  const k8s = (await import("@pulumi/kubernetes")) as unknown as Record<
    string,
    Record<string, Record<string, Record<string, Constructor>>>
  >;
  if (type === "pulumi:providers:kubernetes") return (k8s as unknown as { Provider: Constructor }).Provider;
  const [group, version] = module.split("/") as [string, string];
  return k8s[group.split(".")[0]!]![version]![kind] as unknown as Constructor;
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
  const classes = new Map<string, Constructor>();
  for (const r of recorded) if (!classes.has(r.type)) classes.set(r.type, await sdkClass(r.type));
  const started = process.hrtime.bigint();
  const run = await runOffline({
    project: "azlab",
    stack: loaded.stack,
    config: loaded.engineConfig,
    secretKeys: loaded.secretKeys,
    program: async () => {
      for (const r of recorded) new (classes.get(r.type)!)(r.name, r.inputs);
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
