/**
 * `azlab:hubAndSpoke` in the stack planner and pre-flight: the hub's blocks, the spokes' routes and
 * Bastion rule, address disjointness across hub and spokes, stability under roster changes, and
 * problems at the keys the user wrote.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { overlaps, type Prefix } from "../../src/cidr/address.ts";
import { parseStackConfig } from "../../src/config/parse.ts";
import { formatProblem } from "../../src/errors.ts";
import type { NetworkLock } from "../../src/planner/types.ts";
import { preflight } from "../../src/program/preflight.ts";
import { HUB_BASTION_KEY, HUB_KEY, planStack, type StackPlan } from "../../src/stack/planStack.ts";
import { peeringOverlapProblems } from "../../src/validation/hubAndSpoke.ts";

const studentIds = (count: number) =>
  Array.from({ length: count }, (_, i) => `s${String(i + 1).padStart(2, "0")}`);

/** A class with `students`, hub and spoke on, and `extra` keys merged over the defaults. */
function classConfig(
  students: readonly string[],
  hubAndSpoke: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  const raw: Record<string, unknown> = {
    "azlab:environment": "class",
    "azlab:location": "westeurope",
    "azlab:owner": "teacher@uni.edu",
    "azlab:class": {
      courseId: "net-101",
      instructor: "teacher@uni.edu",
      expiresOn: "2027-06-30",
      sourceCidrs: ["145.100.0.0/16"],
      supernet: "10.200.0.0/16",
      students: Object.fromEntries(students.map((s) => [s, {}])),
    },
    "azlab:network": { subnets: { web: { prefixLength: 26 }, app: { prefixLength: 26 } } },
    "azlab:hubAndSpoke": hubAndSpoke,
    ...extra,
  };
  const { config, problems } = parseStackConfig(raw, []);
  expect(problems).toEqual([]);
  return config!;
}

function planned(students: readonly string[], hubAndSpoke: Record<string, unknown>, lock?: NetworkLock) {
  const result = planStack("net", classConfig(students, hubAndSpoke), lock);
  expect(result.problems).toEqual([]);
  return { plan: result.plan!, lock: result.lock };
}

/** Every environment's address space, keyed by environment. */
const spaces = (plan: StackPlan): Record<string, readonly Prefix[]> =>
  Object.fromEntries(Object.entries(plan.environments).map(([k, e]) => [k, e.vnet.prefixes]));

const WITH_BASTION = { enabled: true, bastion: { enabled: true } };

