/**
 * The course's lab stacks (stacks/Pulumi.lab-*.yaml, docs/labs.md, issue #15): each is a class of two
 * students that validates, has a committed lock that is up to date, plans offline with no finding at
 * all, and registers exactly what its lab teaches. Each stack is planned once (planShipped).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_STACKS_DIR, listStackFiles, loadStackFile } from "../../src/config/stackFile.ts";
import type { OfflineRun } from "../../src/model/recorded.ts";
import { serializeLock } from "../../src/planner/lock.ts";
import { evaluateResources, policyContextFromConfig } from "../../src/policy/evaluate.ts";
import { prepareStack } from "../../src/program/preflight.ts";
import { countByType, ofType, planShipped, resource } from "../support/offline.ts";

const LABS = listStackFiles(DEFAULT_STACKS_DIR).filter((ref) => ref.stack.startsWith("lab-"));
/** Before every lab's expiresOn: the tests judge expiry at a fixed date, not today. */
const AS_OF = new Date("2026-12-01T00:00:00Z");

const T = {
  asg: "azure-native:network:ApplicationSecurityGroup",
  autoscale: "azure-native:monitor:AutoscaleSetting",
  cluster: "azure-native:containerservice:ManagedCluster",
  nic: "azure-native:network:NetworkInterface",
  peering: "azure-native:network:VirtualNetworkPeering",
  routeTable: "azure-native:network:RouteTable",
  shutdown: "azure-native:devtestlab:GlobalSchedule",
  vm: "azure-native:compute:VirtualMachine",
  ingress: "kubernetes:networking.k8s.io/v1:Ingress",
  lb: "azure-native:network:LoadBalancer",
  nsg: "azure-native:network:NetworkSecurityGroup",
  pip: "azure-native:network:PublicIPAddress",
  pool: "azure-native:containerservice:AgentPool",
  role: "azure-native:authorization:RoleAssignment",
  share: "azure-native:storage:FileShare",
  storage: "azure-native:storage:StorageAccount",
  storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
  subnet: "azure-native:network:Subnet",
  vmss: "azure-native:compute:VirtualMachineScaleSet",
} as const;

/** Built-in role ids ("Azure built-in roles", Microsoft Learn), spelled here independently of src/azure/catalog.ts. */
const ROLE: Record<string, string> = {
  "acdd72a7-3385-48ef-bd42-f606fba81ae7": "Reader",
  "9980e02c-c2be-4d73-94e8-173b1dc7cf3c": "Virtual Machine Contributor",
  "ba92f5b4-2d11-453d-a403-e96b0029c9fe": "Storage Blob Data Contributor",
  "0c867c2a-1d8c-454a-a3db-ab2ea1bdc8bb": "Storage File Data SMB Share Contributor",
  "974c5e8b-45b9-4653-ba55-5f855dd0fb88": "Storage Queue Data Contributor",
  "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3": "Storage Table Data Contributor",
  "8311e382-0749-4cb8-b61a-304f252e45ec": "AcrPush",
  "7f951dda-4ed3-4680-a7ca-43fe172d538d": "AcrPull",
  "4abbcc35-e782-43d8-92c5-2d3f1bd2253f": "Azure Kubernetes Service Cluster User Role",
  "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b": "Azure Kubernetes Service RBAC Cluster Admin",
  "4d97b98b-1d4f-4787-a291-c67834d212e7": "Network Contributor",
};

/** Every role assignment as `name: role on scope`, sorted. */
function grants(run: OfflineRun): string[] {
  return ofType(run, T.role)
    .map((r) => {
      const id = String(r.inputs["roleDefinitionId"]).split("/").pop() ?? "";
      return `${r.name}: ${ROLE[id] ?? id} on ${String(r.inputs["scope"])}`;
    })
    .sort();
}

/** [namespace, name] of every object of a Kubernetes kind, sorted. */
function inNamespaces(run: OfflineRun, type: string): [string, string][] {
  return ofType(run, type)
    .map((r) => {
      const meta = r.inputs["metadata"] as { namespace: string; name: string };
      return [meta.namespace, meta.name] as [string, string];
    })
    .sort();
}

const inputs = (run: OfflineRun, type: string, name: string) => resource(run, type, name).inputs;

