import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { Option, type Command } from "commander";
import { UserError } from "../../errors.ts";
import { assertStackName } from "../../config/stackName.ts";
import { loadStackFile, resolveStackFile } from "../../config/stackFile.ts";
import type { PlanDocument } from "../../plan/document.ts";
import { validatePlanDocument } from "../../plan/planSchema.ts";
import { diffExitCode, diffPlans, renderDiffMarkdown, serializeDiff } from "../../plan/diff.ts";
import { writeOutput } from "../output.ts";

/** Plans bigger than this are refused before parsing: azlab's own plans of 1,000 students stay far below. */
export const MAX_PLAN_BYTES = 64 * 1024 * 1024;

const FROM_PLAN = "allowed: a file written by azlab plan --format json";

/**
 * Reads a plan written by `azlab plan --format json` and checks it against the plan schema
 * (src/plan/planSchema.ts) before anything reads it: a hand-edited or hostile plan, down to a
 * missing field, a duplicated URN or deep nesting, is a UserError naming the file and every path.
 */
export function readPlanFile(path: string): PlanDocument {
  let text: string;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new Error("not a file");
    if (stat.size > MAX_PLAN_BYTES) {
      throw new UserError(
        `${path}: the plan file is ${stat.size} bytes (allowed: at most ${MAX_PLAN_BYTES} bytes, a file written by azlab plan --format json)`,
      );
    }
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${path}: cannot read the plan file (${FROM_PLAN})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(`${path}: not valid JSON (${reason}; ${FROM_PLAN})`);
  }
  const { plan, messages } = validatePlanDocument(parsed, path);
  if (plan === undefined) {
    throw messages.length === 1
      ? new UserError(messages)
      : new UserError(messages, `${path}: not a plan azlab can read (${FROM_PLAN}):`);
  }
  return plan;
}

/** Runs git in `cwd` without a shell; its failure is returned, not thrown. */
function git(cwd: string, args: readonly string[]): { ok: boolean; out: string } {
  try {
    const out = execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { ok: true, out: out.trim() };
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    return { ok: false, out: typeof stderr === "string" ? stderr.trim() : String(error) };
  }
}

/**
 * Plans `stack` as it was at `ref`: checks the commit out in a temporary git worktree and runs that
 * commit's own `azlab plan` there, so the base reflects its code as well as its stack file. The
 * worktree and its folder are removed afterwards, whatever happens.
 */
export function planAtRef(stack: string, ref: string, stacksDir: string): PlanDocument {
  if (ref.startsWith("-")) {
    throw new UserError(
      `--against: not a git ref (got ${JSON.stringify(ref)}; allowed: a branch, tag or commit)`,
    );
  }
  const top = git(process.cwd(), ["rev-parse", "--show-toplevel"]);
  if (!top.ok) {
    throw new UserError(
      `--against: ${process.cwd()} is not in a git repository (allowed: run azlab diff inside a clone)`,
    );
  }
  const root = top.out;
  const commit = git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
  if (!commit.ok || commit.out === "") {
    throw new UserError(
      `--against: unknown git ref (got ${JSON.stringify(ref)}; allowed: a branch, tag or commit of this repository)`,
    );
  }
  const dirInRepo = relative(root, resolve(stacksDir));
  if (dirInRepo.startsWith("..") || isAbsolute(dirInRepo)) {
    throw new UserError(
      `--stacks-dir: ${stacksDir} is outside the repository (allowed: a folder inside ${root})`,
    );
  }
  const short = commit.out.slice(0, 7);
  const temp = mkdtempSync(join(tmpdir(), "azlab-against-"));
  const tree = join(temp, "tree");
  try {
    const added = git(root, ["worktree", "add", "--detach", tree, commit.out]);
    if (!added.ok) throw new Error(`git worktree add failed: ${added.out}`);
    if (!existsSync(join(tree, "bin", "azlab.js"))) {
      throw new UserError(
        `--against: ${ref} (${short}) has no bin/azlab.js (allowed: a commit that ships the azlab CLI)`,
      );
    }
    // The installed packages of this clone; the ref's own package.json is assumed to match.
    if (!existsSync(join(tree, "node_modules")))
      symlinkSync(join(root, "node_modules"), join(tree, "node_modules"));
    // The ref's compiled CLI starts about a second sooner than its source; without a build script,
    // or when the build fails, its bin/azlab.js runs the source.
    if (existsSync(join(tree, "scripts", "build.mjs"))) {
      spawnSync(process.execPath, [join(tree, "scripts", "build.mjs")], { cwd: tree, stdio: "ignore" });
    }
    const out = join(temp, "base.json");
    const args = [
      "plan",
      "--stack",
      stack,
      "--stacks-dir",
      dirInRepo || ".",
      "--format",
      "json",
      "--out",
      out,
    ];
    const child = spawnSync(process.execPath, [join(tree, "bin", "azlab.js"), ...args], {
      cwd: tree,
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    });
    if (child.status !== 0) {
      const reason =
        (child.stderr ?? "").trim().replace(/^azlab: /, "") || `exit ${child.status ?? child.signal}`;
      const message = `--against: cannot plan stack "${stack}" at ${ref} (${short}): ${reason}`;
      // Exit 1 is the stack file's fault at that ref; anything else is the old azlab failing.
      throw child.status === 1 ? new UserError(message) : new Error(message);
    }
    return readPlanFile(out);
  } finally {
    git(root, ["worktree", "remove", "--force", tree]);
    rmSync(temp, { recursive: true, force: true });
    git(root, ["worktree", "prune"]);
  }
}

