/**
 * Property test: mutated copies of the shipped stack and lock files (types, ranges, unicode,
 * aliases, duplicate keys, truncation, huge values) never crash azlab. Every run exits 0 or 1,
 * prints no stack trace, names the file and the key when it fails, and leaves every file as it was.
 *
 * Seeded, so a failure replays: FUZZ_SEED=<seed> FUZZ_RUNS=<n> npm run fuzz. `npm test` runs a
 * bounded number of cases; scripts/fuzz.mjs runs many more.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import { isMap, isScalar, isSeq, parseDocument, type Document } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import {
  AS_OF,
  expectCleanOutcome,
  folderState,
  namesFileAndKey,
  planVerdict,
  removeWorkspaces,
  repoStacksState,
  runCli,
  SEED_STACKS,
  seedLock,
  seedText,
  workspace,
  type SeedStack,
} from "./harness.ts";

const SEED = Number(process.env["FUZZ_SEED"] ?? 20261201);
const RUNS = Number(process.env["FUZZ_RUNS"] ?? 8);
const PLAN_RUNS = Number(process.env["FUZZ_PLAN_RUNS"] ?? 2);
/** scripts/fuzz.mjs raises the per-test time limit with the number of cases. */
const TIMEOUT = Number(process.env["FUZZ_TIMEOUT_MS"] ?? 60_000);

// ---- values and keys worth trying ---------------------------------------------------------------

const awkwardText = fc.constantFrom(
  "",
  " ",
  "10.0.0.0/8",
  "10.0.0.1/24",
  "0.0.0.0/0",
  "::/0",
  "*",
  "Internet",
  "2026-02-30",
  "9999-12-31",
  "Mars/Olympus",
  "W. Europe Standard Time",
  "__proto__",
  "constructor",
  "Ünïcødé-näme",
  "名前",
  "😀",
  "a\u0000b",
  "\u202Eevil",
  "line\nbreak",
  "$(id)",
  "Standard_B1s",
  "x".repeat(5000),
);
const scalar = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.constantFrom(0, -1, 1, 24, 33, 65_536, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, 0.5),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  awkwardText,
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.constant({ secure: "AAABAFuzzCipherText==" }) },
);
const key = fc.oneof(
  fc.constantFrom(
    "__proto__",
    "constructor",
    "toString",
    "Alice",
    "a.b",
    "",
    "azlab:",
    "azlab:x:y",
    "é",
    "😀",
  ),
  fc.string({ maxLength: 12 }),
);

// ---- mutations ----------------------------------------------------------------------------------

type Mutation =
  | { kind: "set"; at: number; value: unknown }
  | { kind: "delete"; at: number }
  | { kind: "add"; at: number; key: string; value: unknown }
  | { kind: "truncate"; at: number }
  | { kind: "duplicateLine"; at: number }
  | { kind: "insertBytes"; at: number; bytes: readonly number[] }
  | { kind: "alias"; from: number; to: number }
  | { kind: "aliasBomb"; depth: number }
  | { kind: "manyStudents"; count: number }
  | { kind: "pad"; bytes: number };

const position = fc.nat({ max: 1_000_000 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("set" as const), at: position, value }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), at: position }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("add" as const), at: position, key, value }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: position }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("duplicateLine" as const), at: position }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("insertBytes" as const),
      at: position,
      bytes: fc.oneof(
        fc.constantFrom([0xff], [0xc3], [0xe9], [0xef, 0xbb, 0xbf], [0x00], [0x09], [0xed, 0xa0, 0x80]),
        fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 4 }),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("alias" as const), from: position, to: position }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("aliasBomb" as const), depth: fc.integer({ min: 2, max: 9 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("pad" as const),
      bytes: fc.constantFrom(10_000, 2 * 1024 * 1024 + 1),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("manyStudents" as const),
      count: fc.constantFrom(40, 300, 1000),
    }),
  },
);

/** Paths of every node under `config:`, in document order. */
function nodePaths(doc: Document): (string | number)[][] {
  const paths: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? pair.key.value : undefined;
        if (typeof k !== "string" && typeof k !== "number") continue;
        paths.push([...path, k]);
        walk(pair.value, [...path, k]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        paths.push([...path, i]);
        walk(item, [...path, i]);
      });
    }
  };
  walk(doc.get("config", true), ["config"]);
  return paths;
}

