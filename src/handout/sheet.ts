/**
 * One student's hand-out sheet: where their lab is and the commands to reach each part of it, as plain
 * data, Markdown and JSON. A sheet is built from that student's roster entry and their own outputs
 * entry (outputs.ts) only, so it can hold nothing of another student's or of the hub's.
 */
import type { DeployedStudent } from "./outputs.ts";

export const HANDOUT_VERSION = "azlab.handout/v1";

/** What every sheet of one class shares; none of it is a credential. */
export interface HandoutClass {
  readonly stack: string;
  readonly courseId: string;
  readonly instructor: string;
  /** The class's last day (YYYY-MM-DD), which ends in `timeZone`. */
  readonly expiresOn: string;
  readonly timeZone: string;
  /** Ports the scale set's load balancer serves; the first makes the web URL. */
  readonly webPorts: readonly number[];
  /** Container for the upload example; when there is none the example creates `work`. */
  readonly storageContainer?: string;
}

/** The roster entry's names (schema-checked), for the sheet's heading. */
export interface RosterEntry {
  readonly displayName?: string;
  readonly upn?: string;
  readonly email?: string;
}

/** `outputs`: values of a deployed stack; `plan`: the offline plan, with placeholders for deploy-time values. */
export type HandoutSource = "outputs" | "plan";

export interface Sheet {
  readonly version: typeof HANDOUT_VERSION;
  readonly source: HandoutSource;
  readonly stack: string;
  readonly course: string;
  readonly instructor: string;
  readonly student: string;
  readonly displayName?: string;
  readonly signIn?: string;
  readonly expires: { readonly date: string; readonly timeZone: string };
  readonly resourceGroup: { readonly name: string; readonly portalUrl: string };
  readonly ssh?: {
    readonly host: string;
    readonly user: string;
    readonly firstPort: number;
    readonly lastPort: number;
    readonly command: string;
  };
  readonly web?: { readonly url: string };
  readonly registry?: { readonly loginServer: string; readonly commands: readonly string[] };
  readonly storage?: {
    readonly account: string;
    readonly container: string;
    readonly commands: readonly string[];
  };
  readonly kubernetes?: {
    readonly cluster: string;
    readonly resourceGroup: string;
    readonly namespace?: string;
    readonly commands: readonly string[];
  };
}

/** A value known only once the stack is deployed, in an offline sheet. */
export function placeholder(what: string): string {
  return `<${what} after pulumi up>`;
}

/** The example image every sheet pushes, under the student's own repository path. */
const IMAGE = "hello:1";

/**
 * Builds one student's sheet. With source `plan`, values Azure assigns at deploy time (addresses, DNS
 * names, names hashed with the subscription id) are replaced by placeholders; names azlab derives from
 * the stack alone (resource groups, clusters, namespaces, NAT ports) are already the real ones.
 */
export function buildSheet(
  cls: HandoutClass,
  student: string,
  roster: RosterEntry,
  deployed: DeployedStudent,
  source: HandoutSource,
): Sheet {
  const offline = source === "plan";
  const rg = deployed.resourceGroup ?? placeholder("resource group");
  const portalUrl =
    !offline && deployed.resourceGroupId
      ? `https://portal.azure.com/#resource${deployed.resourceGroupId}/overview`
      : `https://portal.azure.com/#resource/subscriptions/<subscription id>/resourceGroups/${rg}/overview`;
  const hostValue = deployed.webFqdn ?? deployed.webIpAddress;
  const host = hostValue === undefined ? undefined : offline ? placeholder("web address") : hostValue;
  const signIn = roster.upn ?? roster.email;
  return {
    version: HANDOUT_VERSION,
    source,
    stack: cls.stack,
    course: cls.courseId,
    instructor: cls.instructor,
    student,
    ...(roster.displayName !== undefined ? { displayName: roster.displayName } : {}),
    ...(signIn !== undefined ? { signIn } : {}),
    expires: { date: cls.expiresOn, timeZone: cls.timeZone },
    resourceGroup: { name: rg, portalUrl },
    ...(host !== undefined && deployed.ssh
      ? {
          ssh: {
            host,
            user: deployed.ssh.user,
            firstPort: deployed.ssh.firstPort,
            lastPort: deployed.ssh.lastPort,
            command: `ssh -p ${deployed.ssh.firstPort} ${deployed.ssh.user}@${host}`,
          },
        }
      : {}),
    ...(host !== undefined ? { web: { url: webUrl(host, cls.webPorts[0] ?? 80) } } : {}),
    ...(deployed.acrLoginServer !== undefined
      ? { registry: registrySection(deployed.acrLoginServer, student, offline) }
      : {}),
    ...(deployed.storageAccount !== undefined
      ? {
          storage: storageSection(
            offline ? placeholder("storage account") : deployed.storageAccount,
            cls.storageContainer,
          ),
        }
      : {}),
    ...(deployed.cluster !== undefined
      ? { kubernetes: kubernetesSection(deployed.cluster, deployed.namespace) }
      : {}),
  };
}

function webUrl(host: string, port: number): string {
  if (port === 443) return `https://${host}/`;
  return port === 80 ? `http://${host}/` : `http://${host}:${port}/`;
}

