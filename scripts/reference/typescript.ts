/**
 * The TypeScript compiler, loaded with `require`. Imported from an ES module, Node first scans all of
 * typescript.js (about 9 MB) to guess its module format and to list its named exports, which took more
 * CPU than building the reference program itself; `require` skips both.
 */
import { createRequire } from "node:module";
import type * as TypeScript from "typescript";

export const ts: typeof TypeScript = createRequire(import.meta.url)("typescript") as typeof TypeScript;
