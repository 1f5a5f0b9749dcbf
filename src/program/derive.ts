/**
 * The large-class fast path of an offline plan (issue #16). Students whose settings have the same shape
 * get the same resources, differing only in their own values: key, addresses, sign-in names, SSH keys and
 * the hashes derived from those. So the program registers the first student of all and, per shape, a
 * template and a check student; every other student's records are derived from the template's by
 * replacing its values with theirs (src/program/substitution.ts).
 *
 * Every shape is checked before anything is derived from it: the check student derived from the template
 * must equal the check student as registered, record for record; the template's values must be nobody
 * else's text; and a shared resource that names the template must name the unregistered students too. A
 * shape that fails, or a resource whose owner cannot be told, makes the caller run the full registration.
 * The tests hold the two paths' JSON plans byte-identical.
 */
import { formatPrefix, type Prefix } from "../cidr/address.ts";
import type { Derivation } from "../model/journal.ts";
import type { OfflineRun, RecordedResource } from "../model/recorded.ts";
import type { StackPlan } from "../stack/planStack.ts";
import { substitution, wordPattern, type Substitution } from "./substitution.ts";

/** A student's own values, by where they sit in the plan; two students of one shape have the same paths. */
type Values = ReadonlyMap<string, string>;

const isPrefix = (value: unknown): value is Prefix =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as Prefix).network === "bigint" &&
  typeof (value as Prefix).length === "number";

/**
 * Text that is a student's own value rather than a setting: anything holding the student's key, an
 * address, or any text of the roster entry (sign-in names, SSH keys, display name).
 */
const ADDRESS = /^[0-9a-fA-F:.]+(\/\d+)?$/;

function walk(
  value: unknown,
  path: string,
  own: (text: string) => boolean,
  visit: (path: string, text: string) => void,
): unknown {
  if (typeof value === "string") {
    if (!own(value)) return value;
    visit(path, value);
    // Upper case matters where a value is compared without it (sign-in names): it is part of the shape.
    return value.toLowerCase() === value ? "§" : "§A";
  }
  if (isPrefix(value)) {
    // As CIDR text only: a bare network address can also start a wider block (the class's supernet).
    visit(`${path}#prefix`, formatPrefix(value));
    return { prefixLength: value.length, version: value.version };
  }
  if (typeof value === "bigint") return `${value}n`;
  if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`, own, visit));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        walk(v, `${path}.${k}`, own, visit),
      ]),
    );
  }
  return value;
}

interface StudentFacts {
  /** Everything that decides which resources the student gets, with their own values blanked. */
  readonly shape: string;
  readonly values: Values;
}

function studentFacts(plan: StackPlan, student: string): StudentFacts {
  const values = new Map<string, string>([["key", student]]);
  const visit = (path: string, text: string) => {
    values.set(path, text);
    // Entra compares sign-in names without case, and the mock lookup hashes them lowercased.
    values.set(`${path}#lower`, text.toLowerCase());
  };
  const keyWord = wordPattern(student);
  const env = walk(
    plan.environments[student],
    "env",
    (text) => keyWord.test(text) || ADDRESS.test(text),
    visit,
  );
  const roster = walk(plan.config.class?.students[student], "roster", () => true, visit);
  return { shape: JSON.stringify({ env, roster }), values };
}

/**
 * The students the program must register: the first student of all, and of every shape without them its
 * template (the first by key) and its check (the one with the longest values).
 */
export function representatives(plan: StackPlan): {
  readonly registered: ReadonlySet<string>;
  /** Per shape: its template, the students derived from it, and its check (the first student of all left out). */
  readonly shapes: readonly (readonly string[])[];
  readonly facts: ReadonlyMap<string, StudentFacts>;
} {
  const students = Object.keys(plan.config.class?.students ?? {}).sort();
  const facts = new Map(students.map((s) => [s, studentFacts(plan, s)]));
  const byShape = new Map<string, string[]>();
  for (const s of students) {
    const shape = facts.get(s)!.shape;
    const list = byShape.get(shape);
    if (list) list.push(s);
    else byShape.set(shape, [s]);
  }
  // The first student of all is registered on their own and is no template: a shared cluster's first
  // namespace gets the sample workload under the cluster's own names, not the student's.
  // Each shape is ordered template first, check last: the check is the student with the longest values,
  // so a name cut to a length limit somewhere in the program shows up as a difference in the check.
  const [firstOfAll] = students;
  const length = (s: string) => [...facts.get(s)!.values.values()].reduce((sum, v) => sum + v.length, 0);
  const shapes = [...byShape.values()]
    .map((list) => list.filter((s) => s !== firstOfAll))
    .filter((list) => list.length > 0)
    .map((list) => {
      if (list.length < 3) return list;
      const [template, ...rest] = list;
      const check = rest.reduce((best, s) => (length(s) >= length(best) ? s : best));
      return [template!, ...rest.filter((s) => s !== check), check];
    });
  const registered = new Set([
    ...(firstOfAll === undefined ? [] : [firstOfAll]),
    ...shapes.flatMap((list) => [list[0]!, list.at(-1)!]),
  ]);
  return { registered, shapes, facts };
}

