/**
 * Issue #14, "cheaper class defaults, chosen by measured cost": the egress a class gets by default, and what
 * it saves. A class-demo-shaped class of 25 students is planned by the real program twice, at the
 * default until now (a NAT gateway and its public IP per student: `azlab:network.outbound: natGateway`)
 * and at the new one (the student load balancer's outbound rule), and both are estimated from the committed
 * price table. Every expected figure is computed here from the table's unit prices, never copied.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { planDocumentOf } from "../../src/cli/commands/plan.ts";
import { loadStackFile } from "../../src/config/stackFile.ts";
import type { StackConfig } from "../../src/config/schema.ts";
import { findPrice, money } from "../../src/cost/estimate.ts";
import { PRICE_TABLE } from "../../src/cost/table.ts";
import { DEFAULT_ASSUMPTIONS, HOURS_PER_MONTH, type CostEstimate } from "../../src/cost/types.ts";
import { egressFor } from "../../src/stack/egress.ts";
import { buildPlanDocument, type PlanDocument } from "../../src/plan/document.ts";
import { planShipped, SHIPPED_AS_OF } from "../support/offline.ts";

const AS_OF = SHIPPED_AS_OF;
const STUDENTS = 25;
const dir = mkdtempSync(join(tmpdir(), "azlab-egress-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** class-demo with 25 students (its own three and s04…s25); `outbound` set when given. */
function classOf25(outbound?: "natGateway"): string {
  const doc = parseDocument(readFileSync("stacks/Pulumi.class-demo.yaml", "utf8"));
  for (let i = 4; i <= STUDENTS; i++)
    doc.setIn(["config", "azlab:class", "students", `s${String(i).padStart(2, "0")}`], {});
  if (outbound) doc.setIn(["config", "azlab:network", "outbound"], outbound);
  const stack = outbound ? "class25-nat" : "class25";
  const file = join(dir, `Pulumi.${stack}.yaml`);
  writeFileSync(file, doc.toString());
  return file;
}

async function plan(file: string): Promise<PlanDocument> {
  const stack = file.replace(/^.*Pulumi\.(.+)\.yaml$/, "$1");
  return planDocumentOf(loadStackFile(file, stack), { asOf: AS_OF });
}

const price = (meter: string) => findPrice(PRICE_TABLE, meter, "westeurope")!.unitPrice!;

/** Each student line's meter id, as a sorted multiset. */
function studentMeters(cost: CostEstimate): string[] {
  return cost.lines.flatMap((l) => (l.student === null ? [] : [`${l.student} ${l.meter.id}`])).sort();
}

