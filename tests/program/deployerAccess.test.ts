/**
 * Issue #12 item 2: the in-cluster layer on a private, Entra-only cluster (prod). The deployer signs in
 * without a prompt, holds "Azure Kubernetes Service RBAC Cluster Admin" on the cluster before any Kubernetes
 * object is written, and must be declared inside the VNet of a private cluster.
 */
import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources/index.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  KubernetesCluster,
  type KubernetesClusterArgs,
} from "../../components/containers/kubernetesCluster.ts";
import { ClusterBasics } from "../../components/kubernetes/clusterBasics.ts";
import { BuiltInRole, ResourceType } from "../../src/azure/catalog.ts";
import { fakeGuid } from "../../src/engine/mockResponses.ts";
import { UserError } from "../../src/errors.ts";
import { stableGuid } from "../../src/naming/globalNames.ts";
import { ofType, planShipped, planVariant, resource, run, URN } from "../support/offline.ts";

const ASSIGNMENT = ResourceType.RoleAssignment;
const DEPLOYER = fakeGuid("deployer");
const CLUSTER_ADMIN = `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${BuiltInRole.AksRbacClusterAdmin}`;
const GRANT_URN =
  "urn:pulumi:prod::azlab::azlab:containers:KubernetesCluster$azure-native:authorization:RoleAssignment::prod-aks-deployer-admin";

const deployerGrants = (result: {
  resources: readonly { type: string; inputs: Record<string, unknown> }[];
}) => result.resources.filter((r) => r.type === ASSIGNMENT && r.inputs["roleDefinitionId"] === CLUSTER_ADMIN);

async function problems(edit: (aks: Record<string, unknown>) => void): Promise<string[]> {
  try {
    await planVariant("prod", (config) => edit(config["azlab:aks"] as Record<string, unknown>));
  } catch (error) {
    if (error instanceof UserError)
      return error.problems.map((p) => p.replace(/^.*?(?=Pulumi\.prod\.yaml)/, ""));
    throw error;
  }
  throw new Error("expected a UserError");
}

describe("the deployer's access to prod's private Entra cluster", () => {
  it("grants the deployer AKS RBAC Cluster Admin on the cluster alone, as the service principal CI signs in as", async () => {
    const prod = await planShipped("prod");
    const grant = resource(prod, ASSIGNMENT, "prod-aks-deployer-admin");
    expect(grant.inputs).toEqual({
      roleAssignmentName: stableGuid(`prod-aks-id|${DEPLOYER}|${BuiltInRole.AksRbacClusterAdmin}`),
      scope: "prod-aks-id",
      principalId: DEPLOYER,
      // prod signs in with workload identity: a federated service principal, never a user.
      principalType: "ServicePrincipal",
      roleDefinitionId: CLUSTER_ADMIN,
      description: "azlab: the principal that runs pulumi up manages this cluster's Kubernetes objects",
    });
    expect(deployerGrants(prod)).toHaveLength(1);
  });

  it("makes the Kubernetes provider and every Kubernetes object wait for the grant", async () => {
    const prod = await planShipped("prod");
    const kubernetes = prod.resources.filter(
      (r) => r.type.startsWith("kubernetes:") || r.type === "pulumi:providers:kubernetes",
    );
    expect(kubernetes.map((r) => [r.type, r.name])).toEqual([
      ["pulumi:providers:kubernetes", "prod-k8s-provider"],
      ["kubernetes:storage.k8s.io/v1:StorageClass", "prod-k8s-storageclass"],
    ]);
    for (const r of kubernetes) expect(r.dependencies).toContain(GRANT_URN);
  });

  it("asks AKS for the exec kubeconfig, which the cluster then converts", async () => {
    const prod = await planShipped("prod");
    expect(prod.calls.filter((c) => c.token.endsWith("listManagedClusterUserCredentials"))).toEqual([
      {
        token: "azure-native:containerservice:listManagedClusterUserCredentials",
        inputs: { format: "exec", resourceGroupName: "rg-azlab-prod", resourceName: "aks-azlab-prod" },
      },
    ]);
  });

  it("grants nothing where no Kubernetes object needs it: no in-cluster objects, or no Entra ID", async () => {
    const bare = await planVariant("prod", (config) => {
      delete (config["azlab:aks"] as Record<string, unknown>)["storageClass"];
    });
    expect(deployerGrants(bare)).toEqual([]);
    expect(ofType(bare, "kubernetes:storage.k8s.io/v1:StorageClass")).toEqual([]);
    // dev has namespaces and a workload but local accounts, so Kubernetes RBAC and its admin credentials apply.
    expect(deployerGrants(await planShipped("dev"))).toEqual([]);
  });

  it("refuses in-cluster objects on the private cluster unless the deployer is declared inside the VNet", async () => {
    expect(
      await problems((aks) => {
        delete aks["deployerInVnet"];
      }),
    ).toEqual([
      "Pulumi.prod.yaml: azlab:aks.privateClusterEnabled: makes the API server reachable only from the cluster's " +
        "VNet or a network joined to it, so pulumi up cannot create the in-cluster objects (azlab:aks.storageClass) " +
        "from outside it (got true; allowed: azlab:aks.deployerInVnet: true when pulumi up runs inside the VNet or " +
        "a peered network; or no in-cluster objects, applied afterwards with `az aks command invoke`; or a public " +
        "API server)",
    ]);
  });

  it("refuses a kubelogin client id outside msi, and an interactive mode, at the keys the user wrote", async () => {
    expect(
      await problems((aks) => {
        aks["kubeloginClientId"] = "0b7c3f0e-5d2a-4c1b-9e8f-7a6b5c4d3e2f";
      }),
    ).toEqual([
      "Pulumi.prod.yaml: azlab:aks.kubeloginClientId: is only used by the msi login mode, and kubeloginMode is " +
        'workloadidentity (got "0b7c3f0e-5d2a-4c1b-9e8f-7a6b5c4d3e2f"; allowed: remove it, or set kubeloginMode: msi)',
    ]);
    const [devicecode] = await problems((aks) => {
      aks["kubeloginMode"] = "devicecode";
    });
    expect(devicecode).toMatch(/^Pulumi\.prod\.yaml: azlab:aks\.kubeloginMode: /);
    expect(devicecode).toContain('"devicecode"');
    expect(devicecode).toContain("azurecli");
  });
});

