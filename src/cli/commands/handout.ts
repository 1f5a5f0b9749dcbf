import { lstatSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { formatProblem, throwIfProblems, UserError, type Problem } from "../../errors.ts";
import {
  displayPath,
  loadStackFile,
  readTextFile,
  resolveStackFile,
  type LoadedStack,
} from "../../config/stackFile.ts";
import { readStudentOutputs, sharedValueProblems, type DeployedStudent } from "../../handout/outputs.ts";
import {
  buildSheet,
  renderSheetJson,
  renderSheetMarkdown,
  type HandoutClass,
  type HandoutSource,
} from "../../handout/sheet.ts";
import { writeFileAtomic } from "../files.ts";

interface HandoutOptions {
  stack?: string;
  configFile?: string;
  stacksDir: string;
  out: string;
  outputs?: string;
}

/** `pulumi stack output --json` of a large class is well under this; a bigger file is not an outputs file. */
const MAX_OUTPUTS_BYTES = 64 * 1024 * 1024;

/** Sheets hold a student's addresses and names: readable by the instructor's account only. */
const SHEET_MODE = 0o600;
const FOLDER_MODE = 0o700;

function classOf(loaded: LoadedStack): HandoutClass {
  const cls = loaded.config.class;
  if (loaded.config.environment !== "class" || !cls) {
    throw new UserError(
      `${displayPath(loaded.path)}: azlab:environment: is ${loaded.config.environment}; hand-outs are for class stacks (allowed: a stack with azlab:environment: class)`,
    );
  }
  const container = Object.keys(loaded.config.storage?.containers ?? {}).sort()[0];
  return {
    stack: loaded.stack,
    courseId: cls.courseId,
    instructor: cls.instructor,
    expiresOn: cls.expiresOn,
    timeZone: cls.timeZone,
    webPorts: loaded.config.scaleSet?.loadBalancer.ports ?? [80],
    ...(container !== undefined ? { storageContainer: container } : {}),
  };
}

/** The deployed outputs from `--outputs`; every problem in the file is reported at once, at its key. */
function deployedFromFile(file: string, ids: readonly string[]): Record<string, DeployedStudent> {
  const text = readTextFile(file, "outputs file", MAX_OUTPUTS_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new UserError(
      `${displayPath(file)}: is not valid JSON (${detail}; allowed: the output of pulumi stack output --json --show-secrets)`,
    );
  }
  const { students, problems } = readStudentOutputs(json, ids);
  reportProblems(
    [...problems, ...sharedValueProblems(students)],
    file,
    "The outputs file cannot make hand-outs:",
  );
  return students;
}

function reportProblems(problems: readonly Problem[], file: string, heading: string): void {
  throwIfProblems(
    problems.map((p) => formatProblem(p, displayPath(file))),
    heading,
  );
}

/** The offline plan's outputs: names azlab derives are real, deploy-time values become placeholders. */
async function deployedFromPlan(
  loaded: LoadedStack,
  ids: readonly string[],
): Promise<Record<string, DeployedStudent>> {
  // Loaded on use: the program pulls in the Pulumi SDK, which `--outputs` does not need.
  const { planStackOffline } = await (await import("../../program/loadOffline.ts")).loadOfflinePlanner();
  // The outputs the full registration would give (src/program/derive.ts), at a fraction of its cost.
  const run = await planStackOffline(loaded, { registration: "fast" });
  const { students, problems } = readStudentOutputs(run.outputs, ids);
  // The program made these outputs, so a problem here is azlab's bug, not the user's.
  if (problems.length > 0) {
    throw new Error(
      `the offline plan's outputs do not fit the hand-out: ${problems.map((p) => formatProblem(p)).join("; ")}`,
    );
  }
  return students;
}

/** Creates DIR owner-only when it is new; an existing folder is used as it is, never a file or a link. */
function prepareFolder(dir: string): void {
  const stat = lstatSync(dir, { throwIfNoEntry: false });
  if (stat === undefined) {
    try {
      mkdirSync(dir, { recursive: true, mode: FOLDER_MODE });
    } catch (error) {
      const code = error instanceof Error && "code" in error ? String(error.code) : "failed";
      throw new UserError(
        `--out: ${dir}: cannot create the folder (${code}; allowed: a folder path you can write to)`,
      );
    }
    return;
  }
  if (stat.isSymbolicLink() || !stat.isDirectory()) {
    throw new UserError(
      `--out: ${dir}: is not a folder (allowed: a folder, or a path where azlab creates one)`,
    );
  }
}

/**
 * Every sheet path that the atomic writer would refuse (a link, a folder, a device), all at once, before
 * the first sheet is written: otherwise the sheets before it would be replaced and the rest not.
 */
function refuseUnwritableSheets(paths: readonly string[]): void {
  const problems = paths.flatMap((path) => {
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (stat === undefined || stat.isFile()) return [];
    const kind = stat.isSymbolicLink()
      ? "a symbolic link"
      : stat.isDirectory()
        ? "a folder"
        : "not a regular file";
    return [
      `${path}: the hand-out sheet is ${kind}; azlab does not write through it (allowed: a regular file, or no file yet)`,
    ];
  });
  throwIfProblems(problems, "No hand-out sheet was written:");
}

/**
 * `azlab handout`: one sheet per student, Markdown and JSON, owner-only. From the offline plan by
 * default, with placeholders for what only a deployment knows; from the deployed stack's outputs with
 * `--outputs`. Each sheet reads only its own student's entry, so none carries another's values or the hub's.
 */
export function registerHandoutCommand(program: Command): void {
  program
    .command("handout")
    .description(
      "Write one hand-out sheet per student (Markdown and JSON): where their lab is and how to reach it.",
    )
    .option("--stack <name>", "stack name; reads <stacks-dir>/Pulumi.<name>.yaml")
    .option("--config-file <path>", "any stack file, like the Pulumi CLI's --config-file")
    .option("--stacks-dir <dir>", "folder of stack files", "stacks")
    .requiredOption("--out <dir>", "folder for the sheets; created owner-only (0700) when new")
    .option(
      "--outputs <file>",
      "the deployed stack's outputs: pulumi stack output --json --show-secrets > FILE",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  azlab handout --stack class-demo --out handouts\n  pulumi stack output --stack class-demo --json --show-secrets > outputs.json\n  azlab handout --stack class-demo --out handouts --outputs outputs.json",
    )
    .action(async (options: HandoutOptions) => {
      const ref = resolveStackFile(options);
      const loaded = loadStackFile(ref.path, ref.stack);
      const cls = classOf(loaded);
      const roster = loaded.config.class?.students ?? {};
      const ids = Object.keys(roster).sort();
      const source: HandoutSource = options.outputs === undefined ? "plan" : "outputs";
      const deployed =
        options.outputs === undefined
          ? await deployedFromPlan(loaded, ids)
          : deployedFromFile(options.outputs, ids);
      // Every sheet is rendered before the first is written: a failure leaves no half-written set.
      const files = ids.flatMap((id) => {
        const entry = roster[id] ?? {};
        const sheet = buildSheet(
          cls,
          id,
          {
            ...(entry.displayName !== undefined ? { displayName: entry.displayName } : {}),
            ...(entry.upn !== undefined ? { upn: entry.upn } : {}),
            ...(entry.email !== undefined ? { email: entry.email } : {}),
          },
          deployed[id] ?? {},
          source,
        );
        return [
          { path: join(options.out, `${id}.md`), text: renderSheetMarkdown(sheet) },
          { path: join(options.out, `${id}.json`), text: renderSheetJson(sheet) },
        ];
      });
      prepareFolder(options.out);
      refuseUnwritableSheets(files.map((f) => f.path));
      for (const file of files) writeFileAtomic(file.path, file.text, "hand-out sheet", SHEET_MODE);
      const from =
        source === "plan"
          ? "from the offline plan; values known only after pulumi up are placeholders (run again with --outputs)"
          : `from ${displayPath(options.outputs ?? "")}`;
      process.stdout.write(
        `wrote ${ids.length} hand-out sheets (Markdown and JSON) to ${options.out}, ${from}\n`,
      );
    });
}
