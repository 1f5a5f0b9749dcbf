/**
 * Readers shared by the plan builders: untyped input bags read defensively (anything may be absent,
 * unknown or "[secret]"), and machine-independent ordering.
 */
import { azureNameInput } from "../azure/catalog.ts";
import type { RecordedResource } from "../model/recorded.ts";

/** Code-unit order, never locale order, so the output does not depend on the machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Recursively sorts object keys and drops undefined members; arrays keep their order. The offline engine
 * runs this on every resource's properties, so it builds each object in one pass: `sort()` without a
 * comparator orders strings by code unit, as compareText does.
 */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(record).sort()) {
      const member = record[key];
      if (member === undefined) continue;
      // An own "__proto__" key (a tag may be named anything) must stay data, not set the prototype.
      if (key === "__proto__") {
        Object.defineProperty(sorted, key, {
          value: canonical(member),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else sorted[key] = canonical(member);
    }
    return sorted;
  }
  return value;
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export function record(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The student a resource declares: its Azure `student` tag, or its Kubernetes `azlab.io/student` label. */
export function studentTag(inputs: Record<string, unknown>): string | null {
  const labels = record(record(inputs["metadata"])["labels"]);
  return str(record(inputs["tags"])["student"]) ?? str(labels["azlab.io/student"]) ?? null;
}

/** The Azure name a resource is created with: the type's own name input, else its Pulumi name. */
export function azureName(resource: Pick<RecordedResource, "type" | "name" | "inputs">): string {
  return (
    str(resource.inputs[azureNameInput(resource.type)]) ??
    str(resource.inputs["resourceName"]) ??
    resource.name
  );
}

/** A whole number written as a number or a plain digit string ("3"); anything else is undefined. */
export function wholeNumber(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(record) : [];
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