describe("the lab stacks", () => {
  it("ship one stack per lab of the course (docs/labs.md)", () => {
    expect(LABS.map((ref) => ref.stack)).toEqual([
      "lab-aks",
      "lab-aks-disk",
      "lab-hub-spoke",
      "lab-lb-vmss-autoscale",
      "lab-network",
      "lab-storage",
      "lab-storage-nfs",
      "lab-vm",
    ]);
  });

  describe.each(LABS)("$stack", ({ path, stack }) => {
    const loaded = loadStackFile(path, stack);

    it("is a class of two students, each with a UPN, that has not expired by 2027-01-01", () => {
      const { config } = loaded;
      expect(config.environment).toBe("class");
      const students = config.class?.students ?? {};
      expect(Object.entries(students).map(([id, s]) => [id, s.upn])).toEqual([
        ["ada", "ada@contoso.edu"],
        ["grace", "grace@contoso.edu"],
      ]);
      expect(config.class!.expiresOn > "2027-01-01").toBe(true);
      // Nothing is lowered or waived: the lab plans clean as shipped.
      expect(config.policy.overrides).toEqual({});
      expect(config.nsg.waivers).toEqual({});
    });

    it("has a committed lock that is up to date, byte for byte", () => {
      const prepared = prepareStack(loaded);
      expect(prepared.lockOutdated).toBe(false);
      expect(readFileSync(loaded.lockPath, "utf8")).toBe(serializeLock(prepared.lock));
    });

    it("plans offline with no guardrail finding at all", async () => {
      const run = await planShipped(stack);
      expect(evaluateResources(run.resources, policyContextFromConfig(loaded, AS_OF), run.outputs)).toEqual(
        [],
      );
    });
  });
});