/** Applies one mutation to a YAML text; returns bytes, since some mutations are not valid UTF-8. */
function mutateYaml(text: string, m: Mutation): Buffer {
  const doc = parseDocument(text);
  const paths = nodePaths(doc);
  const pick = (n: number) => paths[n % paths.length]!;
  switch (m.kind) {
    case "set":
      doc.setIn(pick(m.at), doc.createNode(m.value));
      return Buffer.from(doc.toString({ lineWidth: 0 }));
    case "delete":
      doc.deleteIn(pick(m.at));
      return Buffer.from(doc.toString({ lineWidth: 0 }));
    case "add": {
      const target = pick(m.at);
      const node = doc.getIn(target, true);
      const mapPath = isMap(node) ? target : target.slice(0, -1);
      if (!isMap(doc.getIn(mapPath, true))) return Buffer.from(text);
      doc.setIn([...mapPath, m.key], doc.createNode(m.value));
      return Buffer.from(doc.toString({ lineWidth: 0 }));
    }
    case "truncate":
      return Buffer.from(text).subarray(0, m.at % (text.length + 1));
    case "duplicateLine": {
      const lines = text.split("\n");
      const i = m.at % lines.length;
      lines.splice(i, 0, lines[i]!);
      return Buffer.from(lines.join("\n"));
    }
    case "insertBytes": {
      const bytes = Buffer.from(text);
      const at = m.at % (bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at)]);
    }
    case "alias": {
      const from = pick(m.from);
      const to = pick(m.to);
      const node = doc.getIn(from, true);
      if (!node || typeof node !== "object") return Buffer.from(text);
      doc.setIn(to, doc.createAlias(node as never, "fuzz"));
      try {
        return Buffer.from(doc.toString({ lineWidth: 0 }));
      } catch {
        // An alias that would contain itself: keep the text as it was.
        return Buffer.from(text);
      }
    }
    case "aliasBomb": {
      const lines = ["  azlab:bomb0: &b0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
      for (let i = 1; i <= m.depth; i++) {
        lines.push(`  azlab:bomb${i}: &b${i} [${Array.from({ length: 9 }, () => `*b${i - 1}`).join(", ")}]`);
      }
      return Buffer.from(text.replace("config:\n", `config:\n${lines.join("\n")}\n`));
    }
    case "pad":
      // A comment as long as asked: just under any limit, or one byte past the 2 MiB one.
      return Buffer.from(`${text}\n# ${"z".repeat(Math.max(0, m.bytes - Buffer.byteLength(text) - 3))}`);
    case "manyStudents": {
      const roster = Object.fromEntries(Array.from({ length: m.count }, (_, i) => [`s${i}`, {}]));
      if (doc.hasIn(["config", "azlab:class"])) doc.setIn(["config", "azlab:class", "students"], roster);
      else doc.setIn(["config", "azlab:tags"], Object.fromEntries(Object.keys(roster).map((k) => [k, k])));
      return Buffer.from(doc.toString({ lineWidth: 0 }));
    }
  }
}

/** Lock files are JSON: the same kinds of damage, applied to the parsed object or the text. */
function mutateLock(text: string, m: Mutation): Buffer {
  if (m.kind === "truncate" || m.kind === "insertBytes" || m.kind === "duplicateLine" || m.kind === "pad")
    return mutateYaml(text, m);
  const lock = JSON.parse(text) as unknown;
  const paths: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (node && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) {
        const step = Array.isArray(node) ? Number(k) : k;
        paths.push([...path, step]);
        walk(v, [...path, step]);
      }
    }
  };
  walk(lock, []);
  const target = paths[("at" in m ? m.at : 0) % paths.length]!;
  const parent = target
    .slice(0, -1)
    .reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], lock) as Record<string | number, unknown>;
  const last = target.at(-1)!;
  if (m.kind === "set") parent[last] = m.value;
  else if (m.kind === "delete") delete parent[last];
  else if (m.kind === "add") parent[m.key] = m.value;
  return Buffer.from(JSON.stringify(lock, null, 2));
}

interface Case {
  readonly stack: SeedStack;
  readonly target: "stack" | "lock";
  readonly mutations: readonly Mutation[];
}

const fuzzCase: fc.Arbitrary<Case> = fc.record({
  stack: fc.constantFrom(...SEED_STACKS),
  target: fc.constantFrom("stack" as const, "stack" as const, "stack" as const, "lock" as const),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
});

/** Writes the mutated copy; the text mutations apply to the previous result, decoded leniently. */
function writeCase(c: Case): { dir: string; stackPath: string; lockPath: string } {
  const ws = workspace(c.stack);
  let bytes: Buffer = Buffer.from(c.target === "stack" ? seedText(c.stack) : seedLock(c.stack));
  for (const m of c.mutations) {
    const text = bytes.toString("utf8");
    try {
      bytes = c.target === "stack" ? mutateYaml(text, m) : mutateLock(text, m);
    } catch {
      // A mutation that cannot apply to an already damaged text leaves it as it is.
    }
  }
  writeFileSync(c.target === "stack" ? ws.stackPath : ws.lockPath, bytes);
  return ws;
}

