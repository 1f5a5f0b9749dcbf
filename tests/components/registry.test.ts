import { describe, expect, it } from "vitest";
import { FunctionToken, ResourceType } from "../../src/azure/catalog.ts";
import { Registry } from "../../components/containers/registry.ts";
import { stableGuid } from "../../src/naming/globalNames.ts";
import { countByType, registeredBeforeError, resource, run, urnName } from "../support/offline.ts";

const ACR_PULL =
  "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d";
const STUDENT_APP = "22222222-2222-2222-2222-222222222222";

describe("Registry", () => {
  it("creates a Basic registry with admin user and anonymous pull off, and AcrPull per consumer", async () => {
    const result = await run(() => {
      const acr = new Registry("acr", {
        resourceGroupName: "rg",
        location: "westeurope",
        pullers: { ci: STUDENT_APP, build: "33333333-3333-3333-3333-333333333333" },
      });
      return { name: acr.registryName, id: acr.registryId, login: acr.loginServer };
    });
    expect(countByType(result)).toEqual({
      "azlab:containers:Registry": 1,
      [ResourceType.Registry]: 1,
      [ResourceType.RoleAssignment]: 2,
    });
    expect(resource(result, ResourceType.Registry, "acr").inputs).toEqual({
      registryName: "cracr5272c5ba",
      resourceGroupName: "rg",
      location: "westeurope",
      sku: { name: "Basic" },
      adminUserEnabled: false,
      anonymousPullEnabled: false,
      publicNetworkAccess: "Enabled",
      // No zoneRedundancy below Premium: Azure makes every tier zone-redundant in regions with zones
      // (container-registry/zone-redundancy.md), and no policies, which Basic refuses.
      dataEndpointEnabled: false,
      networkRuleBypassOptions: "AzureServices",
    });
    const ci = resource(result, ResourceType.RoleAssignment, "acr-acrpull-ci");
    expect(ci.inputs).toEqual({
      roleAssignmentName: stableGuid(`acr-id|${STUDENT_APP}|7f951dda-4ed3-4680-a7ca-43fe172d538d`),
      scope: "acr-id",
      principalId: STUDENT_APP,
      principalType: "ServicePrincipal",
      roleDefinitionId: ACR_PULL,
      description: "AcrPull granted by azlab",
    });
    expect(ci.parent).toBe("urn:pulumi:dev::azlab::azlab:containers:Registry::acr");
    expect(ci.dependencies.map(urnName)).toEqual(["acr"]);
    expect(
      resource(result, ResourceType.RoleAssignment, "acr-acrpull-build").inputs["roleAssignmentName"],
    ).not.toBe(ci.inputs["roleAssignmentName"]);
    expect(result.outputs).toEqual({
      name: "cracr5272c5ba",
      id: "acr-id",
      login: "cracr5272c5ba.azurecr.io",
    });
    expect(result.calls.map((c) => c.token)).toEqual([FunctionToken.getClientConfig]);
  });

  it("sends Premium policies only on Premium", async () => {
    const result = await run(() => {
      new Registry("acr", {
        resourceGroupName: "rg",
        registryName: "labregistry01",
        sku: "Premium",
        retentionDays: 7,
        quarantineEnabled: true,
        zoneRedundancyEnabled: true,
        dataEndpointEnabled: true,
        publicNetworkAccessEnabled: false,
        statefulOptions: { protect: true },
      });
    });
    const registry = resource(result, ResourceType.Registry, "acr");
    expect(registry.inputs).toMatchObject({
      registryName: "labregistry01",
      sku: { name: "Premium" },
      publicNetworkAccess: "Disabled",
      zoneRedundancy: "Enabled",
      dataEndpointEnabled: true,
      policies: {
        quarantinePolicy: { status: "enabled" },
        // Exports off by default: Premium with public network access off is where Azure allows it
        // (container-registry/data-loss-prevention.md).
        exportPolicy: { status: "disabled" },
        retentionPolicy: { status: "enabled", days: 7 },
      },
    });
    expect(registry.protect).toBe(true);
    expect(countByType(result)[ResourceType.RoleAssignment]).toBeUndefined();
    expect(result.calls).toEqual([]);
  });

  it("leaves a public Premium registry's exports and zone redundancy to Azure unless set", async () => {
    const result = await run(() => {
      new Registry("acr", { resourceGroupName: "rg", registryName: "labregistry01", sku: "Premium" });
      new Registry("acr2", {
        resourceGroupName: "rg",
        registryName: "labregistry02",
        sku: "Premium",
        zoneRedundancyEnabled: false,
      });
    });
    const inputs = resource(result, ResourceType.Registry, "acr").inputs;
    expect(inputs["zoneRedundancy"]).toBeUndefined();
    expect(inputs["policies"]).toEqual({
      quarantinePolicy: { status: "disabled" },
      // A public registry cannot turn exports off, so the policy says so explicitly.
      exportPolicy: { status: "enabled" },
      // days: the SDK's default, unused while the policy is disabled.
      retentionPolicy: { status: "disabled", days: 7 },
    });
    expect(resource(result, ResourceType.Registry, "acr2").inputs["zoneRedundancy"]).toBe("Disabled");
  });

  it("registers nothing, not even the component, when the input is invalid", async () => {
    const { types, error } = await registeredBeforeError(
      () =>
        void new Registry("acr", {
          resourceGroupName: "rg",
          registryName: "lab-acr",
          pullers: { "bad key": "x" },
        }),
    );
    expect(types).toEqual(["pulumi:pulumi:Stack"]);
    // The pullers' keys are checked too: they become part of the assignments' Pulumi names.
    expect(error).toMatchObject({
      name: "UserError",
      problems: [
        'registryName: is not a valid containerRegistry name (got "lab-acr"; allowed: 5 to 50 characters: lowercase letters and digits)',
        'pullers.bad key: is not a valid consumer name (got "bad key"; allowed: letters, digits, ".", "_" and "-", starting with a letter or digit, at most 63 characters)',
      ],
      message: expect.stringMatching(/^Registry "acr" has invalid arguments:\n/),
    });
  });
});
