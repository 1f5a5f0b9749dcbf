import { describe, expect, it } from "vitest";
import type { RecordedResource } from "../../src/model/recorded.ts";
import { evaluateResources, policyContextFromConfig, type Finding } from "../../src/policy/evaluate.ts";
import { rules, type PolicyContext } from "../../src/policy/rules.ts";

const TAGS = { "managed-by": "azlab", environment: "prod", owner: "platform-team" };
const CLASS_TAGS = { ...TAGS, environment: "class", course: "net101", "expires-on": "2026-12-18" };

function urnOf(type: string, name: string): string {
  return `urn:pulumi:prod::azlab::${type}::${name}`;
}

function res(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  dependencies: string[] = [],
): RecordedResource {
  return {
    urn: urnOf(type, name),
    type,
    name,
    custom: true,
    dependencies,
    protect: false,
    retainOnDelete: false,
    ignoreChanges: [],
    inputs,
    secretInputs: [],
  };
}

const N = "azure-native:network:";
const PIP_ID = "/subscriptions/0/resourceGroups/mock-rg/providers/network/pip";

/** A compliant stack: one valid resource of every type the rules look at. */
function baseline(tags: Record<string, string> = TAGS): RecordedResource[] {
  return [
    res("azure-native:resources:ResourceGroup", "rg", { location: "westeurope", tags }),
    res(`${N}VirtualNetwork`, "vnet", { addressSpace: { addressPrefixes: ["10.0.0.0/16"] }, tags }),
    res(`${N}NetworkSecurityGroup`, "nsg", {
      tags,
      securityRules: [
        {
          name: "ssh-campus",
          access: "Allow",
          direction: "Inbound",
          protocol: "Tcp",
          priority: 100,
          sourceAddressPrefix: "203.0.113.0/24",
          destinationAddressPrefix: "*",
          destinationPortRange: "22",
        },
        {
          name: "http",
          access: "Allow",
          direction: "Inbound",
          protocol: "Tcp",
          priority: 110,
          sourceAddressPrefix: "Internet",
          destinationAddressPrefix: "*",
          destinationPortRange: "80",
        },
        {
          name: "deny-all",
          access: "Deny",
          direction: "Inbound",
          protocol: "*",
          priority: 4000,
          sourceAddressPrefix: "*",
          destinationAddressPrefix: "*",
          destinationPortRange: "*",
        },
        {
          name: "egress-any",
          access: "Allow",
          direction: "Outbound",
          protocol: "*",
          priority: 100,
          sourceAddressPrefix: "*",
          destinationAddressPrefix: "*",
          destinationPortRange: "*",
        },
      ],
    }),
    res(`${N}Subnet`, "web", {
      subnetName: "web",
      virtualNetworkName: "vnet",
      addressPrefix: "10.0.1.0/24",
      networkSecurityGroup: { id: "/subscriptions/0/resourceGroups/mock-rg/providers/network/nsg" },
    }),
    res(`${N}Subnet`, "bastion", { subnetName: "AzureBastionSubnet", addressPrefix: "10.0.2.0/26" }),
    res(`${N}PublicIPAddress`, "pip", {
      sku: { name: "Standard" },
      publicIPAllocationMethod: "Static",
      tags,
    }),
    res(
      `${N}LoadBalancer`,
      "lb",
      {
        sku: { name: "Standard" },
        frontendIPConfigurations: [{ name: "fe", publicIPAddress: { id: PIP_ID } }],
        tags,
      },
      [urnOf(`${N}PublicIPAddress`, "pip")],
    ),
    res("azure-native:compute:VirtualMachineScaleSet", "vmss", {
      tags,
      upgradePolicy: { mode: "Rolling", automaticOSUpgradePolicy: { enableAutomaticOSUpgrade: true } },
      virtualMachineProfile: {
        osProfile: {
          adminUsername: "azlabadmin",
          linuxConfiguration: { disablePasswordAuthentication: true },
        },
        networkProfile: { healthProbe: { id: "/subscriptions/0/providers/network/lb/probes/http" } },
      },
    }),
    res("azure-native:storage:StorageAccount", "st", {
      accountName: "azlabst1",
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: "TLS1_2",
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      allowedCopyScope: "AAD",
      tags,
    }),
    res("azure-native:storage:BlobServiceProperties", "st-blob", {
      accountName: "azlabst1",
      deleteRetentionPolicy: { enabled: true, days: 7 },
    }),
    res("azure-native:containerregistry:Registry", "acr", {
      sku: { name: "Basic" },
      adminUserEnabled: false,
      anonymousPullEnabled: false,
      tags,
    }),
    res("azure-native:containerservice:ManagedCluster", "aks", {
      enableRBAC: true,
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        networkPolicy: "cilium",
        networkDataplane: "cilium",
      },
      aadProfile: { managed: true, enableAzureRBAC: true },
      disableLocalAccounts: true,
      apiServerAccessProfile: { authorizedIPRanges: ["203.0.113.0/24"], disableRunCommand: true },
      securityProfile: { imageCleaner: { enabled: true, intervalHours: 168 } },
      agentPoolProfiles: [
        { name: "system", mode: "System", enableAutoScaling: true, minCount: 1, maxCount: 3, maxPods: 110 },
      ],
      tags,
    }),
    res("azure-native:containerservice:AgentPool", "aks-user", {
      agentPoolName: "user",
      mode: "User",
      enableAutoScaling: true,
      minCount: 0,
      maxCount: 5,
      maxPods: 30,
      tags,
    }),
  ];
}