describe("fuzzing the stack and lock files", () => {
  afterAll(removeWorkspaces);

  it(
    `validate survives ${RUNS} mutated files (seed ${SEED})`,
    async () => {
      const repoBefore = repoStacksState();
      await fc.assert(
        fc
          .asyncProperty(fuzzCase, async (c) => {
            const { dir, stackPath, lockPath } = writeCase(c);
            const before = folderState(dir);
            const validated = await runCli(["validate", "--config-file", stackPath, "--as-of", AS_OF]);
            expectCleanOutcome(validated, c.target === "lock" && validated.code === 1 ? dir : stackPath);
            if (validated.code === 1) {
              expect(namesFileAndKey(validated.stderr, stackPath), validated.stderr.slice(0, 2000)).toBe(
                true,
              );
            }
            // A stack file's secure value never shows (a lock file has no secrets: its text may be echoed).
            if (c.target === "stack")
              expect(validated.stderr + validated.stdout).not.toContain("AAABAFuzzCipherText");
            // `lock --check` exits 1 on an outdated lock, saying so on stdout: only a crash is wrong here.
            const checked = await runCli(["lock", "--check", "--config-file", stackPath]);
            expect([0, 1]).toContain(checked.code);
            expect(checked.stderr).not.toMatch(/\n\s+at .*[:(]\d+/);
            expect(checked.stderr).not.toContain("internal error");
            const expired = await runCli(["expired", "--stacks-dir", dir, "--as-of", AS_OF]);
            expect([0, 1]).toContain(expired.code);
            expect(expired.stderr).not.toMatch(/\n\s+at .*[:(]\d+/);
            // `expired` reads config only (no address plan), so it may pass where validate fails; when it fails, it names the file.
            if (expired.code === 1) expect(expired.stderr).toContain(stackPath);
            expect(folderState(dir)).toEqual(before);
            // `lock` may rewrite the lock only when it succeeds; a refused file leaves every file as it was.
            const locked = await runCli(["lock", "--config-file", stackPath]);
            expectCleanOutcome(locked, c.target === "lock" && locked.code === 1 ? dir : stackPath);
            const after = folderState(dir);
            if (locked.code === 1) expect(after).toEqual(before);
            else
              expect({ ...after, [basename(lockPath)]: "" }).toEqual({ ...before, [basename(lockPath)]: "" });
          })
          .afterEach(removeWorkspaces),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      expect(repoStacksState()).toEqual(repoBefore);
    },
    TIMEOUT,
  );

  it(
    `validate refuses first whatever plan refuses (${PLAN_RUNS} mutated files, seed ${SEED})`,
    async () => {
      await fc.assert(
        fc
          .asyncProperty(
            fc.record({
              stack: fc.constantFrom(...SEED_STACKS),
              target: fc.constant("stack" as const),
              mutations: fc.array(
                mutation.filter((m) => m.kind === "set" || m.kind === "delete"),
                {
                  minLength: 1,
                  maxLength: 2,
                },
              ),
            }),
            async (c) => {
              const { dir, stackPath } = writeCase(c);
              const before = folderState(dir);
              const validated = await runCli(["validate", "--config-file", stackPath, "--as-of", AS_OF]);
              expectCleanOutcome(validated, stackPath);
              const { result, verdict } = await planVerdict(stackPath);
              expectCleanOutcome(result, stackPath);
              const planRefuses = verdict.code !== 0 || verdict.blocking.length > 0;
              if (planRefuses) {
                expect(
                  validated.code,
                  `plan refused (${verdict.blocking.join("; ")}${result.stderr}) but validate passed`,
                ).toBe(1);
              }
              expect(folderState(dir)).toEqual(before);
            },
          )
          .afterEach(removeWorkspaces),
        { seed: SEED, numRuns: PLAN_RUNS, endOnFailure: true },
      );
    },
    TIMEOUT,
  );

  it("a real process exits 1 with the file named and no stack trace", async () => {
    // One process shows what only a process can: its exit status, and that nothing but azlab's own
    // message reaches stderr. The cut lock below takes the same refusal path in this process.
    const bomb = writeCase({ stack: "dev", target: "stack", mutations: [{ kind: "aliasBomb", depth: 9 }] });
    const a = await promisify(execFile)(process.execPath, [
      join("bin", "azlab.js"),
      "validate",
      "--config-file",
      bomb.stackPath,
    ]).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(a.code).toBe(1);
    expect(a.stderr).toContain(`azlab: ${bomb.stackPath}: YAML aliases at line `);
    expect(a.stderr).not.toMatch(/\n\s+at /);
  });

  it("names a cut lock file and prints no stack trace", async () => {
    const cut = writeCase({ stack: "class-demo", target: "lock", mutations: [{ kind: "truncate", at: 40 }] });
    const b = await runCli(["validate", "--config-file", cut.stackPath]);
    expect(b.code).toBe(1);
    expectCleanOutcome(b, cut.lockPath);
    expect(b.stderr).not.toMatch(/\n\s+at /);
  });
});
