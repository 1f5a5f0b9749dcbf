/**
 * Checks the Azure names in a planned resource's inputs against the rows of "Naming rules and
 * restrictions for Azure resources" that azlab needs (tests/conformance/data/naming/resource-name-rules.json).
 */
export interface NameRule {
  readonly id: string;
  readonly entity: string;
  readonly scope: string;
  readonly minLength: number;
  readonly maxLength: number;
  readonly pattern: string;
  readonly allowed: string;
  /** The key of the matching rule in src/naming/azureNames.ts, if azlab has one. */
  readonly azlabRule: string | null;
}

export interface NameRules {
  readonly source: string;
  readonly rules: readonly NameRule[];
  /** Per type: the input path that holds a name (`a.b`, `list[].name`) → the rule id. */
  readonly inputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The string values at `path` in `inputs`; `[]` steps into every element of a list. */
export function valuesAt(inputs: unknown, path: string): { at: string; value: string }[] {
  let current: { at: string; value: unknown }[] = [{ at: "", value: inputs }];
  for (const step of path.split(".")) {
    const list = step.endsWith("[]");
    const key = list ? step.slice(0, -2) : step;
    const next: { at: string; value: unknown }[] = [];
    for (const { at, value } of current) {
      if (typeof value !== "object" || value === null) continue;
      const child = (value as Record<string, unknown>)[key];
      const where = at ? `${at}.${key}` : key;
      if (!list) next.push({ at: where, value: child });
      else if (Array.isArray(child))
        child.forEach((item, i) => next.push({ at: `${where}[${i}]`, value: item }));
    }
    current = next;
  }
  return current.flatMap(({ at, value }) => (typeof value === "string" ? [{ at, value }] : []));
}

export function checkName(rule: NameRule, name: string): string | undefined {
  const fits =
    name.length >= rule.minLength && name.length <= rule.maxLength && new RegExp(rule.pattern).test(name);
  if (fits) return undefined;
  return `${JSON.stringify(name)} (${name.length} characters) breaks the ${rule.entity} rule: ${rule.minLength}-${rule.maxLength} characters, ${rule.allowed}`;
}

export function checkNames(rules: NameRules, type: string, inputs: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [path, id] of Object.entries(rules.inputs[type] ?? {})) {
    const rule = rules.rules.find((r) => r.id === id);
    if (!rule) {
      problems.push(`${path}: no naming rule ${id}`);
      continue;
    }
    for (const { at, value } of valuesAt(inputs, path)) {
      const problem = checkName(rule, value);
      if (problem) problems.push(`${at}: ${problem}`);
    }
  }
  return problems;
}