const OUTPUTS = { kubeconfig: "[secret]", loadBalancerIp: "203.0.113.10" };

const PROD: PolicyContext = {
  environment: "prod",
  stack: "prod",
  asOf: new Date("2026-11-26T10:00:00Z"),
  requiredTags: ["managed-by", "environment", "owner"],
  overrides: {},
};

const CLASS: PolicyContext = {
  ...PROD,
  environment: "class",
  stack: "class-net101",
  requiredTags: ["managed-by", "environment", "owner", "course", "expires-on"],
  expiresOn: "2026-12-18",
  timeZone: "Europe/Amsterdam",
};

type Edit = (inputs: Record<string, unknown>) => void;

/** The baseline with exactly one resource edited. */
function changed(name: string, edit: Edit, tags?: Record<string, string>): RecordedResource[] {
  return baseline(tags).map((r) => {
    if (r.name !== name) return r;
    const inputs = structuredClone(r.inputs);
    edit(inputs);
    return { ...r, inputs };
  });
}

function brief(findings: Finding[]): [string, string, string][] {
  return findings.map((f) => [f.id, f.resource, f.message]);
}

function rec(value: unknown): Record<string, unknown> {
  return value as Record<string, unknown>;
}

function nsgRule(inputs: Record<string, unknown>, index: number): Record<string, unknown> {
  return rec((inputs["securityRules"] as unknown[])[index]);
}

describe("baseline", () => {
  it("a compliant stack has no findings in prod", () => {
    expect(evaluateResources(baseline(), PROD, OUTPUTS)).toEqual([]);
  });

  it("a compliant class stack has no findings before it expires", () => {
    expect(evaluateResources(baseline(CLASS_TAGS), CLASS, OUTPUTS)).toEqual([]);
  });

  it("every rule has a unique id of the documented form and a fix for its violations", () => {
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^AZL-[A-Z]+-\d{3}$/);
  });
});

const U = (type: string, name: string) => urnOf(type, name);
const NSG = U(`${N}NetworkSecurityGroup`, "nsg");
const ST = U("azure-native:storage:StorageAccount", "st");
const ACR = U("azure-native:containerregistry:Registry", "acr");
const AKS = U("azure-native:containerservice:ManagedCluster", "aks");
const POOL = U("azure-native:containerservice:AgentPool", "aks-user");
const VMSS = U("azure-native:compute:VirtualMachineScaleSet", "vmss");

