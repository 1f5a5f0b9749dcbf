/**
 * `azlab diff --stack NAME --against REF` end to end, in a scratch git repository holding a copy of
 * this checkout's code and the shipped dev stack, so the test never depends on this
 * repository's history or on which other stack files exist.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { planAtRef } from "../../src/cli/commands/diff.ts";
import { UserError } from "../../src/errors.ts";

const repo = mkdtempSync(join(tmpdir(), "azlab-review-"));
const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.name=azlab test", "-c", "user.email=test@example.invalid", ...args], {
    cwd: repo,
    encoding: "utf8",
  }).trim();
/** The CLI's own temporary folder: other test runs on the machine never write to it. */
const scratch = mkdtempSync(join(tmpdir(), "azlab-review-tmp-"));
const azlab = (...args: string[]) =>
  spawnSync(process.execPath, [join(repo, "bin", "azlab.js"), ...args], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, TMPDIR: scratch },
  });
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
  // The scratch copy's own build, as `npm ci` makes one, so its CLI does not run through tsx.
  execFileSync(process.execPath, [join("scripts", "build.mjs")], { cwd: repo });
  git("init", "--quiet", "--initial-branch=main");
  git("add", ".");
  git("commit", "--quiet", "-m", "base");
});

describe("azlab diff --stack --against", () => {
  it("plans the base from the ref in a temporary worktree and diffs it with the working tree", () => {
    const before = leftovers();
    const file = join(repo, "stacks", "Pulumi.dev.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(
        "azlab:owner: platform-team@example.edu",
        "azlab:owner: other@example.edu",
      ),
    );
    const result = azlab("diff", "--stack", "dev", "--against", "main", "--format", "json");
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

  // The CLI prints a UserError's message as the first test's refusals show; these two call the
  // function behind --against in this process, which saves starting the CLI twice.
  it("names a ref that does not exist", () => {
    expect(() => planAtRef("dev", "no-such-branch", "stacks", repo)).toThrow(
      new UserError(
        '--against: unknown git ref (got "no-such-branch"; allowed: a branch, tag or commit of this repository)',
      ),
    );
  }, 60_000);

  it("removes the worktree when the base cannot be planned", () => {
    const before = leftovers();
    // A stack that exists only in the working tree: the ref has no file to plan.
    cpSync(join(repo, "stacks", "Pulumi.dev.yaml"), join(repo, "stacks", "Pulumi.new-class.yaml"));
    const short = git("rev-parse", "--short=7", "main");
    let refusal: unknown;
    const tmp = process.env["TMPDIR"];
    process.env["TMPDIR"] = scratch;
    try {
      planAtRef("new-class", "main", "stacks", repo);
    } catch (error) {
      refusal = error;
    } finally {
      if (tmp === undefined) delete process.env["TMPDIR"];
      else process.env["TMPDIR"] = tmp;
    }
    expect(refusal).toBeInstanceOf(UserError);
    expect((refusal as UserError).message).toBe(
      `--against: cannot plan stack "new-class" at main (${short}): stacks/Pulumi.new-class.yaml: no such stack file (stack "new-class"; allowed: dev)`,
    );
    expect(git("worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(1);
    expect(leftovers()).toEqual(before);
  }, 120_000);
});