describe("lab-network", async () => {
  const run = await planShipped("lab-network");

  it("gives each student a VNet of three subnets, an NSG per private subnet, two ASGs and a NAT gateway", () => {
    expect(countByType(run)).toEqual({
      "azlab:compute:ScaleSet": 2,
      "azlab:lab:Environment": 2,
      "azlab:network:NetworkSecurityGroup": 6,
      "azlab:network:PublicIp": 4,
      "azlab:network:VirtualNetwork": 2,
      "azure-native:authorization:RoleAssignment": 4,
      "azure-native:compute:VirtualMachineScaleSet": 2,
      "azure-native:monitor:AutoscaleSetting": 2,
      "azure-native:network:ApplicationSecurityGroup": 4,
      "azure-native:network:LoadBalancer": 2,
      "azure-native:network:NatGateway": 2,
      "azure-native:network:NetworkSecurityGroup": 6,
      "azure-native:network:PublicIPAddress": 4,
      "azure-native:network:Subnet": 6,
      "azure-native:network:VirtualNetwork": 2,
      "azure-native:resources:ResourceGroup": 2,
    });
  });

  it("puts each subnet behind its own NSG (web keeps the environment's) and the NAT gateway", () => {
    const ada = ofType(run, T.subnet)
      .filter((s) => s.name.startsWith("ada-"))
      .map((s) => [
        s.inputs["subnetName"],
        s.inputs["addressPrefix"],
        (s.inputs["networkSecurityGroup"] as { id: string }).id,
        (s.inputs["natGateway"] as { id: string }).id,
        s.inputs["defaultOutboundAccess"],
      ])
      .sort();
    expect(ada).toEqual([
      ["app", "10.140.0.0/26", "ada-app-nsg-id", "ada-net-natgw-id", false],
      ["data", "10.140.0.128/27", "ada-data-nsg-id", "ada-net-natgw-id", false],
      ["web", "10.140.0.64/26", "ada-nsg-id", "ada-net-natgw-id", false],
    ]);
  });

  it("makes the private app subnet's NSG admit the web tier's ASG from ephemeral source ports, and never the internet", () => {
    expect(inputs(run, T.nsg, "grace-app-nsg")["securityRules"]).toEqual([
      {
        access: "Allow",
        destinationAddressPrefix: "*",
        destinationPortRange: "*",
        direction: "Inbound",
        name: "allow-own-vnet",
        priority: 3990,
        protocol: "*",
        sourceAddressPrefix: "10.140.1.0/24",
        sourcePortRange: "*",
      },
      {
        access: "Deny",
        destinationAddressPrefix: "*",
        destinationPortRange: "*",
        direction: "Inbound",
        name: "deny-lateral",
        priority: 4000,
        protocol: "*",
        sourceAddressPrefix: "10.140.0.0/16",
        sourcePortRange: "*",
      },
      {
        access: "Allow",
        description: "the web tier calls the app tier",
        destinationAddressPrefix: "*",
        destinationPortRange: "8080",
        direction: "Inbound",
        name: "web-to-app",
        priority: 100,
        protocol: "Tcp",
        sourceApplicationSecurityGroups: [{ id: "grace-nsg-web-id" }],
        sourcePortRange: "1024-65535",
      },
      {
        access: "Deny",
        destinationAddressPrefix: "*",
        destinationPortRange: "*",
        direction: "Inbound",
        name: "deny-internet",
        priority: 4090,
        protocol: "*",
        sourceAddressPrefix: "Internet",
        sourcePortRange: "*",
      },
    ]);
  });

  it("refuses the web tier on the data subnet before it allows PostgreSQL from the VNet", () => {
    const rules = inputs(run, T.nsg, "ada-data-nsg")["securityRules"] as Record<string, unknown>[];
    expect(
      rules.map((r) => [
        r["priority"],
        r["name"],
        r["access"],
        r["sourceApplicationSecurityGroups"] ?? r["sourceAddressPrefix"],
        r["destinationPortRange"],
      ]),
    ).toEqual([
      [3990, "allow-own-vnet", "Allow", "10.140.0.0/24", "*"],
      [4000, "deny-lateral", "Deny", "10.140.0.0/16", "*"],
      [200, "deny-web-tier", "Deny", [{ id: "ada-nsg-web-id" }], "*"],
      [210, "app-to-postgres", "Allow", "VirtualNetwork", "5432"],
    ]);
  });

  it("names the ASGs per student, puts each scale-set NIC in web, and uses both groups in a rule", () => {
    expect(ofType(run, T.asg).map((a) => a.inputs["applicationSecurityGroupName"])).toEqual([
      "asg-labnet-lab-network-ada-web",
      "asg-labnet-lab-network-ada-admins",
      "asg-labnet-lab-network-grace-web",
      "asg-labnet-lab-network-grace-admins",
    ]);
    const profile = inputs(run, T.vmss, "ada-web")["virtualMachineProfile"] as {
      networkProfile: { networkInterfaceConfigurations: { ipConfigurations: Record<string, unknown>[] }[] };
    };
    const ipConfig = profile.networkProfile.networkInterfaceConfigurations[0]!.ipConfigurations[0]!;
    expect(ipConfig["applicationSecurityGroups"]).toEqual([{ id: "ada-nsg-web-id" }]);
    const rules = inputs(run, T.nsg, "ada-nsg")["securityRules"] as Record<string, unknown>[];
    expect(rules.find((r) => r["name"] === "admins-to-web-ssh")).toEqual({
      access: "Allow",
      description: "SSH from the admins group to the web tier only",
      destinationApplicationSecurityGroups: [{ id: "ada-nsg-web-id" }],
      destinationPortRange: "22",
      direction: "Inbound",
      name: "admins-to-web-ssh",
      priority: 130,
      protocol: "Tcp",
      sourceApplicationSecurityGroups: [{ id: "ada-nsg-admins-id" }],
      sourcePortRange: "*",
    });
  });

  it("gives every public IP (load balancer frontend and NAT gateway) the Standard SKU and a static address", () => {
    expect(
      ofType(run, T.pip)
        .map((p) => [p.name, p.inputs["sku"], p.inputs["publicIPAllocationMethod"]])
        .sort(),
    ).toEqual([
      ["ada-net-natgw-ip", { name: "Standard", tier: "Regional" }, "Static"],
      ["ada-web-frontend", { name: "Standard", tier: "Regional" }, "Static"],
      ["grace-net-natgw-ip", { name: "Standard", tier: "Regional" }, "Static"],
      ["grace-web-frontend", { name: "Standard", tier: "Regional" }, "Static"],
    ]);
  });
});

