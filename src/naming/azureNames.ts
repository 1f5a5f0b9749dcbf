/**
 * Azure physical names: one scheme for every resource azlab creates, `<abbreviation>-<parts…>`
 * (for example `vnet-azlab-dev-main`), with each type's length and character rules. Abbreviations
 * follow the Cloud Adoption Framework's list ("Abbreviation recommendations for Azure resources");
 * the rules follow "Naming rules and restrictions for Azure resources" (learn.microsoft.com,
 * azure-resource-manager/management/resource-name-rules). Pure: no Pulumi imports.
 *
 * Logical (Pulumi) names are a separate concern: see `logicalName` below.
 */
import type { Problem } from "../errors.ts";
import { NAME_HASH_LENGTH, shortHash } from "./globalNames.ts";
import { journaled } from "../model/journal.ts";

/** How one Azure resource type may be named. */
export interface AzureNameRule {
  /** CAF abbreviation that starts every name of this type. */
  readonly abbreviation: string;
  readonly minLength: number;
  readonly maxLength: number;
  /** The whole name must match this pattern. */
  readonly pattern: RegExp;
  /** What `pattern` allows, in words, for error messages. */
  readonly allowed: string;
  /** Whether a hyphen may separate parts (false for storage accounts and registries). */
  readonly hyphens: boolean;
  /** Only lowercase letters. */
  readonly lowercase: boolean;
}

const ALNUM_DASH_DOT_UNDERSCORE = "letters, digits, hyphens, underscores and periods";

function rule(
  abbreviation: string,
  minLength: number,
  maxLength: number,
  pattern: RegExp,
  allowed: string,
  options: { hyphens?: boolean; lowercase?: boolean } = {},
): AzureNameRule {
  return {
    abbreviation,
    minLength,
    maxLength,
    pattern,
    allowed,
    hyphens: options.hyphens ?? true,
    lowercase: options.lowercase ?? false,
  };
}

/** Starts with a letter or digit, ends with a letter, digit or underscore (Microsoft.Network names). */
const NETWORK_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;

