/**
 * How `pulumi up` signs in to an Entra-integrated AKS cluster without a person at the keyboard.
 *
 * `listManagedClusterUserCredentials` with `format: exec` returns a kubeconfig whose user runs
 * `kubelogin get-token --login devicecode …`: device code is interactive, so a provider that uses it waits
 * for a browser sign-in that never comes (Azure/kubelogin #193). `toNonInteractiveKubeconfig` rewrites it as
 * `kubelogin convert-kubeconfig -l <mode>` would (Azure/kubelogin pkg/internal/converter/convert.go; login
 * modes in the kubelogin book, docs/book/src/concepts/login-modes/*.md): the same exec plugin, the same
 * `--server-id`, and only the arguments the chosen mode takes. Plain data in and out; no Pulumi SDK.
 */
import { parseDocument } from "yaml";
import type { Problem } from "../errors.ts";
import { GUID } from "../validation/checks.ts";

/**
 * The non-interactive kubelogin login modes azlab supports, with what each needs at `pulumi up` time:
 * - `azurecli`: the Azure CLI's signed-in account (`az login`, or `azure/login` in a workflow);
 * - `spn`: a service principal from `AAD_SERVICE_PRINCIPAL_CLIENT_ID` and `AAD_SERVICE_PRINCIPAL_CLIENT_SECRET`
 *   (or `AZURE_CLIENT_ID` and `AZURE_CLIENT_SECRET`);
 * - `msi`: the machine's managed identity; a user-assigned one is chosen by its client id;
 * - `workloadidentity`: a federated token from `AZURE_CLIENT_ID`, `AZURE_TENANT_ID`,
 *   `AZURE_FEDERATED_TOKEN_FILE` and `AZURE_AUTHORITY_HOST` (GitHub OIDC, for example).
 */
export const KUBELOGIN_MODES = ["azurecli", "spn", "msi", "workloadidentity"] as const;
export type KubeloginMode = (typeof KUBELOGIN_MODES)[number];

/** The environment variables each mode reads at `pulumi up` time (documented per mode in the kubelogin book). */
export const KUBELOGIN_MODE_ENV: Readonly<Record<KubeloginMode, readonly string[]>> = {
  azurecli: [],
  spn: ["AAD_SERVICE_PRINCIPAL_CLIENT_ID", "AAD_SERVICE_PRINCIPAL_CLIENT_SECRET"],
  msi: [],
  workloadidentity: [
    "AZURE_CLIENT_ID",
    "AZURE_TENANT_ID",
    "AZURE_FEDERATED_TOKEN_FILE",
    "AZURE_AUTHORITY_HOST",
  ],
};

export interface KubeloginOptions {
  /** How kubelogin signs in. Defaults to "azurecli". */
  readonly kubeloginMode?: KubeloginMode;
  /** msi only: client id of the user-assigned identity to use. Defaults to the system-assigned identity. */
  readonly kubeloginClientId?: string;
  /**
   * What kind of principal runs `pulumi up`, for its role assignment. Defaults to "User" with azurecli (a person
   * at a laptop) and "ServicePrincipal" with the other modes (service principals and managed identities).
   */
  readonly deployerPrincipalType?: "User" | "ServicePrincipal";
}

/** The login options and where the deployer runs, which only a private API server cares about. */
export interface DeployerAccessOptions extends KubeloginOptions {
  /** Whether the API server is private. */
  readonly privateClusterEnabled?: boolean;
  /** The stack's claim that `pulumi up` runs inside the cluster's VNet or a network joined to it. */
  readonly deployerInVnet?: boolean;
}

export interface NormalizedKubelogin {
  readonly mode: KubeloginMode;
  readonly clientId?: string;
  /** The deployer's principal type: a role assignment with the wrong one fails with UnmatchedPrincipalType. */
  readonly principalType: "User" | "ServicePrincipal";
}

