/**
 * The budgets' arguments from a planned stack: which resource groups bill, and when a budget starts
 * and ends.
 */
import type { EnvironmentPlan, StackPlan } from "../stack/planStack.ts";
import type { BudgetConfig } from "../config/schema.ts";
import { normalizeKubernetesCluster } from "../validation/aks/index.ts";
import { budgetStartDate, monthEnd, type BudgetOptions } from "../validation/budget.ts";
import { azureName, logicalName } from "../naming/azureNames.ts";
import { ROLES } from "./componentArgs.ts";
import { clusterOptions } from "./clusterArgs.ts";

export const BUDGET_NAME = "budget";

/** The budget a stack sets: a class's under `azlab:class.budget`, dev's and prod's under `azlab:budget`. */
export function stackBudget(plan: StackPlan): BudgetConfig | undefined {
  return plan.config.class?.budget ?? plan.config.budget;
}

/** The `azlab:` key a stack's budget is written under. */
export function budgetKey(plan: StackPlan): string {
  return plan.config.class?.budget ? "azlab:class.budget" : "azlab:budget";
}

/**
 * The resource groups an environment bills in: its own and, with a cluster, the cluster's node
 * resource group, where AKS puts the nodes, their disks and IPs.
 */
export function billedResourceGroups(plan: StackPlan, env: EnvironmentPlan): string[] {
  const groups = [env.resourceGroupName];
  if (env.aks === "cluster" && plan.config.aks) {
    const nodeGroup = normalizeKubernetesCluster(
      // The node group's name depends on the names alone; the NAT gateway is a placeholder, as in pre-flight.
      clusterOptions(plan, env, { id: "natgw", publicIpAddress: "ip" }),
      logicalName(env.key, ROLES.cluster),
    ).value?.nodeResourceGroupName;
    if (nodeGroup) groups.push(nodeGroup);
  }
  return groups;
}

/** The resource group of the stack's shared services (the registry); see compose.ts. */
export function sharedResourceGroupName(plan: StackPlan): string {
  return azureName("resourceGroup", [plan.config.namePrefix, plan.stack, "shared"]);
}

/**
 * The budget's plain arguments. `asOf` is the deploying (or planning) instant: Azure's monthly budget
 * starts on the first of that month. A class's budget ends with the month of its last day, or with the
 * start month when the class has already ended (Azure needs the end after the start).
 */
export function budgetOptions(plan: StackPlan, asOf: Date): BudgetOptions | undefined {
  const budget = stackBudget(plan);
  if (!budget) return undefined;
  const startDate = budgetStartDate(asOf);
  const expiresOn = plan.config.class?.expiresOn;
  const endDate =
    expiresOn === undefined ? undefined : [monthEnd(expiresOn), monthEnd(startDate)].sort().at(-1)!;
  const students = Object.keys(plan.config.class?.students ?? {}).filter((k) => plan.environments[k]);
  return {
    budgetName: ["budget", plan.config.namePrefix, plan.stack].join("-"),
    amount: budget.amount,
    currency: budget.currency,
    thresholds: budget.thresholds,
    contactEmails: budget.contactEmails,
    startDate,
    ...(endDate !== undefined ? { endDate } : {}),
    ...(budget.perStudent !== undefined && plan.config.class
      ? { perStudent: { amount: budget.perStudent, students } }
      : {}),
  };
}

/** The Azure name and resource group of every AKS cluster a stack plans, for `azlab class-hours`. */
export function plannedClusters(plan: StackPlan): { resourceGroup: string; name: string }[] {
  if (!plan.config.aks) return [];
  return Object.values(plan.environments).flatMap((env) => {
    if (env.aks !== "cluster") return [];
    const name = normalizeKubernetesCluster(
      clusterOptions(plan, env, { id: "natgw", publicIpAddress: "ip" }),
      logicalName(env.key, ROLES.cluster),
    ).value?.clusterName;
    return name ? [{ resourceGroup: env.resourceGroupName, name }] : [];
  });
}
