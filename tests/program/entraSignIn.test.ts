/**
 * Issue #13: a class whose students get namespace RoleBindings gets Entra sign-in by default, without a made-up
 * admin group; dev keeps local accounts. AKS accepts managed Entra integration with Azure RBAC and an empty
 * admin group list (azure-aks-docs, manage-azure-rbac.md: `az aks create --enable-aad --enable-azure-rbac`).
 */
import { describe, expect, it } from "vitest";
import { ofType, planShipped, planVariant, resource } from "../support/offline.ts";

const CLUSTER = "azure-native:containerservice:ManagedCluster";
const ASSIGNMENT = "azure-native:authorization:RoleAssignment";
const CLUSTER_ADMIN =
  "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b";

const credentialCalls = (run: Awaited<ReturnType<typeof planShipped>>) =>
  run.calls.filter((c) => c.token === "azure-native:containerservice:listManagedClusterUserCredentials");
const deployerGrants = (run: Awaited<ReturnType<typeof planShipped>>) =>
  ofType(run, ASSIGNMENT)
    .filter((a) => a.inputs["roleDefinitionId"] === CLUSTER_ADMIN)
    .map((a) => [a.name, a.inputs["scope"]]);

describe("Entra sign-in decided by the stack", () => {
  it("class-demo: the shared cluster uses Entra ID with no admin group and no local accounts", async () => {
    const run = await planShipped("class-demo");
    const cluster = resource(run, CLUSTER, "hub-aks");
    expect(cluster.inputs["aadProfile"]).toEqual({
      managed: true,
      enableAzureRBAC: true,
      adminGroupObjectIDs: [],
    });
    expect(cluster.inputs["disableLocalAccounts"]).toBe(true);
    // The same decision drives the exec kubeconfig and the deployer's grant for the student namespaces.
    expect(credentialCalls(run).map((c) => c.inputs["format"])).toEqual(["exec"]);
    expect(deployerGrants(run)).toEqual([["hub-aks-deployer-admin", "hub-aks-id"]]);
  });

  it("dev: unchanged, local accounts and Kubernetes RBAC", async () => {
    const run = await planShipped("dev");
    const cluster = resource(run, CLUSTER, "dev-aks");
    expect(cluster.inputs["aadProfile"]).toBeUndefined();
    expect(cluster.inputs["disableLocalAccounts"]).toBe(false);
    expect(credentialCalls(run).map((c) => c.inputs["format"])).toEqual([undefined]);
    expect(deployerGrants(run)).toEqual([]);
  });

  it("dev: entraEnabled true turns Entra ID on without admin groups", async () => {
    const run = await planVariant("dev", (config) => {
      (config["azlab:aks"] as Record<string, unknown>)["entraEnabled"] = true;
    });
    const cluster = resource(run, CLUSTER, "dev-aks");
    expect(cluster.inputs["aadProfile"]).toEqual({
      managed: true,
      enableAzureRBAC: true,
      adminGroupObjectIDs: [],
    });
    expect(cluster.inputs["disableLocalAccounts"]).toBe(true);
    expect(credentialCalls(run).map((c) => c.inputs["format"])).toEqual(["exec"]);
  });

  it("prod: admin groups still turn Entra ID on and become cluster admins", async () => {
    const run = await planShipped("prod");
    expect(resource(run, CLUSTER, "prod-aks").inputs["aadProfile"]).toEqual({
      managed: true,
      enableAzureRBAC: true,
      adminGroupObjectIDs: ["6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"],
    });
  });
});
