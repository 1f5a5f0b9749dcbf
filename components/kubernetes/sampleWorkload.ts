/**
 * The sample workload of ClusterBasics in one namespace: Deployment, Service, HorizontalPodAutoscaler, an
 * optional claim and an optional Ingress, with the network policies that let their traffic in.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as appsV1 from "@pulumi/kubernetes/apps/v1/index.js";
import * as autoscalingV2 from "@pulumi/kubernetes/autoscaling/v2/index.js";
import * as coreV1 from "@pulumi/kubernetes/core/v1/index.js";
import * as networkingV1 from "@pulumi/kubernetes/networking/v1/index.js";
import type * as storageV1 from "@pulumi/kubernetes/storage/v1/index.js";
import type { NormalizedSampleWorkload } from "../../src/validation/clusterBasics.ts";
import { APP_ROUTING_INGRESS_CLASS, APP_ROUTING_NAMESPACE } from "../../src/validation/aks/addons.ts";
import { logicalName } from "../../src/naming/azureNames.ts";

export interface SampleWorkloadTarget {
  /** The namespace's key (its Kubernetes name). */
  readonly key: string;
  /** The namespace's output name: every object waits for the namespace. */
  readonly namespaceName: pulumi.Output<string>;
  readonly networkIsolationEnabled: boolean;
  /** Prefix of the objects' logical names: the component's name, plus the namespace after the first. */
  readonly prefix: string;
}

/** Declares the workload's objects in one namespace; `child` carries the parent, provider and dependencies. */
export function declareSampleWorkload(
  w: NormalizedSampleWorkload,
  target: SampleWorkloadTarget,
  storageClass: storageV1.StorageClass | undefined,
  child: pulumi.CustomResourceOptions,
  managedBy: Readonly<Record<string, string>>,
): void {
  const name = target.prefix;
  const labels = { "app.kubernetes.io/name": w.name, ...managedBy };
  const metadata = { name: w.name, namespace: target.namespaceName, labels };
  const selector = { "app.kubernetes.io/name": w.name };

  const claim =
    w.volume && storageClass
      ? new coreV1.PersistentVolumeClaim(
          logicalName(name, `${w.name}-pvc`),
          {
            metadata,
            spec: {
              accessModes: ["ReadWriteMany"],
              storageClassName: storageClass.metadata.name,
              resources: { requests: { storage: `${w.volume.sizeGi}Gi` } },
            },
          },
          child,
        )
      : undefined;

  const probe = (initialDelaySeconds: number, periodSeconds: number) => ({
    httpGet: { path: w.probePath, port: w.containerPort },
    initialDelaySeconds,
    periodSeconds,
  });
  const deployment = new appsV1.Deployment(
    logicalName(name, `${w.name}-deployment`),
    {
      metadata,
      spec: {
        // No replicas: the HorizontalPodAutoscaler owns the count, and a fixed value would reset it on every update.
        selector: { matchLabels: selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
          metadata: { labels },
          spec: {
            securityContext: { seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: w.name,
                image: w.image,
                ports: [{ name: "http", containerPort: w.containerPort }],
                resources: { requests: { ...w.requests }, limits: { ...w.limits } },
                readinessProbe: probe(5, 10),
                livenessProbe: probe(15, 20),
                securityContext: { allowPrivilegeEscalation: false },
                ...(w.volume ? { volumeMounts: [{ name: "data", mountPath: w.volume.mountPath }] } : {}),
              },
            ],
            ...(claim
              ? { volumes: [{ name: "data", persistentVolumeClaim: { claimName: claim.metadata.name } }] }
              : {}),
          },
        },
      },
    },
    child,
  );

  const service = new coreV1.Service(
    logicalName(name, `${w.name}-service`),
    {
      metadata,
      spec: {
        type: w.serviceType,
        selector,
        ports: [{ name: "http", port: w.servicePort, targetPort: w.containerPort, protocol: "TCP" }],
      },
    },
    child,
  );

  new autoscalingV2.HorizontalPodAutoscaler(
    logicalName(name, `${w.name}-hpa`),
    {
      metadata,
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
        minReplicas: w.minReplicas,
        maxReplicas: w.maxReplicas,
        metrics: [
          {
            type: "Resource",
            resource: {
              name: "cpu",
              target: { type: "Utilization", averageUtilization: w.targetCpuUtilizationPercent },
            },
          },
        ],
      },
    },
    child,
  );

  // The isolation policy would also drop traffic arriving through a NodePort or load balancer.
  if (w.serviceType !== "ClusterIP" && target.networkIsolationEnabled) {
    new networkingV1.NetworkPolicy(
      logicalName(name, `${w.name}-allow-external`),
      {
        metadata: { ...metadata, name: `${w.name}-allow-external` },
        spec: {
          podSelector: { matchLabels: selector },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [{ ipBlock: { cidr: "0.0.0.0/0" } }],
              ports: [{ protocol: "TCP", port: w.containerPort }],
            },
          ],
        },
      },
      child,
    );
  }

  if (!w.ingressEnabled) return;
  // Every namespace shares the add-on's one public address, so each gets its own path; NGINX strips the prefix
  // so the app still sees "/" (azure-aks-docs, app-routing.md; ingress-nginx rewrite-target annotation).
  new networkingV1.Ingress(
    logicalName(name, `${w.name}-ingress`),
    {
      metadata: {
        ...metadata,
        annotations: { "nginx.ingress.kubernetes.io/rewrite-target": "/$2" },
      },
      spec: {
        ingressClassName: APP_ROUTING_INGRESS_CLASS,
        rules: [
          {
            http: {
              paths: [
                {
                  path: `/${target.key}(/|$)(.*)`,
                  pathType: "ImplementationSpecific",
                  backend: { service: { name: service.metadata.name, port: { number: w.servicePort } } },
                },
              ],
            },
          },
        ],
      },
    },
    child,
  );
  // The controller's pods run in app-routing-system, another namespace the isolation policy shuts out.
  if (target.networkIsolationEnabled) {
    new networkingV1.NetworkPolicy(
      logicalName(name, `${w.name}-allow-ingress`),
      {
        metadata: { ...metadata, name: `${w.name}-allow-ingress` },
        spec: {
          podSelector: { matchLabels: selector },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: {
                    matchLabels: { "kubernetes.io/metadata.name": APP_ROUTING_NAMESPACE },
                  },
                },
              ],
              ports: [{ protocol: "TCP", port: w.containerPort }],
            },
          ],
        },
      },
      child,
    );
  }
}