/** The naming rule of every resource type azlab names. */
export const AZURE_NAME_RULES = {
  resourceGroup: rule(
    "rg",
    1,
    90,
    /^[-\w.()]*[-\w()]$/,
    `${ALNUM_DASH_DOT_UNDERSCORE} and parentheses, not ending in a period`,
  ),
  virtualNetwork: rule("vnet", 2, 64, NETWORK_NAME, ALNUM_DASH_DOT_UNDERSCORE),
  subnet: rule("snet", 1, 80, NETWORK_NAME, ALNUM_DASH_DOT_UNDERSCORE),
  networkSecurityGroup: rule("nsg", 1, 80, NETWORK_NAME, ALNUM_DASH_DOT_UNDERSCORE),
  applicationSecurityGroup: rule("asg", 1, 80, NETWORK_NAME, ALNUM_DASH_DOT_UNDERSCORE),
  publicIp: rule("pip", 1, 80, NETWORK_NAME, ALNUM_DASH_DOT_UNDERSCORE),
  natGateway: rule("ng", 1, 80, NETWORK_NAME, ALNUM_DASH_DOT_UNDERSCORE),
  loadBalancer: rule("lbe", 1, 80, NETWORK_NAME, ALNUM_DASH_DOT_UNDERSCORE),
  routeTable: rule("rt", 1, 80, NETWORK_NAME, ALNUM_DASH_DOT_UNDERSCORE),
  bastion: rule("bas", 1, 80, NETWORK_NAME, ALNUM_DASH_DOT_UNDERSCORE),
  virtualNetworkPeering: rule("peer", 1, 80, NETWORK_NAME, ALNUM_DASH_DOT_UNDERSCORE),
  networkInterface: rule("nic", 1, 80, NETWORK_NAME, ALNUM_DASH_DOT_UNDERSCORE),
  /** Microsoft.Compute/disks: start with a letter or digit, end with one or an underscore. */
  managedDisk: rule(
    "disk",
    1,
    80,
    /^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/,
    ALNUM_DASH_DOT_UNDERSCORE,
  ),
  virtualMachine: rule(
    "vm",
    1,
    64,
    /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/,
    "letters, digits, hyphens and periods, not ending in a period or hyphen",
  ),
  // Linux length; the page forbids "_", "." and most punctuation, and a trailing hyphen.
  virtualMachineScaleSet: rule(
    "vmss",
    1,
    64,
    /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
    "letters, digits and hyphens, starting and ending with a letter or digit",
  ),
  autoscaleSetting: rule(
    "as",
    1,
    260,
    // Control characters are refused too; the pattern lists printable ones, checkAzureName the rest.
    /^[^<>*%&:\\?/#|+]*[^<>*%&:\\?/#|+ .]$/,
    "any characters except <>*%&:\\?/#|+ and control characters, not ending in a space or period",
  ),
  managedCluster: rule(
    "aks",
    1,
    63,
    /^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$/,
    "letters, digits, hyphens and underscores, starting and ending with a letter or digit",
  ),
  /**
   * AKS's own resource group for nodes. AKS refuses more than 80 characters ("The length of the node resource
   * group name is too long. The maximum length is 80", rancher/rancher #21264, Azure/aad-pod-identity #810), and
   * the name becomes the value of a node label, which Kubernetes caps at 63 (Azure/bicep-registry-modules #5109).
   */
  nodeResourceGroup: rule("rg", 1, 63, /^[-\w.()]*[-\w()]$/, `${ALNUM_DASH_DOT_UNDERSCORE} and parentheses`),
  userAssignedIdentity: rule(
    "id",
    3,
    128,
    /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
    "letters, digits, hyphens and underscores, starting with a letter or digit",
  ),
  budget: rule("budget", 1, 63, /^[A-Za-z0-9_-]+$/, "letters, digits, hyphens and underscores"),
  /** Global: 3–24 lowercase letters and digits. */
  storageAccount: rule("st", 3, 24, /^[a-z0-9]+$/, "lowercase letters and digits", {
    hyphens: false,
    lowercase: true,
  }),
  /** Global: 5–50 letters and digits (azlab uses lowercase). */
  containerRegistry: rule("cr", 5, 50, /^[a-z0-9]+$/, "lowercase letters and digits", {
    hyphens: false,
    lowercase: true,
  }),
} as const satisfies Record<string, AzureNameRule>;

export type AzureNameKind = keyof typeof AZURE_NAME_RULES;

/** Letters and digits of `part` that `rule` allows, lowercased where the rule needs it. */
function cleanPart(part: string, kindRule: AzureNameRule): string {
  const lowered = kindRule.lowercase ? part.toLowerCase() : part;
  return kindRule.hyphens
    ? lowered
        .replace(/[^A-Za-z0-9-]/g, "-")
        .replace(/-+/g, "-")
        .replace(/^-|-$/g, "")
    : lowered.replace(/[^a-z0-9]/g, "");
}

/**
 * The Azure name of a `kind` resource built from `parts` (prefix, stack, environment, role …):
 * `<abbreviation>-<part>-<part>…`. A name over the type's limit keeps its start and ends in a hash
 * of the full name, so it stays unique and stable.
 */
export function azureName(kind: AzureNameKind, parts: readonly string[]): string {
  return journaled(`${AZURE_NAME}${kind}`, JSON.stringify(parts), composeName(kind, parts));
}

/** Journal kinds (src/model/journal.ts) of the name builders; a seed is the JSON of the arguments. */
export const AZURE_NAME = "azure-name:";
export const GLOBAL_AZURE_NAME = "global-azure-name:";
export const COMPUTER_NAME_PREFIX = "computer-name-prefix";
export const DNS_PREFIX = "aks-dns-prefix";
export const VM_COMPUTER_NAME = "vm-computer-name:";

/** An AKS cluster's default DNS prefix: its name with hyphens for underscores, within AKS's 54 characters. */
export function defaultDnsPrefix(clusterName: string): string {
  return journaled(DNS_PREFIX, clusterName, clusterName.replace(/_/g, "-").slice(0, 54));
}

/**
 * A VM's default computer name: `base` (its name) in letters, digits and hyphens, cut to `limit` (15 for
 * Windows, 64 for Linux), never only digits. The journal kind ends in the limit.
 */
export function defaultVmComputerName(base: string, limit: number): string {
  const derived = base
    .replace(/[^A-Za-z0-9-]/g, "")
    .slice(0, limit)
    .replace(/^-+|-+$/g, "");
  const name = derived === "" || /^\d+$/.test(derived) ? `vm${derived}`.slice(0, limit) : derived;
  return journaled(`${VM_COMPUTER_NAME}${limit}`, base, name);
}

/**
 * The default computer-name prefix of a component's VMs: its name squeezed to lowercase letters and digits,
 * at most 9 characters so that the instance suffix Azure appends stays within a 15-character host name.
 */
export function defaultComputerNamePrefix(componentName: string): string {
  const squeezed =
    componentName
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "")
      .slice(0, 9) || "vm";
  return journaled(COMPUTER_NAME_PREFIX, componentName, squeezed);
}

