/**
 * AKS guardrails.
 * Pure: no Pulumi runtime imports.
 */
import { ResourceType } from "../azure/catalog.ts";
import {
  rec,
  list,
  at,
  eqi,
  resourceRule,
  stackRule,
  unsafeFlagRule,
  partsOf,
  type Part,
} from "./ruleKit.ts";
import type { PolicyResource } from "./types.ts";

// ---- AKS ----------------------------------------------------------------------------------------

export const aksRbac = unsafeFlagRule({
  id: "AZL-AKS-001",
  title: "AKS uses Kubernetes RBAC",
  severity: "error",
  equivalents: ["CKV_AZURE_5", "AVD-AZU-0042", "Azure.AKS.UseRBAC"],
  resourceTypes: [ResourceType.ManagedCluster],
  property: "enableRBAC",
  unsafe: false,
  fix: "Set enableRBAC: true (this replaces the cluster)",
});

export const aksNetworkPolicy = resourceRule({
  id: "AZL-AKS-002",
  title: "AKS enforces network policies",
  severity: "warning",
  equivalents: ["CKV_AZURE_7", "AVD-AZU-0043", "Azure.AKS.NetworkPolicy"],
  resourceTypes: [ResourceType.ManagedCluster],
  check(resource) {
    const policy = at(resource.props, "networkProfile", "networkPolicy");
    if (typeof policy === "string" && !eqi(policy, "none")) return [];
    return [
      {
        message:
          policy === undefined
            ? "networkProfile.networkPolicy is not set"
            : `networkProfile.networkPolicy is "${policy}"`,
        fix: 'Set networkProfile.networkPolicy to "cilium" (with Azure CNI powered by Cilium), "azure" or "calico"',
      },
    ];
  },
});

export const aksLocalAccounts = resourceRule({
  id: "AZL-AKS-003",
  title: "AKS with Entra ID disables local accounts",
  severity: "warning",
  equivalents: ["CKV_AZURE_141", "Azure.AKS.LocalAccounts"],
  resourceTypes: [ResourceType.ManagedCluster],
  check(resource) {
    if (!rec(resource.props["aadProfile"]) || resource.props["disableLocalAccounts"] === true) return [];
    return [
      {
        message: "aadProfile is set but local accounts are still enabled",
        fix: "Set disableLocalAccounts: true so that every sign-in goes through Entra ID",
      },
    ];
  },
});

export const aksAuthorizedIps = resourceRule({
  id: "AZL-AKS-004",
  title: "Prod AKS API server is private or limited to authorized IP ranges",
  severity: "error",
  equivalents: ["CKV_AZURE_6", "AVD-AZU-0041", "Azure.AKS.AuthorizedIPs"],
  resourceTypes: [ResourceType.ManagedCluster],
  check(resource, context) {
    // Class and dev clusters are reached from students' changing addresses.
    if (context.environment !== "prod") return [];
    const profile = rec(resource.props["apiServerAccessProfile"]);
    if (profile?.["enablePrivateCluster"] === true || list(profile?.["authorizedIPRanges"]).length > 0)
      return [];
    return [
      {
        message:
          "The API server is public and apiServerAccessProfile.authorizedIPRanges is empty in a prod stack",
        fix: "Set apiServerAccessProfile.authorizedIPRanges to the admins' ranges, or enablePrivateCluster: true",
      },
    ];
  },
});

// Azure Network Policy Manager on Linux retires on 2028-09-30 (Azure Updates 500268); Cilium replaces it.
export const aksNpmRetiring = resourceRule({
  id: "AZL-AKS-008",
  title: "AKS network policies do not use the retiring Azure NPM",
  severity: "warning",
  equivalents: [],
  resourceTypes: [ResourceType.ManagedCluster],
  check(resource) {
    if (!eqi(at(resource.props, "networkProfile", "networkPolicy"), "azure")) return [];
    return [
      {
        message:
          'networkProfile.networkPolicy is "azure": Azure Network Policy Manager on Linux retires on 2028-09-30',
        fix: 'Use networkPolicy "cilium" with networkDataplane "cilium" on Azure CNI overlay, or "calico"',
      },
    ];
  },
});

