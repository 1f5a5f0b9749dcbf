/**
 * Protobuf Structs without protobuf, for offline runs.
 *
 * The SDK hands every resource's properties to the monitor as a `google.protobuf.Struct`: it builds a
 * message object for every value (`Struct.fromJavaScript`), and the monitor turns it straight back into
 * plain objects (`toJavaScript`). Offline, nothing is ever sent over the wire, and building and reading
 * those messages was a sixth of a plan's CPU. While an offline run lasts, `fromJavaScript` answers with
 * a Struct that holds a plain snapshot instead. `toJavaScript` reads the snapshot; the rarely used
 * `getFieldsMap` (the SDK's lookup of a resource by URN) gets the real message, built on first use.
 * tests/engine/plainStruct.test.ts compares what they read back with google-protobuf's own, errors
 * included.
 */
import { createRequire } from "node:module";
import { compareText } from "../plan/read.ts";

interface StructMessage {
  toJavaScript(): Record<string, unknown>;
  getFieldsMap(): unknown;
}
interface StructClass {
  new (): StructMessage;
  fromJavaScript(obj: unknown): StructMessage;
}

// The SDK's own copy of google-protobuf: its messages check that a field holds one of their classes.
const sdkRequire = createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi"));
const { Struct } = sdkRequire("google-protobuf/google/protobuf/struct_pb.js") as { Struct: StructClass };
/** The test google-protobuf decides a value's kind by (`instanceof Array` and friends, not Array.isArray). */
const { typeOf } = sdkRequire("google-protobuf") as { typeOf(value: unknown): string };
const protobufFromJavaScript = Struct.fromJavaScript.bind(Struct);

/** The message google-protobuf throws for a value a Struct cannot hold (undefined, a function…). */
const UNEXPECTED = "Unexpected struct type.";

/**
 * What a Struct stores for the members of `obj`: each value converted in for…in order, as
 * Struct.fromJavaScript does (so the same member's error wins), then keyed in code-unit order, as the
 * Struct's map iterates. The map keeps its entries in a plain object, where a `__proto__` key is lost, so
 * the SDK never sends one.
 */
export function structSnapshot(obj: unknown): Record<string, unknown> {
  const members: [string, unknown][] = [];
  for (const key in obj as object) members.push([key, valueSnapshot((obj as Record<string, unknown>)[key])]);
  members.sort(([a], [b]) => compareText(a, b));
  const snapshot: Record<string, unknown> = {};
  for (const [key, value] of members) if (key !== "__proto__") snapshot[key] = value;
  return snapshot;
}

function valueSnapshot(value: unknown): unknown {
  switch (typeOf(value)) {
    case "string":
    case "number":
    case "boolean":
    case "null":
      return value;
    case "array": {
      // By index, as ListValue.fromJavaScript does: a hole reads as undefined and is refused.
      const list = value as ArrayLike<unknown>;
      const snapshot: unknown[] = [];
      for (let i = 0; i < list.length; i++) snapshot.push(valueSnapshot(list[i]));
      return snapshot;
    }
    case "object":
      return structSnapshot(value);
    default:
      throw new Error(UNEXPECTED);
  }
}

/** What `toJavaScript` returns for a snapshot: fresh plain objects, as each call of Struct's does. */
export function fromSnapshot(snapshot: unknown): unknown {
  if (snapshot === null || typeof snapshot !== "object") return snapshot;
  if (Array.isArray(snapshot)) return snapshot.map(fromSnapshot);
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(snapshot)) plain[key] = fromSnapshot(value);
  return plain;
}

function plainStruct(obj: unknown): StructMessage {
  const snapshot = structSnapshot(obj);
  const struct = new Struct();
  let message: StructMessage | undefined;
  struct.toJavaScript = () => fromSnapshot(snapshot) as Record<string, unknown>;
  struct.getFieldsMap = () => (message ??= protobufFromJavaScript(fromSnapshot(snapshot))).getFieldsMap();
  return struct;
}

/** Makes `Struct.fromJavaScript` build plain Structs until the returned function is called. */
export function usePlainStructs(): () => void {
  const previous = Struct.fromJavaScript;
  Struct.fromJavaScript = plainStruct;
  return () => {
    Struct.fromJavaScript = previous;
  };
}
