/**
 * The one rule for stack names, used wherever a name comes from the user, a file name or CI.
 * Pulumi allows letters, digits, `-`, `_` and `.` in a stack name (Pulumi docs, "Stacks": "Stack
 * names may only contain alphanumeric characters, hyphens, underscores, or periods"). azlab also
 * bounds the length so that a class's resource group `rg-<namePrefix>-<stack>-<student>` fits
 * Azure's 90 characters (learn.microsoft.com, resource-name-rules, Microsoft.Resources/resourcegroups).
 * Refusing everything else also stops path traversal (`../../x`) and names that split in shell loops.
 */
import { UserError } from "../errors.ts";

/** Longest `azlab:namePrefix` (src/config/schema.ts: 2–15 characters). */
export const MAX_NAME_PREFIX_LENGTH = 15;
/** Longest student id (src/config/schema.ts keyName: 1–31 characters). */
export const MAX_STUDENT_KEY_LENGTH = 31;
/** Azure's limit on a resource group name. */
export const RESOURCE_GROUP_MAX_LENGTH = 90;
/** `rg-` + prefix + `-` + stack + `-` + student id must fit the resource group limit. */
export const MAX_STACK_NAME_LENGTH =
  RESOURCE_GROUP_MAX_LENGTH - "rg-".length - MAX_NAME_PREFIX_LENGTH - MAX_STUDENT_KEY_LENGTH - 2;

export const STACK_NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

export const STACK_NAME_ALLOWED = `1 to ${MAX_STACK_NAME_LENGTH} letters, digits, "-", "_" or ".", not "." or ".."`;

/** Why `name` is not a stack name, or undefined when it is one. */
export function stackNameProblem(name: string): string | undefined {
  if (name.length === 0) return "is empty";
  if (name.length > MAX_STACK_NAME_LENGTH) return `is ${name.length} characters long`;
  if (!STACK_NAME_PATTERN.test(name)) return "has characters other than letters, digits, -, _ and .";
  if (name === "." || name === "..") return "is a path, not a name";
  return undefined;
}

export function isStackName(name: string): boolean {
  return stackNameProblem(name) === undefined;
}

/** The message for a bad stack name from `source` (for example `--stack`): value, reason, rule. */
export function stackNameMessage(name: string, source: string): string | undefined {
  const problem = stackNameProblem(name);
  return problem === undefined
    ? undefined
    : `${source}: stack name ${JSON.stringify(name)} ${problem} (allowed: ${STACK_NAME_ALLOWED})`;
}

/** Throws a UserError naming the value, the source and the pattern unless `name` is a stack name. */
export function assertStackName(name: string, source: string): string {
  const message = stackNameMessage(name, source);
  if (message !== undefined) throw new UserError(message);
  return name;
}