describe("lab-lb-vmss-autoscale", async () => {
  const run = await planShipped("lab-lb-vmss-autoscale");

  it("gives each student a scale set behind a public load balancer, with egress through it and no NAT gateway", () => {
    expect(countByType(run)).toEqual({
      "azlab:compute:ScaleSet": 2,
      "azlab:lab:Environment": 2,
      "azlab:network:NetworkSecurityGroup": 2,
      "azlab:network:PublicIp": 2,
      "azlab:network:VirtualNetwork": 2,
      "azure-native:authorization:RoleAssignment": 4,
      "azure-native:compute:VirtualMachineScaleSet": 2,
      "azure-native:monitor:AutoscaleSetting": 2,
      "azure-native:network:LoadBalancer": 2,
      "azure-native:network:NetworkSecurityGroup": 2,
      "azure-native:network:PublicIPAddress": 2,
      "azure-native:network:Subnet": 2,
      "azure-native:network:VirtualNetwork": 2,
      "azure-native:resources:ResourceGroup": 2,
    });
    expect(inputs(run, T.subnet, "ada-net-web")["natGateway"]).toBeUndefined();
  });

  it("sets the frontend, rule, probe, SSH NAT ports and outbound rule the lab walks through", () => {
    const lb = inputs(run, T.lb, "grace-web-lb");
    const rule = (lb["loadBalancingRules"] as Record<string, unknown>[])[0]!;
    expect([rule["frontendPort"], rule["backendPort"], rule["loadDistribution"]]).toEqual([
      80,
      80,
      "SourceIP",
    ]);
    expect(lb["probes"]).toEqual([
      {
        intervalInSeconds: 15,
        name: "health",
        port: 80,
        probeThreshold: 2,
        protocol: "Http",
        requestPath: "/",
      },
    ]);
    // One SSH port per instance up to the largest autoscale maximum (the lab-hours profile's 4).
    const nat = (lb["inboundNatPools"] as Record<string, unknown>[])[0]!;
    expect([nat["frontendPortRangeStart"], nat["frontendPortRangeEnd"], nat["backendPort"]]).toEqual([
      50000, 50003, 22,
    ]);
    expect((lb["outboundRules"] as Record<string, unknown>[]).map((r) => r["name"])).toEqual(["outbound"]);
    expect(inputs(run, T.pip, "grace-web-frontend")["dnsSettings"]).toEqual({
      domainNameLabel: "lab-web",
      domainNameLabelScope: "ResourceGroupReuse",
    });
  });

  it("scales by CPU all week and raises the floor to two in the lab-hours schedule", () => {
    const profiles = inputs(run, T.autoscale, "ada-web-autoscale")["profiles"] as Record<string, unknown>[];
    expect(profiles.map((p) => [p["name"], p["capacity"], p["recurrence"]])).toEqual([
      ["default", { default: "0", maximum: "3", minimum: "0" }, undefined],
      [
        "lab-hours",
        { default: "2", maximum: "4", minimum: "2" },
        {
          frequency: "Week",
          schedule: {
            days: ["Monday", "Wednesday"],
            hours: [13],
            minutes: [0],
            timeZone: "W. Europe Standard Time",
          },
        },
      ],
      // Azure's recurrence profiles have no end time: a second profile at 17:00 returns to the default.
      [
        "lab-hours-end",
        { default: "0", maximum: "3", minimum: "0" },
        {
          frequency: "Week",
          schedule: {
            days: ["Monday", "Wednesday"],
            hours: [17],
            minutes: [0],
            timeZone: "W. Europe Standard Time",
          },
        },
      ],
    ]);
    const thresholds = (profiles[0]!["rules"] as { metricTrigger: Record<string, unknown> }[]).map((r) => [
      r.metricTrigger["metricName"],
      r.metricTrigger["operator"],
      r.metricTrigger["threshold"],
    ]);
    expect(thresholds).toEqual([
      ["Percentage CPU", "GreaterThan", 70],
      ["Percentage CPU", "LessThan", 30],
    ]);
  });
});

