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
import { azureName, logicalName } from "../naming/azureNames.ts";

export function composeStack(plan: StackPlan): Record<string, unknown> {
  const config = plan.config;
  const isClass = config.environment === "class";
  const sshPublicKey = config.adminSshPublicKey
    ? config.secretKeys.includes("adminSshPublicKey")
      ? pulumi.secret(config.adminSshPublicKey)
      : config.adminSshPublicKey
    : undefined;
  const sharedNamespaces = plan.environments[HUB_KEY]?.namespaceStudents ?? [];

  const environments: Record<string, LabEnvironment> = {};
  for (const [key, env] of Object.entries(plan.environments)) {
    environments[key] = new LabEnvironment(key, {
      plan,
      environment: env,
      ...(sshPublicKey ? { sshPublicKey } : {}),
    });
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

  const perEnvironment = Object.fromEntries(
    Object.entries(environments).map(([key, e]) => [
      key,
      {
        resourceGroup: e.resourceGroupName,
        vnetCidr: e.vnetCidrs.join(", "),
        ...(e.webIpAddress ? { webIpAddress: e.webIpAddress } : {}),
        ...(e.webFqdn ? { webFqdn: e.webFqdn } : {}),
        ...(e.storageAccountName ? { storageAccount: e.storageAccountName } : {}),
        ...(e.kubeconfig ? { kubeconfig: pulumi.secret(e.kubeconfig) } : {}),
        ...(sharedNamespaces.includes(key) ? { namespace: `student-${key}` } : {}),
        ...(registry ? { acrLoginServer: registry.loginServer } : {}),
      },
    ]),
  );
  return {
    environment: config.environment,
    ...(registry ? { acrLoginServer: registry.loginServer } : {}),
    [isClass ? "students" : "environments"]: perEnvironment,
  };
}
