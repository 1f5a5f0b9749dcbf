/**
 * Runs the real Pulumi program offline, under Pulumi's mocks, with a stack file's config passed
 * exactly as the engine would pass it. `azlab plan`, `azlab teardown` and the tests use this.
 */
import { PROJECT_NAME, type LoadedStack } from "../config/stackFile.ts";
import { runOffline } from "../engine/mockEngine.ts";
import { type OfflineRun } from "../model/recorded.ts";
import { azlabProgram } from "./program.ts";

export async function planStackOffline(
  loaded: LoadedStack,
  options: { readonly asOf?: Date } = {},
): Promise<OfflineRun> {
  return runOffline({
    project: PROJECT_NAME,
    stack: loaded.stack,
    config: loaded.engineConfig,
    secretKeys: loaded.secretKeys,
    program: () =>
      azlabProgram({
        lockPath: loaded.lockPath,
        configFile: loaded.path,
        ...(options.asOf ? { asOf: options.asOf } : {}),
      }),
  });
}
