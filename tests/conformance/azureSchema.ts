/**
 * Checks one planned azure-native resource's inputs against the committed subset of Azure's REST API
 * schema (tests/conformance/data/azure/*.json, written by scripts/conformance/extract.mjs).
 *
 * Mapping rule from Pulumi inputs to the REST body (how azure-native builds the PUT):
 * - the path parameters of the PUT (resourceGroupName, virtualNetworkName, …) are inputs of their own
 *   and never part of the body;
 * - every other input is a body property, and the `properties` envelope that the spec marks
 *   x-ms-client-flatten is removed: `addressSpace` is the wire's `properties.addressSpace`;
 * - the same flattening applies inside nested models (an NSG's `securityRules[].priority` is the wire's
 *   `securityRules[].properties.priority`), so the checker walks objects, arrays and maps recursively
 *   with one rule;
 * - an input is named by the flattened wire name (`enableRBAC`, `type`) or, where the spec renames it
 *   with x-ms-client-name, by that client name (`enableHttpsTrafficOnly` for the wire's
 *   `supportsHttpsTrafficOnly`); kebab-case wire names (the AKS autoscaler profile) are camelCased.
 *   When a flattened name collides with a top-level read-only one (an agent pool's `properties.type`
 *   and its ARM `type`), the input is the writable one, as azure-native drops read-only properties;
 * - `identity.userAssignedIdentities` is a list of ids in azure-native and a map keyed by id on the wire.
 */
import { SECRET_MARKER } from "../../src/model/recorded.ts";

export interface SchemaNode {
  readonly type: "object" | "array" | "map" | "string" | "number" | "boolean" | "any";
  readonly model?: string;
  readonly items?: SchemaNode;
  readonly values?: SchemaNode;
  readonly enum?: readonly string[];
  readonly extensible?: boolean;
  readonly readOnly?: boolean;
  readonly required?: boolean;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly wire?: string;
}

export interface AzureTypeSchema {
  readonly type: string;
  /** The version @pulumi/azure-native's .d.ts names for this type. */
  readonly providerApiVersion: string;
  /** The version the schema source was generated for. */
  readonly sdkApiVersion: string;
  readonly source: string;
  readonly pathParameters: readonly string[];
  readonly body: SchemaNode;
  readonly models: Readonly<Record<string, Readonly<Record<string, SchemaNode>>>>;
}

/**
 * Body properties azure-native fills in itself when an input leaves them out, so a missing value is
 * not a missing required property: `location` defaults to the resource group's (or the provider's)
 * location (pulumi-azure-native docs, "location: … If not specified, the location of the resource
 * group is used" on every tracked resource).
 */
const PROVIDER_DEFAULTED = new Set(["location"]);

export function checkResource(schema: AzureTypeSchema, inputs: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const path = new Set(schema.pathParameters);
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (path.has(key)) {
      if (typeof value !== "string")
        problems.push(`${key}: path parameter must be a string, got ${show(value)}`);
    } else body[key] = value;
  }
  walk(schema, schema.body, body, "", problems, true);
  return problems;
}

