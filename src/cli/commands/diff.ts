import { readFileSync } from "node:fs";
import { Option, type Command } from "commander";
import { UserError } from "../../errors.ts";
import { PLAN_VERSION, type PlanDocument } from "../../plan/document.ts";
import { diffExitCode, diffPlans, renderDiffMarkdown, serializeDiff } from "../../plan/diff.ts";
import { writeOutput } from "../output.ts";

const FROM_PLAN = "allowed: a file written by azlab plan --format json";

type FieldKind = "string" | "array" | "object";

/** The fields `azlab diff` reads from each list entry of a plan, and their JSON kinds. */
const ENTRY_FIELDS: Record<"resources" | "network" | "nsgRules" | "findings", Record<string, FieldKind>> = {
  resources: { urn: "string", type: "string", name: "string", dependencies: "array", inputs: "object" },
  network: { name: "string", addressSpace: "array", subnets: "array" },
  nsgRules: {
    nsg: "string",
    name: "string",
    direction: "string",
    access: "string",
    protocol: "string",
    source: "array",
    ports: "array",
  },
  findings: { id: "string", severity: "string", resource: "string", message: "string" },
};
const SUBNET_FIELDS: Record<string, FieldKind> = { urn: "string", name: "string", cidrs: "array" };

function kindOf(value: unknown): FieldKind | undefined {
  if (typeof value === "string") return "string";
  if (Array.isArray(value)) return "array";
  return value !== null && typeof value === "object" ? "object" : undefined;
}

/** The first entry of `list` that lacks one of `fields`, as `<where>[i].<field>`; undefined when all fit. */
function badEntry(
  list: readonly unknown[],
  fields: Record<string, FieldKind>,
  where: string,
): string | undefined {
  for (const [i, entry] of list.entries()) {
    if (kindOf(entry) !== "object") return `${where}[${i}]`;
    const record = entry as Record<string, unknown>;
    const field = Object.keys(fields).find((key) => kindOf(record[key]) !== fields[key]);
    if (field !== undefined) return `${where}[${i}].${field}`;
  }
  return undefined;
}

/**
 * Reads a plan written by `azlab plan --format json`; anything else, down to an entry that lacks a
 * field the diff reads, is a UserError naming the file, so a hand-edited plan never crashes `diff`.
 */
export function readPlanFile(path: string): PlanDocument {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new UserError(`${path}: cannot read the plan file (${FROM_PLAN})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(`${path}: not valid JSON (${reason}; ${FROM_PLAN})`);
  }
  const doc = parsed as Partial<PlanDocument> | null;
  if (kindOf(doc) !== "object" || doc?.version !== PLAN_VERSION) {
    const got = kindOf(doc) === "object" ? JSON.stringify(doc?.version) : "no object";
    throw new UserError(`${path}: version: not an azlab plan (got ${got}; allowed: "${PLAN_VERSION}")`);
  }
  const lists = Object.keys(ENTRY_FIELDS) as (keyof typeof ENTRY_FIELDS)[];
  const missing = [
    ...(["stack", "file"] as const).filter((key) => typeof doc[key] !== "string"),
    ...lists.filter((key) => !Array.isArray(doc[key])),
    ...(kindOf(doc.outputs) === "object" ? [] : ["outputs"]),
  ];
  if (missing.length > 0) {
    throw new UserError(`${path}: incomplete plan (missing or invalid: ${missing.join(", ")}; ${FROM_PLAN})`);
  }
  const plan = doc as PlanDocument;
  const bad =
    lists.map((key) => badEntry(plan[key], ENTRY_FIELDS[key], key)).find((where) => where !== undefined) ??
    plan.network
      .map((vnet, i) => badEntry(vnet.subnets, SUBNET_FIELDS, `network[${i}].subnets`))
      .find((where) => where !== undefined);
  if (bad !== undefined) {
    throw new UserError(`${path}: ${bad}: missing or invalid in this plan (${FROM_PLAN})`);
  }
  return plan;
}

/**
 * `azlab diff`: compares two plans, risky changes first. Exit 0 no changes, 2 changes, 3 risky
 * changes, 1 errors, so CI can gate on it.
 */
export function registerDiffCommand(program: Command): void {
  program
    .command("diff")
    .description("Compare two JSON plans. Exit 0: no changes; 2: changes; 3: risky changes; 1: error.")
    .argument("<base>", "plan of the base branch (azlab plan --format json)")
    .argument("<head>", "plan of the pull request")
    .addOption(new Option("--format <format>", "output format").choices(["md", "json"]).default("md"))
    .option("--out <file>", "write to this file instead of stdout")
    .addHelpText("after", "\nExample:\n  azlab diff plans/base/dev.json plans/head/dev.json --out comment.md")
    .action((basePath: string, headPath: string, options: { format: "md" | "json"; out?: string }) => {
      const base = readPlanFile(basePath);
      const head = readPlanFile(headPath);
      const diff = diffPlans(base, head);
      writeOutput(options.format === "json" ? serializeDiff(diff) : renderDiffMarkdown(diff), options.out);
      process.exitCode = diffExitCode(diff);
    });
}
