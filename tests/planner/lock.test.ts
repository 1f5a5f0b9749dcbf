import { describe, expect, it } from "vitest";
import { emptyLock, parseLock, serializeLock } from "../../src/planner/lock.ts";
import type { NetworkLock } from "../../src/planner/types.ts";

describe("serializeLock", () => {
  it("sorts keys at every level and keeps array order", () => {
    const lock: NetworkLock = {
      version: 1,
      vnets: {
        hub: { subnets: { b: "10.0.0.64/26", a: "10.0.0.0/26" } },
        dev: { addressSpace: ["10.1.0.0/16", "10.0.0.0/16"], subnets: { web: "10.1.0.0/24" } },
      },
      blocks: { class: { zoe: "10.100.5.0/24", al: "10.100.4.0/24" } },
    };
    expect(serializeLock(lock)).toBe(
      [
        "{",
        '  "blocks": {',
        '    "class": {',
        '      "al": "10.100.4.0/24",',
        '      "zoe": "10.100.5.0/24"',
        "    }",
        "  },",
        '  "version": 1,',
        '  "vnets": {',
        '    "dev": {',
        '      "addressSpace": [',
        '        "10.1.0.0/16",',
        '        "10.0.0.0/16"',
        "      ],",
        '      "subnets": {',
        '        "web": "10.1.0.0/24"',
        "      }",
        "    },",
        '    "hub": {',
        '      "subnets": {',
        '        "a": "10.0.0.0/26",',
        '        "b": "10.0.0.64/26"',
        "      }",
        "    }",
        "  }",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("round-trips through parseLock", () => {
    const lock: NetworkLock = {
      version: 1,
      vnets: { dev: { addressSpace: ["10.0.0.0/16"], subnets: { web: "10.0.0.0/24" } } },
      blocks: { class: { al: "10.100.4.0/24" } },
    };
    expect(parseLock(serializeLock(lock))).toEqual({ lock, problems: [] });
    expect(parseLock(serializeLock(emptyLock()))).toEqual({ lock: { version: 1, vnets: {} }, problems: [] });
  });
});

describe("parseLock", () => {
  it("reports text that is not a JSON object", () => {
    expect(parseLock("[]")).toEqual({
      lock: emptyLock(),
      problems: [{ path: "(lock file)", message: "lock file must hold a JSON object" }],
    });
    // The reason is the platform's JSON.parse message, which differs between Node versions.
    let reason = "";
    try {
      JSON.parse("{");
    } catch (error) {
      reason = (error as Error).message;
    }
    expect(reason).not.toBe("");
    expect(parseLock("{")).toEqual({
      lock: emptyLock(),
      problems: [{ path: "(lock file)", message: `lock file is not valid JSON: ${reason}` }],
    });
  });

  it("reports every malformed part and keeps the good ones", () => {
    const text = JSON.stringify({
      version: 2,
      vnets: { dev: { addressSpace: "10.0.0.0/16", subnets: { web: "10.0.0.0/24", bad: 7 } }, hub: 3 },
      blocks: { class: [] },
    });
    expect(parseLock(text)).toEqual({
      lock: { version: 1, vnets: { dev: { subnets: { web: "10.0.0.0/24" } } }, blocks: { class: {} } },
      problems: [
        { path: "version", message: "unsupported lock file version", value: 2, allowed: "1" },
        {
          path: "vnets.dev.addressSpace",
          message: "addressSpace must be a list of CIDRs",
          value: "10.0.0.0/16",
        },
        { path: "vnets.dev.subnets.bad", message: "lock entry must be a CIDR string", value: 7 },
        { path: "vnets.hub", message: "VNet entry must be an object with subnets", value: 3 },
        { path: "blocks.class", message: "lock entry must be an object of key → CIDR", value: [] },
      ],
    });
  });
});
