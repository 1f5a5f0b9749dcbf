import { describe, expect, it } from "vitest";
import { BUILT_IN_ROLE_NAMES, BuiltInRole, roleDefinitionId } from "../../src/azure/catalog.ts";

/**
 * Display name and id of every role azlab grants, as Microsoft's "Azure built-in roles" summary table
 * (learn.microsoft.com/azure/role-based-access-control/built-in-roles, revision of 2026-04-09) lists them, each
 * cross-checked with the `roleName` and `id` of the role's JSON on its category page. A role definition id is
 * the same in every tenant, so a wrong digit grants nothing, or the wrong thing, at `pulumi up`.
 */
const DOCUMENTED: Readonly<Record<string, string>> = {
  AcrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  AcrPush: "8311e382-0749-4cb8-b61a-304f252e45ec",
  "Azure Kubernetes Service Cluster User Role": "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
  "Azure Kubernetes Service RBAC Cluster Admin": "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
  "Azure Kubernetes Service RBAC Writer": "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb",
  "Key Vault Crypto Officer": "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
  "Key Vault Crypto User": "12338af0-0e69-4776-bea7-57ae8d297424",
  "Network Contributor": "4d97b98b-1d4f-4787-a291-c67834d212e7",
  Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  "Storage Account Contributor": "17d1049b-9a84-46fb-8f53-869881c3d3ab",
  "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  "Storage File Data SMB MI Admin": "a235d3ee-5935-4cfb-8cc5-a3303ad5995e",
  "Storage File Data SMB Share Contributor": "0c867c2a-1d8c-454a-a3db-ab2ea1bdc8bb",
  "Storage Queue Data Contributor": "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  "Storage Table Data Contributor": "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
  "Virtual Machine Contributor": "9980e02c-c2be-4d73-94e8-173b1dc7cf3c",
};

describe("built-in role catalog", () => {
  it("names every role id exactly as Microsoft documents it", () => {
    const catalog = Object.fromEntries(Object.entries(BUILT_IN_ROLE_NAMES).map(([id, name]) => [name, id]));
    expect(catalog).toEqual(DOCUMENTED);
    // Every id the code can grant has a display name, and no two constants share one.
    expect(Object.values(BuiltInRole).sort()).toEqual(Object.values(DOCUMENTED).sort());
  });

  it("scopes a role definition id to the deploying subscription", () => {
    expect(roleDefinitionId("00000000-0000-0000-0000-000000000001", BuiltInRole.AksClusterUser)).toBe(
      "/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/" +
        "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
    );
  });
});
