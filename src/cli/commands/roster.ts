/**
 * `azlab roster import FILE.csv --stack NAME`: merges a class list exported from a spreadsheet or a
 * learning platform into the stack file's `azlab:class.students`, keeping what is there.
 */
import type { Command } from "commander";
import { displayPath, readTextFile, resolveStackFile } from "../../config/stackFile.ts";
import { UserError } from "../../errors.ts";
import { readRosterCsv } from "../../roster/roster.ts";
import { mergeRoster, renderMergeSummary } from "../../roster/merge.ts";
import { writeFileAtomic } from "../files.ts";

/** A roster of a few hundred students is a few tens of kilobytes; anything far larger is not one. */
const MAX_ROSTER_BYTES = 1024 * 1024;

interface ImportOptions {
  stack?: string;
  configFile?: string;
  stacksDir: string;
  dryRun?: boolean;
}

/** Registers `azlab roster` with its subcommand `import`. */
export function registerRosterCommand(program: Command): void {
  const roster = program.command("roster").description("Manage a class stack's roster of students.");
  roster
    .command("import")
    .description(
      "Merge a CSV roster (header row: id, name, email or upn, ssh key) into the stack file. " +
        "Adds and updates students, never removes one; prints what it added, changed and left alone.",
    )
    .argument("<file>", "CSV file with a header row")
    .option("--stack <name>", "stack name; reads <stacks-dir>/Pulumi.<name>.yaml")
    .option("--config-file <path>", "any stack file")
    .option("--stacks-dir <dir>", "folder of stack files", "stacks")
    .option("--dry-run", "print what would change and write nothing")
    .addHelpText(
      "after",
      "\nExamples:\n  azlab roster import students.csv --stack cloud-101 --dry-run\n  azlab roster import students.csv --stack cloud-101",
    )
    .action((file: string, options: ImportOptions) => {
      const ref = resolveStackFile(options);
      const csvShown = displayPath(file);
      const stackShown = displayPath(ref.path);
      const read = readRosterCsv(readTextFile(file, "roster CSV", MAX_ROSTER_BYTES), csvShown);
      if (read.problems.length > 0) {
        throw new UserError(
          read.problems,
          `${csvShown}: ${read.problems.length} problem${read.problems.length === 1 ? "" : "s"}; ${stackShown} was not changed:`,
        );
      }
      const stackText = readTextFile(ref.path, "stack file");
      const result = mergeRoster(stackText, stackShown, read.entries, csvShown);
      const mode = options.dryRun ? "dry-run" : "write";
      if (result.changed && mode === "write") writeFileAtomic(ref.path, result.text, "stack file");
      process.stdout.write(
        renderMergeSummary(
          result,
          {
            csv: csvShown,
            stack: stackShown,
            read: read.entries.length,
            ignoredColumns: read.ignoredColumns,
          },
          mode,
        ),
      );
    });
}
