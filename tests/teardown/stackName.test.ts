import { describe, expect, it } from "vitest";
import {
  MAX_NAME_PREFIX_LENGTH,
  MAX_STACK_NAME_LENGTH,
  MAX_STUDENT_KEY_LENGTH,
  assertStackName,
  isStackName,
  stackNameMessage,
} from "../../src/config/stackName.ts";
import { UserError } from "../../src/errors.ts";
import { checkAzureName } from "../../src/naming/azureNames.ts";

const ALLOWED = '1 to 39 letters, digits, "-", "_" or ".", not "." or ".."';

describe("stack names", () => {
  it.each(["dev", "prod", "class-demo", "Class_2027.spring", "a", "x".repeat(39)])("accepts %j", (name) => {
    expect(isStackName(name)).toBe(true);
    expect(assertStackName(name, "--stack")).toBe(name);
  });

  it.each([
    ["", "is empty"],
    [".", "is a path, not a name"],
    ["..", "is a path, not a name"],
    ["../../x", "has characters other than letters, digits, -, _ and ."],
    ["a/b", "has characters other than letters, digits, -, _ and ."],
    ["net101\nactive-2099", "has characters other than letters, digits, -, _ and ."],
    ["x y", "has characters other than letters, digits, -, _ and ."],
    ["$(id)", "has characters other than letters, digits, -, _ and ."],
    ["café", "has characters other than letters, digits, -, _ and ."],
    ["x".repeat(40), "is 40 characters long"],
  ])("refuses %j: it %s", (name, reason) => {
    expect(isStackName(name)).toBe(false);
    const message = `--stack: stack name ${JSON.stringify(name)} ${reason} (allowed: ${ALLOWED})`;
    expect(stackNameMessage(name, "--stack")).toBe(message);
    expect(() => assertStackName(name, "--stack")).toThrow(new UserError(message));
  });

  it("keeps the longest class resource group name within Azure's 90 characters", () => {
    const longest = `rg-${"p".repeat(MAX_NAME_PREFIX_LENGTH)}-${"s".repeat(MAX_STACK_NAME_LENGTH)}-${"k".repeat(MAX_STUDENT_KEY_LENGTH)}`;
    expect(longest.length).toBe(90);
    expect(checkAzureName("resourceGroup", longest, "rg")).toEqual([]);
    // One more character in the stack name would not fit, which is why the name stops at 39.
    const over = longest.replace("-s", "-ss");
    expect(checkAzureName("resourceGroup", over, "rg")).toHaveLength(1);
  });
});
