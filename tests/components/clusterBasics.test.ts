import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ClusterBasics } from "../../components/kubernetes/clusterBasics.ts";
import { KubernetesCluster } from "../../components/containers/kubernetesCluster.ts";
import { countByType, registeredBeforeError, resource, run, urnName } from "../support/offline.ts";

const KUBECONFIG = "apiVersion: v1\nkind: Config\nusers: [{name: u, user: {token: very-secret-token}}]\n";
const EDITOR = "55555555-5555-5555-5555-555555555555";
const ACCOUNT_ID =
  "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/labfiles01";
const CLUSTER_ID = "66666666-6666-6666-6666-666666666666";
const KUBELET_ID = "77777777-7777-7777-7777-777777777777";
const ROLE = (id: string) =>
  `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${id}`;
const STORAGE_ACCOUNT_CONTRIBUTOR = "17d1049b-9a84-46fb-8f53-869881c3d3ab";
const SMB_MI_ADMIN = "a235d3ee-5935-4cfb-8cc5-a3303ad5995e";

describe("ClusterBasics", () => {
  it("creates namespaces with quota, limits, editor binding, isolation, a storage class and a sample workload", async () => {
    const result = await run(() => {
      const basics = new ClusterBasics("basics", {
        kubeconfig: pulumi.secret(KUBECONFIG),
        namespaces: {
          lab: { labels: { course: "k8s-101" }, editorObjectId: EDITOR },
          shared: { networkIsolationEnabled: false },
        },
        storageClass: { reclaimPolicy: "Retain", volumeBindingMode: "WaitForFirstConsumer" },
        storageClassAccount: {
          name: "labfiles01",
          resourceGroupName: "rg",
          id: ACCOUNT_ID,
          sharedKeyAccessEnabled: true,
          sharedKeyConsumers: ["aks-azurefile-csi"],
          clusterPrincipalId: CLUSTER_ID,
          kubeletObjectId: KUBELET_ID,
        },
        sampleWorkload: { namespace: "lab", volume: { sizeGi: 5, mountPath: "/data" } },
      });
      return { namespaces: basics.namespaceNames, storageClass: basics.storageClassName };
    });
    expect(countByType(result)).toEqual({
      "azlab:kubernetes:ClusterBasics": 1,
      "pulumi:providers:kubernetes": 1,
      "kubernetes:core/v1:Namespace": 2,
      "kubernetes:core/v1:ResourceQuota": 2,
      "kubernetes:core/v1:LimitRange": 2,
      "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": 1,
      "kubernetes:networking.k8s.io/v1:NetworkPolicy": 1,
      "kubernetes:storage.k8s.io/v1:StorageClass": 1,
      "azure-native:authorization:RoleAssignment": 1,
      "kubernetes:core/v1:PersistentVolumeClaim": 1,
      "kubernetes:apps/v1:Deployment": 1,
      "kubernetes:core/v1:Service": 1,
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": 1,
    });
    const provider = resource(result, "pulumi:providers:kubernetes", "basics-provider");
    expect(provider.secretInputs).toEqual(["kubeconfig"]);
    expect(JSON.stringify(result)).not.toContain("very-secret-token");

    expect(resource(result, "kubernetes:core/v1:Namespace", "basics-lab").inputs["metadata"]).toEqual({
      name: "lab",
      labels: { course: "k8s-101", "app.kubernetes.io/managed-by": "azlab" },
    });
    expect(resource(result, "kubernetes:core/v1:ResourceQuota", "basics-lab-quota").inputs["spec"]).toEqual({
      hard: {
        "requests.cpu": "4",
        "requests.memory": "8Gi",
        "limits.cpu": "8",
        "limits.memory": "16Gi",
        pods: "50",
        persistentvolumeclaims: "10",
        "services.loadbalancers": "1",
      },
    });
    expect(resource(result, "kubernetes:core/v1:LimitRange", "basics-lab-limits").inputs["spec"]).toEqual({
      limits: [
        {
          type: "Container",
          defaultRequest: { cpu: "100m", memory: "128Mi" },
          default: { cpu: "500m", memory: "512Mi" },
        },
      ],
    });
    const binding = resource(
      result,
      "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
      "basics-lab-editor",
    );
    expect(binding.inputs).toMatchObject({
      metadata: { name: "azlab-editor", namespace: "lab" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: EDITOR }],
    });
    expect(binding.dependencies.map(urnName)).toEqual(["basics-lab"]);
    expect(
      resource(result, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "basics-lab-isolation").inputs[
        "spec"
      ],
    ).toEqual({
      podSelector: {},
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ podSelector: {} }] }],
    });

    const storageClass = resource(result, "kubernetes:storage.k8s.io/v1:StorageClass", "basics-storageclass");
    expect(storageClass.inputs).toEqual({
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "azurefile-lab", labels: { "app.kubernetes.io/managed-by": "azlab" } },
      provisioner: "file.csi.azure.com",
      parameters: { skuName: "Standard_LRS", storageAccount: "labfiles01", resourceGroup: "rg" },
      reclaimPolicy: "Retain",
      allowVolumeExpansion: true,
      volumeBindingMode: "WaitForFirstConsumer",
      mountOptions: ["mfsymlinks", "actimeo=30", "nosharesock"],
    });
    // The CSI controller creates shares through ARM as the control-plane identity; AKS grants that only on
    // the node resource group, so azlab grants it on its own account before the class exists
    // (azurefile-csi-driver docs/driver-parameters.md; azure-aks-docs azure-files-csi.md).
    const grant = resource(result, "azure-native:authorization:RoleAssignment", "basics-files-cluster");
    expect([grant.inputs["scope"], grant.inputs["principalId"], grant.inputs["roleDefinitionId"]]).toEqual([
      ACCOUNT_ID,
      CLUSTER_ID,
      ROLE(STORAGE_ACCOUNT_CONTRIBUTOR),
    ]);
    expect(storageClass.dependencies).toContain(grant.urn);

    const hpa = resource(result, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "basics-hello-hpa");
    expect(hpa.inputs["spec"]).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "hello" },
      minReplicas: 2,
      maxReplicas: 5,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
        },
      ],
    });
    expect(hpa.dependencies.map(urnName).sort()).toEqual(["basics-hello-deployment", "basics-lab"]);

    const deployment = resource(result, "kubernetes:apps/v1:Deployment", "basics-hello-deployment");
    const spec = deployment.inputs["spec"] as Record<string, unknown>;
    expect(spec["replicas"]).toBeUndefined();
    expect(spec["strategy"]).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    expect(spec["template"]).toEqual({
      metadata: { labels: { "app.kubernetes.io/name": "hello", "app.kubernetes.io/managed-by": "azlab" } },
      spec: {
        securityContext: { seccompProfile: { type: "RuntimeDefault" } },
        containers: [
          {
            name: "hello",
            image: "mcr.microsoft.com/azuredocs/aks-helloworld:v1",
            ports: [{ name: "http", containerPort: 80 }],
            resources: {
              requests: { cpu: "100m", memory: "128Mi" },
              limits: { cpu: "250m", memory: "256Mi" },
            },
            readinessProbe: { httpGet: { path: "/", port: 80 }, initialDelaySeconds: 5, periodSeconds: 10 },
            livenessProbe: { httpGet: { path: "/", port: 80 }, initialDelaySeconds: 15, periodSeconds: 20 },
            securityContext: { allowPrivilegeEscalation: false },
            volumeMounts: [{ name: "data", mountPath: "/data" }],
          },
        ],
        volumes: [{ name: "data", persistentVolumeClaim: { claimName: "hello" } }],
      },
    });
    expect(
      resource(result, "kubernetes:core/v1:PersistentVolumeClaim", "basics-hello-pvc").inputs["spec"],
    ).toEqual({
      accessModes: ["ReadWriteMany"],
      storageClassName: "azurefile-lab",
      resources: { requests: { storage: "5Gi" } },
    });
    expect(resource(result, "kubernetes:core/v1:Service", "basics-hello-service").inputs["spec"]).toEqual({
      type: "ClusterIP",
      selector: { "app.kubernetes.io/name": "hello" },
      ports: [{ name: "http", port: 80, targetPort: 80, protocol: "TCP" }],
    });
    expect(result.outputs).toEqual({ namespaces: ["lab", "shared"], storageClass: "azurefile-lab" });
  });

  it("mounts with the kubelet identity when the account keeps shared keys off, after both grants", async () => {
    const result = await run(() => {
      new ClusterBasics("basics", {
        kubeconfig: pulumi.secret(KUBECONFIG),
        namespaces: { lab: {} },
        storageClass: {},
        storageClassAccount: {
          name: "azlabprod01",
          resourceGroupName: "rg",
          id: ACCOUNT_ID,
          sharedKeyAccessEnabled: false,
          clusterPrincipalId: CLUSTER_ID,
          kubeletObjectId: KUBELET_ID,
        },
      });
    });
    const storageClass = resource(result, "kubernetes:storage.k8s.io/v1:StorageClass", "basics-storageclass");
    // "Mount Azure SMB file share with managed identity" (azurefile-csi-driver docs, v1.34+ on Linux).
    expect(storageClass.inputs["parameters"]).toEqual({
      skuName: "Standard_LRS",
      storageAccount: "azlabprod01",
      resourceGroup: "rg",
      mountWithManagedIdentity: "true",
    });
    const grants = ["basics-files-cluster", "basics-files-kubelet"].map((n) =>
      resource(result, "azure-native:authorization:RoleAssignment", n),
    );
    expect(grants.map((g) => [g.inputs["principalId"], g.inputs["roleDefinitionId"]])).toEqual([
      [CLUSTER_ID, ROLE(STORAGE_ACCOUNT_CONTRIBUTOR)],
      [KUBELET_ID, ROLE(SMB_MI_ADMIN)],
    ]);
    for (const g of grants) expect(storageClass.dependencies).toContain(g.urn);
  });

  it("refuses a managed-identity mount on a cluster pinned below AKS 1.34, registering nothing", async () => {
    const error = await registeredBeforeError(() => {
      new ClusterBasics("basics", {
        kubeconfig: KUBECONFIG,
        storageClass: {},
        storageClassAccount: {
          name: "azlabprod01",
          resourceGroupName: "rg",
          id: ACCOUNT_ID,
          sharedKeyAccessEnabled: false,
          kubernetesVersion: "1.33.2",
          clusterPrincipalId: CLUSTER_ID,
          kubeletObjectId: KUBELET_ID,
        },
      });
    });
    expect(error.types).toEqual(["pulumi:pulumi:Stack"]);
    expect(String(error.error)).toContain(
      'storageClassAccount.kubernetesVersion: needs AKS 1.34 or later: the account keeps shared keys off, so the Azure Files CSI driver must mount with the kubelet identity (got "1.33.2"',
    );
  });

  it("opens an exposed sample workload to outside traffic in an isolated namespace", async () => {
    const result = await run(() => {
      new ClusterBasics("basics", {
        kubeconfig: "k",
        namespaces: { lab: {} },
        sampleWorkload: {
          namespace: "lab",
          name: "web",
          serviceType: "LoadBalancer",
          containerPort: 8080,
          minReplicas: 1,
          maxReplicas: 3,
          targetCpuUtilizationPercent: 50,
        },
      });
    });
    expect(
      resource(result, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "basics-web-allow-external").inputs[
        "spec"
      ],
    ).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "web" } },
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 8080 }] }],
    });
    expect(
      resource(result, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "basics-web-hpa").inputs["spec"],
    ).toMatchObject({
      minReplicas: 1,
      maxReplicas: 3,
      metrics: [{ resource: { target: { averageUtilization: 50 } } }],
    });
    expect(countByType(result)["kubernetes:storage.k8s.io/v1:StorageClass"]).toBeUndefined();
    expect(countByType(result)["kubernetes:core/v1:PersistentVolumeClaim"]).toBeUndefined();
  });

  it("keeps the cluster kubeconfig secret end to end", async () => {
    const result = await run(() => {
      const aks = new KubernetesCluster("aks", {
        resourceGroupName: "rg",
        nodeSubnetId: "/subnets/aks",
        nodeSubnetCidr: "10.10.0.0/24",
        vnetAddressSpace: ["10.10.0.0/16"],
        podCidr: "10.244.0.0/16",
        serviceCidr: "10.96.0.0/16",
        dnsServiceIp: "10.96.0.10",
      });
      new ClusterBasics("basics", { kubeconfig: aks.kubeconfig, namespaces: { lab: {} } });
      return { kubeconfig: aks.kubeconfig };
    });
    const provider = resource(result, "pulumi:providers:kubernetes", "basics-provider");
    expect(provider.inputs["kubeconfig"]).toBe("[secret]");
    expect(provider.dependencies.map(urnName)).toEqual(["aks"]);
    expect(result.outputs).toEqual({ kubeconfig: "[secret]" });
    expect(JSON.stringify(result)).not.toContain("mock-token");
  });

  it("registers nothing, not even the component or its provider, when the input is invalid", async () => {
    const { types, error } = await registeredBeforeError(
      () => void new ClusterBasics("basics", { kubeconfig: "k", namespaces: { "kube-system": {} } }),
    );
    expect(types).toEqual(["pulumi:pulumi:Stack"]);
    expect(error).toMatchObject({
      name: "UserError",
      message:
        'ClusterBasics "basics" has invalid arguments:\n  - namespaces.kube-system: is a namespace Kubernetes owns; azlab will not manage it (got "kube-system")',
    });
  });
});
