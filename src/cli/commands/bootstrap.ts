/**
 * `azlab bootstrap --dry-run`: the plan and the `az` commands of a self-managed Pulumi backend on
 * Azure (state in a Blob container, secrets through a Key Vault key). azlab never calls Azure, so
 * the command only prints; without --dry-run it refuses rather than pretend to create anything.
 */
import { Option, type Command } from "commander";
import { UserError, type Problem } from "../../errors.ts";
import {
  BOOTSTRAP_DEFAULTS,
  PRINCIPAL_TYPES,
  STATE_SKUS,
  bootstrapProblemLines,
  checkBootstrapOptions,
  type BootstrapOptions,
} from "../../bootstrap/options.ts";
import { planBootstrap } from "../../bootstrap/plan.ts";
import {
  renderBootstrapJson,
  renderBootstrapMarkdown,
  renderBootstrapScript,
} from "../../bootstrap/render.ts";
import { writeOutput } from "../output.ts";

interface BootstrapFlags extends BootstrapOptions {
  readonly dryRun?: boolean;
  readonly format: "markdown" | "json" | "sh";
  readonly out?: string;
}

export const NOT_A_DRY_RUN =
  "azlab bootstrap only prints the plan and the az commands (azlab never calls Azure): add --dry-run, then run the printed commands yourself, for example `azlab bootstrap --dry-run --location westeurope --subscription ID --format sh > bootstrap.sh && bash bootstrap.sh`";

/** Turns the flags into the output text, or throws one UserError naming every bad flag. */
export function bootstrapOutput(flags: BootstrapFlags): string {
  const problems: Problem[] = [];
  if (!flags.dryRun) throw new UserError(NOT_A_DRY_RUN);
  const checked = checkBootstrapOptions(flags);
  problems.push(...checked.problems);
  if (flags.format === "sh" && flags.subscription === undefined) {
    problems.push({
      path: "--format",
      message: "sh writes a runnable script, so it needs --subscription: global names are salted with it",
      value: "sh",
      allowed: "markdown or json without --subscription",
    });
  }
  if (problems.length > 0 || checked.input === undefined) {
    throw new UserError(bootstrapProblemLines(problems), "bootstrap: nothing was planned; fix these flags:");
  }
  const plan = planBootstrap(checked.input);
  if (flags.format === "json") return renderBootstrapJson(plan);
  if (flags.format === "sh") return renderBootstrapScript(plan);
  return renderBootstrapMarkdown(plan);
}

export function registerBootstrapCommand(program: Command): void {
  program
    .command("bootstrap")
    .description(
      "Print the one-time set-up of a self-managed Pulumi backend on Azure: a state container and a Key Vault key, with the az commands that create them.",
    )
    .option("--dry-run", "print the plan and the commands (required: azlab never calls Azure)")
    .option(
      "--location <region>",
      "Azure region of the state account and the key vault, for example westeurope",
    )
    .option(
      "--subscription <id>",
      "subscription id; global names are salted with it (default: a placeholder)",
    )
    .option(
      "--name-prefix <prefix>",
      `prefix of every name, 2–15 lowercase letters, digits and hyphens (default: ${BOOTSTRAP_DEFAULTS.namePrefix})`,
    )
    .option("--resource-group <name>", "resource group to create (default: rg-<prefix>-state)")
    .option(
      "--assignee <object-id>",
      "object id of the identity that runs pulumi (CI); default: the signed-in user running the commands",
    )
    .option(
      "--assignee-type <type>",
      `principal type of --assignee: ${PRINCIPAL_TYPES.join(", ")} (default: ServicePrincipal)`,
    )
    .option(
      "--sku <sku>",
      `state account redundancy: ${STATE_SKUS.join(", ")} (default: ${BOOTSTRAP_DEFAULTS.sku})`,
    )
    .option(
      "--retention-days <days>",
      `days deleted blobs and containers are kept, 1–365 (default: ${BOOTSTRAP_DEFAULTS.retentionDays})`,
    )
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["markdown", "json", "sh"])
        .default("markdown"),
    )
    .option("--out <file>", "write to this file instead of stdout")
    .addHelpText(
      "after",
      "\nazlab never calls Azure: --dry-run is required, and you run the printed commands yourself.\ndocs/state-backend.md walks through the whole set-up.\n\nExamples:\n  azlab bootstrap --dry-run --location westeurope\n  azlab bootstrap --dry-run --location westeurope --subscription ID --assignee SP-OBJECT-ID --format json\n  azlab bootstrap --dry-run --location westeurope --subscription ID --format sh > bootstrap.sh",
    )
    .action((flags: BootstrapFlags) => {
      writeOutput(bootstrapOutput(flags), flags.out);
    });
}
