import { describe, expect, it } from "vitest";
import { BuiltInRole } from "../../src/azure/catalog.ts";
import type { OfflineRun } from "../../src/model/recorded.ts";
import { ofType, planShipped, planVariant } from "../support/offline.ts";

const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
const ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment";
const ACCOUNT = "azure-native:storage:StorageAccount";

/**
 * Preconditions for a PVC from azlab's Azure Files StorageClass to bind and mount, per shipped stack:
 * - a class that names an existing account has the CSI controller's identity (the cluster's control-plane
 *   identity) granted Storage Account Contributor on that account, before the class exists: AKS grants it
 *   only on the node resource group (azurefile-csi-driver docs/driver-parameters.md "required permissions for
 *   CSI driver controller"; "Mount Azure SMB file share with managed identity", Dynamic Provisioning);
 * - the mount uses the account key only where the account allows shared keys for the driver; otherwise
 *   `mountWithManagedIdentity` with the kubelet identity granted Storage File Data SMB MI Admin
 *   (azure-aks-docs azure-files-csi.md "Managed Identity requirements");
 * - a class that names no account lets the driver create one in the node resource group, where AKS already
 *   grants the control-plane identity its role.
 */
// class-demo ships without a StorageClass; the variant turns one on for its shared cluster.
const plans: Record<string, () => Promise<OfflineRun>> = {
  dev: () => planShipped("dev"),
  prod: () => planShipped("prod"),
  "class-demo with a storage class": () =>
    planVariant(
      "class-demo",
      (config) => void ((config["azlab:aks"] as Record<string, unknown>)["storageClass"] = {}),
      "stacks/Pulumi.class-demo.lock.json",
    ),
};

describe.each(Object.keys(plans))("Azure Files StorageClass of %s", (stack) => {
  it("meets the CSI driver's role and mount preconditions", async () => {
    const result = await plans[stack]!();
    const classes = ofType(result, STORAGE_CLASS).filter(
      (c) => c.inputs["provisioner"] === "file.csi.azure.com",
    );
    expect(classes.length).toBeGreaterThan(0);
    for (const storageClass of classes) {
      const parameters = storageClass.inputs["parameters"] as Record<string, string>;
      const accountName = parameters["storageAccount"];
      if (accountName === undefined) continue;
      const account = ofType(result, ACCOUNT).find((a) => a.inputs["accountName"] === accountName);
      expect(account).toBeDefined();
      // Grants the class waits for; the offline engine gives a resource the id `<logical name>-id`.
      // (The deployer's cluster grant, which every Kubernetes object waits for, is on the cluster, not the account.)
      const grants = ofType(result, ROLE_ASSIGNMENT).filter(
        (g) =>
          storageClass.dependencies.includes(g.urn) &&
          !String(g.inputs["roleDefinitionId"]).endsWith(BuiltInRole.AksRbacClusterAdmin),
      );
      expect(grants.map((g) => g.inputs["scope"])).toEqual(grants.map(() => `${account?.name}-id`));
      const roles = grants.map((g) => String(g.inputs["roleDefinitionId"]).split("/").pop());
      expect(roles).toContain(BuiltInRole.StorageAccountContributor);
      if (account?.inputs["allowSharedKeyAccess"] === true) {
        expect(parameters["mountWithManagedIdentity"]).toBeUndefined();
      } else {
        expect(parameters["mountWithManagedIdentity"]).toBe("true");
        expect(roles).toContain(BuiltInRole.StorageFileDataSmbMiAdmin);
      }
    }
  });
});