const STACK_TYPE = "pulumi:pulumi:Stack";

/** A record whose logical name holds two students' keys: whose it is cannot be told. */
export const AMBIGUOUS = Symbol("ambiguous");

/**
 * The student whose key is a whole run of `-`-separated words of a logical name (`s007-net`,
 * `registry-acrpull-s007-web`, `hub-k8s-student-s007`); the longer key when one run holds another
 * (`jane-doe-net`, not `jane`). AMBIGUOUS when two keys sit side by side (student `b` and student `web`
 * in `registry-acrpull-b-web`): the caller then runs the full registration.
 */
export function ownerOf(name: string, students: ReadonlySet<string>): string | typeof AMBIGUOUS | undefined {
  const words = name.split("-");
  const spans: { key: string; from: number; to: number }[] = [];
  for (let i = 0; i < words.length; i++) {
    for (let j = i + 1; j <= words.length; j++) {
      const candidate = words.slice(i, j).join("-");
      if (students.has(candidate)) spans.push({ key: candidate, from: i, to: j });
    }
  }
  // Keep the spans no other span holds; more than one left means two students' keys.
  const outer = spans.filter(
    (a) => !spans.some((b) => b !== a && b.from <= a.from && a.to <= b.to && b.to - b.from > a.to - a.from),
  );
  const keys = new Set(outer.map((span) => span.key));
  if (keys.size > 1) return AMBIGUOUS;
  return outer[0]?.key;
}

function deriveRecord(record: RecordedResource, sub: Substitution): RecordedResource {
  const sorted = (list: readonly string[]) => [...new Set(list.map((u) => sub.text(u)))].sort();
  return {
    ...record,
    urn: sub.text(record.urn),
    name: sub.text(record.name),
    ...(record.parent !== undefined ? { parent: sub.text(record.parent) } : {}),
    dependencies: sorted(record.dependencies),
    inputs: sub.deep(record.inputs) as Record<string, unknown>,
    ...(record.aliases !== undefined ? { aliases: sorted(record.aliases) } : {}),
  };
}

/** What `derivePlan` did, for the benchmark and the tests. */
export interface DerivedStats {
  readonly registeredStudents: number;
  readonly derivedStudents: number;
  readonly shapes: number;
}

/**
 * The full run's records and outputs, from a run that registered only `representatives(plan).registered`
 * and the journal it kept; or why not, when any shape fails its check: the caller runs the full registration.
 */