function composeName(kind: AzureNameKind, parts: readonly string[]): string {
  const kindRule: AzureNameRule = AZURE_NAME_RULES[kind];
  const separator = kindRule.hyphens ? "-" : "";
  const cleaned = [kindRule.abbreviation, ...parts.map((p) => cleanPart(p, kindRule))].filter(
    (p) => p.length > 0,
  );
  const full = cleaned.join(separator);
  if (full.length <= kindRule.maxLength) return full;
  const hash = shortHash(full);
  const keep = kindRule.maxLength - NAME_HASH_LENGTH - separator.length;
  return `${full.slice(0, keep).replace(/-+$/, "")}${separator}${hash}`;
}

/**
 * A globally unique name (storage account, registry): abbreviation, the parts squeezed to letters and
 * digits, and a hash of `seed` so that two stacks, or two adopters, never collide.
 */
export function globalAzureName(
  kind: "storageAccount" | "containerRegistry",
  parts: readonly string[],
  seed: string,
): string {
  const kindRule: AzureNameRule = AZURE_NAME_RULES[kind];
  const body = [kindRule.abbreviation, ...parts.map((p) => cleanPart(p, kindRule))].join("");
  return journaled(
    `${GLOBAL_AZURE_NAME}${kind}`,
    JSON.stringify([parts, seed]),
    `${body.slice(0, kindRule.maxLength - NAME_HASH_LENGTH)}${shortHash(seed)}`,
  );
}

/** No Azure name may hold a control character (U+0000–U+001F, U+007F). */
function hasControlCharacter(name: string): boolean {
  return [...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
}

/** Problems with a name the user wrote for a `kind` resource, at `path`. */
export function checkAzureName(kind: AzureNameKind, name: string, path: string): Problem[] {
  const kindRule: AzureNameRule = AZURE_NAME_RULES[kind];
  const lengthOk = name.length >= kindRule.minLength && name.length <= kindRule.maxLength;
  if (lengthOk && kindRule.pattern.test(name) && !hasControlCharacter(name)) return [];
  return [
    {
      path,
      message: `is not a valid ${kind} name`,
      value: name,
      allowed: `${kindRule.minLength} to ${kindRule.maxLength} characters: ${kindRule.allowed}`,
    },
  ];
}

/**
 * The logical (Pulumi) name of a component's child. The main child takes the component's own name;
 * any other child takes `${component}-${role}`, and a role never repeats the component's type.
 */
export function logicalName(component: string, role?: string): string {
  return role ? `${component}-${role}` : component;
}
