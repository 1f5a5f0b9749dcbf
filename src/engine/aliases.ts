/**
 * The aliases azlab's code declares, as URNs, so that `azlab diff` can tell a rename Pulumi will
 * follow (an alias names the old URN: the state moves, an update) from one it will not (delete and
 * create). Pure URN arithmetic, the same as the Pulumi SDK's `createUrn` and `inheritedChildAlias`.
 */
import { ResourceType } from "../azure/catalog.ts";

/** An alias as the engine receives it: a URN, or a spec whose empty fields mean "as the resource". */
export interface AliasSpec {
  readonly urn?: string;
  readonly name?: string;
  readonly type?: string;
  readonly stack?: string;
  readonly project?: string;
  /** The alias's parent; absent means the resource's own parent. */
  readonly parentUrn?: string;
  /** The alias had no parent (a top-level resource). */
  readonly noParent?: boolean;
}

/** The package of azlab's own component types (`azlab:network:VirtualNetwork`). */
const AZLAB_PACKAGE_PREFIX = "azlab:";

/**
 * Provider SDKs alias their types' history: every earlier API version (azure-native adds dozens per
 * resource, `azure-native:network/v20230201:VirtualNetwork`; kubernetes a few) and renamed modules
 * (`azure-native:insights:AutoscaleSetting`). Each is a type-only alias into the provider's own package
 * on one of its resources; none names an earlier azlab URN, and resolving them took half of an
 * offline run's time.
 */
export function isProviderVersionAlias(alias: unknown, type: string): boolean {
  if (alias === null || typeof alias !== "object") return false;
  const aliasType = (alias as { type?: unknown }).type;
  if (typeof aliasType !== "string" || aliasType === type) return false;
  // Called for each of a resource's dozens of aliases: compare the package prefix without splitting.
  const packageEnd = type.indexOf(":") + 1;
  if (packageEnd === 0 || type.startsWith(AZLAB_PACKAGE_PREFIX)) return false;
  return aliasType.startsWith(type.slice(0, packageEnd)) && Object.keys(alias).length === 1;
}

/**
 * The URN of `type::name` under `parentUrn` (the stack or none: top level), as the offline engine
 * forms it: Pulumi's mock monitor puts only the parent's own type before the child's (the real engine
 * keeps the whole chain), and the root stack is never part of it. Plans compare URNs of the same
 * engine, so an alias must be spelled the same way to match.
 */
export function childUrn(
  parentUrn: string | undefined,
  type: string,
  name: string,
  stack: string,
  project: string,
): string {
  const parentType = parentUrn?.split("::")[2]?.split("$").pop();
  const qualified = parentType && parentType !== ResourceType.Stack ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** The URN an alias spec names for a resource `type::name` under `parentUrn`. */
export function aliasUrn(
  alias: AliasSpec,
  resource: { readonly type: string; readonly name: string; readonly parentUrn?: string },
  stack: string,
  project: string,
): string {
  if (alias.urn) return alias.urn;
  const parent = alias.noParent ? undefined : alias.parentUrn || resource.parentUrn;
  return childUrn(
    parent,
    alias.type || resource.type,
    alias.name || resource.name,
    alias.stack || stack,
    alias.project || project,
  );
}

/** The type and name at the end of a URN. */
function typeAndName(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const chain = parts[2] ?? "";
  return { type: chain.slice(chain.lastIndexOf("$") + 1), name: parts.slice(3).join("::") };
}

/**
 * A child of an aliased parent is also known under that parent's old URN; when its name starts with
 * the parent's name (`{name}-vnet`), under the old name's prefix too (the engine's `inheritedChildAlias`).
 */
function inheritedAlias(
  childType: string,
  childName: string,
  parentName: string,
  parentAlias: string,
): string {
  const oldParentName = typeAndName(parentAlias).name;
  const name = childName.startsWith(parentName)
    ? `${oldParentName}${childName.slice(parentName.length)}`
    : childName;
  const { stack, project } = stackAndProject(parentAlias);
  return childUrn(parentAlias, childType, name, stack, project);
}

function stackAndProject(urn: string): { stack: string; project: string } {
  const parts = urn.split("::");
  return { stack: (parts[0] ?? "").replace(/^urn:pulumi:/, ""), project: parts[1] ?? "" };
}

interface AliasNode {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent?: string;
  readonly aliases?: readonly string[];
}

/**
 * Every resource's aliases with those inherited from its ancestors' aliases added, sorted and without
 * repeats; resources without any are left out. Parents are resolved once each (memo), cycles stop.
 */
export function withInheritedAliases(nodes: readonly AliasNode[]): Map<string, string[]> {
  const byUrn = new Map(nodes.map((n) => [n.urn, n]));
  const memo = new Map<string, string[]>();
  const resolve = (node: AliasNode, visiting: Set<string>): string[] => {
    const known = memo.get(node.urn);
    if (known) return known;
    const own = [...(node.aliases ?? [])];
    const parent = node.parent ? byUrn.get(node.parent) : undefined;
    const all = new Set(own);
    if (parent && !visiting.has(parent.urn)) {
      visiting.add(node.urn);
      for (const parentAlias of resolve(parent, visiting)) {
        all.add(inheritedAlias(node.type, node.name, parent.name, parentAlias));
        for (const alias of own) {
          const { type, name } = typeAndName(alias);
          all.add(inheritedAlias(type, name, parent.name, parentAlias));
        }
      }
    }
    all.delete(node.urn);
    const sorted = [...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    memo.set(node.urn, sorted);
    return sorted;
  };
  const result = new Map<string, string[]>();
  for (const node of nodes) {
    const aliases = resolve(node, new Set());
    if (aliases.length > 0) result.set(node.urn, aliases);
  }
  return result;
}