describe("the class egress default, by measured cost (25 students)", async () => {
  // One after the other: the offline engine runs one Pulumi program at a time.
  const natPlan = await plan(classOf25("natGateway"));
  const lbPlan = await plan(classOf25());
  const old = natPlan.cost!;
  const now = lbPlan.cost!;
  const { natGatewayDataGb: natGb, loadBalancerDataGb: lbGb } = DEFAULT_ASSUMPTIONS;
  // What one student's NAT gateway costs a month, line by line as the estimator rounds them.
  const natGateway = money(price("nat:Standard:hour") * HOURS_PER_MONTH);
  const natData = money(price("nat:Standard:data") * natGb);
  const natIp = money(price("pip:Standard") * HOURS_PER_MONTH);
  // The load balancer processes the egress instead: natGb more GB on its data meter.
  const lbDataOld = money(price("lb:Standard:data") * lbGb);
  const lbDataNew = money(price("lb:Standard:data") * (lbGb + natGb));
  const savedPerStudent = money(natGateway + natData + natIp + lbDataOld - lbDataNew);

  it("plans both with no error finding", () => {
    expect(natPlan.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(lbPlan.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(Object.keys(now.students)).toHaveLength(STUDENTS);
  });

  it("drops exactly a NAT gateway, its data meter and its public IP per student, and adds no meter", () => {
    const before = studentMeters(old);
    const after = studentMeters(now);
    const removed = [...before];
    for (const meter of after) {
      const at = removed.indexOf(meter);
      expect(at, `${meter} is new`).toBeGreaterThanOrEqual(0);
      removed.splice(at, 1);
    }
    const keys = Object.keys(now.students).sort();
    expect(removed).toEqual(
      keys.flatMap((k) => [`${k} nat:Standard:data`, `${k} nat:Standard:hour`, `${k} pip:Standard`]).sort(),
    );
    // The hub and the shared registry do not change: the hub keeps its NAT gateway for the AKS nodes.
    const others = (cost: CostEstimate) =>
      cost.lines
        .filter((l) => l.student === null)
        // The two stacks differ in name only, and URNs carry the stack's name.
        .map((l) => [l.urn.replace(/^urn:pulumi:[^:]+::/, ""), l.meter.id, l.monthly]);
    expect(others(now)).toEqual(others(old));
  });

  it("costs less per student and for the class, by the table's own figures", () => {
    for (const key of Object.keys(now.students)) {
      expect(money(old.students[key]!.monthly - now.students[key]!.monthly)).toBe(savedPerStudent);
    }
    expect(money(old.total.monthly - now.total.monthly)).toBe(money(STUDENTS * savedPerStudent));
    expect(now.total.monthly).toBeLessThan(old.total.monthly);
    // Both estimates leave the same meters unpriced (VM sizes, the hub's node disk, storage), so the
    // saving is fully priced even though the totals are lower bounds.
    expect(old.total.unpriced).toBe(now.total.unpriced);
    expect(old.total.priced - now.total.priced).toBe(3 * STUDENTS);
  });

  it("is shown with both figures in docs/costs.md", () => {
    const docs = readFileSync("docs/costs.md", "utf8");
    const usd = (n: number) =>
      `US$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    for (const figure of [
      old.total.monthly,
      now.total.monthly,
      STUDENTS * savedPerStudent,
      savedPerStudent,
    ]) {
      expect(docs, usd(figure)).toContain(usd(figure));
    }
    expect(docs).toMatch(new RegExp(`same ${old.total.unpriced} meters\\s+unpriced`));
  });
});

describe("the class-demo student's load balancer as the VNet's egress", async () => {
  // The shipped run this worker's tests share: planned at AS_OF, and with three students the fast path
  // of planDocumentOf registers every one of them too, so the resources are the ones it would plan.
  const doc = buildPlanDocument(await planShipped("class-demo"), {
    stack: "class-demo",
    file: "stacks/Pulumi.class-demo.yaml",
    findings: [],
  });
  const named = (type: string, name: string) =>
    doc.resources.find((r) => r.type === type && r.name === name)!;

  it("adds an outbound rule on the frontend the load-balancing rule uses, which gives up its SNAT", () => {
    const lb = named("azure-native:network:LoadBalancer", "alice-web-lb").inputs;
    expect(lb["outboundRules"]).toEqual([
      {
        name: "outbound",
        frontendIPConfigurations: [{ id: "$self/frontendIPConfigurations/frontend" }],
        backendAddressPool: { id: "$self/backendAddressPools/backend" },
        protocol: "All",
        // Explicit, not Azure's default that shrinks as the pool grows: 1024 × at most 2 instances.
        allocatedOutboundPorts: 1024,
        idleTimeoutInMinutes: 4,
        enableTcpReset: true,
      },
    ]);
    expect(
      (lb["loadBalancingRules"] as Record<string, unknown>[]).map((r) => [
        r["name"],
        r["frontendIPConfiguration"],
        r["disableOutboundSnat"],
      ]),
    ).toEqual([["port-80", { id: "$self/frontendIPConfigurations/frontend" }, true]]);
  });

  it("gives student subnets no NAT gateway and no default outbound access; the hub keeps its NAT gateway", () => {
    const subnets = doc.resources
      .filter((r) => r.type === "azure-native:network:Subnet")
      .map((r) => [r.name, r.inputs["natGateway"] ?? null, r.inputs["defaultOutboundAccess"]]);
    expect(subnets).toEqual([
      ["alice-net-app", null, false],
      ["alice-net-web", null, false],
      ["bob-net-app", null, false],
      ["bob-net-web", null, false],
      ["carol-net-app", null, false],
      ["carol-net-web", null, false],
      ["hub-net-aks-nodes", { id: "hub-net-natgw-id" }, false],
    ]);
    expect(
      doc.resources.filter((r) => r.type === "azure-native:network:NatGateway").map((r) => r.name),
    ).toEqual(["hub-net-natgw"]);
    const aks = named("azure-native:containerservice:ManagedCluster", "hub-aks").inputs;
    expect((aks["networkProfile"] as Record<string, unknown>)["outboundType"]).toBe("userAssignedNATGateway");
  });
});

describe("egressFor", () => {
  const base = loadStackFile("stacks/Pulumi.class-demo.yaml", "class-demo").config;
  const student = { hub: false, scaleSet: true, vms: 0, aksCluster: false };
  const withConfig = (patch: (c: StackConfig) => StackConfig) => patch(base);

  it("gives a class student behind a public load balancer its outbound rule", () => {
    expect(egressFor(base, student)).toBe("loadBalancer");
  });

  it("keeps a NAT gateway wherever no load balancer of azlab's is in front", () => {
    expect(egressFor(base, { ...student, hub: true, aksCluster: true })).toBe("natGateway");
    expect(egressFor(base, { ...student, scaleSet: false })).toBe("natGateway");
    expect(egressFor(base, { ...student, vms: 1 })).toBe("natGateway");
    expect(egressFor(base, { ...student, aksCluster: true })).toBe("natGateway");
    const internal = withConfig((c) => ({
      ...c,
      scaleSet: { ...c.scaleSet!, loadBalancer: { ...c.scaleSet!.loadBalancer, type: "internal" } },
    }));
    expect(egressFor(internal, student)).toBe("natGateway");
    expect(egressFor({ ...base, environment: "dev" }, student)).toBe("natGateway");
  });

  it("keeps a NAT gateway when 1,024 SNAT ports per instance would not fit one frontend IP's 64,000", () => {
    const most = (max: number) =>
      withConfig((c) => ({
        ...c,
        scaleSet: {
          ...c.scaleSet!,
          autoscale: {
            ...c.scaleSet!.autoscale,
            schedules: { late: { ...c.scaleSet!.autoscale.schedules["class-hours"]!, max } },
          },
        },
      }));
    // 62 × 1024 = 63,488 fits; 63 × 1024 = 64,512 does not.
    expect(egressFor(most(62), student)).toBe("loadBalancer");
    expect(egressFor(most(63), student)).toBe("natGateway");
  });

  it("follows azlab:network.outbound when the stack file sets it", () => {
    const set = (outbound: "natGateway" | "loadBalancer") => ({
      ...base,
      network: { ...base.network, outbound },
    });
    expect(egressFor(set("natGateway"), student)).toBe("natGateway");
    expect(egressFor(set("loadBalancer"), { ...student, hub: true, aksCluster: true })).toBe("loadBalancer");
  });

  it("gives a hub without a cluster no egress: it holds only AzureBastionSubnet", () => {
    const hub = { hub: true, scaleSet: false, vms: 0, aksCluster: false };
    expect(egressFor(base, hub)).toBe("none");
    expect(egressFor({ ...base, network: { ...base.network, outbound: "natGateway" } }, hub)).toBe("none");
  });
});
