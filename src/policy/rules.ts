/**
 * azlab's guardrail rules. One array feeds both the Pulumi policy pack (/policy, for
 * `pulumi preview --policy-pack`) and the offline `azlab plan` findings (./evaluate.ts).
 *
 * Rules read azure-native INPUT properties. Offline, secrets arrive as "[secret]" and unknown
 * (computed) values as undefined, so a rule must never treat "absent" as proof of a violation
 * unless Azure's own default for an absent value is the unsafe one.
 * Pure: no Pulumi runtime imports.
 */
import {
  lbIpSkuMismatch,
  loadBalancerBasic,
  nsgAnyPort,
  nsgSensitivePorts,
  publicIpBasic,
  subnetWithoutNsg,
} from "./networkRules.ts";
import { nsgRuleNeverMatches } from "./nsgNeverMatches.ts";
import {
  acrAdminUser,
  acrAnonymousPull,
  acrExports,
  acrPremiumOnLowerSku,
  storageBlobPublic,
  storageCopyScope,
  storageHttpsOnly,
  storageMinTls,
  storageSharedKey,
  storageSoftDelete,
} from "./dataRules.ts";
import {
  aksAuthorizedIps,
  aksAutoscaling,
  aksImageCleaner,
  aksKubeconfigSecret,
  aksLocalAccounts,
  aksMaxPods,
  aksNetworkPolicy,
  aksNpmRetiring,
  aksRbac,
  aksRunCommand,
} from "./aksRules.ts";
import {
  autoscaleScheduleFloor,
  vmssAutoOsUpgrade,
  vmssPasswordAuth,
  vmssRollingHealth,
  vmssTrustedLaunchUnknownSize,
} from "./computeRules.ts";
import { classExpiry, requiredTags, studentIdentity } from "./hygieneRules.ts";
import { budgetExceeded } from "./costRules.ts";
import { applianceRouteToNowhere } from "./routeRules.ts";
import type { Rule } from "./types.ts";

export type * from "./types.ts";
export { SHARED_KEY_CONSUMERS_TAG } from "./dataRules.ts";

/** Every rule, in the order they are documented. */
export const rules: readonly Rule[] = [
  nsgSensitivePorts,
  nsgAnyPort,
  subnetWithoutNsg,
  nsgRuleNeverMatches,
  storageHttpsOnly,
  storageMinTls,
  storageBlobPublic,
  storageSharedKey,
  storageSoftDelete,
  storageCopyScope,
  acrAdminUser,
  acrAnonymousPull,
  acrPremiumOnLowerSku,
  acrExports,
  aksRbac,
  aksNetworkPolicy,
  aksLocalAccounts,
  aksAuthorizedIps,
  aksAutoscaling,
  aksMaxPods,
  aksKubeconfigSecret,
  aksNpmRetiring,
  aksRunCommand,
  aksImageCleaner,
  vmssPasswordAuth,
  vmssAutoOsUpgrade,
  vmssRollingHealth,
  autoscaleScheduleFloor,
  vmssTrustedLaunchUnknownSize,
  publicIpBasic,
  loadBalancerBasic,
  lbIpSkuMismatch,
  applianceRouteToNowhere,
  classExpiry,
  studentIdentity,
  requiredTags,
  budgetExceeded,
];

export function ruleById(id: string): Rule | undefined {
  return rules.find((rule) => rule.id === id);
}