/** Defaults and checks for the login options; problems name the option's own key. */
export function normalizeKubelogin(
  options: DeployerAccessOptions,
): { value: NormalizedKubelogin; problems: [] } | { value?: undefined; problems: Problem[] } {
  const problems: Problem[] = [];
  const mode = options.kubeloginMode ?? "azurecli";
  if (!(KUBELOGIN_MODES as readonly string[]).includes(mode)) {
    problems.push({
      path: "kubeloginMode",
      message: "is not a non-interactive kubelogin login mode",
      value: mode,
      allowed: KUBELOGIN_MODES.join(", "),
    });
  }
  const clientId = options.kubeloginClientId;
  if (clientId !== undefined) {
    if (!GUID.test(clientId)) {
      problems.push({
        path: "kubeloginClientId",
        message: "is not a managed identity client id",
        value: clientId,
        allowed: "a GUID",
      });
    } else if (mode !== "msi") {
      // spn and workloadidentity take the client id from the environment; azurecli uses the CLI's account.
      problems.push({
        path: "kubeloginClientId",
        message: `is only used by the msi login mode, and kubeloginMode is ${mode}`,
        value: clientId,
        allowed: "remove it, or set kubeloginMode: msi",
      });
    }
  }
  // The claim only changes anything for a private API server (in-cluster objects, run command); on a public
  // one it is a leftover that would hide a later switch to private ("Create a private AKS cluster",
  // azure-aks-docs private-clusters.md: only networks joined to the VNet reach a private API server).
  if (options.deployerInVnet === true && options.privateClusterEnabled !== true) {
    problems.push({
      path: "deployerInVnet",
      message: "has no effect: the API server is public, so pulumi up reaches it from any network",
      value: true,
      allowed: "false (the default) on a public cluster, or privateClusterEnabled: true",
    });
  }
  const principalType = options.deployerPrincipalType ?? (mode === "azurecli" ? "User" : "ServicePrincipal");
  if (!["User", "ServicePrincipal"].includes(principalType)) {
    problems.push({
      path: "deployerPrincipalType",
      message: "is not a principal type that can run pulumi up",
      value: principalType,
      allowed: "User, ServicePrincipal",
    });
  }
  if (problems.length > 0) return { problems };
  return { value: { mode, ...(clientId !== undefined ? { clientId } : {}), principalType }, problems: [] };
}

/** Shown when kubelogin is missing, as AKS's own exec kubeconfig does. */
const INSTALL_HINT =
  "kubelogin is not installed which is required to connect to an Entra ID enabled AKS cluster.\n" +
  "Install it with `az aks install-cli` or from https://azure.github.io/kubelogin/\n";

function argAfter(args: readonly unknown[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  const value = i >= 0 ? args[i + 1] : undefined;
  return typeof value === "string" ? value : undefined;
}

/**
 * The `kubelogin get-token` arguments for `login`, built from the arguments AKS wrote. Like
 * `convert-kubeconfig`: `--server-id` (the AKS Entra server application) always; for spn, the tenant and
 * environment AKS wrote (the client id and secret come from the environment); for msi, the chosen identity;
 * nothing else for azurecli and workloadidentity, which read the CLI's account or the environment.
 */
export function kubeloginArgs(
  existing: readonly unknown[],
  login: Pick<NormalizedKubelogin, "mode" | "clientId">,
): string[] {
  const serverId = argAfter(existing, "--server-id");
  if (!serverId) throw new Error("the kubelogin exec arguments have no --server-id");
  const args = ["get-token", "--login", login.mode, "--server-id", serverId];
  switch (login.mode) {
    case "spn": {
      const clientId = argAfter(existing, "--client-id");
      const tenantId = argAfter(existing, "--tenant-id");
      if (!clientId || !tenantId)
        throw new Error("the kubelogin exec arguments have no --client-id or --tenant-id");
      args.push("--client-id", clientId, "--tenant-id", tenantId);
      const environment = argAfter(existing, "--environment");
      if (environment) args.push("--environment", environment);
      break;
    }
    case "msi":
      if (login.clientId) args.push("--client-id", login.clientId);
      break;
    case "azurecli":
    case "workloadidentity":
      break;
  }
  return args;
}

/**
 * Rewrites every user of `kubeconfig` whose exec plugin is kubelogin to the non-interactive `login` mode;
 * other users (client certificates, tokens) are left as they are. Throws on a kubeconfig that is not YAML,
 * or a kubelogin user without the arguments the mode needs: that is a change on AKS's side, not user input.
 */
export function toNonInteractiveKubeconfig(
  kubeconfig: string,
  login: Pick<NormalizedKubelogin, "mode" | "clientId">,
): string {
  const doc = parseDocument(kubeconfig);
  if (doc.errors.length > 0) throw new Error(`the kubeconfig is not YAML: ${doc.errors[0]!.message}`);
  const config: unknown = doc.toJS();
  if (config === null || typeof config !== "object") throw new Error("the kubeconfig is not a mapping");
  const users = (config as { users?: unknown }).users;
  if (!Array.isArray(users)) return kubeconfig;
  let changed = false;
  for (const [i, entry] of users.entries()) {
    const exec = (entry as { user?: { exec?: { command?: unknown; args?: unknown; installHint?: unknown } } })
      ?.user?.exec;
    if (typeof exec?.command !== "string" || !exec.command.toLowerCase().includes("kubelogin")) continue;
    const existing = Array.isArray(exec.args) ? exec.args : [];
    doc.setIn(["users", i, "user", "exec"], {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "kubelogin",
      args: kubeloginArgs(existing, login),
      env: null,
      installHint: typeof exec.installHint === "string" && exec.installHint ? exec.installHint : INSTALL_HINT,
      // Never hand the plugin a terminal: a mode that would prompt fails at once instead of hanging
      // (Kubernetes "client-go credential plugins": interactiveMode Never).
      interactiveMode: "Never",
      provideClusterInfo: false,
    });
    changed = true;
  }
  return changed ? doc.toString() : kubeconfig;
}
