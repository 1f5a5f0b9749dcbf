/** Turns a normalize result into its value, or throws the one UserError that lists every problem. */
import { throwProblems, type Problem } from "../../src/errors.ts";

export function valueOrThrow<T>(result: { value?: T; problems: readonly Problem[] }, heading: string): T {
  if (result.value !== undefined && result.problems.length === 0) return result.value;
  throwProblems(result.problems, undefined, heading);
  throw new Error(`${heading} normalize returned neither a value nor problems`);
}
