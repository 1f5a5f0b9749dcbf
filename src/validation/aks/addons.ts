/**
 * AKS add-ons a stack can turn on: the vertical pod autoscaler and the application routing (managed NGINX)
 * ingress. Both are off unless asked; metrics need no add-on (see `CLUSTER_METRICS`).
 */
import type { Problem } from "../../errors.ts";

export interface ClusterAddonOptions {
  /**
   * The vertical pod autoscaler (workloadAutoScalerProfile.verticalPodAutoscaler): VerticalPodAutoscaler objects
   * then resize pods' requests from their past use (azure-aks-docs, vertical-pod-autoscaler.md). Its pods run
   * on the nodes; no extra Azure charge. Defaults to false.
   */
  readonly verticalPodAutoscalerEnabled?: boolean;
  /**
   * The application routing add-on (ingressProfile.webAppRouting): a managed NGINX ingress controller behind one
   * Standard public IP and load balancer rule, which bill per hour (azure-aks-docs, app-routing.md). Ingresses
   * use the class `webapprouting.kubernetes.azure.com`. Defaults to false.
   */
  readonly appRoutingEnabled?: boolean;
}

export interface NormalizedClusterAddons {
  readonly verticalPodAutoscalerEnabled: boolean;
  readonly appRoutingEnabled: boolean;
}

/** The IngressClass the application routing add-on creates for its NGINX controller (app-routing.md). */
export const APP_ROUTING_INGRESS_CLASS = "webapprouting.kubernetes.azure.com";

/** Namespace of the add-on's NGINX controller pods: the source a namespace's isolation policy must admit. */
export const APP_ROUTING_NAMESPACE = "app-routing-system";

/**
 * Metrics for classes: AKS always runs metrics-server, which the HorizontalPodAutoscaler and the VPA read, at no
 * charge ("Metrics Server" in azure-aks-docs, concepts-scale.md / vertical-pod-autoscaler.md). Azure Monitor
 * managed Prometheus (azureMonitorProfile.metrics) also needs an Azure Monitor workspace and data collection
 * rules, and bills per ingested sample ("Azure Monitor pricing"), so azlab does not turn it on for labs.
 */
export const CLUSTER_METRICS = "metrics-server";

export function normalizeClusterAddons(
  options: ClusterAddonOptions,
): { value: NormalizedClusterAddons; problems: [] } | { value?: undefined; problems: Problem[] } {
  const problems: Problem[] = [];
  const flag = (key: keyof ClusterAddonOptions): boolean => {
    const value = options[key] ?? false;
    if (typeof value !== "boolean") {
      problems.push({ path: key, message: "is not a boolean", value, allowed: "true, false" });
      return false;
    }
    return value;
  };
  const value = {
    verticalPodAutoscalerEnabled: flag("verticalPodAutoscalerEnabled"),
    appRoutingEnabled: flag("appRoutingEnabled"),
  };
  return problems.length > 0 ? { problems } : { value, problems: [] };
}
