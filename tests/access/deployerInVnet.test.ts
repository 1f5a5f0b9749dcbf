/** `azlab:aks.deployerInVnet: true` means something only for a private API server; elsewhere it is refused. */
import { describe, expect, it } from "vitest";
import { normalizeKubelogin } from "../../src/access/kubeconfig.ts";
import { UserError } from "../../src/errors.ts";
import { planVariant } from "../support/offline.ts";

const REFUSAL = {
  path: "deployerInVnet",
  message: "has no effect: the API server is public, so pulumi up reaches it from any network",
  value: true,
  allowed: "false (the default) on a public cluster, or privateClusterEnabled: true",
};

describe("deployerInVnet", () => {
  it("is refused on a public cluster, and accepted on a private one or when false", () => {
    expect(normalizeKubelogin({ deployerInVnet: true }).problems).toEqual([REFUSAL]);
    expect(normalizeKubelogin({ deployerInVnet: true, privateClusterEnabled: false }).problems).toEqual([
      REFUSAL,
    ]);
    expect(normalizeKubelogin({ deployerInVnet: true, privateClusterEnabled: true }).problems).toEqual([]);
    expect(normalizeKubelogin({ deployerInVnet: false }).problems).toEqual([]);
  });

  it("is reported at the key the user wrote in a public stack (dev)", async () => {
    const error: unknown = await planVariant("dev", (config) => {
      (config["azlab:aks"] as Record<string, unknown>)["deployerInVnet"] = true;
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).problems.map((p) => p.replace(/^.*?(?=Pulumi\.dev\.yaml)/, ""))).toEqual([
      "Pulumi.dev.yaml: azlab:aks.deployerInVnet: has no effect: the API server is public, so pulumi up reaches " +
        "it from any network (got true; allowed: false (the default) on a public cluster, or " +
        "azlab:aks.privateClusterEnabled: true)",
    ]);
  });
});
