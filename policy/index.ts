/**
 * azlab's guardrails as a Pulumi policy pack:
 *   pulumi preview --policy-pack policy
 * The rules are the ones `azlab plan` reports as findings (src/policy/rules.ts).
 */
import { PolicyPack } from "@pulumi/policy";
import { rules } from "../src/policy/rules.ts";
import { buildPolicies } from "./pack.ts";
import { defaultStacksDir, stackFileContexts } from "./stackContext.ts";

new PolicyPack("azlab", {
  policies: buildPolicies(rules, stackFileContexts(defaultStacksDir())),
});
