/** Small checks shared by the component validators in this folder. */
import type { Problem } from "../errors.ts";

/** An Entra object id or any other GUID, in either case. */
export const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** True when `value` is an integer from `min` to `max`, both included. */
export function isIntIn(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

/** One "is out of range" problem at `path` unless `value` is an integer from `min` to `max`. */
export function integerProblems(value: unknown, min: number, max: number, path: string): Problem[] {
  return isIntIn(value, min, max)
    ? []
    : [{ path, message: "is out of range", value, allowed: `an integer from ${min} to ${max}` }];
}

/**
 * A root for the shared checks (planner, NSG rules) that report at `<root>.<key>`: `relative` cuts it off
 * again, so their problems name the component's own arguments (`subnets.web`, `rules.ssh.source`).
 */
export const ROOT = "\u0000";

/** A problem from a check run under ROOT, with ROOT cut from its path and from any path its text mentions. */
export function relative(problem: Problem): Problem {
  const strip = (text: string) => text.split(`${ROOT}.`).join("");
  return {
    ...problem,
    path: strip(problem.path),
    message: strip(problem.message),
    ...(problem.allowed !== undefined ? { allowed: strip(problem.allowed) } : {}),
  };
}
