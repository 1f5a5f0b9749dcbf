import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { OfflineRun } from "../../src/model/recorded.ts";
import { checkObject, type KubeDefinitions } from "../conformance/kubernetesSchema.ts";
import { ofType, planShipped, planVariant } from "../support/offline.ts";

const CLUSTER = "azure-native:containerservice:ManagedCluster";
const STUDENTS = ["student-alice", "student-bob", "student-carol"];

/** class-demo (three students on a shared cluster) with the add-ons and the sample workload turned on. */
function classWithAddons(aks: Record<string, unknown>): Promise<OfflineRun> {
  return planVariant(
    "class-demo",
    (config) => void Object.assign(config["azlab:aks"] as Record<string, unknown>, aks),
    "stacks/Pulumi.class-demo.lock.json",
  );
}

const inNamespace = (result: OfflineRun, type: string, ns: string) =>
  ofType(result, type).filter((r) => (r.inputs["metadata"] as { namespace?: string }).namespace === ns);

describe("AKS add-ons from the stack file", () => {
  it("gives every student namespace of a shared class cluster the whole sample workload", async () => {
    const result = await classWithAddons({
      sampleWorkloadEnabled: true,
      appRoutingEnabled: true,
      verticalPodAutoscalerEnabled: true,
      storageClass: {},
    });
    const cluster = ofType(result, CLUSTER);
    expect(cluster).toHaveLength(1);
    // vertical-pod-autoscaler.md; app-routing.md (azure-aks-docs).
    expect(cluster[0]!.inputs["workloadAutoScalerProfile"]).toEqual({
      verticalPodAutoscaler: { enabled: true },
    });
    expect(cluster[0]!.inputs["ingressProfile"]).toEqual({ webAppRouting: { enabled: true } });
    expect(cluster[0]!.inputs["azureMonitorProfile"]).toBeUndefined();

    for (const ns of STUDENTS) {
      for (const type of [
        "kubernetes:apps/v1:Deployment",
        "kubernetes:core/v1:Service",
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
        "kubernetes:core/v1:PersistentVolumeClaim",
        "kubernetes:networking.k8s.io/v1:Ingress",
      ]) {
        expect(
          inNamespace(result, type, ns).map((r) => [type, (r.inputs["metadata"] as { name: string }).name]),
        ).toEqual([[type, "hello"]]);
      }
      const [ingress] = inNamespace(result, "kubernetes:networking.k8s.io/v1:Ingress", ns);
      expect(ingress!.inputs["metadata"]).toEqual({
        name: "hello",
        namespace: ns,
        labels: { "app.kubernetes.io/name": "hello", "app.kubernetes.io/managed-by": "azlab" },
        annotations: { "nginx.ingress.kubernetes.io/rewrite-target": "/$2" },
      });
      expect(ingress!.inputs["spec"]).toEqual({
        ingressClassName: "webapprouting.kubernetes.azure.com",
        rules: [
          {
            http: {
              paths: [
                {
                  path: `/${ns}(/|$)(.*)`,
                  pathType: "ImplementationSpecific",
                  backend: { service: { name: "hello", port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      });
      const [claim] = inNamespace(result, "kubernetes:core/v1:PersistentVolumeClaim", ns);
      expect(claim!.inputs["spec"]).toEqual({
        accessModes: ["ReadWriteMany"],
        storageClassName: "azurefile-lab",
        resources: { requests: { storage: "1Gi" } },
      });
      // The namespace's isolation policy must let the add-on's NGINX pods in.
      const allow = inNamespace(result, "kubernetes:networking.k8s.io/v1:NetworkPolicy", ns).find(
        (p) => (p.inputs["metadata"] as { name: string }).name === "hello-allow-ingress",
      );
      expect(allow?.inputs["spec"]).toEqual({
        podSelector: { matchLabels: { "app.kubernetes.io/name": "hello" } },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "app-routing-system" } } },
            ],
            ports: [{ protocol: "TCP", port: 80 }],
          },
        ],
      });
    }
    // The first namespace keeps the plain logical names a one-namespace stack had; the others are prefixed.
    expect(
      ofType(result, "kubernetes:apps/v1:Deployment").map((d) => d.name.replace(/^.*?k8s-/, "k8s-")),
    ).toEqual([
      "k8s-hello-deployment",
      "k8s-student-bob-hello-deployment",
      "k8s-student-carol-hello-deployment",
    ]);

    // Every Kubernetes object, the Ingress too, fits the committed Kubernetes 1.34 schema subset.
    const defs = JSON.parse(
      readFileSync("tests/conformance/data/kubernetes/definitions.json", "utf8"),
    ) as KubeDefinitions;
    const objects = result.resources.filter((r) => r.type.startsWith("kubernetes:"));
    expect(objects.flatMap((r) => checkObject(defs, r.type, r.inputs))).toEqual([]);
  });

  it("makes an Azure Disk class with a zonal, cheapest-SSD default and no claim for the shared workload", async () => {
    const result = await classWithAddons({
      sampleWorkloadEnabled: true,
      storageClass: { kind: "AzureDisk" },
    });
    const classes = ofType(result, "kubernetes:storage.k8s.io/v1:StorageClass");
    expect(classes.map((c) => c.inputs)).toEqual([
      {
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: { name: "azuredisk-lab", labels: { "app.kubernetes.io/managed-by": "azlab" } },
        provisioner: "disk.csi.azure.com",
        parameters: { skuName: "StandardSSD_LRS" },
        reclaimPolicy: "Delete",
        allowVolumeExpansion: true,
        volumeBindingMode: "WaitForFirstConsumer",
      },
    ]);
    expect(ofType(result, "kubernetes:core/v1:PersistentVolumeClaim")).toEqual([]);
    expect(ofType(result, "kubernetes:networking.k8s.io/v1:Ingress")).toEqual([]);
    expect(ofType(result, "kubernetes:apps/v1:Deployment")).toHaveLength(3);
  });

  it("keeps both add-ons off by default", async () => {
    const cluster = ofType(await planShipped("class-demo"), CLUSTER)[0]!;
    expect(cluster.inputs["workloadAutoScalerProfile"]).toEqual({
      verticalPodAutoscaler: { enabled: false },
    });
    expect(cluster.inputs["ingressProfile"]).toEqual({ webAppRouting: { enabled: false } });
  });
});
