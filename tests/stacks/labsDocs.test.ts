/**
 * docs/labs.md maps every course topic of issue #15 to its lab stack and the keys that teach it. The
 * table may only name lab stacks that are shipped and `azlab:` keys that the schema has, and each key in
 * a row must be set in one of that row's stacks, so the page cannot drift from the files it describes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { configKeys } from "../../src/config/schema.ts";

const PAGE = readFileSync("docs/labs.md", "utf8");
const SHIPPED = readdirSync("stacks")
  .map((f) => /^Pulumi\.(lab-[a-z0-9-]+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined)
  .sort();

/** The rows of the Markdown table that follows `heading`, as cells, header and separator left out. */
function tableAfter(heading: string): string[][] {
  const text = `\n${PAGE}`;
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`docs/labs.md has no heading ${heading}`);
  const lines = text.slice(start).split("\n");
  const first = lines.findIndex((l) => l.startsWith("|"));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .slice(1, -1)
        .split("|")
        .map((c) => c.trim()),
    );
  }
  return rows;
}

const code = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
const labsIn = (cell: string) => code(cell).filter((c) => c.startsWith("lab-"));
const keysIn = (cell: string) => code(cell).filter((c) => c.startsWith("azlab:"));

/** The parts of zod's schema definition this walk reads (zod 4 `_zod.def`). */
interface Def {
  readonly type: string;
  readonly innerType?: Node;
  readonly in?: Node;
  readonly out?: Node;
  readonly shape?: Record<string, Node>;
  readonly valueType?: Node;
  readonly options?: readonly Node[];
}
interface Node {
  readonly _zod: { readonly def: Def };
}

/** Whether the schema has the path; a record accepts any key, written in the docs as `<name>`. */
function hasPath(node: Node, path: readonly string[]): boolean {
  const def = node._zod.def;
  const [head, ...rest] = path;
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
      return hasPath(def.innerType!, path);
    case "pipe":
      return hasPath(def.in!, path) || hasPath(def.out!, path);
    case "union":
      return def.options!.some((option) => hasPath(option, path));
    case "object":
      return head === undefined || (head in def.shape! && hasPath(def.shape![head]!, rest));
    case "record":
      return head === undefined || hasPath(def.valueType!, rest);
    default:
      return head === undefined;
  }
}

/** `azlab:nsg.rules.<rule>.source` → is it a key of the stack-file schema? */
function schemaHas(key: string): boolean {
  const [top, ...path] = key.slice("azlab:".length).split(".");
  const root = (configKeys as unknown as Record<string, Node>)[top!];
  return root !== undefined && hasPath(root, path);
}

/** Every key path a stack file sets under `azlab:`, leaves and the sections above them. */
function keysSetIn(stack: string): string[] {
  const doc = parse(readFileSync(`stacks/Pulumi.${stack}.yaml`, "utf8")) as {
    config: Record<string, unknown>;
  };
  const found: string[] = [];
  const walk = (value: unknown, path: string) => {
    found.push(path);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
    }
  };
  for (const [key, value] of Object.entries(doc.config)) if (key.startsWith("azlab:")) walk(value, key);
  return found;
}

/** A documented key matches a set path segment by segment; `<name>` matches any one segment. */
function matches(documented: string, set: string): boolean {
  const want = documented.split(".");
  const have = set.split(".");
  return want.length === have.length && want.every((w, i) => /^<[a-z]+>$/.test(w) || w === have[i]);
}

describe("docs/labs.md", () => {
  const topics = tableAfter("## Course topics");

  it("lists every course topic of issue #15, in its order", () => {
    expect(topics.map((row) => row[0])).toEqual([
      "VNet, CIDR and subnets",
      "NSG and ASG",
      "Static and dynamic public IPs",
      "Load balancer with a scale set and autoscale by CPU and by schedule",
      "VMs, VM sizes and disk types",
      "Storage accounts (blob, file, queue, table), redundancy, access tiers, lifecycle and SAS",
      "ACR push and pull",
      "AKS with node pools and the cluster autoscaler",
      "Deployments, Services and Ingress",
      "HPA and VPA",
      "StorageClass, PV and PVC",
      "Public and private subnets with a NAT gateway",
      "Hub-and-spoke peering, route tables and a bastion (jump) host",
    ]);
  });

  it("describes every shipped lab stack, and only those", () => {
    const described = tableAfter("# Lab stacks: one stack file per course lab").map(
      (row) => labsIn(row[0]!)[0],
    );
    expect(described.sort()).toEqual(SHIPPED);
    const named = new Set(topics.flatMap((row) => labsIn(row[1]!)));
    expect([...named].filter((stack) => !SHIPPED.includes(stack))).toEqual([]);
    // Every shipped lab teaches at least one topic.
    expect(SHIPPED.filter((stack) => !named.has(stack))).toEqual([]);
  });

  it("names only azlab: keys that the stack-file schema has", () => {
    const keys = [...new Set(keysIn(PAGE))];
    expect(keys.length).toBeGreaterThan(40);
    expect(keys.filter((key) => !schemaHas(key))).toEqual([]);
  });

  it("names, for each topic, keys that the topic's lab stacks set", () => {
    const unset = topics.flatMap(([topic, stacks, keys]) => {
      const labs = labsIn(stacks!);
      if (labs.length === 0) return [];
      const set = labs.flatMap(keysSetIn);
      return keysIn(keys!)
        .filter((key) => !set.some((path) => matches(key, path)))
        .map((key) => `${topic}: ${key}`);
    });
    expect(unset).toEqual([]);
  });
});

describe("the schema walk the docs check relies on", () => {
  it("finds keys at every depth, through records, defaults and transforms", () => {
    expect(
      [
        "azlab:environment",
        "azlab:nsg.subnets.<subnet>.rules.<rule>.sourcePorts",
        "azlab:class.students.<id>.upn",
        "azlab:aks.storageClass.kind",
        "azlab:network.addressSpace",
        "azlab:scaleSet.autoscale.schedules.<name>.min",
      ].map(schemaHas),
    ).toEqual([true, true, true, true, true, true]);
  });

  it("refuses misspelt keys and keys below a leaf", () => {
    expect(
      [
        "azlab:nsg.subnets.<subnet>.rules.<rule>.sourcePort",
        "azlab:storage.accesTier",
        "azlab:vnet",
        "azlab:environment.name",
        "azlab:class.sourceCidrs.cidr",
      ].map(schemaHas),
    ).toEqual([false, false, false, false, false]);
  });

  it("matches a documented key with placeholders against the paths a stack sets", () => {
    expect(matches("azlab:storage.containers.<name>", "azlab:storage.containers.uploads")).toBe(true);
    expect(matches("azlab:storage.containers.<name>", "azlab:storage.containers")).toBe(false);
    expect(matches("azlab:storage.sku", "azlab:storage.kind")).toBe(false);
    expect(keysSetIn("lab-storage-nfs")).toContain("azlab:storage.fileShares.scratch.rootSquash");
  });
});
