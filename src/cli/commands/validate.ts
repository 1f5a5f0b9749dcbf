import type { Command } from "commander";
import { loadStackFile, resolveStackFile, displayPath } from "../../config/stackFile.ts";

/** `azlab validate`: every config and address problem of one stack file, in one run. */
export function registerValidateCommand(program: Command): void {
  program
    .command("validate")
    .description(
      "Check a stack file: schema, addresses, Azure's rules. Prints every problem at once; exit 1 if any.",
    )
    .option("--stack <name>", "stack name; reads <stacks-dir>/Pulumi.<name>.yaml")
    .option("--config-file <path>", "any stack file, like the Pulumi CLI's --config-file")
    .option("--stacks-dir <dir>", "folder of stack files", "stacks")
    .addHelpText(
      "after",
      "\nExamples:\n  azlab validate --stack dev\n  azlab validate --config-file stacks/Pulumi.class-demo.yaml",
    )
    .action(async (options: { stack?: string; configFile?: string; stacksDir: string }) => {
      const ref = resolveStackFile(options);
      const loaded = loadStackFile(ref.path, ref.stack);
      // Loaded on use: pre-flight reads the components, which pull in the Pulumi SDK (see `plan`).
      const { prepareStack } = await import("../../program/preflight.ts");
      const prepared = prepareStack(loaded);
      const shown = displayPath(ref.path);
      const vnets = Object.values(prepared.plan.environments).length;
      process.stdout.write(
        `${shown}: valid (${loaded.config.environment} stack "${ref.stack}", ${vnets} environment${vnets === 1 ? "" : "s"})\n`,
      );
      for (const note of prepared.notes) process.stdout.write(`  note: ${note}\n`);
    });
}
