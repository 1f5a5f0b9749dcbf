import { describe, expect, it } from "vitest";
import { formatProblem, showValue, summariseProblems, type Problem } from "../../src/errors.ts";

const noRoom = (id: string): Problem => ({
  path: `azlab:class.students.${id}`,
  message: `no free /24 block is left for ${id}`,
  value: 24,
  allowed: "a larger supernet",
});

describe("showValue", () => {
  it("shows a secure: mapping anywhere in a value as [secure]", () => {
    expect(showValue({ a: 1, b: { secure: "AAABACipher" }, c: [{ secure: "x", more: 1 }] })).toBe(
      '{"a":1,"b":"[secure]","c":["[secure]"]}',
    );
  });

  it("cuts a long value at 200 characters and gives its length", () => {
    expect(showValue("y".repeat(1000))).toBe(`"${"y".repeat(199)}… (1002 characters)`);
    expect(showValue("y".repeat(198))).toBe(`"${"y".repeat(198)}"`);
  });

  it("shows bigints and undefined without throwing", () => {
    expect(showValue(10n)).toBe('"10"');
    expect(showValue(undefined)).toBe("undefined");
  });
});

describe("summariseProblems", () => {
  it("keeps the first three of a kind and folds the rest into one line naming five of them", () => {
    const ids = Array.from({ length: 12 }, (_, i) => `s${i}`);
    const problems = [{ path: "azlab:class.supernet", message: "is full" }, ...ids.map(noRoom)];
    expect(summariseProblems(problems).map((p) => formatProblem(p))).toEqual([
      "azlab:class.supernet: is full",
      "azlab:class.students.s0: no free /24 block is left for s0 (got 24; allowed: a larger supernet)",
      "azlab:class.students.s1: no free /24 block is left for s1 (got 24; allowed: a larger supernet)",
      "azlab:class.students.s2: no free /24 block is left for s2 (got 24; allowed: a larger supernet)",
      "azlab:class.students.*: 9 more with the same problem: s3, s4, s5, s6, s7, …",
    ]);
  });

  it("lists four of a kind in full: a summary line would save nothing", () => {
    const problems = ["a", "b", "c", "d"].map(noRoom);
    expect(summariseProblems(problems)).toEqual(problems);
  });

  it("does not fold problems whose messages differ beyond the key", () => {
    const problems: Problem[] = [
      { path: "azlab:network.subnets.web.hosts", message: "is too small" },
      { path: "azlab:network.subnets.app.hosts", message: "is too large" },
      { path: "azlab:network.subnets.db.hosts", message: "is too small" },
      { path: "azlab:network.subnets.db.prefixLength", message: "is too small" },
      { path: "azlab:network.subnets.x.hosts", message: "is too small" },
      { path: "azlab:network.subnets.y.hosts", message: "is too small" },
    ];
    expect(summariseProblems(problems, 1).map((p) => p.path)).toEqual([
      "azlab:network.subnets.web.hosts",
      "azlab:network.subnets.*.hosts",
      "azlab:network.subnets.app.hosts",
      "azlab:network.subnets.db.prefixLength",
    ]);
  });
});

describe("formatProblem", () => {
  it("escapes line breaks and bidi controls in a key, so one problem stays one honest line", () => {
    expect(
      formatProblem({ path: "azlab:x\n  - forged\u202E", message: "is not an azlab setting" }, "f.yaml"),
    ).toBe("f.yaml: azlab:x\\u000a  - forged\\u202e: is not an azlab setting");
  });
});
