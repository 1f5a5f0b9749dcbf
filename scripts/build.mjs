/**
 * Builds the CLI into plain JavaScript so `npx azlab` starts without a TypeScript loader (a second
 * and more per command; see docs/benchmarks.md). Run by `npm ci` (the `prepare` script) and before the
 * tests; bin/azlab.js uses the build only while every source file it was made from is unchanged, so
 * an edit never runs stale code, it only runs slower until the next build.
 *
 * Layout: dist/<content hash>/ holds one build (entry main.js plus shared chunks), and
 * dist/manifest.json names the current one and the size and mtime of every input. Builds are never
 * rewritten in place: a process that is still loading chunks of the previous build keeps finding
 * them, and the manifest is replaced by rename.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ENTRY = "src/cli/main.ts";
/** Builds kept besides the current one, for processes still running from them. */
const KEEP_PREVIOUS = 1;
/** A build takes well under a second; a staging folder this old was left by a killed one. */
const STAGING_TTL_MS = 10 * 60 * 1000;

/**
 * The SDKs' module indexes (`@pulumi/azure-native/network/index.js`, `@pulumi/kubernetes/core/v1/index.js`)
 * define each resource class as a getter that loads it on first use. Imported from ES modules, Node reads
 * every export to build the namespace, and so loads every class of the module: hundreds for `network`, a
 * sixth of the start-up of `azlab plan`. In the build each such import goes through CommonJS `require`
 * instead, and esbuild's namespace object forwards to the getters, so only the classes used are loaded.
 */
export const SDK_INDEX = /^@pulumi\/(azure-native|kubernetes)\/.+\/index\.js$/;
const REQUIRE_HELPER = "azlab-sdk-require";
const lazySdkIndexes = {
  name: "lazy-sdk-indexes",
  setup(build) {
    build.onResolve({ filter: SDK_INDEX }, (args) => ({ path: args.path, namespace: "lazy-sdk" }));
    build.onResolve({ filter: new RegExp(`^${REQUIRE_HELPER}$`) }, (args) => ({
      path: args.path,
      namespace: "lazy-sdk",
    }));
    build.onLoad({ filter: /.*/, namespace: "lazy-sdk" }, (args) =>
      args.path === REQUIRE_HELPER
        ? {
            // Resolves from the built chunk, as its own imports of the SDK do.
            contents: [
              'import { createRequire } from "node:module";',
              "export const sdkRequire = createRequire(import.meta.url);",
            ].join("\n"),
            loader: "js",
          }
        : {
            contents: `module.exports = require(${JSON.stringify(REQUIRE_HELPER)}).sdkRequire(${JSON.stringify(args.path)});`,
            loader: "js",
          },
    );
  },
};

/** Written beside the target, then renamed over it: a reader sees the old manifest or the new one. */
const writeAtomic = (path, text) => {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
};

/** esbuild, once a build has loaded it. */
let esbuild;

/**
 * Stops esbuild's service process, if a build started one. esbuild keeps it for a caller's later
 * builds; a caller with no builds left stops it, or it would outlive them.
 */
export async function stopBuilds() {
  await esbuild?.stop();
}

/** Builds the CLI of the project at `root` into `<root>/dist` unless the current build is fresh. */
export async function buildCli(root = resolve(dirname(fileURLToPath(import.meta.url)), "..")) {
  const { freshEntry } = await import("../bin/dist.js");
  const current = freshEntry(root);
  if (current) return { entry: current, built: false };
  esbuild ??= await import("esbuild");
  const { build } = esbuild;
  const dist = join(root, "dist");
  mkdirSync(dist, { recursive: true });
  const staging = join(dist, `.staging-${process.pid}-${randomBytes(4).toString("hex")}`);
  const result = await build({
    absWorkingDir: root,
    entryPoints: [ENTRY],
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // Dependencies stay in node_modules, loaded as they are when running from source: one copy of
    // the Pulumi SDK, whose runtime state is process-global.
    packages: "external",
    outdir: staging,
    metafile: true,
    logLevel: "warning",
    plugins: [lazySdkIndexes],
  });
  // Files only: the plugin's modules are generated, and the plugin itself is hashed as this script.
  const inputs = [
    ...Object.keys(result.metafile.inputs).filter((input) => !input.startsWith("lazy-sdk:")),
    relative(root, fileURLToPath(import.meta.url)),
  ].sort();
  const hash = createHash("sha256");
  for (const input of inputs)
    hash
      .update(input)
      .update("\0")
      .update(readFileSync(join(root, input)))
      .update("\0");
  const id = hash.digest("hex").slice(0, 16);
  const target = join(dist, id);
  if (existsSync(target)) rmSync(staging, { recursive: true, force: true });
  else renameSync(staging, target);
  const manifest = {
    build: id,
    entry: "main.js",
    inputs: Object.fromEntries(
      inputs.map((input) => {
        const stat = statSync(join(root, input));
        return [input, { size: stat.size, mtimeMs: stat.mtimeMs }];
      }),
    ),
  };
  writeAtomic(join(dist, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  // Older builds go, the newest kept. A staging folder goes once it is old enough that no build can
  // still be writing it (a killed build's leftovers).
  const folders = readdirSync(dist, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== id)
    .map((e) => ({ name: e.name, mtimeMs: statSync(join(dist, e.name)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  const builds = folders.filter((f) => !f.name.startsWith(".staging-"));
  const abandoned = folders.filter(
    (f) => f.name.startsWith(".staging-") && Date.now() - f.mtimeMs > STAGING_TTL_MS,
  );
  for (const old of [...builds.slice(KEEP_PREVIOUS), ...abandoned]) {
    rmSync(join(dist, old.name), { recursive: true, force: true });
  }
  return { entry: join(target, "main.js"), built: true };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { entry, built } = await buildCli();
    process.stdout.write(`azlab: ${built ? "built" : "up to date"}: ${relative(process.cwd(), entry)}\n`);
  } catch (error) {
    process.stderr.write(`azlab: build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    await stopBuilds();
  }
}
