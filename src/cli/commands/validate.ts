import type { Command } from "commander";
import { loadStackFile, resolveStackFile, displayPath } from "../../config/stackFile.ts";
import { UserError } from "../../errors.ts";
import { evaluateResources, policyContextFromConfig, type Finding } from "../../policy/evaluate.ts";
import { parseAsOf } from "./expired.ts";

/**
 * The stack-file key behind each guardrail that the user's settings can trip. A rule not listed
 * checks something azlab's components always set, so its finding names the rule alone.
 */
export const RULE_KEYS: Readonly<Record<string, string>> = {
  "AZL-NSG-001": "azlab:nsg.rules",
  "AZL-NSG-002": "azlab:nsg.rules",
  "AZL-AKS-004": "azlab:aks.authorizedIpRanges",
  "AZL-AKS-006": "azlab:aks",
  "AZL-ACR-003": "azlab:registry.sku",
  "AZL-CLS-001": "azlab:class.expiresOn",
};

/** One line per finding that would block `pulumi preview --policy-pack`, at the key the user wrote. */
export function blockingFindingLines(findings: readonly Finding[], file: string): string[] {
  return findings
    .filter((f) => f.severity === "error" && f.enforcement === "mandatory")
    .map((f) => {
      const key = RULE_KEYS[f.id];
      const where = key ? `${file}: ${key}: ` : `${file}: `;
      const resource = f.resource === "stack" ? "" : ` on ${f.resource.split("::").at(-1) ?? f.resource}`;
      return `${where}${f.message}${resource} [${f.id}] (allowed: ${f.fix}, or lower the rule under azlab:policy.overrides.${f.id} with a reason)`;
    });
}

/**
 * `azlab validate`: every config and address problem of one stack file, in one run, and then every
 * guardrail error the plan would report. What `plan` or the policy pack refuses, validate refuses first,
 * without starting the Pulumi runtime.
 */
export function registerValidateCommand(program: Command): void {
  program
    .command("validate")
    .description(
      "Check a stack file: schema, addresses, Azure's rules, guardrails. Prints every problem at once; exit 1 if any.",
    )
    .option("--stack <name>", "stack name; reads <stacks-dir>/Pulumi.<name>.yaml")
    .option("--config-file <path>", "any stack file, like the Pulumi CLI's --config-file")
    .option("--stacks-dir <dir>", "folder of stack files", "stacks")
    .option("--as-of <date>", "judge class expiry at this date (YYYY-MM-DD, 00:00 UTC) instead of now")
    .addHelpText(
      "after",
      "\nExamples:\n  azlab validate --stack dev\n  azlab validate --config-file stacks/Pulumi.class-demo.yaml",
    )
    .action(async (options: { stack?: string; configFile?: string; stacksDir: string; asOf?: string }) => {
      const asOf = options.asOf === undefined ? new Date() : parseAsOf(options.asOf);
      const ref = resolveStackFile(options);
      const loaded = loadStackFile(ref.path, ref.stack);
      // Loaded on use, so other commands never read them. Neither loads the Pulumi SDK (issue #16; a test
      // spawns this command and fails if it does): pre-flight and the projection are plain functions.
      const { prepareStack } = await import("../../program/preflight.ts");
      const { projectStack, projectedRules } = await import("../../program/policyProjection.ts");
      const prepared = prepareStack(loaded);
      const shown = displayPath(ref.path);
      // The guardrails over the records the program would register, built by the same pure functions the
      // components call (policyProjection.ts); tests/policy/projection.test.ts holds the findings equal to
      // those of the full offline plan, so `plan` and `validate` never disagree.
      const context = policyContextFromConfig(loaded, asOf);
      const findings = evaluateResources(projectStack(prepared.plan), context, undefined, projectedRules);
      const blocking = blockingFindingLines(findings, shown);
      if (blocking.length > 0) {
        throw new UserError(
          blocking,
          `${shown}: ${blocking.length} guardrail error${blocking.length === 1 ? "" : "s"} that \`azlab plan\` and \`pulumi preview --policy-pack\` would report:`,
        );
      }
      const vnets = Object.values(prepared.plan.environments).length;
      process.stdout.write(
        `${shown}: valid (${loaded.config.environment} stack "${ref.stack}", ${vnets} environment${vnets === 1 ? "" : "s"})\n`,
      );
      for (const note of prepared.notes) process.stdout.write(`  note: ${note}\n`);
      // Over-budget estimates are warnings: the stack is valid, but the instructor should know (docs/costs.md).
      for (const f of findings.filter((x) => x.id.startsWith("AZL-COST-"))) {
        process.stdout.write(`  warning: ${f.message} [${f.id}] (${f.fix})\n`);
      }
    });
}
