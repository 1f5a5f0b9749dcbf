/**
 * Issue #12 items 1, 5 and 9 in the shipped stacks: the AKS egress address in the authorized ranges, the
 * user-assigned control-plane identity and its grants, and the cluster and scale sets waiting for the VNet.
 */
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.ts";
import { ofType, planShipped, planVariant, resource } from "../support/offline.ts";

const CLUSTER = "azure-native:containerservice:ManagedCluster";
const ASSIGNMENT = "azure-native:authorization:RoleAssignment";
const NETWORK_CONTRIBUTOR =
  "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/4d97b98b-1d4f-4787-a291-c67834d212e7";
const urn = (stack: string, chain: string, name: string) => `urn:pulumi:${stack}::azlab::${chain}::${name}`;
const subnet = (stack: string, name: string) =>
  urn(stack, "azlab:network:VirtualNetwork$azure-native:network:Subnet", name);

describe("AKS egress, identity and ordering in the shipped stacks", () => {
  it("dev: an open API server, grants on the node subnet and NAT gateway, and both consumers after the last subnet", async () => {
    const run = await planShipped("dev");
    const cluster = resource(run, CLUSTER, "dev-aks");
    // dev lists no authorized ranges: 10.0.0.0/16 could never match a public source address.
    // Run command off: dev's cluster is public, so nothing needs `az aks command invoke`.
    expect(cluster.inputs["apiServerAccessProfile"]).toEqual({
      enablePrivateCluster: false,
      disableRunCommand: true,
    });
    expect(
      ofType(run, ASSIGNMENT)
        .filter((a) => a.inputs["roleDefinitionId"] === NETWORK_CONTRIBUTOR)
        .map((a) => [a.name, a.inputs["scope"], a.inputs["principalType"]])
        .sort(),
    ).toEqual([
      ["dev-aks-natgw-network", "dev-net-natgw-id", "ServicePrincipal"],
      ["dev-aks-subnet-network", "dev-net-aks-nodes-id", "ServicePrincipal"],
    ]);
    const component = "azlab:containers:KubernetesCluster$azure-native";
    expect(cluster.dependencies).toEqual([
      urn("dev", `${component}:authorization:RoleAssignment`, "dev-aks-natgw-network"),
      urn("dev", `${component}:authorization:RoleAssignment`, "dev-aks-subnet-network"),
      urn("dev", `${component}:managedidentity:UserAssignedIdentity`, "dev-aks-identity"),
      urn("dev", "azlab:lab:Environment$azure-native:resources:ResourceGroup", "dev-rg"),
      subnet("dev", "dev-net-aks-nodes"),
      // The VNet's last subnet: the cluster no longer starts while "web" is still being written.
      subnet("dev", "dev-net-web"),
    ]);
    // A component has no input dependencies, so this one is the explicit dependsOn on networkReady.
    expect(resource(run, "azlab:compute:ScaleSet", "dev-web").dependencies).toEqual([
      subnet("dev", "dev-net-web"),
    ]);
  });

  it("class-demo: the hub cluster's ranges gain its NAT gateway's address as a /32", async () => {
    const run = await planShipped("class-demo");
    // The offline engine gives every public IP 203.0.113.10; on Azure this is the hub NAT gateway's address.
    expect(resource(run, CLUSTER, "hub-aks").inputs["apiServerAccessProfile"]).toEqual({
      enablePrivateCluster: false,
      disableRunCommand: true,
      authorizedIPRanges: ["145.100.0.0/16", "203.0.113.7/32", "203.0.113.10/32"],
    });
  });

  it("refuses a private authorized range at the key the user wrote, with every such problem at once", async () => {
    let error: unknown;
    try {
      await planVariant("dev", (config) => {
        (config["azlab:aks"] as Record<string, unknown>)["authorizedIpRanges"] = [
          "145.100.0.0/16",
          "10.0.0.0/16",
          "100.64.0.0/10",
        ];
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    const never = "which never matches: the API server only sees public source addresses";
    const allowed =
      "allowed: a public prefix that holds the addresses of the admins and of the machine running `pulumi up`";
    expect((error as UserError).problems.map((p) => p.replace(/^.*?(?=Pulumi\.dev\.yaml)/, ""))).toEqual([
      `Pulumi.dev.yaml: azlab:aks.authorizedIpRanges[1]: is a private (RFC 1918) range, ${never} (got "10.0.0.0/16"; ${allowed})`,
      `Pulumi.dev.yaml: azlab:aks.authorizedIpRanges[2]: is shared address space (CGNAT, RFC 6598), ${never} (got "100.64.0.0/10"; ${allowed})`,
    ]);
  });
});
