/** Storage class kinds, the workload in many namespaces, and the AKS add-on switches: pure checks and stack keys. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatProblem, type Problem } from "../../src/errors.ts";
import { loadStackFile } from "../../src/config/stackFile.ts";
import { preflight } from "../../src/program/preflight.ts";
import { clusterBasicsOptions } from "../../src/program/clusterArgs.ts";
import { normalizeClusterAddons } from "../../src/validation/aks/addons.ts";
import { normalizeClusterBasics } from "../../src/validation/clusterBasics.ts";

const lines = (result: { problems: readonly Problem[] }) => result.problems.map((p) => formatProblem(p));

function classDemoWith(aks: string) {
  const text = readFileSync("stacks/Pulumi.class-demo.yaml", "utf8");
  const anchor = "  azlab:aks:\n    subnet: aks-nodes\n";
  if (!text.includes(anchor)) throw new Error("class-demo no longer declares azlab:aks as expected");
  const path = join(mkdtempSync(join(tmpdir(), "azlab-addons-")), "Pulumi.class-demo.yaml");
  writeFileSync(path, text.replace(anchor, anchor + aks));
  const loaded = loadStackFile(path, "class-demo");
  return preflight(loaded.stack, loaded.config, undefined);
}

describe("normalizeClusterBasics: storage class kinds and the workload's namespaces", () => {
  it("defaults an Azure Disk class to a zonal StandardSSD_LRS class without mount options", () => {
    expect(normalizeClusterBasics({ storageClass: { kind: "AzureDisk" } }).value?.storageClass).toEqual({
      kind: "AzureDisk",
      name: "azuredisk-lab",
      skuName: "StandardSSD_LRS",
      reclaimPolicy: "Delete",
      allowVolumeExpansion: true,
      volumeBindingMode: "WaitForFirstConsumer",
      mountOptions: [],
    });
  });

  it("refuses a SKU of the other kind, an unknown kind, and a disk volume shared by replicas", () => {
    expect(
      lines(normalizeClusterBasics({ storageClass: { kind: "AzureDisk", skuName: "Standard_GRS" } })),
    ).toEqual([
      'storageClass.skuName: is not an Azure Disk SKU (got "Standard_GRS"; allowed: StandardSSD_LRS, StandardSSD_ZRS, Premium_LRS, Premium_ZRS, Standard_LRS)',
    ]);
    expect(
      lines(
        normalizeClusterBasics({ storageClass: { kind: "Blob" as "AzureDisk", skuName: "Standard_LRS" } }),
      ),
    ).toEqual([
      'storageClass.kind: is not a storage class kind (got "Blob"; allowed: AzureFiles, AzureDisk)',
    ]);
    expect(
      lines(
        normalizeClusterBasics({
          namespaces: { lab: {} },
          storageClass: { kind: "AzureDisk" },
          sampleWorkload: { namespace: "lab", volume: { sizeGi: 1, mountPath: "/data" } },
        }),
      ),
    ).toEqual([
      'sampleWorkload.volume: needs a ReadWriteMany class shared by every replica, and an Azure Disk is ReadWriteOnce (got "storageClass.kind: AzureDisk"; allowed: storageClass.kind: AzureFiles, or no volume)',
    ]);
  });

  it("lists every namespace of the workload, and refuses an unknown or repeated one at its index", () => {
    const ok = normalizeClusterBasics({
      namespaces: { a: {}, b: {} },
      sampleWorkload: { namespace: "a", additionalNamespaces: ["b"], ingressEnabled: true },
    });
    expect(ok.value?.sampleWorkload?.namespaces).toEqual(["a", "b"]);
    expect(ok.value?.sampleWorkload?.ingressEnabled).toBe(true);
    expect(
      lines(
        normalizeClusterBasics({
          namespaces: { a: {}, b: {} },
          sampleWorkload: { namespace: "a", additionalNamespaces: ["c", "a"] },
        }),
      ),
    ).toEqual([
      'sampleWorkload.additionalNamespaces.0: is not one of the namespaces this component creates (got "c"; allowed: a, b)',
      'sampleWorkload.additionalNamespaces.1: repeats a namespace of the workload (got "a")',
    ]);
  });
});

describe("normalizeClusterAddons", () => {
  it("keeps both add-ons off unless asked, and refuses a non-boolean", () => {
    expect(normalizeClusterAddons({}).value).toEqual({
      verticalPodAutoscalerEnabled: false,
      appRoutingEnabled: false,
    });
    expect(lines(normalizeClusterAddons({ appRoutingEnabled: "yes" as unknown as boolean }))).toEqual([
      'appRoutingEnabled: is not a boolean (got "yes"; allowed: true, false)',
    ]);
  });
});

describe("azlab:aks add-on keys", () => {
  it("puts the sample workload, its claim and Ingress in every student namespace of the class", () => {
    const result = classDemoWith(
      "    sampleWorkloadEnabled: true\n    appRoutingEnabled: true\n    storageClass: {}\n",
    );
    expect(result.problems).toEqual([]);
    const options = clusterBasicsOptions(result.plan!, ["alice", "bob", "carol"]);
    expect(options.sampleWorkload).toEqual({
      namespace: "student-alice",
      additionalNamespaces: ["student-bob", "student-carol"],
      ingressEnabled: true,
      volume: { sizeGi: 1, mountPath: "/data" },
    });
    expect(options.storageClass).toEqual({
      kind: "AzureFiles",
      reclaimPolicy: "Delete",
      allowVolumeExpansion: true,
      volumeBindingMode: "WaitForFirstConsumer",
    });
  });

  it("reports a disk SKU given to a Files class at the key the user wrote", () => {
    const result = classDemoWith("    storageClass:\n      skuName: StandardSSD_LRS\n");
    expect(result.problems.map((p) => formatProblem(p))).toEqual([
      'azlab:aks.storageClass.skuName: is not an Azure Files SKU (got "StandardSSD_LRS"; allowed: Standard_LRS, Standard_ZRS, Standard_GRS, Premium_LRS, Premium_ZRS)',
    ]);
  });
});
