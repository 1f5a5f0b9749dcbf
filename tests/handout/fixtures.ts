/**
 * Stack outputs of a deployed class as `pulumi stack output --json --show-secrets` prints them, with a
 * value unique to each student in every field and credentials (kubeconfigs, a hub, a password) that no
 * hand-out may carry.
 */

export const HUB_SECRET = "HUB-SHARED-CLUSTER-ADMIN-CREDENTIAL";

/** s001, s002, … */
export function studentIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `s${String(i + 1).padStart(3, "0")}`);
}

/** The values of `id` that belong on their sheet. */
export function studentMarkers(id: string): string[] {
  return [
    `rg-lab-big-${id}`,
    `lab-big-${id}.h4sh.westeurope.cloudapp.azure.com`,
    `stlabbig${id}9f8e7d`,
    `student-${id}`,
  ];
}

/** Values of `id` that no sheet shows, not even their own. */
export function studentSecrets(id: string): string[] {
  return [`KUBECONFIG-OF-${id}`, `PASSWORD-OF-${id}`];
}

export function fakeOutputs(ids: readonly string[]): Record<string, unknown> {
  const acr = "crlabbig0a1b2c3d.azurecr.io";
  return {
    environment: "class",
    acrLoginServer: acr,
    adminPassword: HUB_SECRET,
    hub: {
      resourceGroup: "rg-lab-big-hub",
      clusterName: "aks-lab-big-hub",
      kubeconfig: `apiVersion: v1\n# ${HUB_SECRET}\n`,
    },
    students: {
      // An older output still listed the hub among the students; it is no roster id, so it is never read.
      hub: { resourceGroup: "rg-lab-big-hub", kubeconfig: HUB_SECRET },
      ...Object.fromEntries(
        ids.map((id, i) => {
          const [rg, fqdn, storage, namespace] = studentMarkers(id);
          const [kubeconfig, password] = studentSecrets(id);
          return [
            id,
            {
              resourceGroup: rg,
              resourceGroupId: `/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/${rg}`,
              vnetCidr: `10.64.${i}.0/24`,
              webIpAddress: `20.50.${i}.7`,
              webFqdn: fqdn,
              ssh: { user: "azlabadmin", firstPort: 50000, lastPort: 50001 },
              storageAccount: storage,
              namespace,
              cluster: { name: "aks-lab-big-hub", resourceGroup: "rg-lab-big-hub" },
              kubeconfig,
              adminPassword: password,
              entraObjectId: `0b6e1f7a-1c2d-4e3f-9a8b-${String(i).padStart(12, "0")}`,
              acrLoginServer: acr,
            },
          ];
        }),
      ),
    },
  };
}
