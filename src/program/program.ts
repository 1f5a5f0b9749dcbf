/**
 * The azlab Pulumi program: read the stack config once, plan every address and rule (throwing
 * one error with every problem before any resource exists), tag everything, compose components.
 */
import * as pulumi from "@pulumi/pulumi";
import { readLock } from "../stack/planStack.ts";
import { preflight } from "./preflight.ts";
import { lockPathFor, stackProblemsError, DEFAULT_STACKS_DIR } from "../config/stackFile.ts";
import { parseEngineConfig } from "./engineConfig.ts";
import { composeStack } from "./compose.ts";
import { registerStackTags } from "./tags.ts";

export interface ProgramOptions {
  /** The stack file, for messages and to find the lock. Defaults to stacks/Pulumi.<stack>.yaml. */
  readonly configFile?: string;
  /** The address lock. Defaults to the one next to the stack file. */
  readonly lockPath?: string;
  /** The instant the budget's period starts from (`--as-of` offline). Defaults to now. */
  readonly asOf?: Date;
  /** Offline only: register only these students' environments (ComposeOptions). Defaults to all. */
  readonly registeredStudents?: ReadonlySet<string>;
}

export async function azlabProgram(options: ProgramOptions): Promise<Record<string, unknown>> {
  const stack = pulumi.getStack();
  const file = options.configFile ?? `${DEFAULT_STACKS_DIR}/Pulumi.${stack}.yaml`;
  const { config, problems } = parseEngineConfig();
  if (!config) throw stackProblemsError(file, problems);
  const planned = preflight(stack, config, readLock(options.lockPath ?? lockPathFor(file)));
  if (!planned.plan) throw stackProblemsError(file, planned.problems);
  registerStackTags(planned.plan.baseTags);
  return composeStack(planned.plan, {
    ...(options.asOf ? { asOf: options.asOf } : {}),
    ...(options.registeredStudents ? { registeredStudents: options.registeredStudents } : {}),
  });
}