describe("lab-storage", async () => {
  const run = await planShipped("lab-storage");

  it("gives each student a Cool LRS StorageV2 account with shared keys off", () => {
    const account = inputs(run, T.storage, "ada-st");
    expect([
      account["kind"],
      account["sku"],
      account["accessTier"],
      account["allowSharedKeyAccess"],
      account["allowBlobPublicAccess"],
    ]).toEqual(["StorageV2", { name: "Standard_LRS" }, "Cool", false, false]);
  });

  it("holds the containers, queue, table and SMB share of the lab in every student's account", () => {
    const names = (type: string, key: string) =>
      ofType(run, type)
        .map((r) => `${r.name.split("-")[0]}/${String(r.inputs[key])}`)
        .sort();
    expect(names("azure-native:storage:BlobContainer", "containerName")).toEqual([
      "ada/logs",
      "ada/uploads",
      "grace/logs",
      "grace/uploads",
    ]);
    expect(names("azure-native:storage:Queue", "queueName")).toEqual(["ada/orders", "grace/orders"]);
    expect(names("azure-native:storage:Table", "tableName")).toEqual(["ada/Scores", "grace/Scores"]);
    const share = inputs(run, T.share, "grace-st-home");
    expect([share["enabledProtocols"], share["shareQuota"], share["accessTier"]]).toEqual([
      "SMB",
      10,
      "TransactionOptimized",
    ]);
  });

  it("moves block blobs to Cool after 30 days, Archive after 90 and deletes them after 365", () => {
    const policy = inputs(run, "azure-native:storage:ManagementPolicy", "ada-st-lifecycle")["policy"];
    expect(policy).toEqual({
      rules: [
        {
          definition: {
            actions: {
              baseBlob: {
                delete: { daysAfterModificationGreaterThan: 365 },
                tierToArchive: { daysAfterModificationGreaterThan: 90 },
                tierToCool: { daysAfterModificationGreaterThan: 30 },
              },
            },
            filters: { blobTypes: ["blockBlob"] },
          },
          enabled: true,
          name: "azlab-block-blob-tiering",
          type: "Lifecycle",
        },
      ],
    });
  });

  it("grants each student blob (user-delegation SAS), file, queue and table data roles on their own account only", () => {
    expect(grants(run)).toEqual([
      "ada-access-rg-reader: Reader on ada-rg-id",
      "ada-access-st-blob-data: Storage Blob Data Contributor on ada-st-id",
      "ada-access-st-file-data: Storage File Data SMB Share Contributor on ada-st-id",
      "ada-access-st-queue-data: Storage Queue Data Contributor on ada-st-id",
      "ada-access-st-table-data: Storage Table Data Contributor on ada-st-id",
      "grace-access-rg-reader: Reader on grace-rg-id",
      "grace-access-st-blob-data: Storage Blob Data Contributor on grace-st-id",
      "grace-access-st-file-data: Storage File Data SMB Share Contributor on grace-st-id",
      "grace-access-st-queue-data: Storage Queue Data Contributor on grace-st-id",
      "grace-access-st-table-data: Storage Table Data Contributor on grace-st-id",
    ]);
  });
});

describe("lab-storage-nfs", async () => {
  const run = await planShipped("lab-storage-nfs");

  it("gives each student a premium FileStorage account with a 100 GiB root-squashed NFS share", () => {
    const account = inputs(run, T.storage, "grace-st");
    expect([account["kind"], account["sku"], account["accessTier"]]).toEqual([
      "FileStorage",
      { name: "Premium_LRS" },
      undefined,
    ]);
    const share = inputs(run, T.share, "grace-st-scratch");
    expect([
      share["enabledProtocols"],
      share["shareQuota"],
      share["rootSquash"],
      share["accessTier"],
    ]).toEqual(["NFS", 100, "RootSquash", "Premium"]);
    expect(ofType(run, T.share)).toHaveLength(2);
  });

  it("grants no data role: NFS access is by network", () => {
    expect(grants(run)).toEqual([
      "ada-access-rg-reader: Reader on ada-rg-id",
      "grace-access-rg-reader: Reader on grace-rg-id",
    ]);
  });
});

