import type { Command } from "commander";
import { UserError } from "../../errors.ts";
import { loadStackFile, scanStackFiles } from "../../config/stackFile.ts";
import { clusterShouldRun, type ClassWindow } from "../../cost/classHours.ts";
import { expiryInstant } from "../../schedule/expiry.ts";
import { parseAsOf } from "./expired.ts";

/** One class stack whose clusters follow class hours, and what the workflow should do to them now. */
export interface ClassHoursEntry {
  readonly stack: string;
  readonly action: "start" | "stop";
  readonly clusters: readonly { readonly resourceGroup: string; readonly name: string }[];
  readonly file: string;
}

/**
 * Class stacks with `azlab:class.stopClusterOutsideClassHours`, and whether their AKS clusters should run
 * at `at`. One bad stack file never stops the others; its problem is returned.
 */
export async function classHoursActions(
  stacksDir: string,
  at: Date,
): Promise<{ entries: ClassHoursEntry[]; problems: string[] }> {
  const { files, problems } = scanStackFiles(stacksDir);
  // Loaded on use: pre-flight reads the components, which pull in the Pulumi SDK (see `validate`).
  const { prepareStack } = await import("../../program/preflight.ts");
  const { plannedClusters } = await import("../../program/budgetArgs.ts");
  const entries: ClassHoursEntry[] = [];
  for (const ref of files) {
    const { shown } = ref;
    try {
      const loaded = loadStackFile(ref.path, ref.stack);
      const { config } = loaded;
      if (config.environment !== "class" || !config.class?.stopClusterOutsideClassHours) continue;
      const { plan } = prepareStack(loaded);
      const clusters = plannedClusters(plan);
      if (clusters.length === 0) continue;
      const windows: ClassWindow[] = Object.values(config.scaleSet?.autoscale.schedules ?? {});
      // An expired class awaits teardown: starting its cluster again would only bill for nobody.
      const { expiresOn, timeZone } = config.class;
      const expired = at.getTime() >= expiryInstant(expiresOn, timeZone).getTime();
      entries.push({
        stack: ref.stack,
        action: !expired && clusterShouldRun(windows, at) ? "start" : "stop",
        clusters,
        file: shown,
      });
    } catch (error) {
      const message =
        error instanceof UserError
          ? error.message
          : `cannot be read: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`;
      problems.push(message.includes(ref.path) ? message : `${shown}: ${message}`);
    }
  }
  return { entries, problems };
}

/** `azlab class-hours`: which class clusters to start or stop now, for .github/workflows/class-hours.yml. */
export function registerClassHoursCommand(program: Command): void {
  program
    .command("class-hours")
    .description(
      "List the AKS clusters of class stacks that stop outside class hours, and whether each should run now (JSON).",
    )
    .option("--stacks-dir <dir>", "folder of stack files", "stacks")
    .option("--at <date-time>", "decide for this instant (a date-time with a zone); default: now")
    .addHelpText("after", "\nExamples:\n  azlab class-hours\n  azlab class-hours --at 2026-12-15T07:40:00Z")
    .action(async (options: { stacksDir: string; at?: string }) => {
      const at = options.at === undefined ? new Date() : parseAsOf(options.at, "--at");
      const { entries, problems } = await classHoursActions(options.stacksDir, at);
      process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      if (problems.length > 0) throw new UserError(problems, "Some stack files could not be read:");
    });
}