// Run command runs kubectl as cluster admin through ARM, past the API server's network rules; Azure leaves it on
// unless disableRunCommand is true. A private cluster may need it ("Access a private AKS cluster remotely").
export const aksRunCommand = resourceRule({
  id: "AZL-AKS-009",
  title: "AKS run command is off on a public cluster",
  severity: "warning",
  equivalents: [],
  resourceTypes: [ResourceType.ManagedCluster],
  check(resource) {
    const profile = rec(resource.props["apiServerAccessProfile"]);
    if (profile?.["enablePrivateCluster"] === true || profile?.["disableRunCommand"] === true) return [];
    return [
      {
        message:
          "Run command is enabled on a public cluster (apiServerAccessProfile.disableRunCommand is not true)",
        fix: "Set apiServerAccessProfile.disableRunCommand: true (azlab:aks.runCommandEnabled: false)",
      },
    ];
  },
});

// Image Cleaner is off unless asked for; stale images keep their vulnerabilities on the nodes (image-cleaner.md).
export const aksImageCleaner = resourceRule({
  id: "AZL-AKS-010",
  title: "AKS Image Cleaner removes stale images",
  severity: "info",
  equivalents: [],
  resourceTypes: [ResourceType.ManagedCluster],
  check(resource) {
    if (at(resource.props, "securityProfile", "imageCleaner", "enabled") === true) return [];
    return [
      {
        message: "securityProfile.imageCleaner is not enabled",
        fix: "Set securityProfile.imageCleaner: { enabled: true, intervalHours: 168 } (azlab:aks.imageCleanerEnabled)",
      },
    ];
  },
});

function poolsOf(resource: PolicyResource): Part[] {
  return partsOf(resource, ResourceType.AgentPool, "agentPoolName", "agentPoolProfiles");
}

export const aksAutoscaling = resourceRule({
  id: "AZL-AKS-005",
  title: "AKS node pools autoscale",
  severity: "warning",
  equivalents: ["Azure.AKS.AutoScaling"],
  resourceTypes: [ResourceType.ManagedCluster, ResourceType.AgentPool],
  check(resource) {
    return poolsOf(resource).flatMap(({ label, props }) =>
      props["enableAutoScaling"] === true
        ? []
        : [
            {
              message: `Node pool "${label}" does not autoscale`,
              fix: "Set enableAutoScaling: true with minCount and maxCount, and ignore changes to count",
            },
          ],
    );
  },
});

export const aksMaxPods = resourceRule({
  id: "AZL-AKS-006",
  title: "AKS maxPods is within 10-250",
  severity: "error",
  equivalents: [],
  resourceTypes: [ResourceType.ManagedCluster, ResourceType.AgentPool],
  check(resource) {
    return poolsOf(resource).flatMap(({ label, props }) => {
      const maxPods = props["maxPods"];
      if (typeof maxPods !== "number" || (maxPods >= 10 && maxPods <= 250)) return [];
      return [
        {
          message: `Node pool "${label}" has maxPods ${maxPods}; Azure accepts 10 to 250`,
          fix: "Set maxPods between 10 and 250 (defaults: overlay 250, Azure CNI 30, kubenet 110)",
        },
      ];
    });
  },
});

const KUBECONFIG_OUTPUT = /kube_?config/i;

/** Output paths (dotted) whose last key names a kubeconfig and whose value is not secret. */
function plainKubeconfigs(value: unknown, path: string[] = []): string[] {
  if (value === "[secret]" || value === undefined || value === null) return [];
  const key = path.at(-1);
  if (key !== undefined && KUBECONFIG_OUTPUT.test(key)) return [path.join(".")];
  if (Array.isArray(value)) return value.flatMap((v, i) => plainKubeconfigs(v, [...path, String(i)]));
  const record = rec(value);
  return record ? Object.entries(record).flatMap(([k, v]) => plainKubeconfigs(v, [...path, k])) : [];
}

export const aksKubeconfigSecret = stackRule({
  id: "AZL-AKS-007",
  title: "Kubeconfig stack outputs are secret",
  severity: "error",
  equivalents: [],
  resourceTypes: [],
  // The policy pack receives secrets already decrypted, so it cannot tell; azlab plan can.
  inPolicyPack: false,
  check(stack) {
    if (!stack.outputs) return [];
    return plainKubeconfigs(stack.outputs).map((path) => ({
      resource: "stack",
      message: `Stack output "${path}" holds a kubeconfig in plain text`,
      fix: "Wrap it: pulumi.secret(...) (or export it from an Output that is already secret)",
    }));
  },
});
