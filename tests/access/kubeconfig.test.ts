/**
 * The exec kubeconfig of an Entra AKS cluster runs kubelogin in device-code mode, which waits for a person
 * (Azure/kubelogin #193). These tests pin the rewrite to what `kubelogin convert-kubeconfig -l <mode>` writes
 * (Azure/kubelogin pkg/internal/converter/convert.go; the login modes of the kubelogin book).
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  KUBELOGIN_MODE_ENV,
  KUBELOGIN_MODES,
  kubeloginArgs,
  normalizeKubelogin,
  toNonInteractiveKubeconfig,
} from "../../src/access/kubeconfig.ts";

const SERVER_ID = "6dae42f8-4368-4678-94ff-3960e28e3630";
const AKS_CLIENT_ID = "80faf920-1908-4b52-b5ef-a8e7bedfc67a";
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const HINT =
  "\nkubelogin is not installed which is required to connect to AAD enabled cluster.\n\nTo learn more, please go to https://aka.ms/aks/kubelogin\n";

/** What `listManagedClusterUserCredentials` with `format: exec` returns for a managed Entra cluster. */
const AKS_EXEC_KUBECONFIG = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
    server: https://aks-azlab-prod-1a2b3c4d.privatelink.westeurope.azmk8s.io:443
  name: aks-azlab-prod
contexts:
- context:
    cluster: aks-azlab-prod
    user: clusterUser_rg-azlab-prod_aks-azlab-prod
  name: aks-azlab-prod
current-context: aks-azlab-prod
kind: Config
preferences: {}
users:
- name: clusterUser_rg-azlab-prod_aks-azlab-prod
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - get-token
      - --environment
      - AzurePublicCloud
      - --server-id
      - ${SERVER_ID}
      - --client-id
      - ${AKS_CLIENT_ID}
      - --tenant-id
      - ${TENANT}
      - --login
      - devicecode
      command: kubelogin
      env: null
      installHint: |2

        kubelogin is not installed which is required to connect to AAD enabled cluster.

        To learn more, please go to https://aka.ms/aks/kubelogin
      provideClusterInfo: false