describe("hub and spoke in the stack planner", () => {
  it("gives a 40-student class a hub block and a Bastion block, disjoint from every spoke", () => {
    const { plan, lock } = planned(studentIds(40), WITH_BASTION);
    const hub = plan.environments[HUB_KEY]!;
    // "hub" sorts before the students, so it takes the first /24; Bastion's /26 the first space after them.
    expect(hub.vnet.addressSpace).toEqual(["10.200.0.0/24", "10.200.41.0/26"]);
    expect(Object.fromEntries(Object.entries(hub.vnet.subnets).map(([k, s]) => [k, s.cidr]))).toEqual({
      AzureBastionSubnet: "10.200.41.0/26",
    });
    expect(lock.blocks?.["class"]?.[HUB_BASTION_KEY]).toBe("10.200.41.0/26");
    expect(plan.environments["s01"]!.vnet.addressSpace).toEqual(["10.200.1.0/24"]);
    expect(plan.environments["s40"]!.vnet.addressSpace).toEqual(["10.200.40.0/24"]);
    expect(hub.bastion).toEqual({ sku: "Basic", subnetCidr: "10.200.41.0/26" });
    expect(hub.aks).toBeUndefined();
    expect(hub.namespaceStudents).toEqual([]);

    const all = Object.entries(spaces(plan)).flatMap(([key, prefixes]) =>
      prefixes.map((p) => [key, p] as const),
    );
    expect(all).toHaveLength(42);
    const clashes = all.flatMap(([a, p], i) =>
      all
        .slice(i + 1)
        .filter(([, q]) => overlaps(p, q))
        .map(([b]) => `${a}/${b}`),
    );
    expect(clashes).toEqual([]);
    const { [HUB_KEY]: hubSpace, ...spokes } = spaces(plan);
    expect(peeringOverlapProblems(hubSpace!, spokes)).toEqual([]);
  });

  it("moves nothing when a student leaves and another joins", () => {
    const before = planned(studentIds(40), WITH_BASTION);
    const roster = [...studentIds(40).filter((s) => s !== "s07"), "zz-new"];
    const after = planned(roster, WITH_BASTION, before.lock);
    for (const [key, env] of Object.entries(after.plan.environments)) {
      if (key === "zz-new") continue;
      const was = before.plan.environments[key]!;
      expect([key, env.vnet.addressSpace, env.vnet.subnets]).toEqual([
        key,
        was.vnet.addressSpace,
        was.vnet.subnets,
      ]);
    }
    // The newcomer takes the smallest free block that fits: the one s07 left.
    expect(after.plan.environments["zz-new"]!.vnet.addressSpace).toEqual(["10.200.7.0/24"]);
    expect(after.plan.environments["s07"]).toBeUndefined();
  });

  it("keeps hub and spokes disjoint and unmoved for any roster change (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 20 }), { maxLength: 5 }),
        fc.integer({ min: 0, max: 4 }),
        fc.boolean(),
        (count, leaving, joining, bastion) => {
          const settings = { enabled: true, bastion: { enabled: bastion } };
          const first = planned(studentIds(count), settings);
          const stay = studentIds(count).filter((_, i) => !leaving.includes(i + 1));
          const roster = [...stay, ...Array.from({ length: joining }, (_, i) => `new-${i}`)];
          if (roster.length === 0) return;
          const second = planned(roster, settings, first.lock);
          const { [HUB_KEY]: hub, ...spokes } = spaces(second.plan);
          expect(peeringOverlapProblems(hub!, spokes)).toEqual([]);
          for (const key of [HUB_KEY, ...stay]) {
            expect(second.plan.environments[key]!.vnet.addressSpace).toEqual(
              first.plan.environments[key]!.vnet.addressSpace,
            );
          }
        },
      ),
      { numRuns: 25, seed: 15 },
    );
  });

  it("keeps a shared cluster's hub block and adds Bastion as a second range", () => {
    const config = classConfig(["alice", "bob"], WITH_BASTION, {
      "azlab:aks": {
        subnet: "aks-nodes",
        systemPool: { vmSize: "Standard_D2s_v5", minCount: 1, maxCount: 2 },
      },
    });
    config.class!.modules.aks = true;
    const withAks = planStack("net", config, undefined);
    expect(withAks.problems).toEqual([]);
    const hub = withAks.plan!.environments[HUB_KEY]!;
    expect(hub.vnet.addressSpace).toEqual(["10.200.0.0/22", "10.200.6.0/26"]);
    expect(Object.fromEntries(Object.entries(hub.vnet.subnets).map(([k, s]) => [k, s.cidr]))).toEqual({
      AzureBastionSubnet: "10.200.6.0/26",
      "aks-nodes": "10.200.0.0/22",
    });
    expect(hub.aks).toBe("cluster");
    expect(hub.namespaceStudents).toEqual(["alice", "bob"]);
  });

  it("gives each student the routes and an SSH/RDP rule from the Bastion subnet, below the isolation rules", () => {
    const { plan } = planned(["alice", "bob"], {
      ...WITH_BASTION,
      routes: { "to-campus": { addressPrefix: "145.100.0.0/16", nextHopType: "Internet" } },
    });
    for (const key of ["alice", "bob"]) {
      const env = plan.environments[key]!;
      expect(env.spoke).toEqual({
        routes: { "to-campus": { addressPrefix: "145.100.0.0/16", nextHopType: "Internet" } },
      });
      expect(env.nsgRules["allow-bastion"]).toEqual({
        priority: 3980,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        source: ["10.200.3.0/26"],
        destination: "*",
        ports: [22, 3389],
      });
      expect(env.nsgRules["deny-lateral"]?.priority).toBe(4000);
    }
    expect(plan.environments[HUB_KEY]!.nsgRules).toEqual({});
    expect(plan.environments[HUB_KEY]!.spoke).toBeUndefined();
  });

  it("has no hub, routes or Bastion rule while hub and spoke is off", () => {
    const { plan } = planned(["alice"], { enabled: false, bastion: { enabled: true } });
    expect(Object.keys(plan.environments)).toEqual(["alice"]);
    expect(plan.environments["alice"]!.spoke).toBeUndefined();
    expect(plan.environments["alice"]!.nsgRules["allow-bastion"]).toBeUndefined();
  });

  it("refuses hub and spoke in a class with no students to peer", () => {
    expect(planStack("net", classConfig([], { enabled: true }), undefined).problems).toEqual([
      {
        path: "azlab:hubAndSpoke.enabled",
        message: "needs at least one student to peer with the hub",
        value: true,
        allowed: "students under azlab:class.students, or enabled: false",
      },
    ]);
  });

  it("refuses hub and spoke outside a class stack", () => {
    const { config } = parseStackConfig(
      {
        "azlab:environment": "dev",
        "azlab:location": "westeurope",
        "azlab:owner": "team",
        "azlab:network": { addressSpace: ["10.20.0.0/16"], subnets: { web: { prefixLength: 24 } } },
        "azlab:hubAndSpoke": { enabled: true },
      },
      [],
    );
    expect(planStack("dev", config!, undefined).problems).toEqual([
      {
        path: "azlab:hubAndSpoke",
        message: "is only for class stacks (this is a dev stack)",
        allowed: "azlab:environment: class, or remove azlab:hubAndSpoke",
      },
    ]);
  });
});

