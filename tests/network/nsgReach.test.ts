import { describe, expect, it } from "vitest";
import { parsePrefix, type Prefix } from "../../src/cidr/address.ts";
import { nsgPrefix, outsideSubnets, sourceReach } from "../../src/network/nsgRules.ts";

const p = (text: string) => parsePrefix(text) as Prefix;
const VNET = [p("10.20.0.0/16")];

describe("nsgPrefix", () => {
  it("reads CIDRs and bare addresses, and nothing else", () => {
    expect(nsgPrefix("203.0.113.7")).toEqual(p("203.0.113.7/32"));
    expect(nsgPrefix(" 10.0.0.0/8 ")).toEqual(p("10.0.0.0/8"));
    expect(nsgPrefix("2001:db8::1")).toEqual(p("2001:db8::1/128"));
    expect([nsgPrefix("Internet"), nsgPrefix("*"), nsgPrefix("VirtualNetwork")]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe("sourceReach", () => {
  it("never routes loopback or link-local sources, whatever is connected", () => {
    expect(sourceReach("127.0.0.0/8", VNET, undefined)).toEqual({
      kind: "never-routed",
      what: "a loopback range",
    });
    expect(sourceReach("fe80::1", VNET, [])).toEqual({ kind: "never-routed", what: "a link-local range" });
  });

  it("calls a private range unconnected only when it is outside the VNet and every known connection", () => {
    expect(sourceReach("172.16.5.0/24", VNET, [])).toEqual({ kind: "unconnected", what: "a private range" });
    expect(sourceReach("172.16.5.0/24", VNET, [p("172.16.0.0/16")])).toEqual({ kind: "reachable" });
    expect(sourceReach("10.20.4.0/24", VNET, [])).toEqual({ kind: "reachable" });
    // Unknown connections: not judged.
    expect(sourceReach("172.16.5.0/24", VNET, undefined)).toEqual({ kind: "reachable" });
  });

  it("takes public ranges, tags and ranges only partly private as reachable", () => {
    expect(sourceReach("145.100.0.0/16", VNET, [])).toEqual({ kind: "reachable" });
    expect(sourceReach("Internet", VNET, [])).toEqual({ kind: "reachable" });
    // 0.0.0.0/0 contains private space but also the whole internet.
    expect(sourceReach("0.0.0.0/0", VNET, [])).toEqual({ kind: "reachable" });
    expect(sourceReach("8.0.0.0/6", VNET, [])).toEqual({ kind: "reachable" });
  });
});

describe("outsideSubnets", () => {
  it("is true only for an address prefix that shares no address with the subnets", () => {
    const subnets = [p("10.20.2.0/26"), p("10.20.1.0/24")];
    expect(outsideSubnets("10.20.3.0/24", subnets)).toBe(true);
    expect(outsideSubnets("10.20.2.63", subnets)).toBe(false);
    expect(outsideSubnets("10.20.0.0/16", subnets)).toBe(false);
    expect(outsideSubnets("*", subnets)).toBe(false);
    expect(outsideSubnets("VirtualNetwork", subnets)).toBe(false);
  });
});
