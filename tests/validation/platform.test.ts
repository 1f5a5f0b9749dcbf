import { describe, expect, it } from "vitest";
import { normalizeStorageAccount } from "../../src/validation/storage.ts";
import { normalizeRegistry } from "../../src/validation/registry.ts";
import { normalizeKubernetesCluster, type KubernetesClusterOptions } from "../../src/validation/aks.ts";
import { normalizeClusterBasics } from "../../src/validation/clusterBasics.ts";

const network: KubernetesClusterOptions = {
  nodeSubnetCidr: "10.10.0.0/24",
  vnetAddressSpace: ["10.10.0.0/16"],
  podCidr: "10.244.0.0/16",
  serviceCidr: "10.96.0.0/16",
  dnsServiceIp: "10.96.0.10",
};

describe("normalizeStorageAccount", () => {
  it("fills every default", () => {
    expect(normalizeStorageAccount({}, "st", "seed")).toEqual({
      value: {
        accountName: "st19b25856",
        sku: "Standard_LRS",
        publicNetworkAccessEnabled: true,
        sharedKeyAccessEnabled: false,
        sharedKeyConsumers: [],
        infrastructureEncryptionEnabled: true,
        softDeleteRetentionDays: 7,
        containers: {},
        shares: {},
      },
      problems: [],
    });
  });

  it("uses nameSeed over the default seed and refuses accountName with namePrefix", () => {
    expect(normalizeStorageAccount({ nameSeed: "seed" }, "st", "other").value?.accountName).toBe(
      "st19b25856",
    );
    expect(normalizeStorageAccount({ accountName: "labdata", namePrefix: "x" }, "st", "s").problems).toEqual([
      { path: "st.namePrefix", message: "conflicts with accountName; set only one of them" },
    ]);
  });
});

describe("normalizeRegistry", () => {
  it("fills every default and checks retention on Premium", () => {
    expect(normalizeRegistry({}, "acr", "seed")).toEqual({
      value: {
        registryName: "acr19b25856",
        sku: "Basic",
        publicNetworkAccessEnabled: true,
        quarantineEnabled: false,
        zoneRedundancyEnabled: false,
        dataEndpointEnabled: false,
      },
      problems: [],
    });
    expect(normalizeRegistry({ sku: "Premium", retentionDays: 400 }, "acr", "seed").problems).toEqual([
      {
        path: "acr.retentionDays",
        message: "is out of range",
        value: 400,
        allowed: "an integer from 0 to 365",
      },
    ]);
  });
});

describe("normalizeKubernetesCluster", () => {
  it("fills every default", () => {
    expect(normalizeKubernetesCluster(network, "lab_aks").value).toEqual({
      clusterName: "lab_aks",
      dnsPrefix: "lab-aks",
      skuTier: "Free",
      systemPoolName: "system",
      systemPool: {
        vmSize: "Standard_D2s_v5",
        osDiskType: "Managed",
        autoScalingEnabled: false,
        count: 1,
        maxPods: 250,
        maxSurge: 1,
        zones: [],
        nodeLabels: {},
        nodeTaints: [],
      },
      userPools: {},
      networkPlugin: "azure-cni-overlay",
      networkPolicy: "azure",
      outboundType: "loadBalancer",
      podCidr: "10.244.0.0/16",
      serviceCidr: "10.96.0.0/16",
      dnsServiceIp: "10.96.0.10",
      entraAdminGroupObjectIds: [],
      apiServerAuthorizedIpRanges: [],
      privateClusterEnabled: false,
      upgradeChannel: "patch",
      nodeOsUpgradeChannel: "NodeImage",
      autoscalerProfile: {
        scanInterval: "10s",
        scaleDownDelayAfterAdd: "10m",
        scaleDownUnneededTime: "10m",
        scaleDownUtilizationThreshold: "0.5",
        maxNodeProvisionTime: "15m",
        expander: "random",
      },
    });
  });

  it("reports names, zones, taints, Entra ids, cilium on flat CNI and autoscaler settings", () => {
    const result = normalizeKubernetesCluster(
      {
        ...network,
        networkPlugin: "azure-cni",
        networkPolicy: "cilium",
        systemPoolName: "System",
        userPools: { system: { zones: ["4"], nodeTaints: ["gpu:NoSchedule"] } },
        entraAdminGroupObjectIds: ["admins"],
        autoscalerProfile: {
          scanInterval: "10m",
          scaleDownUnneededTime: "600s",
          scaleDownUtilizationThreshold: 1.5,
        },
      },
      "aks",
    );
    expect(result.problems).toEqual([
      {
        path: "aks.networkPolicy",
        message:
          "needs networkPlugin azure-cni-overlay: the Cilium dataplane does not run on flat node-subnet Azure CNI here",
        value: "cilium",
      },
      {
        path: "aks.systemPoolName",
        message: "is not a valid AKS node pool name",
        value: "System",
        allowed: "1 to 12 lowercase letters and digits, starting with a letter",
      },
      {
        path: "aks.userPools.system.zones",
        message: "names an availability zone that does not exist",
        value: "4",
        allowed: '"1", "2", "3"',
      },
      {
        path: "aks.userPools.system.nodeTaints",
        message: "is not a taint",
        value: "gpu:NoSchedule",
        allowed: "key=value:Effect with Effect NoSchedule, PreferNoSchedule or NoExecute",
      },
      {
        path: "aks.entraAdminGroupObjectIds",
        message: "is not an Entra object id",
        value: "admins",
        allowed: "a GUID",
      },
      {
        path: "aks.autoscalerProfile.scanInterval",
        message: "is not a duration AKS accepts here",
        value: "10m",
        allowed: 'whole seconds such as "10s"',
      },
      {
        path: "aks.autoscalerProfile.scaleDownUnneededTime",
        message: "is not a duration AKS accepts here",
        value: "600s",
        allowed: 'whole minutes such as "10m"',
      },
      {
        path: "aks.autoscalerProfile.scaleDownUtilizationThreshold",
        message: "is out of range",
        value: 1.5,
        allowed: "a number above 0 and at most 1",
      },
    ]);
  });

  it("counts the autoscaler's max count and surge toward the node subnet", () => {
    const result = normalizeKubernetesCluster(
      {
        ...network,
        nodeSubnetCidr: "10.10.0.0/28",
        userPools: { work: { autoScalingEnabled: true, minCount: 0, maxCount: 10, maxSurge: 2 } },
      },
      "aks",
    );
    expect(result.problems).toEqual([
      {
        path: "aks.nodeSubnetCidr",
        message:
          "is too small: azure-cni-overlay needs 14 addresses for 11 nodes + 3 surge, but a /28 has 11 usable",
        value: "10.10.0.0/28",
        allowed: "a /27 or larger",
      },
    ]);
  });
});

describe("normalizeClusterBasics", () => {
  it("fills namespace and storage class defaults", () => {
    expect(normalizeClusterBasics({ namespaces: { lab: {} }, storageClass: {} }, "k8s").value).toEqual({
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
    expect(normalizeClusterBasics({ namespaces: { Lab: { editorKind: "Group" } } }, "k8s").problems).toEqual([
      {
        path: "k8s.namespaces.Lab",
        message: "is not a valid namespace name",
        value: "Lab",
        allowed: 'up to 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
      },
      { path: "k8s.namespaces.Lab.editorKind", message: "needs editorObjectId", value: "Group" },
    ]);
  });
});