describe("lab-aks", async () => {
  const run = await planShipped("lab-aks");

  it("turns on VPA and application routing and autoscales both node pools", () => {
    const cluster = inputs(run, T.cluster, "hub-aks");
    expect(cluster["workloadAutoScalerProfile"]).toEqual({ verticalPodAutoscaler: { enabled: true } });
    expect(cluster["ingressProfile"]).toEqual({ webAppRouting: { enabled: true } });
    expect(cluster["autoScalerProfile"]).toEqual({
      expander: "least-waste",
      maxNodeProvisionTime: "15m",
      scaleDownDelayAfterAdd: "10m",
      scaleDownUnneededTime: "10m",
      scaleDownUtilizationThreshold: "0.5",
      scanInterval: "10s",
    });
    const system = (cluster["agentPoolProfiles"] as Record<string, unknown>[])[0]!;
    expect([system["name"], system["enableAutoScaling"], system["minCount"], system["maxCount"]]).toEqual([
      "system",
      true,
      1,
      2,
    ]);
    const work = inputs(run, T.pool, "hub-aks-work");
    expect([
      work["mode"],
      work["vmSize"],
      work["enableAutoScaling"],
      work["minCount"],
      work["maxCount"],
    ]).toEqual(["User", "Standard_B2s", true, 1, 3]);
    expect((cluster["networkProfile"] as Record<string, unknown>)["outboundType"]).toBe("loadBalancer");
  });

  it("puts the sample Deployment, Service, HPA, claim and Ingress in both students' namespaces", () => {
    const both: [string, string][] = [
      ["student-ada", "hello"],
      ["student-grace", "hello"],
    ];
    expect(inNamespaces(run, "kubernetes:apps/v1:Deployment")).toEqual(both);
    expect(inNamespaces(run, "kubernetes:core/v1:Service")).toEqual(both);
    expect(inNamespaces(run, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")).toEqual(both);
    expect(inNamespaces(run, "kubernetes:core/v1:PersistentVolumeClaim")).toEqual(both);
    expect(inNamespaces(run, T.ingress)).toEqual(both);
    const ingress = ofType(run, T.ingress).find(
      (r) => (r.inputs["metadata"] as { namespace: string }).namespace === "student-grace",
    )!;
    const spec = ingress.inputs["spec"] as {
      ingressClassName: string;
      rules: { http: { paths: { path: string }[] } }[];
    };
    expect([spec.ingressClassName, spec.rules[0]!.http.paths[0]!.path]).toEqual([
      "webapprouting.kubernetes.azure.com",
      "/student-grace(/|$)(.*)",
    ]);
  });

  it("offers an Azure Files class that the sample claims use", () => {
    const storageClass = ofType(run, T.storageClass)[0]!.inputs;
    expect([storageClass["provisioner"], storageClass["reclaimPolicy"], storageClass["parameters"]]).toEqual([
      "file.csi.azure.com",
      "Delete",
      { skuName: "Standard_LRS" },
    ]);
    const claims = ofType(run, "kubernetes:core/v1:PersistentVolumeClaim").map((r) => r.inputs["spec"]);
    const spec = { accessModes: ["ReadWriteMany"], resources: { requests: { storage: "1Gi" } } };
    expect(claims).toEqual([
      { ...spec, storageClassName: "azurefile-lab" },
      { ...spec, storageClassName: "azurefile-lab" },
    ]);
  });

  it("lets students push to the class registry and the cluster's kubelet pull from it", () => {
    expect(inputs(run, "azure-native:containerregistry:Registry", "registry")["sku"]).toEqual({
      name: "Basic",
    });
    expect(grants(run)).toEqual([
      "ada-access-hub-aks-user: Azure Kubernetes Service Cluster User Role on hub-aks-id",
      "ada-access-registry-push: AcrPush on registry-id",
      "ada-access-rg-reader: Reader on ada-rg-id",
      "grace-access-hub-aks-user: Azure Kubernetes Service Cluster User Role on hub-aks-id",
      "grace-access-registry-push: AcrPush on registry-id",
      "grace-access-rg-reader: Reader on grace-rg-id",
      "hub-aks-deployer-admin: Azure Kubernetes Service RBAC Cluster Admin on hub-aks-id",
      "hub-aks-subnet-network: Network Contributor on hub-net-aks-nodes-id",
      "registry-acrpull-hub-aks: AcrPull on registry-id",
    ]);
  });
});

describe("lab-aks-disk", async () => {
  const run = await planShipped("lab-aks-disk");

  it("offers a Premium SSD Azure Disk class that keeps the disk when its claim is deleted", () => {
    expect(ofType(run, T.storageClass).map((r) => r.inputs)).toEqual([
      {
        allowVolumeExpansion: true,
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: { labels: { "app.kubernetes.io/managed-by": "azlab" }, name: "azuredisk-lab" },
        parameters: { skuName: "Premium_LRS" },
        provisioner: "disk.csi.azure.com",
        reclaimPolicy: "Retain",
        volumeBindingMode: "WaitForFirstConsumer",
      },
    ]);
  });

  it("runs the sample workload in both namespaces with no claim, since a disk cannot follow replicas", () => {
    expect(inNamespaces(run, "kubernetes:apps/v1:Deployment")).toEqual([
      ["student-ada", "hello"],
      ["student-grace", "hello"],
    ]);
    expect(ofType(run, "kubernetes:core/v1:PersistentVolumeClaim")).toEqual([]);
    expect(ofType(run, "azure-native:containerregistry:Registry")).toEqual([]);
  });
});

describe("lab-vm", async () => {
  const run = await planShipped("lab-vm");

  it("lets each student start their own VMs after the nightly shutdown, and touch nothing else", () => {
    expect(grants(run)).toEqual([
      "ada-access-rg-reader: Reader on ada-rg-id",
      "ada-access-rg-vm-contributor: Virtual Machine Contributor on ada-rg-id",
      "grace-access-rg-reader: Reader on grace-rg-id",
      "grace-access-rg-vm-contributor: Virtual Machine Contributor on grace-rg-id",
    ]);
  });

  it("gives each student a jump VM and a db VM, each with a NIC and an auto-shutdown schedule", () => {
    expect(countByType(run)).toEqual({
      "azlab:compute:VirtualMachine": 4,
      "azlab:lab:Environment": 2,
      "azlab:network:NetworkSecurityGroup": 2,
      "azlab:network:PublicIp": 4,
      "azlab:network:VirtualNetwork": 2,
      "azure-native:authorization:RoleAssignment": 4,
      "azure-native:compute:VirtualMachine": 4,
      "azure-native:devtestlab:GlobalSchedule": 4,
      "azure-native:network:ApplicationSecurityGroup": 4,
      "azure-native:network:NatGateway": 2,
      "azure-native:network:NetworkInterface": 4,
      "azure-native:network:NetworkSecurityGroup": 2,
      "azure-native:network:PublicIPAddress": 4,
      "azure-native:network:Subnet": 2,
      "azure-native:network:VirtualNetwork": 2,
      "azure-native:resources:ResourceGroup": 2,
    });
  });

  it("sizes the VMs and their disks as the lab compares them: HDD, Standard SSD and Premium SSD", () => {
    const disks = (name: string) => {
      const vm = inputs(run, T.vm, name);
      const storage = vm["storageProfile"] as {
        osDisk: { managedDisk: { storageAccountType: string } };
        dataDisks: { lun: number; diskSizeGB: number; managedDisk: { storageAccountType: string } }[];
      };
      return {
        size: (vm["hardwareProfile"] as { vmSize: string }).vmSize,
        os: storage.osDisk.managedDisk.storageAccountType,
        data: storage.dataDisks.map((d) => [d.lun, d.diskSizeGB, d.managedDisk.storageAccountType]),
      };
    };
    expect(disks("grace-jump-vm")).toEqual({ size: "Standard_B1s", os: "Standard_LRS", data: [] });
    expect(disks("grace-db-vm")).toEqual({
      size: "Standard_D2s_v5",
      os: "StandardSSD_LRS",
      data: [
        [0, 32, "Premium_LRS"],
        [1, 16, "Standard_LRS"],
      ],
    });
  });

  it("signs in with SSH keys only: the instructor's and the student's own", () => {
    const os = inputs(run, T.vm, "grace-db-vm")["osProfile"] as {
      linuxConfiguration: {
        disablePasswordAuthentication: boolean;
        ssh: { publicKeys: { keyData: string }[] };
      };
    };
    expect(os.linuxConfiguration.disablePasswordAuthentication).toBe(true);
    expect(os.linuxConfiguration.ssh.publicKeys.map((k) => k.keyData.split(" ")[2])).toEqual([
      "instructor@azlab",
      "grace@laptop",
    ]);
  });

  it("puts a static Standard public IP on jump only, and each NIC in its VM's application security group", () => {
    const nic = (name: string) => {
      const config = (inputs(run, T.nic, name)["ipConfigurations"] as Record<string, unknown>[])[0]!;
      return [
        config["applicationSecurityGroups"],
        config["publicIPAddress"],
        config["privateIPAllocationMethod"],
      ];
    };
    expect(nic("ada-jump-vm-nic")).toEqual([
      [{ id: "ada-nsg-jump-id" }],
      { id: "ada-jump-vm-ip-id" },
      "Dynamic",
    ]);
    expect(nic("ada-db-vm-nic")).toEqual([[{ id: "ada-nsg-db-id" }], undefined, "Dynamic"]);
    const ip = inputs(run, T.pip, "ada-jump-vm-ip");
    expect([ip["sku"], ip["publicIPAllocationMethod"]]).toEqual([
      { name: "Standard", tier: "Regional" },
      "Static",
    ]);
    const rules = inputs(run, T.nsg, "ada-nsg")["securityRules"] as Record<string, unknown>[];
    const rule = rules.find((r) => r["name"] === "jump-to-db")!;
    expect([rule["sourceApplicationSecurityGroups"], rule["destinationApplicationSecurityGroups"]]).toEqual([
      [{ id: "ada-nsg-jump-id" }],
      [{ id: "ada-nsg-db-id" }],
    ]);
  });

  it("shuts jump down at 18:00 and db at 19:00, Amsterdam time, after an email to the student", () => {
    expect(
      ofType(run, T.shutdown)
        .filter((r) => r.name.startsWith("ada-"))
        .map((r) => [
          r.name,
          r.inputs["dailyRecurrence"],
          r.inputs["timeZoneId"],
          r.inputs["status"],
          (r.inputs["notificationSettings"] as { emailRecipient: string }).emailRecipient,
        ])
        .sort(),
    ).toEqual([
      ["ada-db-vm-shutdown", { time: "1900" }, "W. Europe Standard Time", "Enabled", "ada@contoso.edu"],
      ["ada-jump-vm-shutdown", { time: "1800" }, "W. Europe Standard Time", "Enabled", "ada@contoso.edu"],
    ]);
  });
});

describe("lab-hub-spoke", async () => {
  const run = await planShipped("lab-hub-spoke");

  it("peers each student's VNet with the hub both ways, and never two students' VNets", () => {
    expect(
      ofType(run, T.peering)
        .map((p) => [
          p.name,
          (p.inputs["remoteVirtualNetwork"] as { id: string }).id,
          p.inputs["allowVirtualNetworkAccess"],
          p.inputs["allowForwardedTraffic"],
          p.inputs["useRemoteGateways"],
        ])
        .sort(),
    ).toEqual([
      ["peering-ada-to-hub", "hub-net-id", true, false, false],
      ["peering-grace-to-hub", "hub-net-id", true, false, false],
      ["peering-hub-to-ada", "ada-net-id", true, false, false],
      ["peering-hub-to-grace", "grace-net-id", true, false, false],
    ]);
  });

  it("gives each student a route table with the class's route, on their workload subnet", () => {
    expect(inputs(run, T.routeTable, "grace-rt")["routes"]).toEqual([
      { addressPrefix: "198.51.100.0/24", name: "blackhole-test-net", nextHopType: "None" },
    ]);
    expect(inputs(run, T.subnet, "grace-net-workload")["routeTable"]).toEqual({ id: "grace-rt-id" });
  });

  it("puts a Basic Bastion in the hub's AzureBastionSubnet and lets it reach the VMs, which have no public IP", () => {
    const bastion = inputs(run, "azure-native:network:BastionHost", "hub-bas");
    expect(bastion["sku"]).toEqual({ name: "Basic" });
    const subnet = inputs(run, T.subnet, "hub-net-AzureBastionSubnet");
    expect([subnet["subnetName"], subnet["addressPrefix"]]).toEqual(["AzureBastionSubnet", "10.147.3.0/26"]);
    const rules = inputs(run, T.nsg, "ada-nsg")["securityRules"] as Record<string, unknown>[];
    const allow = rules.find((r) => r["name"] === "allow-bastion")!;
    expect([allow["sourceAddressPrefix"], allow["destinationPortRanges"], allow["priority"]]).toEqual([
      "10.147.3.0/26",
      ["22", "3389"],
      3980,
    ]);
    const nic = (inputs(run, T.nic, "ada-app-vm-nic")["ipConfigurations"] as Record<string, unknown>[])[0]!;
    expect(nic["publicIPAddress"]).toBeUndefined();
    // The only public IPs: the Bastion's and each spoke's NAT gateway's.
    expect(
      ofType(run, T.pip)
        .map((p) => p.name)
        .sort(),
    ).toEqual(["ada-net-natgw-ip", "grace-net-natgw-ip", "hub-bas-ip"]);
  });
});