/** [rule, resource to edit, edit, expected findings as [id, resource, message]] */
const cases: [string, string, Edit, [string, string, string][]][] = [
  [
    "AZL-NSG-001 SSH from *",
    "nsg",
    (i) => void (nsgRule(i, 0)["sourceAddressPrefix"] = "*"),
    [["AZL-NSG-001", NSG, 'Security rule "ssh-campus" allows inbound port 22 (SSH) from "*"']],
  ],
  [
    "AZL-NSG-001 range covering SSH and Telnet from 0.0.0.0/0",
    "nsg",
    (i) => {
      const r = nsgRule(i, 0);
      delete r["sourceAddressPrefix"];
      r["sourceAddressPrefixes"] = ["198.51.100.0/24", "0.0.0.0/0"];
      r["destinationPortRange"] = "20-25";
    },
    [
      [
        "AZL-NSG-001",
        NSG,
        'Security rule "ssh-campus" allows inbound port 22 (SSH), 23 (Telnet) from "0.0.0.0/0"',
      ],
    ],
  ],
  [
    "AZL-NSG-001 database ports from Internet",
    "nsg",
    (i) => {
      const r = nsgRule(i, 1);
      delete r["destinationPortRange"];
      r["destinationPortRanges"] = ["443", "5432", "3389"];
    },
    [
      [
        "AZL-NSG-001",
        NSG,
        'Security rule "http" allows inbound port 3389 (RDP), 5432 (PostgreSQL) from "Internet"',
      ],
    ],
  ],
  [
    "AZL-NSG-002 every port from anywhere",
    "nsg",
    (i) => void (nsgRule(i, 2)["access"] = "Allow"),
    [["AZL-NSG-002", NSG, 'Security rule "deny-all" allows inbound traffic on every port from "*"']],
  ],
  [
    "AZL-NSG-003 subnet without NSG",
    "web",
    (i) => void delete i["networkSecurityGroup"],
    [["AZL-NSG-003", U(`${N}Subnet`, "web"), 'Subnet "web" has no network security group']],
  ],
  [
    "AZL-STG-001 HTTPS-only off",
    "st",
    (i) => void (i["enableHttpsTrafficOnly"] = false),
    [["AZL-STG-001", ST, "enableHttpsTrafficOnly is false"]],
  ],
  [
    "AZL-STG-002 TLS 1.1",
    "st",
    (i) => void (i["minimumTlsVersion"] = "TLS1_1"),
    [["AZL-STG-002", ST, 'minimumTlsVersion is "TLS1_1"']],
  ],
  [
    "AZL-STG-002 TLS unset",
    "st",
    (i) => void delete i["minimumTlsVersion"],
    [["AZL-STG-002", ST, "minimumTlsVersion is not set; the API default has been TLS1_0"]],
  ],
  [
    "AZL-STG-003 blob public access",
    "st",
    (i) => void (i["allowBlobPublicAccess"] = true),
    [["AZL-STG-003", ST, "allowBlobPublicAccess is true"]],
  ],
  [
    "AZL-STG-004 shared key without consumer",
    "st",
    (i) => void (i["allowSharedKeyAccess"] = true),
    [
      [
        "AZL-STG-004",
        ST,
        'Shared-key access is enabled but no consumer is declared in tag "azlab-shared-key-consumers"',
      ],
    ],
  ],
  [
    "AZL-STG-004 shared key left to Azure's default",
    "st",
    (i) => void delete i["allowSharedKeyAccess"],
    [
      [
        "AZL-STG-004",
        ST,
        'Shared-key access is enabled but no consumer is declared in tag "azlab-shared-key-consumers"',
      ],
    ],
  ],
  [
    "AZL-STG-005 soft delete off",
    "st-blob",
    (i) => void (rec(i["deleteRetentionPolicy"])["enabled"] = false),
    [
      [
        "AZL-STG-005",
        U("azure-native:storage:BlobServiceProperties", "st-blob"),
        'Blob service "st-blob" has soft delete off',
      ],
    ],
  ],
  [
    "AZL-ACR-001 admin user",
    "acr",
    (i) => void (i["adminUserEnabled"] = true),
    [["AZL-ACR-001", ACR, "adminUserEnabled is true"]],
  ],
  [
    "AZL-ACR-002 anonymous pull",
    "acr",
    (i) => void (i["anonymousPullEnabled"] = true),
    [["AZL-ACR-002", ACR, "anonymousPullEnabled is true"]],
  ],
  [
    "AZL-ACR-003 retention on Basic",
    "acr",
    (i) => void (i["policies"] = { retentionPolicy: { status: "enabled", days: 7 } }),
    [["AZL-ACR-003", ACR, "SKU Basic does not support policies.retentionPolicy"]],
  ],
  [
    "AZL-ACR-003 quarantine and zone redundancy on Standard",
    "acr",
    (i) => {
      i["sku"] = { name: "Standard" };
      i["policies"] = { quarantinePolicy: { status: "enabled" } };
      i["zoneRedundancy"] = "Enabled";
    },
    [["AZL-ACR-003", ACR, "SKU Standard does not support policies.quarantinePolicy, zoneRedundancy"]],
  ],
  [
    "AZL-AKS-001 RBAC off",
    "aks",
    (i) => void (i["enableRBAC"] = false),
    [["AZL-AKS-001", AKS, "enableRBAC is false"]],
  ],
  [
    "AZL-AKS-002 no network policy",
    "aks",
    (i) => void delete rec(i["networkProfile"])["networkPolicy"],
    [["AZL-AKS-002", AKS, "networkProfile.networkPolicy is not set"]],
  ],
  [
    "AZL-AKS-002 network policy none",
    "aks",
    (i) => void (rec(i["networkProfile"])["networkPolicy"] = "none"),
    [["AZL-AKS-002", AKS, 'networkProfile.networkPolicy is "none"']],
  ],
  [
    "AZL-AKS-003 local accounts with Entra ID",
    "aks",
    (i) => void (i["disableLocalAccounts"] = false),
    [["AZL-AKS-003", AKS, "aadProfile is set but local accounts are still enabled"]],
  ],
  [
    "AZL-AKS-004 public API server in prod",
    "aks",
    (i) => void (rec(i["apiServerAccessProfile"])["authorizedIPRanges"] = []),
    [
      [
        "AZL-AKS-004",
        AKS,
        "The API server is public and apiServerAccessProfile.authorizedIPRanges is empty in a prod stack",
      ],
    ],
  ],
  [
    "AZL-AKS-005 system pool without autoscaling",
    "aks",
    (i) => void (rec((i["agentPoolProfiles"] as unknown[])[0])["enableAutoScaling"] = false),
    [["AZL-AKS-005", AKS, 'Node pool "system" does not autoscale']],
  ],
  [
    "AZL-AKS-005 AgentPool without autoscaling",
    "aks-user",
    (i) => void delete i["enableAutoScaling"],
    [["AZL-AKS-005", POOL, 'Node pool "user" does not autoscale']],
  ],
  [
    "AZL-AKS-006 maxPods above 250",
    "aks-user",
    (i) => void (i["maxPods"] = 251),
    [["AZL-AKS-006", POOL, 'Node pool "user" has maxPods 251; Azure accepts 10 to 250']],
  ],
  [
    "AZL-AKS-006 maxPods below 10",
    "aks",
    (i) => void (rec((i["agentPoolProfiles"] as unknown[])[0])["maxPods"] = 9),
    [["AZL-AKS-006", AKS, 'Node pool "system" has maxPods 9; Azure accepts 10 to 250']],
  ],
  [
    "AZL-AKS-008 Azure NPM, which retires on Linux",
    "aks",
    (i) => void (i["networkProfile"] = { networkPlugin: "azure", networkPolicy: "azure" }),
    [
      [
        "AZL-AKS-008",
        AKS,
        'networkProfile.networkPolicy is "azure": Azure Network Policy Manager on Linux retires on 2028-09-30',
      ],
    ],
  ],
  [
    "AZL-AKS-009 run command left to Azure's default on a public cluster",
    "aks",
    (i) => void delete rec(i["apiServerAccessProfile"])["disableRunCommand"],
    [
      [
        "AZL-AKS-009",
        AKS,
        "Run command is enabled on a public cluster (apiServerAccessProfile.disableRunCommand is not true)",
      ],
    ],
  ],
  [
    "AZL-AKS-009 not on a private cluster, which may need run command",
    "aks",
    (i) => void (i["apiServerAccessProfile"] = { enablePrivateCluster: true, disableRunCommand: false }),
    [],
  ],
  [
    "AZL-AKS-010 image cleaner off",
    "aks",
    (i) => void (i["securityProfile"] = { imageCleaner: { enabled: false } }),
    [["AZL-AKS-010", AKS, "securityProfile.imageCleaner is not enabled"]],
  ],
  [
    "AZL-STG-006 copy scope left to Azure's default",
    "st",
    (i) => void delete i["allowedCopyScope"],
    [["AZL-STG-006", ST, "allowedCopyScope is not set, so copies to and from any account are allowed"]],
  ],
  [
    "AZL-ACR-004 exports on a private Premium registry",
    "acr",
    (i) => {
      i["sku"] = { name: "Premium" };
      i["publicNetworkAccess"] = "Disabled";
      i["policies"] = { exportPolicy: { status: "enabled" } };
    },
    [["AZL-ACR-004", ACR, "Exports are enabled on a Premium registry without public network access"]],
  ],
  [
    "AZL-ACR-004 not on a public Premium registry, which cannot turn exports off",
    "acr",
    (i) => void (i["sku"] = { name: "Premium" }),
    [],
  ],
  [
    "AZL-VMSS-001 password auth",
    "vmss",
    (i) =>
      void (rec(at(i, "virtualMachineProfile", "osProfile", "linuxConfiguration"))[
        "disablePasswordAuthentication"
      ] = false),
    [
      [
        "AZL-VMSS-001",
        VMSS,
        "virtualMachineProfile.osProfile.linuxConfiguration.disablePasswordAuthentication is not true",
      ],
    ],
  ],
  [
    "AZL-VMSS-002 automatic OS upgrade off",
    "vmss",
    (i) => void (rec(at(i, "upgradePolicy", "automaticOSUpgradePolicy"))["enableAutomaticOSUpgrade"] = false),
    [
      [
        "AZL-VMSS-002",
        VMSS,
        "upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade is not true and guest patching is not AutomaticByPlatform",
      ],
    ],
  ],
  [
    "AZL-VMSS-003 rolling without health probe",
    "vmss",
    (i) => void delete rec(at(i, "virtualMachineProfile", "networkProfile"))["healthProbe"],
    [
      [
        "AZL-VMSS-003",
        VMSS,
        "upgradePolicy.mode is Rolling without a health probe or the Application Health extension",
      ],
    ],
  ],
  [
    "AZL-NET-001 + AZL-NET-003 Basic public IP behind a Standard LB",
    "pip",
    (i) => void (i["sku"] = { name: "Basic" }),
    [
      [
        "AZL-NET-001",
        U(`${N}PublicIPAddress`, "pip"),
        "Public IP uses the Basic SKU, retired on 30 September 2025",
      ],
      [
        "AZL-NET-003",
        U(`${N}LoadBalancer`, "lb"),
        'Load balancer "lb" is Standard but its frontend public IP "pip" is Basic',
      ],
    ],
  ],
  [
    "AZL-NET-002 + AZL-NET-003 Basic LB with a Standard public IP",
    "lb",
    (i) => void (i["sku"] = { name: "Basic" }),
    [
      [
        "AZL-NET-002",
        U(`${N}LoadBalancer`, "lb"),
        "Load balancer uses the Basic SKU, retired on 30 September 2025",
      ],
      [
        "AZL-NET-003",
        U(`${N}LoadBalancer`, "lb"),
        'Load balancer "lb" is Basic but its frontend public IP "pip" is Standard',
      ],
    ],
  ],
  [
    "AZL-TAG-001 missing owner",
    "rg",
    (i) => void delete rec(i["tags"])["owner"],
    [["AZL-TAG-001", U("azure-native:resources:ResourceGroup", "rg"), "Missing required tags: owner"]],
  ],
  [
    "AZL-TAG-001 no tags at all",
    "acr",
    (i) => void delete i["tags"],
    [["AZL-TAG-001", ACR, "Missing required tags: managed-by, environment, owner"]],
  ],
];

