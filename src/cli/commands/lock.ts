import type { Command } from "commander";
import { serializeLock } from "../../planner/lock.ts";
import { readIfExists, refuseSymlink, writeFileAtomic } from "../files.ts";
import { EXIT } from "../output.ts";
import { displayPath, loadStackFile, resolveStackFile } from "../../config/stackFile.ts";

/**
 * `azlab lock`: writes the stack's address lock, so that allocations never move when subnets or
 * students are added or removed. Commit the file next to the stack file; reviewers see every
 * allocation change in the pull request.
 */
export function registerLockCommand(program: Command): void {
  program
    .command("lock")
    .description("Write the stack's address lock file (Pulumi.<stack>.lock.json) so allocations never move.")
    .option("--stack <name>", "stack name; reads <stacks-dir>/Pulumi.<name>.yaml")
    .option("--config-file <path>", "any stack file")
    .option("--stacks-dir <dir>", "folder of stack files", "stacks")
    .option("--check", "write nothing; exit 1 when the lock is missing or out of date")
    .addHelpText("after", "\nExamples:\n  azlab lock --stack class-demo\n  azlab lock --stack dev --check")
    .action(async (options: { stack?: string; configFile?: string; stacksDir: string; check?: boolean }) => {
      const ref = resolveStackFile(options);
      const loaded = loadStackFile(ref.path, ref.stack);
      // A linked lock would be read from, and written to, a file that is not this stack's.
      refuseSymlink(loaded.lockPath, "lock file");
      // Loaded on use, so other commands never read it. Pre-flight loads no Pulumi SDK (issue #16; tested).
      const { prepareStack } = await import("../../program/preflight.ts");
      const prepared = prepareStack(loaded);
      const shown = displayPath(loaded.lockPath);
      if (options.check) {
        process.stdout.write(`${shown}: ${prepared.lockOutdated ? "out of date" : "up to date"}\n`);
        if (prepared.lockOutdated) process.exitCode = EXIT.userError;
        return;
      }
      const text = serializeLock(prepared.lock);
      // Byte-identical: leave the file alone (no new mtime, no window in which it is being replaced).
      if (readIfExists(loaded.lockPath) === text) {
        process.stdout.write(`${shown}: already up to date\n`);
        return;
      }
      writeFileAtomic(loaded.lockPath, text, "lock file");
      process.stdout.write(
        `${shown}: ${prepared.lockOutdated ? "written" : "rewritten in canonical form"}\n`,
      );
    });
}
