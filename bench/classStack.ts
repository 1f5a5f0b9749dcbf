/** Generates a class stack file with N students, for the plan benchmark and the size tests. */
import { readFileSync } from "node:fs";
import { parse, stringify } from "yaml";

/** The class-demo stack with its roster replaced by `count` students (s001, s002, …) in a /12 supernet. */
export function classStackWithStudents(count: number, demoPath = "stacks/Pulumi.class-demo.yaml"): string {
  const doc = parse(readFileSync(demoPath, "utf8")) as { config: Record<string, Record<string, unknown>> };
  const cls = doc.config["azlab:class"] ?? {};
  const students: Record<string, Record<string, never>> = {};
  for (let i = 1; i <= count; i++) students[`s${String(i).padStart(3, "0")}`] = {};
  doc.config["azlab:class"] = { ...cls, supernet: "10.64.0.0/12", students };
  return stringify(doc);
}
