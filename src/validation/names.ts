/**
 * How a component names its Azure resources. Every physical name comes from src/naming/azureNames.ts:
 * `<abbreviation>-<part>-<part>…[-<role>]`, so Pulumi never auto-names an Azure resource and a stack has
 * one naming scheme. The program passes `[namePrefix, stack, envKey]` as the parts.
 */
import type { Problem } from "../errors.ts";
import { azureName, checkAzureName, type AzureNameKind } from "../naming/azureNames.ts";

/** The naming argument every component accepts. */
export interface AzureNaming {
  /**
   * Parts that follow the CAF abbreviation in every Azure name the component derives, for example
   * `["azlab", "dev", "main"]` gives `vnet-azlab-dev-main`. Each part needs a letter or digit.
   * Defaults to the component's own (Pulumi) name.
   */
  readonly nameParts?: readonly string[];
}

/** The parts to derive names from, and a problem for every part that would vanish from a name. */
export function resolveNameParts(
  naming: AzureNaming,
  componentName: string,
): { parts: readonly string[]; problems: Problem[] } {
  const parts = naming.nameParts ?? [componentName];
  const problems: Problem[] = [];
  if (parts.length === 0) {
    problems.push({
      path: "nameParts",
      message: "is empty",
      allowed: "at least one part, such as the stack name",
    });
  }
  parts.forEach((part, i) => {
    if (typeof part !== "string" || !/[A-Za-z0-9]/.test(part)) {
      problems.push({
        path: `nameParts[${i}]`,
        message: "has no letter or digit to put in an Azure name",
        value: part,
        allowed: "text with at least one letter or digit",
      });
    }
  });
  return { parts, problems };
}

/**
 * The Azure name of a component's `kind` resource: the explicit name the caller gave at `key` (checked
 * against Azure's rules), or one derived from the parts and an optional role.
 */
export function resolveAzureName(
  kind: AzureNameKind,
  explicit: string | undefined,
  key: string,
  parts: readonly string[],
  problems: Problem[],
  role?: string,
): string {
  if (explicit === undefined) return azureName(kind, role ? [...parts, role] : parts);
  problems.push(...checkAzureName(kind, explicit, key));
  return explicit;
}
