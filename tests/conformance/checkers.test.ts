/**
 * The conformance checkers' mapping rules, on hand-written inputs against the committed schemas (no
 * Pulumi, no planning): each rule in azureSchema.ts's header, the Kubernetes integer formats and the
 * name-path lookup.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkResource, type AzureTypeSchema } from "./azureSchema.ts";
import { checkObject, type KubeDefinitions } from "./kubernetesSchema.ts";
import { valuesAt } from "./nameRules.ts";

const azure = (file: string) =>
  JSON.parse(readFileSync(`tests/conformance/data/azure/${file}.json`, "utf8")) as AzureTypeSchema;
const KUBE = JSON.parse(
  readFileSync("tests/conformance/data/kubernetes/definitions.json", "utf8"),
) as KubeDefinitions;

describe("Azure inputs to REST body", () => {
  it("takes path parameters as inputs and flattens the properties envelope", () => {
    const vnet = azure("network.VirtualNetwork");
    expect(
      checkResource(vnet, {
        resourceGroupName: "rg",
        virtualNetworkName: "vnet",
        addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
        subnets: [{ name: "a", addressPrefix: "10.0.0.0/24", privateEndpointNetworkPolicies: "Disabled" }],
      }),
    ).toEqual([]);
    expect(checkResource(vnet, { virtualNetworkName: 7, properties: {} })).toEqual([
      "virtualNetworkName: path parameter must be a string, got 7",
      expect.stringMatching(/^properties: unknown property \(not in VirtualNetwork; allowed: /),
    ]);
  });

  it("accepts the x-ms-client-name and camelCased kebab-case names azure-native uses", () => {
    expect(
      checkResource(azure("storage.StorageAccount"), {
        kind: "StorageV2",
        sku: { name: "Standard_LRS" },
        enableHttpsTrafficOnly: true,
      }),
    ).toEqual([]);
    expect(
      checkResource(azure("containerservice.ManagedCluster"), {
        autoScalerProfile: { scanInterval: "10s", "scan-interval": "10s" },
      }),
    ).toEqual([]);
  });

  it("resolves a flattened name that collides with a read-only top-level one to the writable property", () => {
    const pool = azure("containerservice.AgentPool");
    expect(checkResource(pool, { type: "VirtualMachineScaleSets" })).toEqual([]);
    expect(checkResource(pool, { type: "Nodes" })).toEqual([
      'type: "Nodes" is not one of "VirtualMachineScaleSets", "AvailabilitySet", "VirtualMachines"',
    ]);
  });

  it("takes user-assigned identities as a list of ids", () => {
    const cluster = azure("containerservice.ManagedCluster");
    expect(
      checkResource(cluster, { identity: { type: "UserAssigned", userAssignedIdentities: ["/id/1"] } }),
    ).toEqual([]);
    expect(
      checkResource(cluster, { identity: { type: "UserAssigned", userAssignedIdentities: [1] } }),
    ).toEqual(["identity.userAssignedIdentities: expected a list of identity ids, got [1]"]);
  });

  it("lets azure-native default the location but not other required properties", () => {
    expect(checkResource(azure("storage.StorageAccount"), { sku: { name: "Standard_LRS" } })).toEqual([
      "kind: required property missing (kind in StorageAccountCreateParameters)",
    ]);
  });
});

describe("Kubernetes objects", () => {
  const hpa = (minReplicas: unknown) => ({
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "web" },
    spec: { maxReplicas: 3, minReplicas, scaleTargetRef: { kind: "Deployment", name: "web" } },
  });

  it("checks int32 fields for integers in range", () => {
    const token = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
    expect(checkObject(KUBE, token, hpa(1))).toEqual([]);
    expect(checkObject(KUBE, token, hpa(1.5))).toEqual(["spec.minReplicas: 1.5 is not an integer (int32)"]);
    expect(checkObject(KUBE, token, hpa(2 ** 31))).toEqual([
      "spec.minReplicas: 2147483648 is outside the int32 range",
    ]);
  });

  it("checks apiVersion and kind against the type token, the core group having no group prefix", () => {
    expect(
      checkObject(KUBE, "kubernetes:core/v1:Namespace", { apiVersion: "core/v1", kind: "Namespace" }),
    ).toEqual(['apiVersion: "core/v1", expected "v1"']);
    expect(checkObject(KUBE, "kubernetes:core/v1:Secret", {})).toEqual([
      "no definition for kubernetes:core/v1:Secret: add it to ROOTS in scripts/conformance/extract-kubernetes.mjs",
    ]);
  });
});

describe("name paths", () => {
  it("reads nested and per-element names", () => {
    const inputs = {
      resourceName: "aks",
      agentPoolProfiles: [{ name: "sys" }, { name: "work" }],
      dns: { label: 3 },
    };
    expect(valuesAt(inputs, "resourceName")).toEqual([{ at: "resourceName", value: "aks" }]);
    expect(valuesAt(inputs, "agentPoolProfiles[].name")).toEqual([
      { at: "agentPoolProfiles[0].name", value: "sys" },
      { at: "agentPoolProfiles[1].name", value: "work" },
    ]);
    expect(valuesAt(inputs, "dns.label")).toEqual([]);
  });
});
