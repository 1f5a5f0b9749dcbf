/**
 * The offline run's plain Structs read back exactly as google-protobuf's Structs do: same values, same
 * key order, same prototypes, and the same error for a value a Struct cannot hold.
 */
import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromSnapshot, structSnapshot, usePlainStructs } from "../../src/engine/plainStruct.ts";

interface StructMessage {
  toJavaScript(): Record<string, unknown>;
}
const sdkRequire = createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi"));
const { Struct } = sdkRequire("google-protobuf/google/protobuf/struct_pb.js") as {
  Struct: { fromJavaScript(obj: unknown): StructMessage };
};

/** Everything a reader could tell apart: key order, prototypes, -0 and NaN. */
function shape(value: unknown, depth = 0): unknown {
  if (depth > 20) return "(deep)";
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return ["array", ...value.map((v) => shape(v, depth + 1))];
  const proto = Object.getPrototypeOf(value) as unknown;
  return [
    "object",
    proto === Object.prototype ? "plain" : shape(proto, depth + 1),
    Object.entries(value).map(([k, v]) => [k, shape(v, depth + 1)]),
  ];
}

/** What a reader gets back from a Struct built one way or the other, or the error it throws. */
function readBack(build: () => StructMessage): unknown {
  try {
    return { value: shape(build().toJavaScript()) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const protobuf = (obj: unknown) => readBack(() => Struct.fromJavaScript(obj));
const plain = (obj: unknown) =>
  readBack(() => ({ toJavaScript: () => fromSnapshot(structSnapshot(obj)) as Record<string, unknown> }));

describe("plain Structs", () => {
  it("read back as protobuf's for any value fast-check makes", () => {
    const values = fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom("__proto__", "10", "9", "constructor", "toString")),
      fc.anything({
        maxDepth: 3,
        withBoxedValues: true,
        withMap: true,
        withSet: true,
        withDate: true,
        withNullPrototype: true,
        withObjectString: true,
        withSparseArray: true,
        withTypedArray: true,
        withBigInt: true,
      }),
    );
    fc.assert(
      fc.property(values, (obj) => {
        expect(plain(obj)).toEqual(protobuf(obj));
      }),
      { numRuns: 200 },
    );
  });

  // Most values above hold something a Struct refuses; these never do, so every run compares a read.
  it("read back as protobuf's for values a Struct can hold", () => {
    const key = fc.oneof(fc.string(), fc.constantFrom("__proto__", "10", "9", "é", "B", "a"));
    const leaf = fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        leaf,
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(key, tie("value"), { maxKeys: 4 }),
      ),
    }));
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (obj) => {
        const read = protobuf(obj);
        expect(read).toHaveProperty("value");
        expect(plain(obj)).toEqual(read);
      }),
      { numRuns: 200 },
    );
  });

  it("sort keys by code unit and refuse what protobuf refuses, with its message", () => {
    const cases: unknown[] = [
      { b: 1, a: [true, null, "x"], é: { z: -0, y: NaN }, B: Infinity },
      { tags: { ["__proto__"]: "text" } },
      JSON.parse('{"tags":{"__proto__":{"polluted":true}}}'),
      { missing: undefined },
      { list: [1, undefined] },
      // A hole: ListValue reads every index.
      // eslint-disable-next-line no-sparse-arrays
      { list: [1, , 3] },
      { fn: () => 1 },
      { big: 1n },
      Object.assign(Object.create({ inherited: "yes" }) as object, { own: 1 }),
      // What protobuf counts as a list, and a top level that is not a plain object.
      { like: Object.assign(Object.create(Array.prototype) as object, { length: 2, 0: "a", 1: "b" }) },
      ["x", "y"],
      "ab",
      null,
      // Members are read in for…in order, so the first one that throws decides the error.
      {
        get b(): unknown {
          throw new Error("read b");
        },
        get a(): unknown {
          throw new Error("read a");
        },
      },
    ];
    expect(cases.map(plain)).toEqual(cases.map(protobuf));
    expect(plain(cases[0])).toEqual({
      value: [
        "object",
        "plain",
        [
          ["B", "Infinity"],
          ["a", ["array", true, null, "x"]],
          ["b", "1"],
          [
            "é",
            [
              "object",
              "plain",
              [
                ["y", "NaN"],
                ["z", "-0"],
              ],
            ],
          ],
        ],
      ],
    });
    expect([plain(cases[3]), plain(cases[5]), plain(cases[6])]).toEqual([
      { error: "Unexpected struct type." },
      { error: "Unexpected struct type." },
      { error: "Unexpected struct type." },
    ]);
  });

  it("are what Struct.fromJavaScript builds only until they are restored", () => {
    const restore = usePlainStructs();
    let during: StructMessage;
    try {
      during = Struct.fromJavaScript({ b: 2, a: 1 });
    } finally {
      restore();
    }
    const after = Struct.fromJavaScript({ b: 2, a: 1 });
    expect(Object.hasOwn(during, "toJavaScript")).toBe(true);
    expect(Object.hasOwn(after, "toJavaScript")).toBe(false);
    // Each read is a new object, as with protobuf, so a reader that changes it changes nothing else.
    const first = during.toJavaScript();
    first["a"] = 9;
    expect(Object.entries(during.toJavaScript())).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
    expect(Object.entries(after.toJavaScript())).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
  });
});
