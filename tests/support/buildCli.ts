/**
 * Vitest global setup: brings the compiled CLI up to date before any test starts `bin/azlab.js`,
 * so process tests run the code under test at the speed users get. bin/azlab.js would otherwise fall
 * back to the TypeScript source, which is correct but about a second slower per process.
 */
import { buildCli, stopBuilds } from "../../scripts/build.mjs";

export default async function setup(): Promise<void> {
  try {
    await buildCli();
  } finally {
    await stopBuilds();
  }
}
