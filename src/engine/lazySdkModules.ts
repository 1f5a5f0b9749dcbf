/**
 * Two parts of the Pulumi SDK load heavy dependencies the moment @pulumi/pulumi is imported, for work an
 * offline plan never does: the closure serializer's TypeScript compiler (runtime/closure/parseFunction.js
 * requires it to parse functions it may serialize), and its code-path finder, which loads npm's
 * dependency-tree reader (runtime/closure/codePaths.js, for packaging function closures). Together they
 * were about a seventh of the start-up of `azlab plan`.
 *
 * So before the SDK loads, each is put in the require cache as a stand-in that loads the real module on
 * first use; code that does use one gets exactly the SDK's module. Imported for its effect, ahead of
 * @pulumi/pulumi, by the offline engine (and, in the compiled CLI, by src/program/loadOffline.ts).
 */
import { createRequire, Module } from "node:module";

const require = createRequire(import.meta.url);

/**
 * The deferred modules, each with the functions the SDK copies off it while loading
 * (runtime/index.js: `exports.computeCodePaths = codePaths_1.computeCodePaths`): the stand-in hands
 * out a function that loads the module when called. tests/engine/lazySdkModules.test.ts checks the list.
 */
export const DEFERRED_SDK_MODULES: Readonly<Record<string, readonly string[]>> = {
  "@pulumi/pulumi/typescript-shim.js": [],
  "@pulumi/pulumi/runtime/closure/codePaths.js": ["computeCodePaths"],
};

function defer(path: string, copiedFunctions: readonly string[]): void {
  if (require.cache[path]) return;
  let real: object | undefined;
  const load = (): object => {
    if (!real) {
      delete require.cache[path];
      real = require(path) as object;
    }
    return real;
  };
  const forwarders = new Map(
    copiedFunctions.map((name) => [
      name,
      (...args: unknown[]) => (Reflect.get(load(), name) as (...a: unknown[]) => unknown)(...args),
    ]),
  );
  const standIn = new Proxy(
    {},
    {
      get: (_, key) =>
        !real && typeof key === "string" && forwarders.has(key)
          ? forwarders.get(key)
          : Reflect.get(load(), key),
      has: (_, key) => Reflect.has(load(), key),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        return descriptor ? { ...descriptor, configurable: true } : undefined;
      },
    },
  );
  const cached = new Module(path);
  cached.filename = path;
  cached.loaded = true;
  cached.exports = standIn;
  require.cache[path] = cached;
}

for (const [module, copied] of Object.entries(DEFERRED_SDK_MODULES)) defer(require.resolve(module), copied);
