import { Command, CommanderError } from "commander";
import { UserError } from "../errors.ts";
import { registerCidrCommand } from "./commands/cidr.ts";
import { registerLockCommand } from "./commands/lock.ts";
import { registerValidateCommand } from "./commands/validate.ts";
import { registerPlanCommand } from "./commands/plan.ts";
import { registerDiffCommand } from "./commands/diff.ts";
import { registerExpiredCommand } from "./commands/expired.ts";
import { registerTeardownCommand } from "./commands/teardown.ts";
import { registerRenderCommand } from "./commands/render.ts";
import { registerPricesCommand } from "./commands/prices.ts";
import { registerBootstrapCommand } from "./commands/bootstrap.ts";
import { registerRosterCommand } from "./commands/roster.ts";
import { registerHandoutCommand } from "./commands/handout.ts";
import { registerClassHoursCommand } from "./commands/classHours.ts";
import { EXIT } from "./output.ts";

/** Builds the `azlab` command tree. Each subcommand lives in ./commands and registers itself. */
export function buildCli(): Command {
  const program = new Command("azlab")
    .description("Plan, validate and tear down Azure lab environments built with Pulumi.")
    .showHelpAfterError()
    .exitOverride();
  // Subcommands: one register call per file in ./commands.
  registerExpiredCommand(program);
  registerTeardownCommand(program);
  registerPlanCommand(program);
  registerDiffCommand(program);
  registerValidateCommand(program);
  registerLockCommand(program);
  registerCidrCommand(program);
  registerRenderCommand(program);
  registerPricesCommand(program);
  registerBootstrapCommand(program);
  registerRosterCommand(program);
  registerHandoutCommand(program);
  registerClassHoursCommand(program);
  return program;
}

/**
 * Runs the CLI and returns the exit code (EXIT in output.ts; docs/cli.md has the table). User errors
 * print their message only, never a stack trace.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildCli();
  try {
    await program.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed help or the usage problem.
      return error.exitCode === 0 ? EXIT.ok : EXIT.userError;
    }
    if (error instanceof UserError) {
      process.stderr.write(`azlab: ${error.message}\n`);
      return EXIT.userError;
    }
    const detail = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `azlab: internal error: ${detail}\nThis is a bug in azlab; please report it with the command you ran.\n`,
    );
    return EXIT.internal;
  }
}