describe("KubernetesCluster's kubeconfig and deployer grant", () => {
  const entra: KubernetesClusterArgs = {
    resourceGroupName: "rg",
    nameParts: ["azlab", "dev", "main"],
    nodeSubnetId:
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/lab/subnets/aks",
    nodeSubnetCidr: "10.10.0.0/24",
    vnetAddressSpace: ["10.10.0.0/16"],
    podCidr: "10.244.0.0/16",
    serviceCidr: "10.96.0.0/16",
    dnsServiceIp: "10.96.0.10",
    entraEnabled: true,
    entraAdminGroupObjectIds: ["6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"],
  };

  it("hands out a kubeconfig whose kubelogin runs in the configured non-interactive mode", async () => {
    const result = await run(() => {
      const aks = new KubernetesCluster("aks", {
        ...entra,
        kubeloginMode: "msi",
        kubeloginClientId: DEPLOYER,
      });
      return { kubeconfig: pulumi.unsecret(aks.kubeconfig) };
    });
    const kubeconfig = result.outputs["kubeconfig"] as string;
    expect(kubeconfig).not.toContain("devicecode");
    const config = parse(kubeconfig) as {
      users: { user: { exec: { args: string[]; interactiveMode: string } } }[];
    };
    expect(config.users.map((u) => [u.user.exec.args, u.user.exec.interactiveMode])).toEqual([
      [
        [
          "get-token",
          "--login",
          "msi",
          "--server-id",
          "6dae42f8-4368-4678-94ff-3960e28e3630",
          "--client-id",
          DEPLOYER,
        ],
        "Never",
      ],
    ]);
    // Least privilege: no grant unless asked for.
    expect(deployerGrants(result)).toEqual([]);
  });

  it("grants the deployer only on an Entra cluster, as a user by default (azurecli)", async () => {
    const granted = await run(() => {
      new KubernetesCluster("aks", { ...entra, grantDeployerClusterAdmin: true });
    });
    expect(deployerGrants(granted).map((r) => [r.inputs["scope"], r.inputs["principalType"]])).toEqual([
      ["aks-id", "User"],
    ]);
    const local = await run(() => {
      new KubernetesCluster("aks", {
        ...entra,
        entraEnabled: false,
        entraAdminGroupObjectIds: [],
        grantDeployerClusterAdmin: true,
      });
    });
    expect(deployerGrants(local)).toEqual([]);
  });

  it("refuses bad login options before registering anything", async () => {
    await expect(
      run(() => {
        new KubernetesCluster("aks", { ...entra, kubeloginClientId: "nope" });
      }),
    ).rejects.toThrow('kubeloginClientId: is not a managed identity client id (got "nope"; allowed: a GUID)');
  });
});

describe("ClusterBasics behind an access grant", () => {
  it("makes its provider and every object it declares depend on the grant", async () => {
    const result = await run(() => {
      // Any resource stands in for the grant: ClusterBasics only orders its objects after it.
      const grant = new resources.ResourceGroup("grant", { resourceGroupName: "grant" });
      new ClusterBasics("k8s", {
        kubeconfig: "apiVersion: v1",
        accessGrant: grant,
        namespaces: { lab: { editorObjectId: DEPLOYER } },
        storageClass: {},
        sampleWorkload: { namespace: "lab", serviceType: "LoadBalancer" },
      });
    });
    const grantUrn = `${URN}azure-native:resources:ResourceGroup::grant`;
    const kubernetes = result.resources.filter((r) => r.custom && r.type.includes("kubernetes"));
    expect(kubernetes.map((r) => r.name).sort()).toEqual([
      "k8s-hello-allow-external",
      "k8s-hello-deployment",
      "k8s-hello-hpa",
      "k8s-hello-service",
      "k8s-lab",
      "k8s-lab-editor",
      "k8s-lab-isolation",
      "k8s-lab-limits",
      "k8s-lab-quota",
      "k8s-provider",
      "k8s-storageclass",
    ]);
    expect(kubernetes.filter((r) => !r.dependencies.includes(grantUrn)).map((r) => r.name)).toEqual([]);
  });
});
