/**
 * An AKS cluster: system pool inline, user pools as separate AgentPool resources keyed by pool name,
 * overlay networking checked against the address plan, workload identity, auto-upgrade, and a secret
 * kubeconfig.
 *
 * Why user pools are separate resources: AKS refuses to add pools through a cluster PUT, and changing an
 * inline pool puts every pool of the cluster into "Scaling" (pulumi-azure-native #4264). The system pool
 * must be inline because a cluster cannot be created without one.
 *
 * Why a user-assigned control-plane identity: on a bring-your-own subnet the cluster identity needs Network
 * Contributor on that subnet before the cluster exists. Only the Azure CLI grants it to a system-assigned
 * identity, and that identity does not exist until the cluster does ("Use a managed identity in AKS",
 * azure-aks-docs use-managed-identity.md; configure-kubenet.md; nat-gateway.md, userAssignedNATGateway).
 */
import * as pulumi from "@pulumi/pulumi";
import * as containerservice from "@pulumi/azure-native/containerservice/index.js";
import * as managedidentity from "@pulumi/azure-native/managedidentity/index.js";
import * as authorization from "@pulumi/azure-native/authorization/index.js";
import {
  normalizeKubernetesCluster,
  type KubernetesClusterOptions,
  type NormalizedNodePool,
} from "../../src/validation/aks/index.ts";
import { acrPullAssignment, acrPullRoleDefinitionId } from "../shared/acrPull.ts";
import { builtInRoleAssignment } from "../shared/roleAssignment.ts";
import { BuiltInRole, roleDefinitionId } from "../../src/azure/catalog.ts";
import {
  normalizeKubelogin,
  toNonInteractiveKubeconfig,
  type KubeloginOptions,
} from "../../src/access/kubeconfig.ts";
import { statefulResourceOptions, type StatefulOptions } from "../shared/stateful.ts";
import { valueOrThrow } from "../shared/validated.ts";
import { normalizeClusterAddons } from "../../src/validation/aks/addons.ts";
import {
  apiServerAccessProfileProps,
  authorizedIpRanges,
  clusterSkuProps,
  nodePoolProps,
} from "../../src/validation/aks/clusterProps.ts";
import { logicalName } from "../../src/naming/azureNames.ts";

export interface KubernetesClusterArgs
  extends KubernetesClusterOptions<pulumi.Input<string>>, KubeloginOptions {
  /**
   * With Entra ID (Azure RBAC for Kubernetes on), grant whoever runs `pulumi up` (getClientConfig's object id)
   * "Azure Kubernetes Service RBAC Cluster Admin" on this cluster, for Kubernetes objects declared in the
   * same program; pass `deployerRoleAssignment` on to them. Defaults to false: no grant.
   */
  readonly grantDeployerClusterAdmin?: boolean;
  /** Resource group of the cluster. Required. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region. Defaults to the resource group's region. */
  readonly location?: pulumi.Input<string>;
  /** Tags on the cluster and its pools. Defaults to none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Kubernetes version, "1.33" or "1.33.2". Defaults to AKS's default version. */
  readonly kubernetesVersion?: pulumi.Input<string>;
  /** Resource id of the node subnet (from the VirtualNetwork component). Required; its CIDR goes in `nodeSubnetCidr`. */
  readonly nodeSubnetId: pulumi.Input<string>;
  /**
   * A container registry to attach: the kubelet identity gets AcrPull on it. Defaults to none. Alternatively
   * pass `kubeletObjectId` to the Registry's `pullers`; do not do both for the same registry.
   */
  readonly acrId?: pulumi.Input<string>;
  /** `protect` / `retainOnDelete` for the managed cluster itself. Defaults to inheriting from `opts`. */
  readonly statefulOptions?: StatefulOptions;
  /**
   * The VirtualNetwork's `networkReady`: the cluster waits for every subnet of its VNet, not only its own,
   * because a subnet write still in progress makes the cluster's subnet operations fail. Defaults to none.
   */
  readonly networkReady?: pulumi.Resource;
}

export class KubernetesCluster extends pulumi.ComponentResource {
  /** The cluster's Azure name. */
  readonly clusterName: pulumi.Output<string>;
  /** The cluster's Azure resource id. */
  readonly clusterId: pulumi.Output<string>;
  /**
   * The user kubeconfig (YAML), secret. With `entraEnabled` it is in exec format: it runs kubelogin
   * in the non-interactive `kubeloginMode`, and whoever uses it needs an admin group membership or an AKS RBAC role.
   */
  readonly kubeconfig: pulumi.Output<string>;
  /** Object id of the kubelet identity: grant it AcrPull on registries the nodes pull from. */
  readonly kubeletObjectId: pulumi.Output<string>;
  /** OIDC issuer URL for workload identity federation. */
  readonly oidcIssuerUrl: pulumi.Output<string>;
  /** Object id of the user-assigned control-plane identity. */
  readonly identityPrincipalId: pulumi.Output<string>;
  /**
   * The deployer's cluster-admin grant (with `grantDeployerClusterAdmin` on an Entra cluster), else undefined.
   * Kubernetes objects must wait for it: without it Azure RBAC refuses every request of the deployer.
   */
  readonly deployerRoleAssignment?: pulumi.Resource;

