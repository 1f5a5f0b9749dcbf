import { describe, expect, it } from "vitest";
import { formatProblem, type Problem } from "../../src/errors.ts";
import { BuiltInRole } from "../../src/azure/catalog.ts";
import { azureFilesAccess } from "../../src/validation/azureFiles.ts";
import { normalizeClusterBasics } from "../../src/validation/clusterBasics.ts";

const lines = (result: { problems: readonly Problem[] }) => result.problems.map((p) => formatProblem(p));

describe("normalizeClusterBasics", () => {
  it("fills namespace and storage class defaults", () => {
    expect(normalizeClusterBasics({ namespaces: { lab: {} }, storageClass: {} }).value).toEqual({
      namespaces: {
        lab: {
          labels: {},
          quota: {
            requestsCpu: "4",
            requestsMemory: "8Gi",
            limitsCpu: "8",
            limitsMemory: "16Gi",
            pods: 50,
            persistentVolumeClaims: 10,
            loadBalancers: 1,
          },
          limits: {
            defaultRequestCpu: "100m",
            defaultRequestMemory: "128Mi",
            defaultLimitCpu: "500m",
            defaultLimitMemory: "512Mi",
          },
          networkIsolationEnabled: true,
        },
      },
      storageClass: {
        kind: "AzureFiles",
        name: "azurefile-lab",
        skuName: "Standard_LRS",
        reclaimPolicy: "Delete",
        allowVolumeExpansion: true,
        volumeBindingMode: "Immediate",
        mountOptions: ["mfsymlinks", "actimeo=30", "nosharesock"],
      },
    });
  });

  it("refuses an editor kind without an editor and a bad namespace name", () => {
    expect(normalizeClusterBasics({ namespaces: { Lab: { editorKind: "Group" } } }).problems).toEqual([
      {
        path: "namespaces.Lab",
        message: "is not a valid namespace name",
        value: "Lab",
        allowed: 'up to 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
      },
      { path: "namespaces.Lab.editorKind", message: "needs editorObjectId", value: "Group" },
    ]);
  });

  it("refuses bad replica bounds, a volume without a storage class and an unknown namespace", () => {
    expect(
      lines(
        normalizeClusterBasics({
          namespaces: { "kube-system": {}, lab: { quota: { limitsCpu: "lots" } } },
          sampleWorkload: {
            namespace: "web",
            minReplicas: 6,
            maxReplicas: 5,
            targetCpuUtilizationPercent: 0,
            volume: { sizeGi: 1, mountPath: "data" },
          },
        }),
      ),
    ).toEqual([
      'namespaces.kube-system: is a namespace Kubernetes owns; azlab will not manage it (got "kube-system")',
      'namespaces.lab.quota.limitsCpu: is not a Kubernetes quantity (got "lots"; allowed: for example "500m", "2", "512Mi" or "8Gi")',
      'sampleWorkload.namespace: is not one of the namespaces this component creates (got "web"; allowed: kube-system, lab)',
      "sampleWorkload.minReplicas: is greater than maxReplicas (got 6; allowed: at most maxReplicas (5))",
      "sampleWorkload.targetCpuUtilizationPercent: is out of range (got 0; allowed: an integer from 1 to 100)",
      "sampleWorkload.volume: needs storageClass: the claim is provisioned from it",
      'sampleWorkload.volume.mountPath: must be an absolute path (got "data")',
    ]);
  });
});

// Azure Files CSI driver: the controller creates shares as the control-plane identity (Storage Account
// Contributor on the account, azurefile-csi-driver docs/driver-parameters.md); a node mounts by account key
// (NTLMv2) only where shared keys are on, otherwise with the kubelet identity, which needs Storage File Data SMB
// MI Admin and AKS 1.34+ on Linux (azure-aks-docs azure-files-csi.md "Managed Identity requirements").
describe("azureFilesAccess", () => {
  const controller = { identity: "cluster", role: BuiltInRole.StorageAccountContributor };
  const kubelet = { identity: "kubelet", role: BuiltInRole.StorageFileDataSmbMiAdmin };

  it("mounts by key where the account declares the driver a shared-key consumer", () => {
    expect(
      azureFilesAccess({ sharedKeyAccessEnabled: true, sharedKeyConsumers: ["aks-azurefile-csi"] }, "p"),
    ).toEqual({ mount: "accountKey", parameters: {}, grants: [controller], problems: [] });
  });

  it("mounts with the kubelet identity where shared keys are off or not declared for the driver", () => {
    const expected = {
      mount: "managedIdentity",
      parameters: { mountWithManagedIdentity: "true" },
      grants: [controller, kubelet],
      problems: [],
    };
    expect(azureFilesAccess({ sharedKeyAccessEnabled: false }, "p")).toEqual(expected);
    expect(azureFilesAccess({ sharedKeyAccessEnabled: true, sharedKeyConsumers: ["backup"] }, "p")).toEqual(
      expected,
    );
    expect(
      azureFilesAccess({ sharedKeyAccessEnabled: false, kubernetesVersion: "1.34" }, "p").problems,
    ).toEqual([]);
  });

  it("refuses a managed-identity mount on a cluster pinned below 1.34", () => {
    expect(
      azureFilesAccess(
        { sharedKeyAccessEnabled: false, kubernetesVersion: "1.33.5" },
        "aks.kubernetesVersion",
      ).problems,
    ).toEqual([
      {
        path: "aks.kubernetesVersion",
        message:
          "needs AKS 1.34 or later: the account keeps shared keys off, so the Azure Files CSI driver must mount with the kubelet identity",
        value: "1.33.5",
        allowed:
          "a Kubernetes version of 1.34 or later, or shared keys on with sharedKeyConsumers: [aks-azurefile-csi]",
      },
    ]);
  });
});
