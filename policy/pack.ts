/**
 * Maps azlab's rules onto @pulumi/policy policies. Kept apart from index.ts (which starts the
 * policy server) so that tests can drive the policies with fake arguments.
 */
import type {
  Policies,
  PolicyResource as PackResource,
  ReportViolation,
  ResourceValidationPolicy,
  Severity as PackSeverity,
  StackValidationPolicy,
} from "@pulumi/policy";
import { applyOverride } from "../src/policy/evaluate.ts";
import type {
  PolicyContext,
  PolicyResource,
  ResourceRule,
  Rule,
  Severity,
  StackRule,
} from "../src/policy/types.ts";

/** The policy context of the stack a URN belongs to, or why it could not be built. */
export type ContextFor = (urn: string) => { context: PolicyContext } | { error: string };

/** Name of the extra policy that reports a stack file the pack could not read. */
export const CONFIG_POLICY = "azlab-stack-config";

const SEVERITY: Record<Severity, PackSeverity> = { error: "high", warning: "medium", info: "low" };

/** Suffix of the advisory twin of a mandatory rule, used when a stack lowers that rule. */
export const LOWERED_SUFFIX = "-lowered";

function describe(rule: Rule): string {
  const same = rule.equivalents.length > 0 ? ` Equivalents: ${rule.equivalents.join(", ")}.` : "";
  return `${rule.title}.${same}`;
}

/** Name, description, level and severity of a rule's policy, or of its advisory twin. */
function header(
  rule: Rule,
  twin: boolean,
): Pick<ResourceValidationPolicy, "name" | "description" | "enforcementLevel" | "severity"> {
  return {
    name: twin ? `${rule.id}${LOWERED_SUFFIX}` : rule.id,
    description: twin ? `${describe(rule)} Lowered to advisory by the stack file.` : describe(rule),
    enforcementLevel: twin ? "advisory" : rule.defaultEnforcement,
    severity: SEVERITY[rule.severity],
  };
}

/** The context of the stack that a stack policy sees, from its first resource; undefined for an empty stack. */
function contextOfStack(
  resources: readonly PackResource[],
  contextFor: ContextFor,
): ReturnType<ContextFor> | undefined {
  const first = resources[0];
  return first ? contextFor(first.urn) : undefined;
}

function report(
  reportViolation: ReportViolation,
  message: string,
  note: string,
  fix: string,
  urn?: string,
): void {
  reportViolation(`${message}${note}. Fix: ${fix}`, urn);
}

/**
 * Whether this policy (the rule itself, or its advisory twin) should report for a stack: a stack
 * override moves a mandatory rule's reports to the twin, whose level the engine knows as advisory.
 */
function reportsHere(rule: Rule, twin: boolean, context: PolicyContext): { note: string } | undefined {
  const level = applyOverride(rule, context.overrides);
  if (!level) return undefined;
  const lowered = rule.defaultEnforcement === "mandatory" && level.enforcement === "advisory";
  return lowered === twin ? { note: level.note } : undefined;
}

function resourcePolicy(rule: ResourceRule, contextFor: ContextFor, twin: boolean): ResourceValidationPolicy {
  return {
    ...header(rule, twin),
    validateResource: (args, reportViolation) => {
      if (!rule.resourceTypes.includes(args.type)) return;
      const found = contextFor(args.urn);
      if ("error" in found) return;
      const here = reportsHere(rule, twin, found.context);
      if (!here) return;
      const resource: PolicyResource = { type: args.type, name: args.name, urn: args.urn, props: args.props };
      for (const v of rule.check(resource, found.context))
        report(reportViolation, v.message, here.note, v.fix);
    },
  };
}

function toPolicyResource(r: PackResource): PolicyResource {
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    props: r.props,
    dependencies: r.dependencies.map((d) => d.urn),
  };
}

function stackPolicy(rule: StackRule, contextFor: ContextFor, twin: boolean): StackValidationPolicy {
  return {
    ...header(rule, twin),
    validateStack: (args, reportViolation) => {
      const found = contextOfStack(args.resources, contextFor);
      if (!found || "error" in found) return;
      const here = reportsHere(rule, twin, found.context);
      if (!here) return;
      // Stack outputs arrive decrypted here, so output rules are left to `azlab plan`.
      const violations = rule.check({ resources: args.resources.map(toPolicyResource) }, found.context);
      for (const v of violations) {
        report(reportViolation, v.message, here.note, v.fix, v.resource === "stack" ? undefined : v.resource);
      }
    },
  };
}

/** Reports once per stack when the stack file behind the URNs cannot be read or is invalid. */
function configPolicy(contextFor: ContextFor): StackValidationPolicy {
  return {
    name: CONFIG_POLICY,
    description: "The stack file that the guardrails read (environment, class dates, overrides) is valid.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateStack: (args, reportViolation) => {
      const found = contextOfStack(args.resources, contextFor);
      if (found && "error" in found) reportViolation(found.error);
    },
  };
}

/** One policy per rule, an advisory twin per mandatory rule, and the stack-file check. */
export function buildPolicies(rules: readonly Rule[], contextFor: ContextFor): Policies {
  const policies: Policies = [];
  for (const rule of rules) {
    const twins = rule.defaultEnforcement === "mandatory" ? [false, true] : [false];
    for (const twin of twins) {
      if (rule.kind === "resource") policies.push(resourcePolicy(rule, contextFor, twin));
      else if (rule.inPolicyPack) policies.push(stackPolicy(rule, contextFor, twin));
    }
  }
  policies.push(configPolicy(contextFor));
  return policies;
}
