/**
 * Loads the Pulumi program the way `pulumi up` does (Node + ts-node's ESM loader, per Pulumi.yaml)
 * and plans the dev stack under mocks. Proves the module setup, ip-cidr included, works under
 * ts-node and not only under tsx and vitest. Run: node --loader ts-node/esm scripts/ts-node-smoke.ts
 */
import { loadStackFile } from "../src/config/stackFile.ts";
import { planStackOffline } from "../src/program/offline.ts";
import mainProgram from "../src/program/index.ts";

const run = await planStackOffline(loadStackFile("stacks/Pulumi.dev.yaml", "dev"));
if (typeof mainProgram !== "function") throw new Error("src/program/index.ts has no default export");
process.stdout.write(`ts-node: planned dev with ${run.resources.length} resources\n`);
