/**
 * Building blocks shared by azlab's guardrail rules: readers for untyped input bags (a rule sees
 * azure-native inputs, where anything may be absent, unknown or "[secret]") and the rule builders.
 * Pure: no Pulumi runtime imports.
 */
import type { Enforcement, PolicyResource, ResourceRule, Rule, Severity, StackRule } from "./types.ts";

export function rec(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = rec(current)?.[key];
  return current;
}

export function eqi(a: unknown, b: string): boolean {
  return typeof a === "string" && a.toLowerCase() === b.toLowerCase();
}

export function lastSegment(id: unknown): string | undefined {
  return typeof id === "string" && id.length > 0 ? id.split("/").pop() : undefined;
}

/** What a rule's definition spells out; the kind and the default enforcement follow from it. */
export type RuleSpec<R extends Rule> = Omit<R, "kind" | "defaultEnforcement">;

/** Errors block (mandatory) and warnings advise, unless a stack lowers the rule. */
export function defaultEnforcement(severity: Severity): Enforcement {
  return severity === "error" ? "mandatory" : "advisory";
}

export function resourceRule(rule: RuleSpec<ResourceRule>): ResourceRule {
  return { kind: "resource", defaultEnforcement: defaultEnforcement(rule.severity), ...rule };
}

export function stackRule(rule: RuleSpec<StackRule>): StackRule {
  return { kind: "stack", defaultEnforcement: defaultEnforcement(rule.severity), ...rule };
}

/**
 * A rule that flags one top-level boolean input set to its unsafe value. An absent input passes:
 * Azure's default is the safe value for every property checked this way.
 */
export function unsafeFlagRule(
  rule: Omit<RuleSpec<ResourceRule>, "check"> & { property: string; unsafe: boolean; fix: string },
): ResourceRule {
  const { property, unsafe, fix, ...spec } = rule;
  return resourceRule({
    ...spec,
    check(resource) {
      return resource.props[property] === unsafe ? [{ message: `${property} is ${unsafe}`, fix }] : [];
    },
  });
}

/** One security rule, node pool or subnet, with the name a message shows for it. */
export interface Part {
  readonly label: string;
  readonly props: Record<string, unknown>;
}

/**
 * The parts a rule checks one by one: a standalone child resource (SecurityRule, AgentPool, Subnet)
 * is one part; its parent (NSG, ManagedCluster, VirtualNetwork) holds them inline in `listKey`.
 * A part is labelled by its Azure name (`<child>Name`, else `name`), else the Pulumi name or position.
 */
export function partsOf(
  resource: PolicyResource,
  childType: string,
  nameKey: string,
  listKey: string,
): Part[] {
  const labelOf = (props: Record<string, unknown>) => str(props[nameKey]) ?? str(props["name"]);
  if (resource.type === childType) {
    return [{ label: labelOf(resource.props) ?? resource.name, props: resource.props }];
  }
  return list(resource.props[listKey]).flatMap((item, index) => {
    const props = rec(item);
    return props ? [{ label: labelOf(props) ?? `#${index}`, props }] : [];
  });
}
