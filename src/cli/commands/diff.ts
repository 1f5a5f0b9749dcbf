import { readFileSync } from "node:fs";
import { Option, type Command } from "commander";
import { UserError } from "../../errors.ts";
import { PLAN_VERSION, type PlanDocument } from "../../plan/document.ts";
import { diffExitCode, diffPlans, renderDiffMarkdown, serializeDiff } from "../../plan/diff.ts";
import { writeOutput } from "./plan.ts";

/** Reads a plan written by `azlab plan --format json`; anything else is a UserError naming the file. */
export function readPlanFile(path: string): PlanDocument {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new UserError(
      `${path}: cannot read the plan file (allowed: a file written by azlab plan --format json)`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(
      `${path}: not valid JSON (${reason}; allowed: a file written by azlab plan --format json)`,
    );
  }
  const doc = parsed as Partial<PlanDocument> | null;
  if (!doc || typeof doc !== "object" || doc.version !== PLAN_VERSION) {
    const got = doc && typeof doc === "object" ? JSON.stringify(doc.version) : "no object";
    throw new UserError(`${path}: version: not an azlab plan (got ${got}; allowed: "${PLAN_VERSION}")`);
  }
  const missing = (["resources", "network", "nsgRules", "findings"] as const).filter(
    (k) => !Array.isArray(doc[k]),
  );
  if (missing.length > 0 || typeof doc.outputs !== "object") {
    throw new UserError(
      `${path}: incomplete plan (missing or invalid: ${[...missing, ...(typeof doc.outputs === "object" ? [] : ["outputs"])].join(", ")}; allowed: a file written by azlab plan --format json)`,
    );
  }
  return doc as PlanDocument;
}

/**
 * `azlab diff`: compares two plans, risky changes first. Exit 0 no changes, 2 changes, 3 risky
 * changes, 1 errors, so CI can gate on it.
 */
export function registerDiffCommand(program: Command): void {
  program
    .command("diff")
    .description("Compare two JSON plans. Exit 0: no changes; 2: changes; 3: risky changes; 1: error.")
    .argument("<base>", "plan of the base branch (azlab plan --format json)")
    .argument("<head>", "plan of the pull request")
    .addOption(new Option("--format <format>", "output format").choices(["md", "json"]).default("md"))
    .option("--out <file>", "write to this file instead of stdout")
    .addHelpText("after", "\nExample:\n  azlab diff plans/base/dev.json plans/head/dev.json --out comment.md")
    .action((basePath: string, headPath: string, options: { format: "md" | "json"; out?: string }) => {
      const base = readPlanFile(basePath);
      const head = readPlanFile(headPath);
      const diff = diffPlans(base, head);
      writeOutput(options.format === "json" ? serializeDiff(diff) : renderDiffMarkdown(diff), options.out);
      process.exitCode = diffExitCode(diff);
    });
}
