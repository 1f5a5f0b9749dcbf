/**
 * Which compiled CLI build may run: the one dist/manifest.json names, and only while every source
 * file it was built from has the size and modification time recorded at build time. Anything else
 * (no build, an edited or deleted input, a damaged manifest) answers undefined, and the
 * caller runs the TypeScript source instead. Plain JavaScript: it runs before any loader exists.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** The path of the fresh build's entry module under `root`, or undefined. */
export function freshEntry(root) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(root, "dist", "manifest.json"), "utf8"));
  } catch {
    return undefined;
  }
  if (typeof manifest?.build !== "string" || typeof manifest.entry !== "string") return undefined;
  if (typeof manifest.inputs !== "object" || manifest.inputs === null) return undefined;
  for (const [input, recorded] of Object.entries(manifest.inputs)) {
    const stat = statSync(join(root, input), { throwIfNoEntry: false });
    if (!stat || stat.size !== recorded?.size || stat.mtimeMs !== recorded?.mtimeMs) return undefined;
  }
  const entry = join(root, "dist", manifest.build, manifest.entry);
  return statSync(entry, { throwIfNoEntry: false })?.isFile() ? entry : undefined;
}
