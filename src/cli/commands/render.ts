/**
 * `azlab render`: the pull-request comment and the risk gate for every stack, from JSON plans only.
 * plan-comment.yml runs it from the base branch's checkout, so a fork's code never decides what the
 * bot posts: the fork only supplies head plans, which are schema-checked and neutralized here.
 */
import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { isStackName } from "../../config/stackName.ts";
import { UserError } from "../../errors.ts";
import { assessStacks, commentExitCode, renderComment, type StackPlans } from "../../plan/comment.ts";
import type { PlanDocument } from "../../plan/document.ts";
import { writeOutput } from "../output.ts";
import { readPlanFile } from "./diff.ts";

interface RenderOptions {
  head: string;
  base?: string;
  out?: string;
  headSha?: string;
  baseSha?: string;
  runUrl?: string;
}

/** The stacks of a plans folder: `<stack>.json` plans and `<stack>.failed` markers; other names are skipped. */
function readPlansDir(dir: string, side: string): { plans: Map<string, string>; failed: Set<string> } {
  let names: string[];
  try {
    if (!lstatSync(dir).isDirectory()) throw new Error("not a folder");
    names = readdirSync(dir).sort();
  } catch {
    throw new UserError(
      `--${side}: ${dir}: cannot read the plans folder (allowed: a folder of <stack>.json plans)`,
    );
  }
  const plans = new Map<string, string>();
  const failed = new Set<string>();
  for (const name of names) {
    const match = /^(.*)\.(json|failed)$/.exec(name);
    // lstat, not stat: a link in the artifact must not make azlab read a file outside it.
    if (!match || !isStackName(match[1]!) || !lstatSync(join(dir, name)).isFile()) {
      // Logged, never posted: the name itself comes from the artifact.
      process.stderr.write(
        `azlab render: ${join(dir, JSON.stringify(name))}: skipped (not a <stack>.json or <stack>.failed file)\n`,
      );
      continue;
    }
    if (match[2] === "json") plans.set(match[1]!, join(dir, name));
    else failed.add(match[1]!);
  }
  return { plans, failed };
}

/** A head plan, or the reason it cannot be used; the details go to the log, not the comment. */
function readHeadPlan(path: string, stack: string): PlanDocument | string {
  try {
    const doc = readPlanFile(path);
    if (doc.stack !== stack) {
      process.stderr.write(
        `azlab render: ${path}: stack: the plan is for another stack (allowed: ${stack})\n`,
      );
      return "the plan file names another stack";
    }
    return doc;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    process.stderr.write(`azlab render: ${error.message}\n`);
    return "the plan file is not a valid azlab plan (the render step's log has the details)";
  }
}

const SHA = /^[0-9a-f]{7,40}$/;
const RUN_URL = /^https:\/\/[A-Za-z0-9.-]+(:\d+)?\/[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+\/actions\/runs\/\d+$/;

/** The comment's trusted intro, from workflow values checked against strict patterns. */
function intro(options: RenderOptions): string[] {
  const checked = (value: string | undefined, pattern: RegExp, flag: string, allowed: string) => {
    if (value !== undefined && !pattern.test(value)) {
      throw new UserError(`${flag}: not accepted (got ${JSON.stringify(value)}; allowed: ${allowed})`);
    }
    return value;
  };
  const headSha = checked(options.headSha, SHA, "--head-sha", "a hex commit id of 7 to 40 characters");
  const baseSha = checked(options.baseSha, SHA, "--base-sha", "a hex commit id of 7 to 40 characters");
  const runUrl = checked(options.runUrl, RUN_URL, "--run-url", "https://HOST/OWNER/REPO/actions/runs/ID");
  const at = headSha ? ` at \`${headSha.slice(0, 7)}\`` : "";
  const against = baseSha ? ` with the base branch at \`${baseSha.slice(0, 7)}\`` : " with the base branch";
  return [
    `Offline plan of every stack${at}, compared${against}. Rendered and gated by the base branch's azlab; the pull request supplied only its JSON plans.${runUrl ? ` Every plan: artifact **azlab-plan** of [this run](${runUrl}).` : ""}`,
  ];
}

/** Registers `azlab render`. */
export function registerRenderCommand(program: Command): void {
  program
    .command("render")
    .description(
      "Render the pull-request comment for every stack from JSON plans, riskiest first. Exit 0: no changes; 2: changes; 3: risky changes or a stack without a plan; 1: a plan failed or bad input.",
    )
    .requiredOption(
      "--head <dir>",
      "the pull request's plans: <stack>.json, or <stack>.failed when its plan failed",
    )
    .option("--base <dir>", "the base branch's plans, made by trusted code (<stack>.json)")
    .option("--out <file>", "write to this file instead of stdout")
    .option("--head-sha <sha>", "commit the head plans were made from, shown in the comment")
    .option("--base-sha <sha>", "commit the base plans were made from, shown in the comment")
    .option("--run-url <url>", "link to the run whose artifact holds the plans")
    .addHelpText("after", "\nExample:\n  azlab render --base plans/base --head plans/head --out comment.md")
    .action((options: RenderOptions) => {
      const lines = intro(options);
      const head = readPlansDir(options.head, "head");
      const base = options.base === undefined ? undefined : readPlansDir(options.base, "base");
      // The base side is ours: a plan it cannot read is a user error, not something to show.
      const basePlans = new Map([...(base?.plans ?? [])].map(([stack, path]) => [stack, readPlanFile(path)]));
      const stacks = [...new Set([...basePlans.keys(), ...head.plans.keys(), ...head.failed])].sort();
      const inputs = stacks.map((stack): StackPlans => {
        const baseDoc = basePlans.get(stack);
        const path = head.plans.get(stack);
        const plan = path === undefined ? undefined : readHeadPlan(path, stack);
        const failure = head.failed.has(stack)
          ? "azlab plan failed for this stack in the pull request (the plan job's log has the error)"
          : typeof plan === "string"
            ? plan
            : undefined;
        return {
          stack,
          ...(baseDoc ? { base: baseDoc } : {}),
          ...(typeof plan === "object" ? { head: plan } : {}),
          ...(failure === undefined ? {} : { failure }),
        };
      });
      const outcomes = assessStacks(inputs);
      writeOutput(renderComment(outcomes, { intro: lines }), options.out);
      process.exitCode = commentExitCode(outcomes);
    });
}
