/** Shared shapes of azlab's guardrail rules; pure, no Pulumi runtime imports. */

export type Severity = "error" | "warning" | "info";
export type Enforcement = "mandatory" | "advisory";
export type Environment = "dev" | "prod" | "class";

/** A stack's written decision to lower one rule; the stack schema rejects an override without a reason. */
export interface RuleOverride {
  readonly enforcement: "advisory" | "disabled";
  readonly reason: string;
}

export interface PolicyContext {
  readonly environment: Environment;
  readonly stack: string;
  /** The instant "now" for date rules, injected so results are reproducible. */
  readonly asOf: Date;
  /** Tag keys every taggable resource must carry. */
  readonly requiredTags: readonly string[];
  /** Class stacks only: the last day of the class, YYYY-MM-DD. */
  readonly expiresOn?: string;
  /** Class stacks only: IANA zone in which expiresOn is read. */
  readonly timeZone?: string;
  readonly overrides: Readonly<Record<string, RuleOverride>>;
  /**
   * `azlab:nsg.waivers` and each `azlab:nsg.subnets.<subnet>.waivers`: security rules, by name, that may stay
   * open to the internet (AZL-NSG-001/002).
   */
  readonly nsgWaivers?: Readonly<Record<string, { readonly reason: string }>>;
  /**
   * `azlab:network.reservedCidrs`: networks outside the stack with a path into it (campus, on-premises,
   * peered), as CIDR text. Undefined when unknown; AZL-NSG-004 then never calls a private source unreachable.
   */
  readonly connectedCidrs?: readonly string[];
  /** Class stacks only: students with no Entra object id, UPN or email, in roster order (AZL-CLS-002). */
  readonly studentsWithoutIdentity?: readonly string[];
  /** The stack's budget and what its estimate needs; only when the stack sets one (AZL-COST-001). */
  readonly budget?: BudgetContext;
}

/** `azlab:class.budget` or `azlab:budget`, with the stack's region and usage assumptions. */
export interface BudgetContext {
  /** The key the budget is written under, for messages. */
  readonly key: string;
  /** A month's budget, USD. */
  readonly amount: number;
  /** A month's budget per student, USD. */
  readonly perStudent?: number;
  readonly location: string;
  readonly assumptions: Readonly<Record<string, number | undefined>>;
  /** `azlab:class.stopClusterOutsideClassHours`: idle AKS nodes bill nothing. */
  readonly stopClusterOutsideClassHours?: boolean;
}

/** A resource as a rule sees it: azure-native INPUT properties, secrets already redacted. */
export interface PolicyResource {
  readonly type: string;
  readonly name: string;
  readonly urn?: string;
  readonly props: Record<string, unknown>;
  /** The parent's URN offline (the cost estimate pairs a scale set with its autoscale setting by it). */
  readonly parent?: string;
  /** URNs this resource depends on; links resources whose ids are still unknown in a preview. */
  readonly dependencies?: readonly string[];
}

export interface Violation {
  readonly message: string;
  readonly fix: string;
}

/** A violation tied to the resource that caused it; "stack" for whole-stack problems. */
export interface StackViolation extends Violation {
  readonly resource: string;
}

interface RuleBase {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly defaultEnforcement: Enforcement;
  /** Equivalent Checkov, Trivy (AVD) and PSRule for Azure rule ids, where one exists. */
  readonly equivalents: readonly string[];
}

/** Looks at one resource at a time; runs in `pulumi preview --policy-pack` and offline. */
export interface ResourceRule extends RuleBase {
  readonly kind: "resource";
  readonly resourceTypes: readonly string[];
  check(resource: PolicyResource, context: PolicyContext): Violation[];
}

/** Needs the whole stack (cross-resource links, missing companions, outputs). */
export interface StackRule extends RuleBase {
  readonly kind: "stack";
  readonly resourceTypes: readonly string[];
  /** False when the policy pack cannot see what the rule needs (stack outputs): offline only. */
  readonly inPolicyPack: boolean;
  check(stack: PolicyStack, context: PolicyContext): StackViolation[];
}

export type Rule = ResourceRule | StackRule;

export interface PolicyStack {
  readonly resources: readonly PolicyResource[];
  /** Stack outputs with secrets as "[secret]"; undefined when not visible (policy pack). */
  readonly outputs?: Record<string, unknown>;
}
