import { Option, type Command } from "commander";
import { writeOutput } from "../output.ts";
import { displayPath, loadStackFile, resolveStackFile, type LoadedStack } from "../../config/stackFile.ts";
import { evaluateResources, policyContextFromConfig } from "../../policy/evaluate.ts";
import { buildPlanDocument, serializePlan, type PlanDocument } from "../../plan/document.ts";
import { renderPlanMarkdown } from "../../plan/markdown.ts";
import { estimateOptions } from "../../plan/cost.ts";
import { parseAsOf } from "./expired.ts";
import type { DerivedStats } from "../../program/derive.ts";

interface PlanOptions {
  stack?: string;
  configFile?: string;
  stacksDir: string;
  format: "md" | "json";
  out?: string;
  timestamp?: boolean;
  asOf?: string;
  registration: "fast" | "full";
}

/**
 * Runs the real program offline over a loaded stack and returns its plan document. `asOf` is the
 * instant expiry findings are judged at (default: now); `generatedAt` is recorded only when given.
 */
export async function planDocumentOf(
  loaded: LoadedStack,
  options: {
    asOf?: Date;
    generatedAt?: string;
    registration?: "fast" | "full";
    /** Told what the fast path did (src/program/offline.ts). */
    onDerived?: (stats: DerivedStats) => void;
    onFallback?: (reason: string) => void;
  } = {},
): Promise<PlanDocument> {
  // Loaded on use: the program pulls in the Pulumi SDK and azure-native, which `diff` and `--help` do not need.
  const { planStackOffline } = await (await import("../../program/loadOffline.ts")).loadOfflinePlanner();
  const run = await planStackOffline(loaded, {
    ...(options.asOf ? { asOf: options.asOf } : {}),
    registration: options.registration ?? "fast",
    ...(options.onDerived ? { onDerived: options.onDerived } : {}),
    ...(options.onFallback ? { onFallback: options.onFallback } : {}),
  });
  const findings = evaluateResources(
    run.resources,
    policyContextFromConfig(loaded, options.asOf),
    run.outputs,
  );
  const { config } = loaded;
  const cost = estimateOptions({
    location: config.location,
    assumptions: config.cost.assumptions,
    riskThreshold: config.cost.riskThreshold ?? null,
    ...(config.class
      ? { class: { expiresOn: config.class.expiresOn, timeZone: config.class.timeZone } }
      : {}),
    ...(config.class?.stopClusterOutsideClassHours ? { stopClusterOutsideClassHours: true } : {}),
    asOf: options.asOf ?? new Date(),
  });
  return buildPlanDocument(run, {
    stack: loaded.stack,
    file: displayPath(loaded.path),
    findings,
    cost,
    ...(options.generatedAt === undefined ? {} : { generatedAt: options.generatedAt }),
  });
}

/**
 * `azlab plan`: runs the real Pulumi program offline and prints what it would create, as Markdown
 * for a pull-request comment or as JSON for `azlab diff`. No Azure credentials, no Pulumi engine.
 */
export function registerPlanCommand(program: Command): void {
  program
    .command("plan")
    .description(
      "Plan a stack offline (no Azure, no Pulumi engine): resources, network, NSG rules, findings.",
    )
    .option("--stack <name>", "stack name; reads <stacks-dir>/Pulumi.<name>.yaml")
    .option("--config-file <path>", "any stack file, like the Pulumi CLI's --config-file")
    .option("--stacks-dir <dir>", "folder of stack files", "stacks")
    .addOption(new Option("--format <format>", "output format").choices(["md", "json"]).default("md"))
    .option("--out <file>", "write to this file instead of stdout")
    .option("--timestamp", "record generatedAt in the plan (off by default so committed plans diff cleanly)")
    .option(
      "--as-of <date>",
      "judge class expiry at this date (YYYY-MM-DD, 00:00 UTC) or zoned date-time, not now, so a plan is reproducible",
    )
    .addOption(
      new Option(
        "--registration <mode>",
        "fast: register two students of each roster shape and derive the rest (same plan, checked); full: register every student",
      )
        .choices(["fast", "full"])
        .default("fast"),
    )
    .addHelpText(
      "after",
      "\nExamples:\n  azlab plan --stack class-demo\n  azlab plan --stack dev --format json --out plans/dev.json\n  azlab plan --stack class-demo --as-of 2026-12-20",
    )
    .action(async (options: PlanOptions) => {
      // Checked before anything is loaded, so a typo costs no planning time.
      const asOf = options.asOf === undefined ? undefined : parseAsOf(options.asOf);
      const ref = resolveStackFile(options);
      const loaded = loadStackFile(ref.path, ref.stack);
      const doc = await planDocumentOf(loaded, {
        ...(asOf ? { asOf } : {}),
        ...(options.timestamp ? { generatedAt: new Date().toISOString() } : {}),
        registration: options.registration,
      });
      writeOutput(options.format === "json" ? serializePlan(doc) : renderPlanMarkdown(doc), options.out);
    });
}