function registrySection(
  loginServer: string,
  student: string,
  offline: boolean,
): NonNullable<Sheet["registry"]> {
  const server = offline ? placeholder("registry login server") : loginServer;
  // The registry's name is the login server's first label (`<name>.azurecr.io`).
  const name = offline ? placeholder("registry name") : (loginServer.split(".")[0] ?? loginServer);
  const image = `${server}/${student}/${IMAGE}`;
  return {
    loginServer: server,
    commands: [`az acr login --name ${name}`, `docker tag ${IMAGE} ${image}`, `docker push ${image}`],
  };
}

function storageSection(account: string, configured: string | undefined): NonNullable<Sheet["storage"]> {
  const container = configured ?? "work";
  // Shared keys are off on azlab's accounts: every command signs in with Entra ID (--auth-mode login).
  return {
    account,
    container,
    commands: [
      ...(configured === undefined
        ? [`az storage container create --auth-mode login --account-name ${account} --name ${container}`]
        : []),
      `az storage blob upload --auth-mode login --account-name ${account} --container-name ${container} --name hello.txt --file hello.txt`,
    ],
  };
}

function kubernetesSection(
  cluster: { readonly name: string; readonly resourceGroup: string },
  namespace: string | undefined,
): NonNullable<Sheet["kubernetes"]> {
  return {
    cluster: cluster.name,
    resourceGroup: cluster.resourceGroup,
    ...(namespace !== undefined ? { namespace } : {}),
    commands: [
      `az aks get-credentials --resource-group ${cluster.resourceGroup} --name ${cluster.name}`,
      // Non-interactive sign-in through the Azure CLI's session (Azure/kubelogin: convert-kubeconfig -l azurecli).
      "kubelogin convert-kubeconfig -l azurecli",
      namespace !== undefined ? `kubectl get pods --namespace ${namespace}` : "kubectl get nodes",
    ],
  };
}

/** Escapes text a roster or stack file supplies so Markdown shows it as written. */
function md(text: string): string {
  return text.replace(/[\\`*_[\]<>#|~]/g, (c) => `\\${c}`);
}

/** A URL as an autolink; one with a placeholder in a code span, where Markdown cannot take `<…>` for HTML. */
function link(url: string): string {
  return url.includes("<") ? `\`${url}\`` : `<${url}>`;
}

function block(lines: readonly string[]): string[] {
  return ["```sh", ...lines, "```"];
}

/** The sheet as Markdown, for printing or mailing. */
export function renderSheetMarkdown(sheet: Sheet): string {
  const who = sheet.displayName !== undefined ? `${md(sheet.displayName)} (${sheet.student})` : sheet.student;
  const out: string[] = [`# ${md(sheet.course)}: lab sheet for ${who}`, ""];
  if (sheet.source === "plan") {
    out.push(
      "> Draft from the offline plan: values in \\<angle brackets\\> are known only after `pulumi up`. Run",
      `> \`azlab handout --stack ${sheet.stack} --outputs FILE\` with the deployed stack's outputs for the real ones.`,
      "",
    );
  }
  out.push(
    `- Stack: \`${sheet.stack}\`; instructor: ${md(sheet.instructor)}`,
    ...(sheet.signIn !== undefined ? [`- Sign in to Azure as: \`${sheet.signIn}\``] : []),
    `- Your lab is deleted after **${sheet.expires.date}** (end of the day, ${md(sheet.expires.timeZone)}). Save your work before then.`,
    "",
    "## Resource group",
    "",
    `- Name: \`${sheet.resourceGroup.name}\``,
    `- Azure portal: ${link(sheet.resourceGroup.portalUrl)}`,
    "",
  );
  if (sheet.ssh) {
    const s = sheet.ssh;
    out.push(
      "## SSH",
      "",
      `- Host: \`${s.host}\`; user: \`${s.user}\`; ports: ${s.firstPort}–${s.lastPort} (one per machine the scale set runs; try the next port if one does not answer)`,
      "- Your own SSH key from the roster works, from campus and from the addresses your instructor listed for you.",
      "",
      ...block([s.command]),
      "",
    );
  }
  if (sheet.web) out.push("## Web", "", `- URL: ${link(sheet.web.url)}`, "");
  if (sheet.registry) {
    out.push(
      "## Container registry",
      "",
      `- Login server: \`${sheet.registry.loginServer}\`; push your images under \`${sheet.student}/\``,
      "",
      ...block(sheet.registry.commands),
      "",
    );
  }
  if (sheet.storage) {
    out.push(
      "## Storage",
      "",
      `- Account: \`${sheet.storage.account}\`; container: \`${sheet.storage.container}\` (sign-in with Entra ID, no keys)`,
      "",
      ...block(sheet.storage.commands),
      "",
    );
  }
  if (sheet.kubernetes) {
    const k = sheet.kubernetes;
    out.push(
      "## Kubernetes",
      "",
      `- Cluster: \`${k.cluster}\` in \`${k.resourceGroup}\`${k.namespace !== undefined ? `; your namespace: \`${k.namespace}\`` : ""}`,
      "",
      ...block(k.commands),
      "",
    );
  }
  return out.join("\n");
}

/** The sheet as JSON, for mail-merge tools. */
export function renderSheetJson(sheet: Sheet): string {
  return `${JSON.stringify(sheet, null, 2)}\n`;
}