`;

interface Kubeconfig {
  clusters: unknown;
  contexts: unknown;
  "current-context": string;
  users: { name: string; user: { exec?: Record<string, unknown>; token?: string } }[];
}

const converted = (text: string, mode: (typeof KUBELOGIN_MODES)[number], clientId?: string) =>
  parse(toNonInteractiveKubeconfig(text, { mode, ...(clientId ? { clientId } : {}) })) as Kubeconfig;

const exec = (args: string[]) => ({
  apiVersion: "client.authentication.k8s.io/v1beta1",
  command: "kubelogin",
  args,
  env: null,
  installHint: HINT,
  interactiveMode: "Never",
  provideClusterInfo: false,
});

describe("toNonInteractiveKubeconfig", () => {
  it("azurecli (the default): only the login mode and the server id, as convert-kubeconfig -l azurecli writes", () => {
    const config = converted(AKS_EXEC_KUBECONFIG, "azurecli");
    expect(config.users).toEqual([
      {
        name: "clusterUser_rg-azlab-prod_aks-azlab-prod",
        user: { exec: exec(["get-token", "--login", "azurecli", "--server-id", SERVER_ID]) },
      },
    ]);
  });

  it("spn: keeps the tenant and cloud AKS wrote; the secret comes from the environment, never the file", () => {
    const text = toNonInteractiveKubeconfig(AKS_EXEC_KUBECONFIG, { mode: "spn" });
    expect((parse(text) as Kubeconfig).users[0]!.user.exec).toEqual(
      exec([
        "get-token",
        "--login",
        "spn",
        "--server-id",
        SERVER_ID,
        "--client-id",
        AKS_CLIENT_ID,
        "--tenant-id",
        TENANT,
        "--environment",
        "AzurePublicCloud",
      ]),
    );
    expect(text).not.toContain("--client-secret");
    expect(KUBELOGIN_MODE_ENV.spn).toEqual([
      "AAD_SERVICE_PRINCIPAL_CLIENT_ID",
      "AAD_SERVICE_PRINCIPAL_CLIENT_SECRET",
    ]);
  });

  it("msi: the system-assigned identity by default, a user-assigned one by its client id", () => {
    expect(converted(AKS_EXEC_KUBECONFIG, "msi").users[0]!.user.exec).toEqual(
      exec(["get-token", "--login", "msi", "--server-id", SERVER_ID]),
    );
    const identity = "0b7c3f0e-5d2a-4c1b-9e8f-7a6b5c4d3e2f";
    expect(converted(AKS_EXEC_KUBECONFIG, "msi", identity).users[0]!.user.exec).toEqual(
      exec(["get-token", "--login", "msi", "--server-id", SERVER_ID, "--client-id", identity]),
    );
  });

  it("workloadidentity: the federated credential comes from the AZURE_* environment variables", () => {
    expect(converted(AKS_EXEC_KUBECONFIG, "workloadidentity").users[0]!.user.exec).toEqual(
      exec(["get-token", "--login", "workloadidentity", "--server-id", SERVER_ID]),
    );
    expect(KUBELOGIN_MODE_ENV.workloadidentity).toEqual([
      "AZURE_CLIENT_ID",
      "AZURE_TENANT_ID",
      "AZURE_FEDERATED_TOKEN_FILE",
      "AZURE_AUTHORITY_HOST",
    ]);
  });

  it.each(KUBELOGIN_MODES)(
    "%s: device code never survives, and the cluster and context are untouched",
    (mode) => {
      const text = toNonInteractiveKubeconfig(AKS_EXEC_KUBECONFIG, { mode });
      expect(text).not.toContain("devicecode");
      const before = parse(AKS_EXEC_KUBECONFIG) as Kubeconfig;
      const after = parse(text) as Kubeconfig;
      expect(after.clusters).toEqual(before.clusters);
      expect(after.contexts).toEqual(before.contexts);
      expect(after["current-context"]).toBe("aks-azlab-prod");
    },
  );

  it("leaves a kubeconfig without a kubelogin user exactly as it was (local accounts, no Entra ID)", () => {
    const local = "apiVersion: v1\nkind: Config\nusers:\n- name: clusterUser\n  user:\n    token: abc\n";
    expect(toNonInteractiveKubeconfig(local, { mode: "azurecli" })).toBe(local);
  });

  it("gives its own install hint when AKS wrote none", () => {
    const bare = AKS_EXEC_KUBECONFIG.replace(/ {6}installHint:[\s\S]*?(?= {6}provideClusterInfo)/, "");
    expect(bare).not.toContain("installHint");
    expect(converted(bare, "azurecli").users[0]!.user.exec!["installHint"]).toBe(
      "kubelogin is not installed which is required to connect to an Entra ID enabled AKS cluster.\n" +
        "Install it with `az aks install-cli` or from https://azure.github.io/kubelogin/\n",
    );
  });

  it("refuses a kubelogin user without --server-id, which every login mode needs", () => {
    const noServer = AKS_EXEC_KUBECONFIG.replace(`      - --server-id\n      - ${SERVER_ID}\n`, "");
    expect(() => toNonInteractiveKubeconfig(noServer, { mode: "azurecli" })).toThrow(
      "the kubelogin exec arguments have no --server-id",
    );
    expect(() => kubeloginArgs(["get-token", "--server-id", SERVER_ID], { mode: "spn" })).toThrow(
      "the kubelogin exec arguments have no --client-id or --tenant-id",
    );
  });

  it("refuses text that is not YAML", () => {
    expect(() => toNonInteractiveKubeconfig("users: [unclosed", { mode: "azurecli" })).toThrow(
      /^the kubeconfig is not YAML: /,
    );
  });
});

describe("normalizeKubelogin", () => {
  it("defaults to azurecli", () => {
    expect(normalizeKubelogin({})).toEqual({
      value: { mode: "azurecli", principalType: "User" },
      problems: [],
    });
  });

  it("takes the deployer for a person with azurecli and for a service principal otherwise, unless told", () => {
    // The deployer's role assignment needs its type: a wrong one fails with UnmatchedPrincipalType
    // (Azure/modern-web-app-pattern-dotnet #129).
    expect(
      KUBELOGIN_MODES.map((mode) => normalizeKubelogin({ kubeloginMode: mode }).value?.principalType),
    ).toEqual(["User", "ServicePrincipal", "ServicePrincipal", "ServicePrincipal"]);
    expect(normalizeKubelogin({ deployerPrincipalType: "ServicePrincipal" }).value).toEqual({
      mode: "azurecli",
      principalType: "ServicePrincipal",
    });
    expect(normalizeKubelogin({ deployerPrincipalType: "Group" as "User" }).problems).toEqual([
      {
        path: "deployerPrincipalType",
        message: "is not a principal type that can run pulumi up",
        value: "Group",
        allowed: "User, ServicePrincipal",
      },
    ]);
  });

  it("takes a client id for msi", () => {
    const clientId = "0b7c3f0e-5d2a-4c1b-9e8f-7a6b5c4d3e2f";
    expect(normalizeKubelogin({ kubeloginMode: "msi", kubeloginClientId: clientId })).toEqual({
      value: { mode: "msi", clientId, principalType: "ServicePrincipal" },
      problems: [],
    });
  });

  it("refuses device code, a client id outside msi and a client id that is not a GUID, all at once", () => {
    expect(
      normalizeKubelogin({ kubeloginMode: "devicecode" as "azurecli", kubeloginClientId: "not-a-guid" })
        .problems,
    ).toEqual([
      {
        path: "kubeloginMode",
        message: "is not a non-interactive kubelogin login mode",
        value: "devicecode",
        allowed: "azurecli, spn, msi, workloadidentity",
      },
      {
        path: "kubeloginClientId",
        message: "is not a managed identity client id",
        value: "not-a-guid",
        allowed: "a GUID",
      },
    ]);
    expect(
      normalizeKubelogin({ kubeloginMode: "spn", kubeloginClientId: "0b7c3f0e-5d2a-4c1b-9e8f-7a6b5c4d3e2f" })
        .problems,
    ).toEqual([
      {
        path: "kubeloginClientId",
        message: "is only used by the msi login mode, and kubeloginMode is spn",
        value: "0b7c3f0e-5d2a-4c1b-9e8f-7a6b5c4d3e2f",
        allowed: "remove it, or set kubeloginMode: msi",
      },
    ]);
  });
});
