/**
 * Composes a planned stack into components: shared services (a resource group and the registry),
 * then one LabEnvironment per planned environment. Returns the stack outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources/index.js";
import { LabEnvironment } from "./labEnvironment.ts";
import { Registry } from "../../components/containers/registry.ts";
import { HUB_KEY, type StackPlan } from "../stack/planStack.ts";
import { REGISTRY_NAME, registryOptions } from "./componentArgs.ts";
import { BUDGET_NAME, billedResourceGroups, budgetOptions, sharedResourceGroupName } from "./budgetArgs.ts";
import { Budget } from "../../components/cost/budget.ts";
import { azureName, logicalName } from "../naming/azureNames.ts";
import { resolveStudentIdentities } from "./identity.ts";
import { grantStudentAccess } from "./studentAccess.ts";
import { HubAndSpoke } from "../../components/network/hubAndSpoke.ts";
import { hubAndSpokeArgs, PEERING_NAME } from "./hubArgs.ts";

export interface ComposeOptions {
  /** The deploying (or planning) instant; the budget's monthly period starts in its month. Defaults to now. */
  readonly asOf?: Date;
  /**
   * Offline only: the students whose environments are registered; the others are left out, for the large-class
   * fast path to derive (src/program/derive.ts). Everything shared is still built from the whole plan.
   * Defaults to every student, as `pulumi up` always does.
   */
  readonly registeredStudents?: ReadonlySet<string>;
}

