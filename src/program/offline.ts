/**
 * Runs the real Pulumi program offline, under Pulumi's mocks, with a stack file's config passed
 * exactly as the engine would pass it. `azlab plan`, `azlab teardown` and the tests use this.
 */
import { PROJECT_NAME, type LoadedStack } from "../config/stackFile.ts";
import { runOffline } from "../engine/mockEngine.ts";
import { withJournal } from "../model/journal.ts";
import { type OfflineRun } from "../model/recorded.ts";
import { deriveRun, representatives, type DerivedStats } from "./derive.ts";
import { prepareStack } from "./preflight.ts";
import { azlabProgram } from "./program.ts";

export interface OfflinePlanOptions {
  readonly asOf?: Date;
  /**
   * `full` registers every student through the program. `fast` (for large classes) registers two students
   * of each shape and derives the others (src/program/derive.ts), falling back to `full` when a shape fails
   * its check; the two give the same plan. The run's `calls` then list only the registered students'
   * provider calls (no plan shows them). Defaults to `full`, which teardown relies on.
   */
  readonly registration?: "full" | "fast";
  /** Told what the fast path did; not called when it fell back or was not used. */
  readonly onDerived?: (stats: DerivedStats) => void;
  /** Told why the fast path fell back to the full registration. */
  readonly onFallback?: (reason: string) => void;
}

function run(loaded: LoadedStack, options: OfflinePlanOptions, registeredStudents?: ReadonlySet<string>) {
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
        ...(registeredStudents ? { registeredStudents } : {}),
      }),
  });
}

export async function planStackOffline(
  loaded: LoadedStack,
  options: OfflinePlanOptions = {},
): Promise<OfflineRun> {
  if (options.registration === "fast" && loaded.config.class) {
    // A stack with problems goes the full way, which reports them exactly as `pulumi up` would.
    let plan;
    try {
      plan = prepareStack(loaded).plan;
    } catch {
      plan = undefined;
    }
    const picked = plan ? representatives(plan) : undefined;
    if (plan && picked && picked.registered.size < picked.facts.size) {
      const { result, journal } = await withJournal(() => run(loaded, options, picked.registered));
      const derived = deriveRun(plan, result, journal, picked);
      if ("run" in derived) {
        options.onDerived?.(derived.stats);
        return derived.run;
      }
      options.onFallback?.(derived.fallback);
    }
  }
  return run(loaded, options);
}
