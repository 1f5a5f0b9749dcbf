import { describe, expect, it } from "vitest";
import { Registry } from "../../components/containers/registry.ts";
import { stableGuid } from "../../src/naming/globalNames.ts";
import { countByType, problemsOf, resource, run, urnName } from "./helpersServices.ts";

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
      "azure-native:containerregistry:Registry": 1,
      "azure-native:authorization:RoleAssignment": 2,
    });
    expect(resource(result, "azure-native:containerregistry:Registry", "acr-registry").inputs).toEqual({
      registryName: "acrd97476e0",
      resourceGroupName: "rg",
      location: "westeurope",
      sku: { name: "Basic" },
      adminUserEnabled: false,
      anonymousPullEnabled: false,
      publicNetworkAccess: "Enabled",
      zoneRedundancy: "Disabled",
      dataEndpointEnabled: false,
      networkRuleBypassOptions: "AzureServices",
    });
    const ci = resource(result, "azure-native:authorization:RoleAssignment", "acr-acrpull-ci");
    expect(ci.inputs).toEqual({
      roleAssignmentName: stableGuid(`acr-registry-id|${STUDENT_APP}|7f951dda-4ed3-4680-a7ca-43fe172d538d`),
      scope: "acr-registry-id",
      principalId: STUDENT_APP,
      principalType: "ServicePrincipal",
      roleDefinitionId: ACR_PULL,
      description: "AcrPull granted by azlab",
    });
    expect(ci.parent).toBe("urn:pulumi:dev::azlab::azlab:containers:Registry::acr");
    expect(ci.dependencies.map(urnName)).toEqual(["acr-registry"]);
    expect(
      resource(result, "azure-native:authorization:RoleAssignment", "acr-acrpull-build").inputs[
        "roleAssignmentName"
      ],
    ).not.toBe(ci.inputs["roleAssignmentName"]);
    expect(result.outputs).toEqual({
      name: "acrd97476e0",
      id: "acr-registry-id",
      login: "acrd97476e0.azurecr.io",
    });
    expect(result.calls.map((c) => c.token)).toEqual(["azure-native:authorization:getClientConfig"]);
  });

  it("sends Premium policies only on Premium", async () => {
    const result = await run(() => {
      new Registry("acr", {
        resourceGroupName: "rg",
        registryName: "LabRegistry01",
        sku: "Premium",
        retentionDays: 7,
        quarantineEnabled: true,
        zoneRedundancyEnabled: true,
        dataEndpointEnabled: true,
        publicNetworkAccessEnabled: false,
        statefulOptions: { protect: true },
      });
    });
    const registry = resource(result, "azure-native:containerregistry:Registry", "acr-registry");
    expect(registry.inputs).toMatchObject({
      registryName: "LabRegistry01",
      sku: { name: "Premium" },
      publicNetworkAccess: "Disabled",
      zoneRedundancy: "Enabled",
      dataEndpointEnabled: true,
      policies: { quarantinePolicy: { status: "enabled" }, retentionPolicy: { status: "enabled", days: 7 } },
    });
    expect(registry.protect).toBe(true);
    expect(countByType(result)["azure-native:authorization:RoleAssignment"]).toBeUndefined();
    expect(result.calls).toEqual([]);
  });

  it("refuses Premium features on Basic, each with its own message", async () => {
    expect(
      await problemsOf(
        () =>
          new Registry("acr", {
            resourceGroupName: "rg",
            retentionDays: 7,
            quarantineEnabled: true,
            zoneRedundancyEnabled: true,
            dataEndpointEnabled: true,
            publicNetworkAccessEnabled: false,
          }),
      ),
    ).toEqual([
      'acr.retentionDays: needs the Premium SKU (retention policy), but sku is Basic (got 7; allowed: sku "Premium", or leave retentionDays unset)',
      'acr.quarantineEnabled: needs the Premium SKU (quarantine policy), but sku is Basic (got true; allowed: sku "Premium", or leave quarantineEnabled unset)',
      'acr.zoneRedundancyEnabled: needs the Premium SKU (zone redundancy), but sku is Basic (got true; allowed: sku "Premium", or leave zoneRedundancyEnabled unset)',
      'acr.dataEndpointEnabled: needs the Premium SKU (dedicated data endpoints), but sku is Basic (got true; allowed: sku "Premium", or leave dataEndpointEnabled unset)',
      'acr.publicNetworkAccessEnabled: needs the Premium SKU (private endpoints; without them a closed registry is unreachable), but sku is Basic (got false; allowed: sku "Premium", or leave publicNetworkAccessEnabled unset)',
    ]);
  });

  it("refuses a bad registry name and a bad consumer key", async () => {
    expect(
      await problemsOf(
        () =>
          new Registry("acr", {
            resourceGroupName: "rg",
            registryName: "lab-acr",
            pullers: { "bad key": "x" },
          }),
      ),
    ).toEqual([
      'acr.registryName: is not a valid container registry name (got "lab-acr"; allowed: 5 to 50 letters and digits)',
      'acr.pullers.bad key: is not a valid consumer name (got "bad key"; allowed: letters, digits, ".", "_" and "-", starting with a letter or digit, at most 63 characters)',
    ]);
  });
});