  constructor(name: string, args: KubernetesClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super() so that invalid input registers nothing, not even the component.
    const normalized = normalizeKubernetesCluster(args, name);
    const login = normalizeKubelogin(args);
    const addons = normalizeClusterAddons(args);
    const extra = [...login.problems, ...addons.problems];
    const c = valueOrThrow(
      extra.length > 0 ? { problems: [...normalized.problems, ...extra] } : normalized,
      `KubernetesCluster "${name}" has invalid arguments:`,
    );
    super("azlab:containers:KubernetesCluster", name, {}, opts);

    // Decided by the caller (azlab's program: src/access/studentAccess.ts entraSignInEnabled), never inferred
    // from the admin groups: a managed Entra cluster with Azure RBAC needs none (manage-azure-rbac.md). The
    // aadProfile, the exec kubeconfig and the deployer grant below all follow this one flag.
    const entra = c.entraEnabled;

    const identity = new managedidentity.UserAssignedIdentity(
      logicalName(name, "identity"),
      {
        resourceName: c.identityName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
      },
      { parent: this },
    );
    // Least privilege: Network Contributor on the node subnet only, not the VNet or the group. With
    // userAssignedNATGateway also on the NAT gateway, which AKS reads and whose join action the subnet's
    // link to it needs; its public IP is never touched by AKS.
    const grants = [
      builtInRoleAssignment(logicalName(name, "subnet-network"), this, {
        role: BuiltInRole.NetworkContributor,
        scope: args.nodeSubnetId,
        principalId: identity.principalId,
        description: "AKS control plane on its node subnet, granted by azlab",
      }),
      ...(args.natGateway !== undefined
        ? [
            builtInRoleAssignment(logicalName(name, "natgw-network"), this, {
              role: BuiltInRole.NetworkContributor,
              scope: args.natGateway.id,
              principalId: identity.principalId,
              description: "AKS control plane on its egress NAT gateway, granted by azlab",
            }),
          ]
        : []),
    ];

    // The user's ranges plus the NAT gateway's egress address (authorizedIpRanges says why).
    const userRanges = [...c.apiServerAuthorizedIpRanges];
    const natGateway = args.natGateway;
    const authorizedIPRanges: pulumi.Input<string[]> | undefined =
      userRanges.length === 0 || natGateway === undefined
        ? authorizedIpRanges(userRanges, undefined)
        : pulumi.output(natGateway.publicIpAddress).apply((address) => {
            if (!address) throw new Error(`AKS cluster "${name}": the NAT gateway has no public IP address`);
            return authorizedIpRanges(userRanges, address) ?? [];
          });
    const cilium = c.networkPolicy === "cilium";

    const poolProfile = (pool: NormalizedNodePool) => nodePoolProps(pool, args.nodeSubnetId, args.tags);

    const cluster = new containerservice.ManagedCluster(
      name,
      {
        resourceName: c.clusterName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        kubernetesVersion: args.kubernetesVersion,
        dnsPrefix: c.dnsPrefix,
        sku: clusterSkuProps(c),
        nodeResourceGroup: c.nodeResourceGroupName,
        identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
        agentPoolProfiles: [{ name: c.systemPoolName, mode: "System", ...poolProfile(c.systemPool) }],
        networkProfile: {
          networkPlugin: "azure",
          ...(c.networkPlugin === "azure-cni-overlay"
            ? { networkPluginMode: "overlay", podCidr: c.podCidr }
            : {}),
          networkPolicy: c.networkPolicy,
          // Cilium policies need the Cilium dataplane; every other engine runs on Azure's.
          networkDataplane: cilium ? "cilium" : "azure",
          serviceCidr: c.serviceCidr,
          dnsServiceIP: c.dnsServiceIp,
          loadBalancerSku: "standard",
          outboundType: c.outboundType,
        },
        autoScalerProfile: { ...c.autoscalerProfile },
        enableRBAC: true,
        aadProfile: entra
          ? { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: [...c.entraAdminGroupObjectIds] }
          : undefined,
        // Local accounts bypass Entra ID; they can only be switched off when Entra ID is on.
        disableLocalAccounts: entra,
        oidcIssuerProfile: { enabled: true },
        securityProfile: {
          workloadIdentity: { enabled: true },
          // Stale images on nodes keep old vulnerabilities around and fill the disk (image-cleaner.md).
          imageCleaner: c.imageCleanerEnabled
            ? { enabled: true, intervalHours: c.imageCleanerIntervalHours }
            : { enabled: false },
        },
        // Sent even when off, so that a switch turned on outside azlab is turned off again.
        workloadAutoScalerProfile: {
          verticalPodAutoscaler: { enabled: addons.value?.verticalPodAutoscalerEnabled ?? false },
        },
        ingressProfile: { webAppRouting: { enabled: addons.value?.appRoutingEnabled ?? false } },
        apiServerAccessProfile: apiServerAccessProfileProps(c, authorizedIPRanges),
        autoUpgradeProfile: {
          upgradeChannel: c.upgradeChannel,
          nodeOSUpgradeChannel: c.nodeOsUpgradeChannel,
        },
      },
      {
        parent: this,
        // The grants must exist before AKS validates its subnet, and every subnet write of the VNet must be done.
        dependsOn: [...grants, ...(args.networkReady ? [args.networkReady] : [])],
        // The autoscaler owns the count of an autoscaled pool (field notes: node count drift).
        ...(c.systemPool.autoScalingEnabled ? { ignoreChanges: ["agentPoolProfiles[0].count"] } : {}),
        ...statefulResourceOptions(args.statefulOptions),
      },
    );

    // One after another: AKS rejects a pool operation while another pool of the cluster is changing.
    let previous: pulumi.Resource = cluster;
    for (const [key, pool] of Object.entries(c.userPools)) {
      previous = new containerservice.AgentPool(
        logicalName(name, key),
        {
          agentPoolName: key,
          resourceName: cluster.name,
          resourceGroupName: args.resourceGroupName,
          mode: "User",
          ...poolProfile(pool),
        },
        {
          parent: this,
          dependsOn: [previous],
          ...(pool.autoScalingEnabled ? { ignoreChanges: ["count"] } : {}),
        },
      );
    }

    this.kubeletObjectId = cluster.identityProfile.apply((profile) => {
      const objectId = profile?.["kubeletidentity"]?.objectId;
      if (!objectId) throw new Error(`AKS cluster "${name}" reported no kubelet identity object id`);
      return objectId;
    });

    if (args.acrId !== undefined) {
      acrPullAssignment(
        logicalName(name, "acrpull"),
        this,
        acrPullRoleDefinitionId(this),
        args.acrId,
        this.kubeletObjectId,
      );
    }

    const credentials = containerservice.listManagedClusterUserCredentialsOutput(
      {
        resourceGroupName: args.resourceGroupName,
        resourceName: cluster.name,
        // Entra clusters default to the "azure" auth-provider format, which client-go no longer supports;
        // "exec" runs kubelogin instead.
        ...(entra ? { format: "exec" } : {}),
      },
      { parent: this },
    );
    // The exec kubeconfig runs kubelogin in interactive device-code mode (Azure/kubelogin #193): rewrite it
    // to the chosen non-interactive mode, so that neither the providers nor a CI job wait for a browser.
    const loginMode = login.value!;
    this.kubeconfig = pulumi.secret(
      credentials.kubeconfigs.apply((configs) => {
        const value = configs[0]?.value;
        if (!value) throw new Error(`AKS cluster "${name}" returned no user kubeconfig`);
        const text = Buffer.from(value, "base64").toString("utf8");
        return entra ? toNonInteractiveKubeconfig(text, loginMode) : text;
      }),
    );
    // With Azure RBAC for Kubernetes, only a role assignment lets the deployer in; admin groups help only their
    // members ("Use Azure RBAC for Kubernetes authorization", manage-azure-rbac.md). Scope: this cluster only.
    if (entra && args.grantDeployerClusterAdmin) {
      const client = authorization.getClientConfigOutput({ parent: this });
      this.deployerRoleAssignment = builtInRoleAssignment(logicalName(name, "deployer-admin"), this, {
        role: BuiltInRole.AksRbacClusterAdmin,
        scope: cluster.id,
        principalId: client.objectId,
        roleDefinitionId: client.subscriptionId.apply((id) =>
          roleDefinitionId(id, BuiltInRole.AksRbacClusterAdmin),
        ),
        description: "azlab: the principal that runs pulumi up manages this cluster's Kubernetes objects",
        // A person at a laptop (azurecli) or a service principal in CI; ARM refuses a wrong type.
        principalType: loginMode.principalType,
      });
    }
    this.clusterName = cluster.name;
    this.clusterId = cluster.id;
    this.oidcIssuerUrl = cluster.oidcIssuerProfile.apply((profile) => profile?.issuerURL ?? "");
    this.identityPrincipalId = identity.principalId;
    this.registerOutputs({
      clusterName: this.clusterName,
      clusterId: this.clusterId,
      kubeconfig: this.kubeconfig,
      kubeletObjectId: this.kubeletObjectId,
      oidcIssuerUrl: this.oidcIssuerUrl,
      identityPrincipalId: this.identityPrincipalId,
    });
  }
}
