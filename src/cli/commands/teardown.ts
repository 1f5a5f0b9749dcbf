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
  /** The time --only-if-expired checks against; defaults to now. */
  readonly now?: () => Date;
}

/** `azlab teardown`: a dry run by default; `--confirm NAME` destroys the stack through Pulumi. */
export function registerTeardownCommand(program: Command, deps: TeardownDeps = {}): void {
  program
    .command("teardown")
    .description(
      "Destroy a stack. Without --confirm, only lists what would be destroyed. Refuses prod stacks and protected resources unless the stack file allows them.",
    )
    .option("--stack <name>", "stack name; reads <stacks-dir>/Pulumi.<name>.yaml")
    .option(
      "--config-file <path>",
      "any stack file, for a dry run; a real run reads only stacks/Pulumi.<name>.yaml",
    )
    .option("--stacks-dir <dir>", "folder of stack files", "stacks")
    .option("--confirm <name>", "destroy for real; must repeat the stack name exactly")
    .option(
      "--only-if-expired",
      "refuse unless the stack is a class whose expires-on date has passed (for schedules)",
    )
    .addHelpText(
      "after",
      [
        "",
        "Needs the Pulumi CLI and Azure credentials (az login) only with --confirm. A real run decides from the",
        "stack file Pulumi reads (stacks/Pulumi.<name>.yaml) and from the stack's deployed state: any resource",
        "tagged environment=prod, or protected, stops it unless azlab:teardown allows it. A stack the backend",
        "does not have is skipped with a notice.",
        "",
        "Examples:",
        "  azlab teardown --stack class-demo",
        "  azlab teardown --stack class-demo --confirm class-demo",
        "  azlab teardown --stack class-demo --only-if-expired --confirm class-demo",
      ].join("\n"),
    )
    .action(
      async (options: {
        stack?: string;
        configFile?: string;
        stacksDir: string;
        confirm?: string;
        onlyIfExpired?: boolean;
      }) => {
        const ref = resolveStackFile(options);
        const loaded = loadStackFile(ref.path, ref.stack);
        // Loaded on use, as in `plan`: the program and the Automation API pull in the Pulumi SDK and
        // azure-native (seconds), which every other command would otherwise pay for at start-up.
        const plan =
          deps.plan ??
          (await (await import("../../program/loadOffline.ts")).loadOfflinePlanner()).planStackOffline;
        const destroyer = deps.destroyer ?? (await import("../../teardown/destroyer.ts")).automationDestroyer;
        await runTeardown({
          loaded,
          plan: () => plan(loaded),
          ...(options.confirm === undefined ? {} : { confirm: options.confirm }),
          onlyIfExpired: options.onlyIfExpired === true,
          now: deps.now?.() ?? new Date(),
          destroyer: destroyer(),
          out: (line) => process.stdout.write(`${line}\n`),
        });
      },
    );
}
