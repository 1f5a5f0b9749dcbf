import { beforeEach, describe, expect, it, vi } from "vitest";
import * as address from "../../src/cidr/address.ts";
import { parseStackConfig } from "../../src/config/parse.ts";
import { planStack } from "../../src/stack/planStack.ts";

// Count every CIDR text that reaches the parser from outside src/cidr: parsePrefix itself, and
// toPrefix when it is handed text (toPrefix returns a value as it is).
vi.mock("../../src/cidr/address.ts", async (importOriginal) => {
  const real = await importOriginal<typeof address>();
  return {
    ...real,
    parsePrefix: vi.fn(real.parsePrefix),
    toPrefix: vi.fn(real.toPrefix),
  };
});

const parsePrefix = vi.mocked(address.parsePrefix);
const toPrefix = vi.mocked(address.toPrefix);
const textParses = () =>
  parsePrefix.mock.calls.length + toPrefix.mock.calls.filter(([input]) => typeof input === "string").length;

const raw = {
  "azlab:environment": "class",
  "azlab:location": "westeurope",
  "azlab:owner": "ada@example.edu",
  "azlab:network": {
    reservedCidrs: ["10.0.0.0/16"],
    subnets: { web: { hosts: 50 }, app: { prefixLength: 26 } },
  },
  "azlab:aks": { subnet: "aks-nodes" },
  "azlab:class": {
    courseId: "net101",
    instructor: "ada@example.edu",
    expiresOn: "2027-01-31",
    sourceCidrs: ["198.51.100.0/24"],
    supernet: "10.100.0.0/16",
    studentPrefixLength: 24,
    modules: { aks: true },
    students: { alice: null, bob: null },
  },
};

describe("parse once at the boundary", () => {
  beforeEach(() => {
    parsePrefix.mockClear();
    toPrefix.mockClear();
  });

  it("parses each CIDR of the stack file once, defaults included, and planning parses none", () => {
    const { config, problems } = parseStackConfig(raw, []);
    expect(problems).toEqual([]);
    // reservedCidrs, sourceCidrs, supernet, and the default pod and service CIDRs.
    expect(textParses()).toBe(5);

    parsePrefix.mockClear();
    toPrefix.mockClear();
    const first = planStack("class-demo", config!, undefined);
    expect(first.problems).toEqual([]);
    expect(Object.keys(first.plan?.environments ?? {})).toEqual(["alice", "bob", "hub"]);
    expect(textParses()).toBe(0);
  });

  it("parses the lock file's entries, which are text, once each", () => {
    const { config } = parseStackConfig(raw, []);
    const first = planStack("class-demo", config!, undefined);
    parsePrefix.mockClear();
    toPrefix.mockClear();
    const again = planStack("class-demo", config!, first.lock);
    expect(again.problems).toEqual([]);
    expect(again.lock).toEqual(first.lock);
    // Three class blocks, two subnets per student VNet and the hub's one: 3 + 2 × 2 + 1.
    const entries =
      Object.keys(first.lock.blocks?.["class"] ?? {}).length +
      Object.values(first.lock.vnets).reduce((sum, vnet) => sum + Object.keys(vnet.subnets).length, 0);
    expect(entries).toBe(8);
    expect(textParses()).toBe(entries);
  });
});
