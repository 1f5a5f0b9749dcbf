import { describe, expect, it } from "vitest";
import { canonical } from "../../src/plan/read.ts";

describe("canonical", () => {
  it("sorts keys by code unit at every level, drops undefined members and keeps array order", () => {
    const value = { b: 1, B: { z: [3, { y: 2, x: undefined, a: null }], é: "e", a: "a" }, a: undefined };
    const result = canonical(value);
    expect(JSON.stringify(result)).toBe('{"B":{"a":"a","z":[3,{"a":null,"y":2}],"é":"e"},"b":1}');
    expect(Object.keys(result as object)).toEqual(["B", "b"]);
  });

  it("keeps a member named __proto__ as data and leaves the prototype alone", () => {
    const value = JSON.parse('{"tags":{"__proto__":{"polluted":true},"owner":"x"}}') as unknown;
    const tags = (canonical(value) as { tags: Record<string, unknown> }).tags;
    expect(Object.keys(tags)).toEqual(["__proto__", "owner"]);
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
    expect(JSON.stringify(tags)).toBe('{"__proto__":{"polluted":true},"owner":"x"}');
  });
});