describe("hub and spoke in pre-flight", () => {
  it("reports every route and Bastion problem at the key the user wrote, once for the whole class", () => {
    const config = classConfig(["alice", "bob"], {
      enabled: true,
      routes: {
        "via-nva": {
          addressPrefix: "0.0.0.0/0",
          nextHopType: "VirtualAppliance",
          nextHopIpAddress: "10.9.0.4",
        },
        "no-ip": { addressPrefix: "10.50.0.0/16", nextHopType: "VirtualAppliance" },
        "stray-ip": {
          addressPrefix: "10.60.0.0/16",
          nextHopType: "Internet",
          nextHopIpAddress: "10.200.0.4",
        },
        "bad-ip": {
          addressPrefix: "10.70.0.0/16",
          nextHopType: "VirtualAppliance",
          nextHopIpAddress: "10.200.0.256",
        },
      },
      bastion: { enabled: true, sku: "Developer" },
    });
    const result = preflight("net", config, undefined);
    expect(result.plan).toBeUndefined();
    expect(result.problems.map((p) => formatProblem(p))).toEqual([
      'azlab:hubAndSpoke.routes.bad-ip.nextHopIpAddress: is not an IP address (got "10.200.0.256"; allowed: an address such as 10.100.4.4)',
      "azlab:hubAndSpoke.routes.no-ip.nextHopIpAddress: is required for next hop type VirtualAppliance (allowed: the appliance's private IP address inside 10.200.2.0/24, 10.200.3.0/26)",
      'azlab:hubAndSpoke.routes.stray-ip.nextHopIpAddress: is only for next hop type VirtualAppliance (this route\'s is Internet) (got "10.200.0.4"; allowed: no nextHopIpAddress, or nextHopType: VirtualAppliance)',
      'azlab:hubAndSpoke.routes.via-nva.nextHopIpAddress: is outside the hub\'s address space (got "10.9.0.4"; allowed: an address inside 10.200.2.0/24, 10.200.3.0/26)',
      'azlab:hubAndSpoke.bastion.sku: cannot connect to VMs in peered virtual networks (VNet peering isn\'t supported for the Developer SKU), so it cannot reach the spokes (got "Developer"; allowed: Basic, Standard, Premium)',
    ]);
  });

  it("passes a class whose appliance route points into the hub", () => {
    const config = classConfig(["alice", "bob"], {
      enabled: true,
      routes: {
        "via-nva": {
          addressPrefix: "0.0.0.0/0",
          nextHopType: "VirtualAppliance",
          nextHopIpAddress: "10.200.2.4",
        },
      },
    });
    const result = preflight("net", config, undefined);
    expect(result.problems).toEqual([]);
    // alice and bob sort before "hub", so the hub's block follows theirs.
    expect(result.plan!.environments[HUB_KEY]!.vnet.addressSpace).toEqual(["10.200.2.0/24"]);
  });
});
