import { describe, expect, it } from "vitest";
import { inputText, isAligned, parsePrefix, toPrefix } from "../../src/cidr/address.ts";

describe("prefix inputs", () => {
  it("toPrefix parses text and returns a value as it is", () => {
    expect(toPrefix("10.1.2.0/24")).toEqual({
      version: 4,
      address: 0x0a010200n,
      network: 0x0a010200n,
      length: 24,
    });
    expect(toPrefix("10.1.2.0/33")).toBeUndefined();
    const value = parsePrefix("fd00::/48")!;
    expect(toPrefix(value)).toBe(value);
  });

  it("isAligned tells a block from an address with host bits set", () => {
    expect(isAligned(parsePrefix("10.1.2.0/24")!)).toBe(true);
    expect(isAligned(parsePrefix("10.1.2.9/24")!)).toBe(false);
    expect(isAligned(parsePrefix("10.1.2.9/32")!)).toBe(true);
  });

  it("inputText shows text as written and a value with its host bits", () => {
    expect(inputText(" 10.1.2.9/24")).toBe(" 10.1.2.9/24");
    expect(inputText(parsePrefix("10.1.2.9/24")!)).toBe("10.1.2.9/24");
    expect(inputText(parsePrefix("FD00:0:0::1/48")!)).toBe("fd00::1/48");
  });
});
