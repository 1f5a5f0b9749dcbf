/**
 * Shared by the fuzz and agreement tests: temp copies of the shipped stacks, the CLI run in-process,
 * and the checks every run must pass whatever the input (exit 0 or 1, no stack trace, nothing written).
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { runCli } from "../support/cli.ts";

export type CliResult = Awaited<ReturnType<typeof runCli>>;

/** The date guardrails judge class expiry at, so that results do not change when a shipped class ends. */
export const AS_OF = "2026-12-01";

/** Shipped stacks the harness mutates. Named here, so that adding a class to stacks/ changes nothing. */
export const SEED_STACKS = ["dev", "prod", "class-demo"] as const;
export type SeedStack = (typeof SEED_STACKS)[number];

export function seedText(stack: SeedStack): string {
  return readFileSync(join("stacks", `Pulumi.${stack}.yaml`), "utf8");
}

export function seedLock(stack: SeedStack): string {
  return readFileSync(join("stacks", `Pulumi.${stack}.lock.json`), "utf8");
}

const created: string[] = [];

/** Deletes every workspace made so far: a long fuzz run writes megabytes per case. */
export function removeWorkspaces(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A temp folder holding a copy of one shipped stack file and its lock; never the repository's own files. */
export function workspace(stack: SeedStack): { dir: string; stackPath: string; lockPath: string } {
  const dir = mkdtempSync(join(tmpdir(), "azlab-fuzz-"));
  created.push(dir);
  const stackPath = join(dir, `Pulumi.${stack}.yaml`);
  const lockPath = join(dir, `Pulumi.${stack}.lock.json`);
  copyFileSync(join("stacks", `Pulumi.${stack}.yaml`), stackPath);
  copyFileSync(join("stacks", `Pulumi.${stack}.lock.json`), lockPath);
  return { dir, stackPath, lockPath };
}

/** Every file of a folder with its bytes and modification time, to prove a run changed nothing. */
export function folderState(dir: string): Record<string, string> {
  const state: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const stat = statSync(path);
    state[name] = stat.isFile()
      ? `${stat.mtimeMs}:${readFileSync(path).toString("base64")}`
      : `${stat.isDirectory() ? "dir" : "other"}`;
  }
  return state;
}

/** The shipped stacks folder, as the fuzz found it: mutations must never touch it. */
export function repoStacksState(): Record<string, string> {
  return existsSync("stacks") ? folderState("stacks") : {};
}

/**
 * What holds for every run of the CLI on any input: exit 0 or 1 (2 and above mean a crash or a bug),
 * no stack trace, no "internal error", and on failure a message naming the file.
 */
export function expectCleanOutcome(result: CliResult, file: string): void {
  expect([0, 1], `exit code of a run on ${file}; stderr: ${result.stderr.slice(0, 2000)}`).toContain(
    result.code,
  );
  expect(result.stderr).not.toMatch(/\n\s+at .*[:(]\d+/);
  expect(result.stderr).not.toContain("internal error");
  if (result.code === 1) {
    expect(result.stderr.startsWith("azlab: "), result.stderr.slice(0, 500)).toBe(true);
    expect(result.stderr, "a failure names the file").toContain(file);
  }
}

/**
 * True when a problem line names the file and a key, or, for a file that is not YAML or not
 * UTF-8 (where no key can be read), the file and a line.
 */
export function namesFileAndKey(stderr: string, file: string): boolean {
  return stderr.split("\n").some(
    (line) =>
      line.includes(`${file}: azlab:`) ||
      line.includes(`${file}: config`) ||
      line.includes(`${file}: invalid YAML at line `) ||
      line.includes(`${file}: must be a YAML mapping`) ||
      line.includes(`${file}: YAML aliases at line `) ||
      line.includes(`${file}: the YAML alias at line `) ||
      line.includes(`${file}: is not valid UTF-8 at line `) ||
      line.includes(`${file}: the stack file is `) ||
      // A problem in a setting of another namespace, or in the lock: the key or entry is named.
      new RegExp(`${escape(file)}: [\\w-]+:[\\w.-]+: `).test(line) ||
      new RegExp(`${escape(file.replace(/\.yaml$/, ".lock.json"))}: `).test(line),
  );
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export interface PlanVerdict {
  readonly code: number;
  /** Mandatory error findings: what blocks `pulumi preview --policy-pack`. */
  readonly blocking: readonly string[];
}

/** Runs `azlab plan --format json` on a file and reads which findings would block `pulumi preview --policy-pack`. */
export async function planVerdict(path: string): Promise<{ result: CliResult; verdict: PlanVerdict }> {
  const result = await runCli(["plan", "--config-file", path, "--format", "json", "--as-of", AS_OF]);
  if (result.code !== 0) return { result, verdict: { code: result.code, blocking: [] } };
  const doc = JSON.parse(result.stdout) as {
    findings: { id: string; severity: string; enforcement: string; message: string }[];
  };
  const blocking = doc.findings
    .filter((f) => f.severity === "error" && f.enforcement === "mandatory")
    .map((f) => `${f.id}: ${f.message}`);
  return { result, verdict: { code: 0, blocking } };
}

export { runCli };