function walk(
  schema: AzureTypeSchema,
  node: SchemaNode,
  value: unknown,
  at: string,
  problems: string[],
  top = false,
): void {
  if (value === undefined || value === null || value === SECRET_MARKER) return;
  const here = at || "(body)";
  switch (node.type) {
    case "object": {
      if (typeof value !== "object" || Array.isArray(value)) {
        problems.push(`${here}: expected an object (${node.model}), got ${show(value)}`);
        return;
      }
      const model = schema.models[node.model ?? ""] ?? {};
      const given = value as Record<string, unknown>;
      for (const [key, child] of Object.entries(given)) {
        const spec = lookup(model, key);
        const where = at ? `${at}.${key}` : key;
        if (!spec) {
          problems.push(
            `${where}: unknown property (not in ${node.model}; allowed: ${Object.keys(model).sort().join(", ")})`,
          );
          continue;
        }
        if (spec.readOnly && child !== undefined) {
          problems.push(`${where}: read-only property set as an input (${spec.wire})`);
          continue;
        }
        walk(schema, spec, child, where, problems);
      }
      for (const [key, spec] of Object.entries(model)) {
        if (!spec.required || spec.readOnly) continue;
        if (given[key] !== undefined || given[flatWire(spec)] !== undefined) continue;
        if (top && PROVIDER_DEFAULTED.has(key)) continue;
        problems.push(
          `${at ? `${at}.${key}` : key}: required property missing (${spec.wire} in ${node.model})`,
        );
      }
      return;
    }
    case "array": {
      if (!Array.isArray(value)) {
        problems.push(`${here}: expected an array, got ${show(value)}`);
        return;
      }
      if (node.minItems !== undefined && value.length < node.minItems)
        problems.push(`${here}: ${value.length} items, at least ${node.minItems} allowed`);
      if (node.maxItems !== undefined && value.length > node.maxItems)
        problems.push(`${here}: ${value.length} items, at most ${node.maxItems} allowed`);
      value.forEach((item, i) => walk(schema, node.items!, item, `${at}[${i}]`, problems));
      return;
    }
    case "map": {
      // azure-native takes `userAssignedIdentities` as a list of identity ids and sends the REST
      // map `{ "<id>": {} }` (its ManagedServiceIdentity input type is `string[]`).
      if (at.endsWith("userAssignedIdentities") && Array.isArray(value)) {
        if (value.every((v) => typeof v === "string")) return;
        problems.push(`${here}: expected a list of identity ids, got ${show(value)}`);
        return;
      }
      if (typeof value !== "object" || Array.isArray(value)) {
        problems.push(`${here}: expected a map, got ${show(value)}`);
        return;
      }
      for (const [k, v] of Object.entries(value))
        walk(schema, node.values!, v, `${at}[${JSON.stringify(k)}]`, problems);
      return;
    }
    case "string": {
      if (typeof value !== "string") {
        problems.push(`${here}: expected a string, got ${show(value)}`);
        return;
      }
      if (node.enum && !node.enum.includes(value))
        problems.push(`${here}: ${show(value)} is not one of ${node.enum.map(show).join(", ")}`);
      if (node.minLength !== undefined && value.length < node.minLength)
        problems.push(
          `${here}: ${show(value)} is ${value.length} characters, at least ${node.minLength} allowed`,
        );
      if (node.maxLength !== undefined && value.length > node.maxLength)
        problems.push(
          `${here}: ${show(value)} is ${value.length} characters, at most ${node.maxLength} allowed`,
        );
      if (node.pattern !== undefined && !new RegExp(node.pattern).test(value))
        problems.push(`${here}: ${show(value)} does not match /${node.pattern}/`);
      return;
    }
    case "number": {
      if (typeof value !== "number") {
        problems.push(`${here}: expected a number, got ${show(value)}`);
        return;
      }
      if (node.minimum !== undefined && value < node.minimum)
        problems.push(`${here}: ${value} is below the minimum ${node.minimum}`);
      if (node.maximum !== undefined && value > node.maximum)
        problems.push(`${here}: ${value} is above the maximum ${node.maximum}`);
      return;
    }
    case "boolean":
      if (typeof value !== "boolean") problems.push(`${here}: expected a boolean, got ${show(value)}`);
      return;
    case "any":
      return;
  }
  void top;
}

/** The wire name without the flattened `properties.` envelope. */
function flatWire(spec: SchemaNode): string {
  const wire = spec.wire ?? "";
  return wire.startsWith("properties.") ? wire.slice("properties.".length) : wire;
}

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function lookup(model: Readonly<Record<string, SchemaNode>>, key: string): SchemaNode | undefined {
  const byWire = Object.values(model).filter((s) => flatWire(s) === key || camel(flatWire(s)) === key);
  return byWire.find((s) => !s.readOnly) ?? byWire[0] ?? model[key];
}

function show(value: unknown): string {
  return JSON.stringify(value);
}
