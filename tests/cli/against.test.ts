/**
 * `azlab diff --stack NAME --against REF` end to end, in a scratch git repository holding a copy of
 * this checkout's code and the shipped dev stack, so the test never depends on this
 * repository's history or on which other stack files exist. The CLI runs in this process, from the
 * scratch repository; the base is planned as users get it, by the ref's own CLI in a child process.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";

const repo = mkdtempSync(join(tmpdir(), "azlab-review-"));
const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.name=azlab test", "-c", "user.email=test@example.invalid", ...args], {
    cwd: repo,
    encoding: "utf8",
  }).trim();
/** The CLI's own temporary folder: other test runs on the machine never write to it. */
const scratch = mkdtempSync(join(tmpdir(), "azlab-review-tmp-"));

/** Runs the CLI as if started in the scratch repository with TMPDIR=scratch; restores both after. */
async function azlab(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const cwd = process.cwd();
  const tmp = process.env["TMPDIR"];
  process.chdir(repo);
  process.env["TMPDIR"] = scratch;
  try {
    const { code, stdout, stderr } = await runCli(args);
    return { status: code, stdout, stderr };
  } finally {
    process.chdir(cwd);
    if (tmp === undefined) delete process.env["TMPDIR"];
    else process.env["TMPDIR"] = tmp;
  }
}
/** Leftover worktree folders of `--against` runs. */
const leftovers = () =>
  readdirSync(scratch)
    .filter((f) => f.startsWith("azlab-against-"))
    .sort();

beforeAll(() => {
  for (const path of [
    "bin",
    "src",
    "components",
    "scripts/build.mjs",
    "package.json",
    "tsconfig.json",
    "Pulumi.yaml",
  ]) {
    cpSync(path, join(repo, path), { recursive: true });
  }
  for (const file of ["Pulumi.dev.yaml", "Pulumi.dev.lock.json"]) {
    cpSync(join("stacks", file), join(repo, "stacks", file));
  }
  symlinkSync(resolve("node_modules"), join(repo, "node_modules"));
  writeFileSync(join(repo, ".gitignore"), "node_modules\n/dist/\n");
  git("init", "--quiet", "--initial-branch=main");
  git("add", ".");
  git("commit", "--quiet", "-m", "base");
});

describe("azlab diff --stack --against", () => {
  it("plans the base from the ref in a temporary worktree and diffs it with the working tree", async () => {
    const before = leftovers();
    const file = join(repo, "stacks", "Pulumi.dev.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(
        "azlab:owner: platform-team@example.edu",
        "azlab:owner: other@example.edu",
      ),
    );
    const result = await azlab("diff", "--stack", "dev", "--against", "main", "--format", "json");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(2);
    const diff = JSON.parse(result.stdout) as {
      summary: Record<string, number>;
      changed: { urn: string; changes: unknown[] }[];
    };
    expect({ ...diff.summary, changed: 0 }).toEqual({
      added: 0,
      removed: 0,
      replaced: 0,
      changed: 0,
      outputsChanged: 0,
      risks: 0,
    });
    // Only the owner tag moves, on every tagged resource.
    expect(diff.changed.length).toBeGreaterThan(10);
    for (const change of diff.changed) {
      expect(change.changes).toEqual([
        { path: "inputs.tags.owner", before: "platform-team@example.edu", after: "other@example.edu" },
      ]);
    }
    expect(git("worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(1);
    expect(leftovers()).toEqual(before);
    git("checkout", "--quiet", "--", "stacks");
  }, 180_000);

  it("names a ref that does not exist", async () => {
    const result = await azlab("diff", "--stack", "dev", "--against", "no-such-branch");
    expect(result).toEqual({
      status: 1,
      stdout: "",
      stderr:
        'azlab: --against: unknown git ref (got "no-such-branch"; allowed: a branch, tag or commit of this repository)\n',
    });
  }, 60_000);

  it("removes the worktree when the base cannot be planned", async () => {
    const before = leftovers();
    // A stack that exists only in the working tree: the ref has no file to plan.
    cpSync(join(repo, "stacks", "Pulumi.dev.yaml"), join(repo, "stacks", "Pulumi.new-class.yaml"));
    const short = git("rev-parse", "--short=7", "main");
    expect(await azlab("diff", "--stack", "new-class", "--against", "main")).toEqual({
      status: 1,
      stdout: "",
      stderr: `azlab: --against: cannot plan stack "new-class" at main (${short}): stacks/Pulumi.new-class.yaml: no such stack file (stack "new-class"; allowed: dev)\n`,
    });
    expect(git("worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(1);
    expect(leftovers()).toEqual(before);
  }, 120_000);
});
