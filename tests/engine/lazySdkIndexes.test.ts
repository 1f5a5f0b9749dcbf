/**
 * The test workers load SDK indexes as the CLI build does (tests/support/lazySdk.ts): a component that
 * uses a few network classes leaves the others unloaded. With an ES namespace import, every class of
 * `network` loads, the Application Gateway that azlab never uses among them.
 */
import { createRequire } from "node:module";
import { expect, it } from "vitest";
import { run } from "../support/offline.ts";
import { NetworkSecurityGroup } from "../../components/network/networkSecurityGroup.ts";

it("loads only the network classes a component uses", async () => {
  await run(() => {
    new NetworkSecurityGroup("web", { resourceGroupName: "rg", location: "westeurope", rules: {} });
  });
  const loaded = Object.keys(createRequire(import.meta.url).cache);
  const network = (file: string) =>
    loaded.some((path) => path.endsWith(`/@pulumi/azure-native/network/${file}`));
  expect([network("networkSecurityGroup.js"), network("applicationGateway.js")]).toEqual([true, false]);
});