interface DiffOptions {
  format: "md" | "json";
  out?: string;
  stack?: string;
  against?: string;
  stacksDir: string;
}

/** The two plans to compare: two files, or `--stack` now against `--against` REF. */
async function plansToCompare(
  basePath: string | undefined,
  headPath: string | undefined,
  options: DiffOptions,
): Promise<[PlanDocument, PlanDocument]> {
  const review = options.stack !== undefined || options.against !== undefined;
  if (!review) {
    if (basePath === undefined || headPath === undefined) {
      throw new UserError("give two plan files (BASE HEAD), or --stack NAME --against REF");
    }
    return [readPlanFile(basePath), readPlanFile(headPath)];
  }
  if (basePath !== undefined || options.stack === undefined || options.against === undefined) {
    throw new UserError("--stack NAME --against REF go together, without plan files");
  }
  const stack = assertStackName(options.stack, "--stack");
  // The working tree's file is read first: its errors are the ones the user is editing right now.
  const ref = resolveStackFile({ stack, stacksDir: options.stacksDir });
  const loaded = loadStackFile(ref.path, ref.stack);
  const base = planAtRef(stack, options.against, options.stacksDir);
  const { planDocumentOf } = await import("./plan.ts");
  return [base, await planDocumentOf(loaded)];
}

/**
 * `azlab diff`: compares two plans, risky changes first. Exit 0 no changes, 2 changes, 3 risky
 * changes, 1 errors (4 is a bug in azlab), so CI can gate on it.
 */
export function registerDiffCommand(program: Command): void {
  program
    .command("diff")
    .description(
      "Compare two JSON plans, or a stack now against a git ref. Exit 0: no changes; 2: changes; 3: risky changes; 1: bad input; 4: a bug in azlab.",
    )
    .argument("[base]", "plan of the base branch (azlab plan --format json)")
    .argument("[head]", "plan of the pull request")
    .option("--stack <name>", "with --against: plan this stack from the working tree")
    .option("--against <ref>", "with --stack: plan the base from this git ref, in a temporary worktree")
    .option("--stacks-dir <dir>", "folder of stack files", "stacks")
    .addOption(new Option("--format <format>", "output format").choices(["md", "json"]).default("md"))
    .option("--out <file>", "write to this file instead of stdout")
    .addHelpText(
      "after",
      "\nExamples:\n  azlab diff plans/base/dev.json plans/head/dev.json --out comment.md\n  azlab diff --stack class-demo --against origin/main",
    )
    .action(async (basePath: string | undefined, headPath: string | undefined, options: DiffOptions) => {
      const [base, head] = await plansToCompare(basePath, headPath, options);
      const diff = diffPlans(base, head);
      writeOutput(options.format === "json" ? serializeDiff(diff) : renderDiffMarkdown(diff), options.out);
      process.exitCode = diffExitCode(diff);
    });
}
