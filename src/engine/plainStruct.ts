/**
 * Protobuf Structs without protobuf, for offline runs.
 *
 * The SDK hands every resource's properties to the monitor as a `google.protobuf.Struct`: it builds a
 * message object for every value (`Struct.fromJavaScript`), and the monitor turns it straight back into
 * plain objects (`toJavaScript`). Offline, nothing is ever sent over the wire, and building and reading
 * those messages was a sixth of a plan's CPU. While an offline run lasts, `fromJavaScript` answers with
 * an empty Struct that holds a plain snapshot instead; what `toJavaScript` gives is what the real Struct
 * gives (tests/engine/plainStruct.test.ts compares the two), errors included.
 */
import { createRequire } from "node:module";

interface StructMessage {
  toJavaScript(): Record<string, unknown>;
}
interface StructClass {
  new (): StructMessage;
  fromJavaScript(obj: Record<string, unknown>): StructMessage;
}

// The SDK's own copy of google-protobuf: its messages check that a field holds one of their classes.
const sdkRequire = createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi"));
const { Struct } = sdkRequire("google-protobuf/google/protobuf/struct_pb.js") as { Struct: StructClass };

/** The message google-protobuf throws for a value a Struct cannot hold (undefined, a function…). */
const UNEXPECTED = "Unexpected struct type.";

/**
 * What a Struct stores for `value`: objects keyed in code-unit order, as a Struct's map iterates. The
 * map keeps its entries in a plain object, where a `__proto__` key is lost, so the SDK never sends one.
 */
export function structSnapshot(value: unknown): unknown {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return value;
    case "object": {
      if (value === null) return null;
      if (Array.isArray(value)) {
        // By index, as ListValue.fromJavaScript does: a hole reads as undefined and is refused.
        const list: unknown[] = [];
        for (let i = 0; i < value.length; i++) list.push(structSnapshot(value[i]));
        return list;
      }
      const record = value as Record<string, unknown>;
      const keys: string[] = [];
      // for…in, as Struct.fromJavaScript: inherited enumerable members count too.
      for (const key in record) keys.push(key);
      const snapshot: Record<string, unknown> = {};
      for (const key of keys.sort()) {
        const member = structSnapshot(record[key]);
        if (key !== "__proto__") snapshot[key] = member;
      }
      return snapshot;
    }
    default:
      throw new Error(UNEXPECTED);
  }
}

/** What `toJavaScript` returns for a snapshot: fresh plain objects, assigned key by key as Struct does. */
export function fromSnapshot(snapshot: unknown): unknown {
  if (snapshot === null || typeof snapshot !== "object") return snapshot;
  if (Array.isArray(snapshot)) return snapshot.map(fromSnapshot);
  const record = snapshot as Record<string, unknown>;
  const plain: Record<string, unknown> = {};
  for (const key in record) plain[key] = fromSnapshot(record[key]);
  return plain;
}

function plainStruct(obj: Record<string, unknown>): StructMessage {
  const snapshot = structSnapshot(obj);
  const struct = new Struct();
  struct.toJavaScript = () => fromSnapshot(snapshot) as Record<string, unknown>;
  return struct;
}

/** Makes `Struct.fromJavaScript` build plain Structs until the returned function is called. */
export function usePlainStructs(): () => void {
  const original = Struct.fromJavaScript;
  Struct.fromJavaScript = plainStruct;
  return () => {
    Struct.fromJavaScript = original;
  };
}
