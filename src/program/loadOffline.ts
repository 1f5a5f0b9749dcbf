/**
 * Loads the offline planner for the CLI. The engine's stand-ins for unused SDK modules
 * (src/engine/lazySdkModules.ts) must run before @pulumi/pulumi loads; in the compiled CLI every import
 * of a chunk is hoisted above its code, so the stand-ins get a chunk of their own, loaded first.
 */
import type * as offline from "./offline.ts";

export async function loadOfflinePlanner(): Promise<typeof offline> {
  await import("../engine/lazySdkModules.ts");
  return import("./offline.ts");
}