function at(value: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>((v, k) => rec(v)[k], value);
}

describe("one change, one finding", () => {
  it.each(cases)("%s", (_title, name, edit, expected) => {
    expect(brief(evaluateResources(changed(name, edit), PROD, OUTPUTS))).toEqual(expected);
  });

  it("every rule has at least one failing case here or below", () => {
    const covered = new Set(cases.flatMap(([, , , expected]) => expected.map(([id]) => id)));
    // AZL-VMSS-004 fails in tests/policy/autoscaleFloor.test.ts, AZL-CLS-002 in tests/roster/identity.test.ts.
    for (const id of ["AZL-STG-005", "AZL-AKS-007", "AZL-CLS-001", "AZL-VMSS-004", "AZL-CLS-002"])
      covered.add(id);
    covered.add("AZL-NSG-004"); // fails in tests/policy/nsgNeverMatches.test.ts
    covered.add("AZL-COST-001"); // fails in tests/cost/budgetRule.test.ts
    covered.add("AZL-VMSS-005"); // fails in tests/policy/trustedLaunchSize.test.ts
    covered.add("AZL-NET-004"); // fails in tests/policy/routeRules.test.ts
    expect(rules.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });
});

describe("rules that need context or the whole stack", () => {
  it("AZL-NSG-001 also checks standalone SecurityRule resources", () => {
    const rule = res(`${N}SecurityRule`, "rdp", {
      securityRuleName: "rdp",
      access: "Allow",
      direction: "Inbound",
      protocol: "Tcp",
      priority: 200,
      sourceAddressPrefix: "::/0",
      destinationPortRanges: ["3389"],
    });
    expect(brief(evaluateResources([...baseline(), rule], PROD, OUTPUTS))).toEqual([
      ["AZL-NSG-001", rule.urn, 'Security rule "rdp" allows inbound port 3389 (RDP) from "::/0"'],
    ]);
  });

  it("AZL-NSG-003 checks inline VNet subnets and exempts special subnets", () => {
    const vnet = changed("vnet", (i) => {
      i["subnets"] = [
        { name: "GatewaySubnet" },
        { name: "app", networkSecurityGroup: { id: "x" } },
        { name: "db" },
      ];
    });
    expect(brief(evaluateResources(vnet, PROD, OUTPUTS))).toEqual([
      ["AZL-NSG-003", U(`${N}VirtualNetwork`, "vnet"), 'Subnet "db" has no network security group'],
    ]);
  });

  it("AZL-STG-004 passes when the consumers are declared", () => {
    const stack = changed("st", (i) => {
      i["allowSharedKeyAccess"] = true;
      rec(i["tags"])["azlab-shared-key-consumers"] = "azurefile-csi";
    });
    expect(evaluateResources(stack, PROD, OUTPUTS)).toEqual([]);
  });

  it("AZL-STG-005 flags a storage account without BlobServiceProperties", () => {
    const stack = baseline().filter((r) => r.name !== "st-blob");
    expect(brief(evaluateResources(stack, PROD, OUTPUTS))).toEqual([
      [
        "AZL-STG-005",
        ST,
        'Storage account "azlabst1" has no BlobServiceProperties, so blob soft delete is off',
      ],
    ]);
  });

  it("AZL-STG-005 links blob services by dependency when the account name is not known yet", () => {
    const stack = baseline().map((r) =>
      r.name === "st-blob"
        ? { ...r, inputs: { ...r.inputs, accountName: undefined }, dependencies: [ST] }
        : r,
    );
    expect(evaluateResources(stack, PROD, OUTPUTS)).toEqual([]);
  });

  it("AZL-ACR-003 passes on Premium", () => {
    const stack = changed("acr", (i) => {
      i["sku"] = { name: "Premium" };
      i["policies"] = { retentionPolicy: { status: "enabled", days: 7 } };
    });
    expect(evaluateResources(stack, PROD, OUTPUTS)).toEqual([]);
  });

  it("AZL-AKS-004 allows a public API server in class and dev stacks, and private clusters in prod", () => {
    const open = changed("aks", (i) => void (i["apiServerAccessProfile"] = { disableRunCommand: true }));
    expect(evaluateResources(open, { ...PROD, environment: "dev" }, OUTPUTS)).toEqual([]);
    expect(evaluateResources(open, { ...CLASS, requiredTags: PROD.requiredTags }, OUTPUTS)).toEqual([]);
    const privateCluster = changed(
      "aks",
      (i) => void (i["apiServerAccessProfile"] = { enablePrivateCluster: true }),
    );
    expect(evaluateResources(privateCluster, PROD, OUTPUTS)).toEqual([]);
  });

  it("AZL-AKS-006 accepts the bounds 10 and 250", () => {
    expect(
      evaluateResources(
        changed("aks-user", (i) => void (i["maxPods"] = 10)),
        PROD,
        OUTPUTS,
      ),
    ).toEqual([]);
    expect(
      evaluateResources(
        changed("aks-user", (i) => void (i["maxPods"] = 250)),
        PROD,
        OUTPUTS,
      ),
    ).toEqual([]);
  });

  it("AZL-AKS-007 flags a plain-text kubeconfig output, and only when outputs are known", () => {
    const outputs = {
      ...OUTPUTS,
      adminKubeConfig: "apiVersion: v1",
      students: { hub: { kubeconfig: "apiVersion: v1" }, alice: { kubeconfig: "[secret]" } },
    };
    expect(brief(evaluateResources(baseline(), PROD, outputs))).toEqual([
      ["AZL-AKS-007", "stack", 'Stack output "adminKubeConfig" holds a kubeconfig in plain text'],
      ["AZL-AKS-007", "stack", 'Stack output "students.hub.kubeconfig" holds a kubeconfig in plain text'],
    ]);
    expect(evaluateResources(baseline(), PROD)).toEqual([]);
  });

  it("AZL-VMSS-003 accepts the Application Health extension instead of a probe", () => {
    const stack = changed("vmss", (i) => {
      const profile = rec(i["virtualMachineProfile"]);
      delete rec(profile["networkProfile"])["healthProbe"];
      profile["extensionProfile"] = {
        extensions: [
          { name: "health", publisher: "Microsoft.ManagedServices", type: "ApplicationHealthLinux" },
        ],
      };
    });
    expect(evaluateResources(stack, PROD, OUTPUTS)).toEqual([]);
  });

  it("AZL-VMSS-003 cannot read a profile that is secret as a whole, and does not guess", () => {
    const stack = changed("vmss", (i) => {
      i["virtualMachineProfile"] = "[secret]";
    });
    expect(evaluateResources(stack, PROD, OUTPUTS)).toEqual([]);
  });

  it("AZL-NET-001 flags a Basic public IP that is not behind a load balancer", () => {
    const lone = res(`${N}PublicIPAddress`, "lone", { sku: { name: "Basic" }, tags: TAGS });
    expect(brief(evaluateResources([...baseline(), lone], PROD, OUTPUTS))).toEqual([
      ["AZL-NET-001", lone.urn, "Public IP uses the Basic SKU, retired on 30 September 2025"],
    ]);
  });

  it("AZL-NET-003 links frontends by dependency when the public IP's id is unknown", () => {
    const stack = baseline().map((r) => {
      if (r.name === "pip") return { ...r, inputs: { ...r.inputs, sku: { name: "Basic" } } };
      if (r.name === "lb")
        return { ...r, inputs: { ...r.inputs, frontendIPConfigurations: [{ publicIPAddress: {} }] } };
      return r;
    });
    expect(brief(evaluateResources(stack, PROD, OUTPUTS)).map(([id]) => id)).toEqual([
      "AZL-NET-001",
      "AZL-NET-003",
    ]);
  });

  it("AZL-NET-003 links frontends by dependency when the id is an offline mock id", () => {
    const stack = baseline().map((r) => {
      if (r.name === "pip") return { ...r, inputs: { ...r.inputs, sku: { name: "Basic" } } };
      if (r.name === "lb") {
        return {
          ...r,
          inputs: { ...r.inputs, frontendIPConfigurations: [{ publicIPAddress: { id: "pip-id" } }] },
        };
      }
      return r;
    });
    expect(brief(evaluateResources(stack, PROD, OUTPUTS)).map(([id]) => id)).toEqual([
      "AZL-NET-001",
      "AZL-NET-003",
    ]);
  });

  it("AZL-CLS-001: a class is valid through the last second of expires-on in its zone", () => {
    // 2026-12-18 ends at 2026-12-19T00:00 Amsterdam time = 2026-12-18T23:00Z.
    const last = { ...CLASS, asOf: new Date("2026-12-18T22:59:59Z") };
    const after = { ...CLASS, asOf: new Date("2026-12-18T23:00:00Z") };
    expect(evaluateResources(baseline(CLASS_TAGS), last, OUTPUTS)).toEqual([]);
    expect(evaluateResources(baseline(CLASS_TAGS), after, OUTPUTS)).toEqual([
      {
        id: "AZL-CLS-001",
        severity: "error",
        enforcement: "mandatory",
        resource: "stack",
        message: 'Class stack "class-net101" expired at the end of 2026-12-18 (Europe/Amsterdam)',
        fix: "Tear it down (azlab teardown --stack class-net101 --confirm class-net101) or move azlab:class.expiresOn",
      },
    ]);
  });

  it("AZL-CLS-001: a class stack without expires-on", () => {
    const { expiresOn: _dropped, ...noDate } = CLASS;
    expect(brief(evaluateResources(baseline(CLASS_TAGS), noDate, OUTPUTS))).toEqual([
      ["AZL-CLS-001", "stack", 'Class stack "class-net101" has no expires-on date'],
    ]);
  });

  it("AZL-TAG-001 requires course and expires-on in class stacks", () => {
    expect(
      brief(evaluateResources(baseline(TAGS), CLASS, OUTPUTS)).filter(([, urn]) => urn.endsWith("::rg")),
    ).toEqual([
      [
        "AZL-TAG-001",
        U("azure-native:resources:ResourceGroup", "rg"),
        "Missing required tags: course, expires-on",
      ],
    ]);
  });
});

describe("overrides and ordering", () => {
  const broken = changed("st", (i) => {
    i["enableHttpsTrafficOnly"] = false;
    i["allowSharedKeyAccess"] = true;
  });

  it("sorts errors first, then by rule id", () => {
    expect(brief(evaluateResources(broken, PROD, OUTPUTS)).map(([id]) => id)).toEqual([
      "AZL-STG-001",
      "AZL-STG-004",
    ]);
  });

  it("an advisory override keeps the finding, marks it advisory and records the reason", () => {
    const context = {
      ...PROD,
      overrides: {
        "AZL-STG-001": { enforcement: "advisory" as const, reason: "legacy client needs HTTP until June" },
      },
    };
    expect(evaluateResources(broken, context, OUTPUTS)[0]).toEqual({
      id: "AZL-STG-001",
      severity: "error",
      enforcement: "advisory",
      resource: ST,
      message:
        "enableHttpsTrafficOnly is false [advisory in this stack: legacy client needs HTTP until June]",
      fix: "Set enableHttpsTrafficOnly: true",
    });
  });

  it("a disabled override drops the rule's findings", () => {
    const context = {
      ...PROD,
      overrides: {
        "AZL-STG-004": { enforcement: "disabled" as const, reason: "Azure Files via CSI driver keys" },
      },
    };
    expect(brief(evaluateResources(broken, context, OUTPUTS)).map(([id]) => id)).toEqual(["AZL-STG-001"]);
  });

  it("ignores components: only custom resources are checked", () => {
    const component = { ...res("azlab:class:Student", "s1", {}), custom: false };
    expect(evaluateResources([component], PROD, OUTPUTS)).toEqual([]);
  });
});

describe("policyContextFromConfig", () => {
  it("builds the context of a class stack", () => {
    const asOf = new Date("2026-11-26T00:00:00Z");
    const context = policyContextFromConfig(
      {
        stack: "class-net101",
        config: {
          environment: "class",
          class: { expiresOn: "2026-12-18", timeZone: "Europe/Amsterdam" },
          policy: {
            overrides: { "AZL-AKS-005": { enforcement: "advisory", reason: "fixed-size lab pools" } },
          },
          nsg: { waivers: { "allow-ssh": { reason: "bastion demo in week 3" } } },
        },
      },
      asOf,
    );
    expect(context).toEqual({
      environment: "class",
      stack: "class-net101",
      asOf,
      requiredTags: ["managed-by", "environment", "owner", "course", "expires-on"],
      expiresOn: "2026-12-18",
      timeZone: "Europe/Amsterdam",
      overrides: { "AZL-AKS-005": { enforcement: "advisory", reason: "fixed-size lab pools" } },
      // One waiver, read by the NSG validation and AZL-NSG-001/002 alike.
      nsgWaivers: { "allow-ssh": { reason: "bastion demo in week 3" } },
      // No roster given, so no student lacks an identity (AZL-CLS-002).
      studentsWithoutIdentity: [],
    });
  });
});

describe("NSG waivers", () => {
  const openSsh: Edit = (inputs) => {
    nsgRule(inputs, 0)["sourceAddressPrefix"] = "*";
  };

  it("let a rule waived with a reason in azlab:nsg.waivers through AZL-NSG-001, and only that rule", () => {
    const resources = changed("nsg", openSsh);
    const waived = { ...PROD, nsgWaivers: { "ssh-campus": { reason: "bastion demo in week 3" } } };
    expect(brief(evaluateResources(resources, waived, OUTPUTS))).toEqual([]);
    const other = { ...PROD, nsgWaivers: { "rdp-campus": { reason: "another rule" } } };
    expect(brief(evaluateResources(resources, other, OUTPUTS))).toEqual([
      ["AZL-NSG-001", NSG, 'Security rule "ssh-campus" allows inbound port 22 (SSH) from "*"'],
    ]);
  });

  it("do not count without a reason", () => {
    const blank = { ...PROD, nsgWaivers: { "ssh-campus": { reason: " " } } };
    expect(brief(evaluateResources(changed("nsg", openSsh), blank, OUTPUTS))).toEqual([
      ["AZL-NSG-001", NSG, 'Security rule "ssh-campus" allows inbound port 22 (SSH) from "*"'],
    ]);
  });
});
