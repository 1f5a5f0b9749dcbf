import type { Command } from "commander";
import { loadStackFile, resolveStackFile } from "../../config/stackFile.ts";
import type { OfflineRun } from "../../model/recorded.ts";
import type { LoadedStack } from "../../config/stackFile.ts";
import type { StackDestroyer } from "../../teardown/destroyer.ts";
import { runTeardown } from "../../teardown/teardown.ts";

export interface TeardownDeps {
  /** Defaults to Pulumi's Automation API over this repository. */
  readonly destroyer?: () => StackDestroyer;
  /** Defaults to running the real program offline. */
  readonly plan?: (loaded: LoadedStack) => Promise<OfflineRun>;
}

/** `azlab teardown`: a dry run by default; `--confirm NAME` destroys the stack through Pulumi. */
export function registerTeardownCommand(program: Command, deps: TeardownDeps = {}): void {
  program
    .command("teardown")
    .description(
      "Destroy a stack. Without --confirm, only lists what would be destroyed. Refuses prod stacks and protected resources unless the stack file allows them.",
    )
    .option("--stack <name>", "stack name; reads <stacks-dir>/Pulumi.<name>.yaml")
    .option("--config-file <path>", "any stack file, like the Pulumi CLI's --config-file")
    .option("--stacks-dir <dir>", "folder of stack files", "stacks")
    .option("--confirm <name>", "destroy for real; must repeat the stack name exactly")
    .addHelpText(
      "after",
      "\nNeeds the Pulumi CLI and Azure credentials (az login) only with --confirm.\n\nExamples:\n  azlab teardown --stack class-demo\n  azlab teardown --stack class-demo --confirm class-demo",
    )
    .action(async (options: { stack?: string; configFile?: string; stacksDir: string; confirm?: string }) => {
      const ref = resolveStackFile(options);
      const loaded = loadStackFile(ref.path, ref.stack);
      // Loaded on use, as in `plan`: the program and the Automation API pull in the Pulumi SDK and
      // azure-native (seconds), which every other command would otherwise pay for at start-up.
      const plan = deps.plan ?? (await import("../../program/offline.ts")).planStackOffline;
      const destroyer = deps.destroyer ?? (await import("../../teardown/destroyer.ts")).automationDestroyer;
      await runTeardown({
        loaded,
        run: await plan(loaded),
        ...(options.confirm === undefined ? {} : { confirm: options.confirm }),
        destroyer: destroyer(),
        out: (line) => process.stdout.write(`${line}\n`),
      });
    });
}