export function deriveRun(
  plan: StackPlan,
  run: OfflineRun,
  journal: readonly Derivation[],
  picked: ReturnType<typeof representatives>,
): { readonly run: OfflineRun; readonly stats: DerivedStats } | { readonly fallback: string } {
  const students = new Set(picked.facts.keys());
  const owned = new Map<string, RecordedResource[]>();
  const owners = new Map<string, string | undefined>();
  const shared: RecordedResource[] = [];
  for (const record of run.resources) {
    // Parents register first. The stack is nobody's, whatever its name (stack `to`, student `to`).
    const inherited = record.parent === undefined ? undefined : owners.get(record.parent);
    const owner = record.type === STACK_TYPE ? undefined : (inherited ?? ownerOf(record.name, students));
    if (owner === AMBIGUOUS) return { fallback: `${record.name} names more than one student` };
    owners.set(record.urn, owner);
    if (owner === undefined) {
      shared.push(record);
      continue;
    }
    const list = owned.get(owner);
    if (list) list.push(record);
    else owned.set(owner, [record]);
  }
  const outputs = run.outputs as { students?: Record<string, unknown> };
  const studentOutputs = outputs.students;
  const derive = (from: string, to: string) => {
    const sub = substitution(picked.facts.get(from)!.values, picked.facts.get(to)!.values, journal);
    if (!sub) return undefined;
    return {
      records: (owned.get(from) ?? []).map((r) => deriveRecord(r, sub)),
      output: studentOutputs?.[from] === undefined ? undefined : sub.deep(studentOutputs[from]),
    };
  };
  const canonical = (records: readonly RecordedResource[]) =>
    records
      .map((r) => JSON.stringify(r))
      .sort()
      .join("\n");

  // Records the shared code registers for every student (a per-student budget, say) are there already.
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  const added: RecordedResource[] = [];
  const addedOutputs = new Map<string, unknown>();
  let derivedStudents = 0;
  const sharedTexts = shared.map((r) => ({ name: r.name, text: JSON.stringify(r) }));
  const registeredTexts = [...owned]
    .filter(([owner]) => picked.registered.has(owner))
    .map(([owner, records]) => ({ owner, text: records.map((r) => JSON.stringify(r)).join("\n") }));
  for (const shape of picked.shapes) {
    if (shape.length <= 2) continue;
    const first = shape[0]!;
    const last = shape.at(-1)!;
    const unregistered = shape[1]!;
    const values = (student: string) => picked.facts.get(student)!.values;
    // Only the values that differ within the shape are ever replaced.
    const varying = [...values(first)].filter(([path, value]) =>
      shape.some((student) => values(student).get(path) !== value),
    );
    for (const [path, value] of varying) {
      const word = wordPattern(value);
      // The template's value is also someone else's text (the stack owner as a student's UPN, the admin key
      // as a student's key): replacing it would change what is not the student's.
      const elsewhere = registeredTexts.find(({ owner, text }) => owner !== first && word.test(text));
      if (elsewhere) {
        return { fallback: `${first}'s ${path} (${value}) is also in ${elsewhere.owner}'s resources` };
      }
      // A shared resource built from the registered environments only would miss the derived students, and
      // no check of a student's own records would see it: one that names the template's value must name
      // that of a student who was not registered too.
      const theirs = wordPattern(values(unregistered).get(path)!);
      const partial = sharedTexts.find(({ text }) => word.test(text) && !theirs.test(text));
      if (partial) {
        return {
          fallback: `${partial.name} names ${first}'s ${path} (${value}) but not ${unregistered}'s, who was not registered`,
        };
      }
    }
    // The check: the last student, derived from the first, is the last student as registered.
    const check = derive(first, last);
    if (!check) return { fallback: `the values of ${first} and ${last} cannot be told apart` };
    const expected = canonical(owned.get(last) ?? []);
    const got = canonical(check.records);
    if (got !== expected) {
      const registered = new Set(expected.split("\n"));
      const wrong = got.split("\n").find((line) => !registered.has(line)) ?? "";
      const urn = (JSON.parse(wrong || "{}") as { urn?: string }).urn;
      const twin = expected.split("\n").find((line) => urn !== undefined && line.includes(`"urn":"${urn}"`));
      return {
        fallback: `${last} derived from ${first} differs from ${last} registered: ${wrong.slice(0, 2000)}${twin ? ` against ${twin.slice(0, 2000)}` : " (no such resource)"}`,
      };
    }
    if (JSON.stringify(check.output) !== JSON.stringify(studentOutputs?.[last])) {
      return { fallback: `the output of ${last} derived from ${first} differs from the registered one` };
    }
    for (const student of shape.slice(1, -1)) {
      const derived = derive(first, student);
      if (!derived) return { fallback: `the values of ${first} and ${student} cannot be told apart` };
      for (const record of derived.records) {
        const registered = byUrn.get(record.urn);
        if (registered) {
          if (JSON.stringify(registered) !== JSON.stringify(record)) {
            return { fallback: `${record.urn} derived from ${first} differs from the one registered` };
          }
          continue;
        }
        byUrn.set(record.urn, record);
        added.push(record);
      }
      if (derived.output !== undefined) addedOutputs.set(student, derived.output);
      derivedStudents++;
    }
  }
  // The `students` output in the full run's order: the plan's environments, hub left out.
  const mergedStudents =
    studentOutputs === undefined
      ? undefined
      : Object.fromEntries(
          Object.keys(plan.environments).flatMap((key) => {
            const value = studentOutputs[key] ?? addedOutputs.get(key);
            return value === undefined ? [] : [[key, value]];
          }),
        );
  return {
    run: {
      resources: [...run.resources, ...added],
      calls: run.calls,
      outputs: mergedStudents ? { ...run.outputs, students: mergedStudents } : run.outputs,
    },
    stats: {
      registeredStudents: picked.registered.size,
      derivedStudents,
      shapes: picked.shapes.length,
    },
  };
}
