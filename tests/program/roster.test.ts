/**
 * Roster changes touch only the students who change: URNs and inputs of everyone else stay
 * byte-identical, and neither reordering the roster nor renaming the course moves an address.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadStackFile } from "../../src/config/stackFile.ts";
import { prepareStack } from "../../src/program/preflight.ts";
import { overlaps, parsePrefix } from "../../src/cidr/address.ts";
import type { OfflineRun, RecordedResource } from "../../src/model/recorded.ts";
import { classStackWithStudents } from "../../bench/classStack.ts";
import { planShipped, planVariant } from "../support/offline.ts";

type Students = Record<string, Record<string, unknown>>;
const LOCK = "stacks/Pulumi.class-demo.lock.json";

/** One student's resources, keyed by URN: their environment, their AcrPull grants and their namespace objects. */
function studentResources(run: OfflineRun, student: string): Map<string, RecordedResource> {
  const mine = new RegExp(
    `::${student}(-|$)|::registry-acrpull-${student}-|::hub-k8s-student-${student}(-|$)`,
  );
  return new Map(run.resources.filter((r) => mine.test(r.urn)).map((r) => [r.urn, r]));
}

function addressInputs(run: OfflineRun): Record<string, unknown> {
  return Object.fromEntries(
    run.resources
      .filter(
        (r) => r.type === "azure-native:network:VirtualNetwork" || r.type === "azure-native:network:Subnet",
      )
      .map((r) => [r.urn, r.inputs["addressSpace"] ?? r.inputs["addressPrefix"]]),
  );
}

describe("roster changes", async () => {
  const before = await planShipped("class-demo");
  const after = await planVariant(
    "class-demo",
    (config) => {
      const cls = config["azlab:class"] as { students: Students };
      delete cls.students["bob"];
      cls.students["dave"] = {};
    },
    LOCK,
  );

  it("leaves every other student's resources identical (URNs and inputs)", () => {
    for (const student of ["alice", "carol"]) {
      const a = studentResources(before, student);
      const b = studentResources(after, student);
      // 18 in the environment (no NAT gateway: the load balancer's outbound rule is the egress), one AcrPull
      // grant, namespace, quota, limits, isolation and RoleBinding, and the student's own six role assignments
      // (src/access/studentAccess.ts).
      expect(a.size).toBe(30);
      expect([...b.keys()]).toEqual([...a.keys()]);
      for (const [urn, resource] of a) {
        expect(b.get(urn)?.inputs, urn).toEqual(resource.inputs);
      }
    }
  });

  it("removes only the removed student's resources and adds only the new student's", () => {
    const beforeUrns = new Set(before.resources.map((r) => r.urn));
    const afterUrns = new Set(after.resources.map((r) => r.urn));
    const removed = [...beforeUrns].filter((u) => !afterUrns.has(u));
    const added = [...afterUrns].filter((u) => !beforeUrns.has(u));
    // bob: 18 in his environment, his AcrPull grant, his namespace, quota, limits and isolation, and his budget.
    expect(removed.length).toBe(24);
    expect(added.length).toBe(24);
    expect(removed.filter((u) => !/::bob(-|$)|student-bob|acrpull-bob|budget-bob$/.test(u))).toEqual([]);
    expect(added.filter((u) => !/::dave(-|$)|student-dave|acrpull-dave|budget-dave$/.test(u))).toEqual([]);
  });

  it("gives the new student a free block and keeps everyone else's", () => {
    const cidrs = (run: OfflineRun) =>
      Object.fromEntries(
        run.resources
          .filter((r) => r.type === "azure-native:network:VirtualNetwork")
          .map((r) => [
            r.name,
            (r.inputs["addressSpace"] as { addressPrefixes: string[] }).addressPrefixes[0],
          ]),
      );
    expect(cidrs(after)).toEqual({
      "alice-net": "10.128.4.0/24",
      "carol-net": "10.128.6.0/24",
      "dave-net": "10.128.5.0/24",
      "hub-net": "10.128.0.0/22",
    });
  });

  it("moves no address when the roster is reordered and the course renamed", async () => {
    const reordered = await planVariant(
      "class-demo",
      (config) => {
        const cls = config["azlab:class"] as { students: Students; courseId: string };
        cls.students = Object.fromEntries(Object.entries(cls.students).reverse());
        cls.courseId = "cloud-102";
      },
      LOCK,
    );
    expect(addressInputs(reordered)).toEqual(addressInputs(before));
  });

  it("moves no address without a lock either: allocation is keyed by student, not roster position", async () => {
    const unlocked = await planVariant("class-demo", (config) => {
      const cls = config["azlab:class"] as { students: Students };
      cls.students = Object.fromEntries(Object.entries(cls.students).reverse());
    });
    expect(addressInputs(unlocked)).toEqual(addressInputs(before));
  });
});

describe("a class of 100 students", () => {
  it("validates, and gives each student a distinct, non-overlapping block", () => {
    const dir = mkdtempSync(join(tmpdir(), "azlab-class100-"));
    const file = join(dir, "Pulumi.class-100.yaml");
    writeFileSync(file, classStackWithStudents(100));
    const prepared = prepareStack(loadStackFile(file, "class-100"));
    const blocks = Object.values(prepared.plan.environments)
      .filter((e) => e.student)
      .map((e) => e.vnet.addressSpace[0]!);
    expect(blocks.length).toBe(100);
    expect(new Set(blocks).size).toBe(100);
    const parsed = blocks.map((b) => parsePrefix(b)!);
    // All 4,950 pairs, in one assertion over the overlapping ones.
    const overlapping: string[] = [];
    for (let i = 0; i < parsed.length; i++) {
      for (let j = i + 1; j < parsed.length; j++) {
        if (overlaps(parsed[i]!, parsed[j]!)) overlapping.push(`${blocks[i]} vs ${blocks[j]}`);
      }
    }
    expect(overlapping).toEqual([]);
  });
});
