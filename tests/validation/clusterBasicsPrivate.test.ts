/**
 * A private API server has no public endpoint: only a machine on the cluster's VNet or a network joined to it
 * reaches it, or `az aks command invoke` ("Access a private AKS cluster", azure-aks-docs
 * access-private-cluster.md). In-cluster objects on a private cluster need a deployer declared inside.
 */
import { describe, expect, it } from "vitest";
import { hasInClusterObjects, normalizeClusterBasics } from "../../src/validation/clusterBasics.ts";

const ALLOWED =
  "deployerInVnet: true when pulumi up runs inside the VNet or a peered network; or no in-cluster objects, " +
  "applied afterwards with `az aks command invoke`; or a public API server";
const message = (objects: string) =>
  "makes the API server reachable only from the cluster's VNet or a network joined to it, so pulumi up " +
  `cannot create the in-cluster objects (${objects}) from outside it`;

describe("ClusterBasics on a private cluster", () => {
  it("refuses in-cluster objects when the deployer is not declared inside the VNet", () => {
    expect(
      normalizeClusterBasics({ privateClusterEnabled: true, storageClass: { reclaimPolicy: "Retain" } })
        .problems,
    ).toEqual([
      { path: "privateClusterEnabled", message: message("storageClass"), value: true, allowed: ALLOWED },
    ]);
  });

  it("names at most three namespaces and counts the rest", () => {
    const namespaces = Object.fromEntries(["a", "b", "c", "d", "e"].map((k) => [k, {}]));
    expect(normalizeClusterBasics({ privateClusterEnabled: true, namespaces }).problems).toEqual([
      {
        path: "privateClusterEnabled",
        message: message("namespaces.a, namespaces.b, namespaces.c, 2 more"),
        value: true,
        allowed: ALLOWED,
      },
    ]);
  });

  it("accepts them from a deployer inside the VNet, and a private cluster with no in-cluster objects", () => {
    expect(
      normalizeClusterBasics({ privateClusterEnabled: true, deployerInVnet: true, namespaces: { lab: {} } })
        .problems,
    ).toEqual([]);
    expect(normalizeClusterBasics({ privateClusterEnabled: true }).problems).toEqual([]);
    expect(
      normalizeClusterBasics({ privateClusterEnabled: false, namespaces: { lab: {} } }).problems,
    ).toEqual([]);
  });

  it("counts namespaces, a storage class and a sample workload as in-cluster objects", () => {
    expect(hasInClusterObjects({})).toBe(false);
    expect(hasInClusterObjects({ namespaces: {} })).toBe(false);
    expect(hasInClusterObjects({ namespaces: { lab: {} } })).toBe(true);
    expect(hasInClusterObjects({ storageClass: {} })).toBe(true);
    expect(hasInClusterObjects({ sampleWorkload: { namespace: "lab" } })).toBe(true);
  });
});
