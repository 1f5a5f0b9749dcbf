/**
 * The tests load the SDKs' module indexes the way the CLI build does (scripts/build.mjs): through
 * CommonJS `require`, so only the resource classes a test uses are loaded. Imported as ES modules,
 * Node builds each index's namespace by reading every export, and so loads every class of the
 * module: hundreds for `network`, about 0.6 s of CPU for each worker that loads the SDK.
 *
 * A namespace import of an index such as azure-native's `network/index.js`, written as a whole line,
 * becomes a `const` bound to that index's `require`d exports: the same object of getters that the
 * namespace read from, with the same classes. The helper goes at the start of the first line (after a
 * `#!` line), so no line moves and stack traces keep their line numbers. A `vi.mock` of an SDK index
 * would not reach a `require`, so tests mock azlab's own modules instead.
 */
import type { Plugin } from "vitest/config";
import { SDK_INDEX } from "../../scripts/build.mjs";

const NAMESPACE_IMPORT = /^import \* as (\w+) from "([^"]+)";$/gm;
const HELPER =
  'import { createRequire as __azlabCreateRequire } from "node:module"; ' +
  "const __azlabSdkRequire = __azlabCreateRequire(import.meta.url); ";

/** `code` with its namespace imports of SDK indexes turned into `require`, or undefined if it has none. */
export function requireSdkIndexes(code: string): string | undefined {
  let changed = false;
  const rewritten = code.replace(NAMESPACE_IMPORT, (line, local: string, spec: string) => {
    if (!SDK_INDEX.test(spec)) return line;
    changed = true;
    return `const ${local} = __azlabSdkRequire(${JSON.stringify(spec)});`;
  });
  if (!changed) return undefined;
  const shebang = /^#!.*\n/.exec(rewritten)?.[0] ?? "";
  return shebang + HELPER + rewritten.slice(shebang.length);
}

/** The vitest plugin: rewrites the project's own modules, never a package's. */
export const lazySdkIndexes: Plugin = {
  name: "azlab-lazy-sdk-indexes",
  enforce: "pre",
  transform(code, id) {
    if (id.includes("/node_modules/")) return null;
    const rewritten = requireSdkIndexes(code);
    return rewritten === undefined ? null : { code: rewritten, map: null };
  },
};
