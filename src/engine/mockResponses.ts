/**
 * Deterministic answers for the offline mock engine: the outputs Azure would compute for a resource,
 * and the results of the provider functions azlab calls. Everything is derived from names so that
 * two runs with the same config give byte-identical plans.
 *
 * A call that is not listed here is rejected: the program must not depend on anything unmocked.
 */
import { FunctionToken, ResourceType } from "../azure/catalog.ts";
import { stableGuid } from "../naming/globalNames.ts";
import { journaled } from "../model/journal.ts";

const SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
const TENANT = "11111111-1111-1111-1111-111111111111";

/** Journal kind (src/model/journal.ts) of fakeGuid. */
export const FAKE_GUID = "fnv-guid";

/** A stable, fake GUID derived from a name (FNV-1a), so principal ids differ per resource. */
export function fakeGuid(seed: string): string {
  let hash = 0x811c9dc5;
  const hex: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const ch of `${round}:${seed}`) {
      hash ^= ch.charCodeAt(0);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    hex.push(hash.toString(16).padStart(8, "0"));
  }
  const s = hex.join("");
  return journaled(
    FAKE_GUID,
    seed,
    `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`,
  );
}

/**
 * The Azure name a resource would get: its `<type>Name` input (virtualNetworkName, subnetName, …),
 * one of the irregular name inputs, or the Pulumi name when the program leaves naming to Azure.
 */
export function azureNameOf(type: string, name: string, inputs: Record<string, unknown>): string {
  const typeName = type.split(":")[2] ?? "";
  const candidates = [
    `${typeName.charAt(0).toLowerCase()}${typeName.slice(1)}Name`,
    "accountName",
    "resourceName",
    "vmScaleSetName",
    "publicIpAddressName",
    "autoscaleSettingName",
  ];
  for (const key of candidates) {
    if (typeof inputs[key] === "string") return inputs[key];
  }
  return name;
}

/** Outputs Azure computes, keyed by resource type. Inputs are echoed back by the engine already. */
export function mockState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const resourceName = azureNameOf(type, name, inputs);
  const group = typeof inputs["resourceGroupName"] === "string" ? inputs["resourceGroupName"] : "mock-rg";
  const azureId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${group}/providers/${type.split(":")[1]}/${resourceName}`;
  // Azure reports a resource's own name (registryName, accountName, …), not the Pulumi name.
  const base: Record<string, unknown> = { id: azureId, name: resourceName };
  switch (type) {
    case ResourceType.PublicIPAddress: {
      // Azure derives the FQDN from the DNS label and the region.
      const dns = inputs["dnsSettings"] as { domainNameLabel?: string } | undefined;
      const label = dns?.domainNameLabel;
      return {
        ...base,
        ipAddress: "203.0.113.10",
        ...(label
          ? { dnsSettings: { ...dns, fqdn: `${label}.${String(inputs["location"])}.cloudapp.azure.com` } }
          : {}),
      };
    }
    case ResourceType.Registry:
      return { ...base, loginServer: `${resourceName}.azurecr.io` };
    case ResourceType.UserAssignedIdentity:
      return {
        ...base,
        principalId: fakeGuid(`${name}/principal`),
        clientId: fakeGuid(`${name}/client`),
        tenantId: TENANT,
      };
    case ResourceType.ManagedCluster:
      return {
        ...base,
        fqdn: `${name}.hcp.mock.azmk8s.io`,
        oidcIssuerProfile: { enabled: true, issuerURL: `https://oidc.mock/${name}/` },
        // A user-assigned control-plane identity is reported as given; a system-assigned one gets an id.
        identity:
          (inputs["identity"] as { type?: string } | undefined)?.type === "UserAssigned"
            ? inputs["identity"]
            : { type: "SystemAssigned", principalId: fakeGuid(`${name}/identity`), tenantId: TENANT },
        identityProfile: {
          kubeletidentity: {
            clientId: fakeGuid(`${name}/kubelet-client`),
            objectId: fakeGuid(`${name}/kubelet`),
            resourceId: `${azureId}-agentpool`,
          },
        },
      };
    case ResourceType.VirtualMachineScaleSet:
      return {
        ...base,
        identity: { type: "SystemAssigned", principalId: fakeGuid(`${name}/identity`), tenantId: TENANT },
      };
    case ResourceType.StorageAccount:
      return {
        ...base,
        primaryEndpoints: {
          blob: `https://${resourceName}.blob.core.windows.net/`,
          file: `https://${resourceName}.file.core.windows.net/`,
        },
      };
    default:
      return base;
  }
}

const MOCK_KUBECONFIG = [
  "apiVersion: v1",
  "kind: Config",
  "clusters: [{name: mock, cluster: {server: 'https://mock.azmk8s.io:443'}}]",
  "contexts: [{name: mock, context: {cluster: mock, user: mock}}]",
  "current-context: mock",
  "users: [{name: mock, user: {token: mock-token}}]",
].join("\n");

/**
 * The shape AKS returns for an Entra cluster with `format: exec`: kubelogin in device-code mode, with the
 * AKS Entra server application as `--server-id` (Azure/kubelogin #193), so the program's conversion to a
 * non-interactive mode runs offline on what Azure would send.
 */
export function mockExecKubeconfig(cluster: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    `clusters: [{name: ${cluster}, cluster: {server: 'https://${cluster}.privatelink.mock.azmk8s.io:443'}}]`,
    `contexts: [{name: ${cluster}, context: {cluster: ${cluster}, user: clusterUser_${cluster}}}]`,
    `current-context: ${cluster}`,
    "users:",
    `- name: clusterUser_${cluster}`,
    "  user:",
    "    exec:",
    "      apiVersion: client.authentication.k8s.io/v1beta1",
    "      command: kubelogin",
    "      args: [get-token, --environment, AzurePublicCloud, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630,",
    `        --client-id, 80faf920-1908-4b52-b5ef-a8e7bedfc67a, --tenant-id, ${TENANT}, --login, devicecode]`,
    "      env: null",
    "      provideClusterInfo: false",
    "",
  ].join("\n");
}

/** Results of provider functions. Returns undefined for a call that has no mock. */
export function mockCall(
  token: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> | undefined {
  switch (token) {
    case FunctionToken.getClientConfig:
      return {
        clientId: fakeGuid("client"),
        objectId: fakeGuid("deployer"),
        subscriptionId: SUBSCRIPTION,
        tenantId: TENANT,
      };
    case FunctionToken.listManagedClusterUserCredentials:
      return {
        kubeconfigs: [
          {
            name: "clusterUser",
            value: Buffer.from(
              inputs["format"] === "exec"
                ? mockExecKubeconfig(String(inputs["resourceName"]))
                : `${MOCK_KUBECONFIG}\n# ${String(inputs["resourceName"])}\n`,
            ).toString("base64"),
          },
        ],
      };
    case FunctionToken.getEntraUser: {
      // A placeholder object id per sign-in name, stable across runs (Entra compares UPNs without case).
      const upn = typeof inputs["userPrincipalName"] === "string" ? inputs["userPrincipalName"] : undefined;
      const mail = typeof inputs["mail"] === "string" ? inputs["mail"] : undefined;
      const signIn = (upn ?? mail ?? "").toLowerCase();
      const objectId = stableGuid(`entra-user|${signIn}`);
      return { id: objectId, objectId, userPrincipalName: upn ?? signIn, mail: mail ?? signIn };
    }
    default:
      return undefined;
  }
}
