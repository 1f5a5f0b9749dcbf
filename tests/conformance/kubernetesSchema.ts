/**
 * Checks one planned kubernetes:* object against the committed subset of the Kubernetes OpenAPI
 * definitions (tests/conformance/data/kubernetes/definitions.json, written by
 * scripts/conformance/extract-kubernetes.mjs). @pulumi/kubernetes sends the inputs as the object
 * itself, so the inputs are the manifest: apiVersion, kind, metadata, spec and friends.
 */
import { SECRET_MARKER } from "../../src/model/recorded.ts";

export interface KubeNode {
  readonly type:
    "object" | "array" | "map" | "string" | "integer-or-number" | "int-or-string" | "boolean" | "any";
  readonly model?: string;
  readonly items?: KubeNode;
  readonly values?: KubeNode;
  readonly format?: string;
  readonly required?: boolean;
  readonly readOnly?: boolean;
}

export interface KubeDefinitions {
  readonly source: string;
  readonly kubernetesVersion: string;
  readonly roots: Readonly<Record<string, string>>;
  readonly models: Readonly<Record<string, Readonly<Record<string, KubeNode>>>>;
}

// OpenAPI formats: int32 and int64 are integers of that width (OpenAPI 2.0 "Data Types").
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

/**
 * Object names, from "Object Names and IDs" (kubernetes.io/docs/concepts/overview/working-with-objects/names):
 * most kinds take a DNS-1123 subdomain; Namespaces take a DNS-1123 label and Services an RFC 1035 label.
 */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function nameProblem(kind: string, name: string): string | undefined {
  if (kind === "Namespace")
    return name.length <= 63 && DNS1123_LABEL.test(name)
      ? undefined
      : "a DNS-1123 label (at most 63 characters: a-z, 0-9, '-')";
  if (kind === "Service")
    return name.length <= 63 && DNS1035_LABEL.test(name)
      ? undefined
      : "an RFC 1035 label (at most 63 characters, starting with a letter)";
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(name)
    ? undefined
    : "a DNS-1123 subdomain (at most 253 characters)";
}

export function checkObject(defs: KubeDefinitions, token: string, inputs: Record<string, unknown>): string[] {
  const root = defs.roots[token];
  if (!root)
    return [`no definition for ${token}: add it to ROOTS in scripts/conformance/extract-kubernetes.mjs`];
  const problems: string[] = [];
  // The token is kubernetes:<group/version>:<Kind>; the core group's apiVersion is the bare version.
  const [, groupVersion = "", kind = ""] = token.split(":");
  const apiVersion = groupVersion.startsWith("core/") ? groupVersion.slice("core/".length) : groupVersion;
  if (inputs["apiVersion"] !== apiVersion)
    problems.push(`apiVersion: ${show(inputs["apiVersion"])}, expected ${show(apiVersion)}`);
  if (inputs["kind"] !== kind) problems.push(`kind: ${show(inputs["kind"])}, expected ${show(kind)}`);
  const name = (inputs["metadata"] as { name?: unknown } | undefined)?.name;
  if (typeof name === "string") {
    const rule = nameProblem(kind, name);
    if (rule) problems.push(`metadata.name: ${show(name)} is not ${rule}`);
  }
  walk(defs, { type: "object", model: root }, inputs, "", problems);
  return problems;
}

function walk(defs: KubeDefinitions, node: KubeNode, value: unknown, at: string, problems: string[]): void {
  if (value === undefined || value === null || value === SECRET_MARKER) return;
  const here = at || "(object)";
  switch (node.type) {
    case "object": {
      if (typeof value !== "object" || Array.isArray(value)) {
        problems.push(`${here}: expected an object (${node.model}), got ${show(value)}`);
        return;
      }
      const model = defs.models[node.model ?? ""] ?? {};
      const given = value as Record<string, unknown>;
      for (const [key, child] of Object.entries(given)) {
        const where = at ? `${at}.${key}` : key;
        const spec = model[key];
        if (!spec) problems.push(`${where}: unknown field (not in ${node.model})`);
        else if (spec.readOnly) problems.push(`${where}: read-only field set (populated by the system)`);
        else walk(defs, spec, child, where, problems);
      }
      for (const [key, spec] of Object.entries(model))
        if (spec.required && given[key] === undefined)
          problems.push(`${at ? `${at}.${key}` : key}: required field missing (in ${node.model})`);
      return;
    }
    case "array":
      if (!Array.isArray(value)) problems.push(`${here}: expected an array, got ${show(value)}`);
      else value.forEach((item, i) => walk(defs, node.items!, item, `${at}[${i}]`, problems));
      return;
    case "map":
      if (typeof value !== "object" || Array.isArray(value))
        problems.push(`${here}: expected a map, got ${show(value)}`);
      else
        for (const [k, v] of Object.entries(value))
          walk(defs, node.values!, v, `${at}[${JSON.stringify(k)}]`, problems);
      return;
    case "string":
      if (typeof value !== "string") problems.push(`${here}: expected a string, got ${show(value)}`);
      return;
    case "boolean":
      if (typeof value !== "boolean") problems.push(`${here}: expected a boolean, got ${show(value)}`);
      return;
    case "int-or-string":
      if (typeof value === "string") return;
      if (!Number.isInteger(value))
        problems.push(`${here}: expected an integer or a string, got ${show(value)}`);
      return;
    case "integer-or-number": {
      if (typeof value !== "number") {
        problems.push(`${here}: expected a number, got ${show(value)}`);
        return;
      }
      if (node.format !== "int32" && node.format !== "int64") return;
      if (!Number.isInteger(value)) problems.push(`${here}: ${value} is not an integer (${node.format})`);
      else if (node.format === "int32" && (value < INT32.min || value > INT32.max))
        problems.push(`${here}: ${value} is outside the int32 range`);
      return;
    }
    case "any":
      return;
  }
}

function show(value: unknown): string {
  return JSON.stringify(value);
}
