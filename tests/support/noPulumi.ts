/**
 * Setup file of the unit project: a test file there must not load the Pulumi SDK, or the split
 * between fast unit tests and the Pulumi project is wrong. The SDK is CommonJS, so loading it
 * leaves its modules in Node's require cache, whichever way it was imported.
 */
import { createRequire } from "node:module";
import { afterAll, expect } from "vitest";

const cache = createRequire(import.meta.url).cache;
const pulumiModules = () => Object.keys(cache).filter((path) => path.includes("/node_modules/@pulumi/"));
// The unit project shares one module graph: judge each file only by what it loaded itself. This
// setup file runs again before each test file is imported, so its imports count too.
const before = new Set(pulumiModules());

afterAll(() => {
  const loaded = pulumiModules().filter((path) => !before.has(path));
  expect(
    loaded.slice(0, 3),
    "This unit test file loaded the Pulumi SDK at run time (for example through a lazy import()). " +
      "Import it statically from the test, or move the test into a file that does, so that " +
      "tests/support/projects.ts puts it in the Pulumi project.",
  ).toEqual([]);
});
