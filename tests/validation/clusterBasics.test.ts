import { describe, expect, it } from "vitest";
import { formatProblem, type Problem } from "../../src/errors.ts";
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