export function composeStack(plan: StackPlan, options: ComposeOptions = {}): Record<string, unknown> {
  const config = plan.config;
  const isClass = config.environment === "class";
  const sshPublicKey = config.adminSshPublicKey
    ? config.secretKeys.includes("adminSshPublicKey")
      ? pulumi.secret(config.adminSshPublicKey)
      : config.adminSshPublicKey
    : undefined;
  const sharedNamespaces = plan.environments[HUB_KEY]?.namespaceStudents ?? [];
  // Object ids from the roster, or looked up in Entra by UPN or email at deploy time (identity.ts).
  const identities = resolveStudentIdentities(config.class?.students ?? {});

  // Students known only by email are bound in their namespace by the UPN Graph returns (componentArgs.ts).
  const lookedUpUpns = Object.fromEntries(
    Object.entries(config.class?.students ?? {}).flatMap(([key, student]) => {
      const upn = identities[key]?.userPrincipalName;
      return !student.upn && !student.entraObjectId && upn ? [[key, upn]] : [];
    }),
  );
  const registered = (key: string) => options.registeredStudents?.has(key) ?? true;
  const environments: Record<string, LabEnvironment> = {};
  for (const [key, env] of Object.entries(plan.environments)) {
    if (env.student !== undefined && !registered(env.student)) continue;
    environments[key] = new LabEnvironment(key, {
      plan,
      environment:
        key === HUB_KEY ? { ...env, namespaceStudents: env.namespaceStudents.filter(registered) } : env,
      ...(sshPublicKey ? { sshPublicKey } : {}),
      ...(key === HUB_KEY && config.class?.studentAccess.cluster ? { lookedUpUpns } : {}),
    });
  }

  // Hub and spoke: every student's VNet peered with the hub's, both ways (docs/hub-and-spoke.md).
  if (environments[HUB_KEY] && Object.values(plan.environments).some((e) => e.spoke)) {
    new HubAndSpoke(PEERING_NAME, hubAndSpokeArgs(plan, environments));
  }

  // One registry per stack; every cluster's kubelet and every scale set may pull from it.
  let registry: Registry | undefined;
  if (config.registry) {
    const shared = new resources.ResourceGroup(logicalName("shared", "rg"), {
      resourceGroupName: azureName("resourceGroup", [config.namePrefix, plan.stack, "shared"]),
      location: config.location,
    });
    const pullers = Object.fromEntries(
      Object.values(environments).flatMap((e) => Object.entries(e.registryPullers)),
    );
    registry = new Registry(REGISTRY_NAME, {
      ...registryOptions(plan),
      resourceGroupName: shared.name,
      location: config.location,
      pullers,
      statefulOptions: plan.protectStateful ? { protect: true, retainOnDelete: true } : {},
    });
  }

  // The stack's monthly Consumption budget over every resource group it bills in (docs/costs.md).
  const budget = budgetOptions(plan, options.asOf ?? new Date());
  if (budget) {
    const { perStudent, ...classBudget } = budget;
    const groups = Object.values(plan.environments).flatMap((env) => billedResourceGroups(plan, env));
    new Budget(BUDGET_NAME, {
      ...classBudget,
      resourceGroupNames: [...groups, ...(config.registry ? [sharedResourceGroupName(plan)] : [])],
      ...(perStudent
        ? {
            perStudent: {
              amount: perStudent.amount,
              resourceGroupNames: Object.fromEntries(
                perStudent.students
                  .filter(registered)
                  .map((k) => [k, billedResourceGroups(plan, plan.environments[k]!)]),
              ),
            },
          }
        : {}),
    });
  }

  // Each student's own roles, on their own scopes and the class's shared ones (src/access/studentAccess.ts).
  if (isClass) {
    grantStudentAccess(plan, {
      environments,
      identities,
      ...(registry ? { registryId: registry.registryId } : {}),
    });
  }

  // The shared cluster's name is no credential: a namespace student needs it for `az aks get-credentials`.
  const hub = environments[HUB_KEY];
  const sharedCluster =
    hub?.clusterName !== undefined
      ? { name: hub.clusterName, resourceGroup: hub.resourceGroupName }
      : undefined;
  const sshUser = config.scaleSet?.adminUsername;
  const entryOf = (key: string, e: LabEnvironment) => ({
    resourceGroup: e.resourceGroupName,
    resourceGroupId: e.resourceGroupId,
    vnetCidr: e.vnetCidrs.join(", "),
    ...(e.webIpAddress ? { webIpAddress: e.webIpAddress } : {}),
    ...(e.webFqdn ? { webFqdn: e.webFqdn } : {}),
    // The NAT pool's published ports: one per instance, to SSH on the student's own frontend.
    ...(e.sshPorts && sshUser
      ? { ssh: { user: sshUser, firstPort: e.sshPorts.first, lastPort: e.sshPorts.last } }
      : {}),
    ...(e.storageAccountName ? { storageAccount: e.storageAccountName } : {}),
    ...(e.clusterName ? { cluster: { name: e.clusterName, resourceGroup: e.resourceGroupName } } : {}),
    ...(e.kubeconfig ? { kubeconfig: pulumi.secret(e.kubeconfig) } : {}),
    ...(sharedNamespaces.includes(key)
      ? { namespace: `student-${key}`, ...(sharedCluster ? { cluster: sharedCluster } : {}) }
      : {}),
    ...(identities[key] ? { entraObjectId: identities[key].objectId } : {}),
    ...(identities[key]?.userPrincipalName ? { userPrincipalName: identities[key].userPrincipalName } : {}),
    ...(registry ? { acrLoginServer: registry.loginServer } : {}),
  });
  // A class's `students` output holds students only: a hand-out that loops over it must never meet the
  // shared cluster's kubeconfig (issue #13). The hub is the instructor's, in an output of its own.
  const entries = Object.entries(environments).filter(([key]) => !(isClass && key === HUB_KEY));
  const perEnvironment = Object.fromEntries(entries.map(([key, e]) => [key, entryOf(key, e)]));
  return {
    environment: config.environment,
    ...(registry ? { acrLoginServer: registry.loginServer } : {}),
    [isClass ? "students" : "environments"]: perEnvironment,
    ...(isClass && hub
      ? {
          hub: {
            resourceGroup: hub.resourceGroupName,
            vnetCidr: hub.vnetCidrs.join(", "),
            ...(hub.clusterName ? { clusterName: hub.clusterName } : {}),
            ...(hub.kubeconfig ? { kubeconfig: pulumi.secret(hub.kubeconfig) } : {}),
          },
        }
      : {}),
  };
}
