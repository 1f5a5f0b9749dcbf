/* global module */
// Pulumi's policy-pack runner loads a pack with require(). The pack and azlab's rules are ESM
// TypeScript, so register tsx's ESM loader (from the root node_modules, as bin/azlab.js does)
// and import them. The runner awaits the exported promise.
module.exports = import("tsx/esm/api").then(({ register }) => {
  register();
  return import("./index.ts");
});
