import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  closeSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { buildSync } from "esbuild";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../src/cli/files.ts";
import { UserError } from "../../src/errors.ts";
import { runCli as cli } from "../support/cli.ts";

/**
 * The writer child, bundled once to plain JavaScript: a child started through tsx spent most of its
 * half second loading the TypeScript loader, not writing.
 */
const CHILD = join(mkdtempSync(join(tmpdir(), "azlab-writer-")), "writer.child.mjs");
buildSync({
  entryPoints: [join("tests", "cli", "writer.child.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: CHILD,
  logLevel: "warning",
});
const OLD = '{\n  "version": 1,\n  "vnets": { "alice": "10.128.6.0/24" }\n}\n';

function freshDir(): string {
  return mkdtempSync(join(tmpdir(), "azlab-files-"));
}

function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

/**
 * Starts the writer child on `target` and SIGKILLs it as soon as the write is visibly under way,
 * whichever way it writes: a temporary file in the folder has data, or the target no longer holds
 * OLD. Returns what it saw: the temporary file's name, or "target".
 */
async function killMidWrite(mode: "atomic" | "inplace", dir: string, target: string): Promise<string> {
  const child = spawn(process.execPath, [CHILD, mode, target, "64"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on("exit", (_code, signal) => resolve(signal)),
  );
  let seen = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`the writer finished (exit ${child.exitCode}) before it could be killed mid-write`));
        return;
      }
      const temp = readdirSync(dir).find((f) => f !== basename(target) && statSync(join(dir, f)).size > 0);
      const changed = statSync(target).size !== OLD.length;
      if (temp || changed) {
        seen = temp ?? "target";
        clearInterval(timer);
        child.kill("SIGKILL");
        resolve();
      }
    }, 1);
  });
  expect(await exited).toBe("SIGKILL");
  return seen;
}

describe("writeFileAtomic", () => {
  it("keeps the old file intact when the writer is SIGKILLed mid-write", async () => {
    const dir = freshDir();
    const target = join(dir, "Pulumi.dev.lock.json");
    writeFileSync(target, OLD);
    const seen = await killMidWrite("atomic", dir, target);
    expect(readFileSync(target, "utf8")).toBe(OLD);
    // Killed while the new text was going to a temporary file next to the target.
    expect(seen).toMatch(/^\.Pulumi\.dev\.lock\.json\.\d+\.[0-9a-f]{8}\.tmp$/);
  }, 60_000);

  it("(control) the old in-place write loses the file under the same kill", async () => {
    // Shows the harness above really lands mid-write: writing in place leaves a partial file.
    const dir = freshDir();
    const target = join(dir, "Pulumi.dev.lock.json");
    writeFileSync(target, OLD);
    expect(await killMidWrite("inplace", dir, target)).toBe("target");
    const left = readFileSync(target, "utf8");
    expect(left).not.toBe(OLD);
    expect(left.startsWith("{")).toBe(false);
  }, 60_000);

  it("keeps the old file and leaves no temporary file when the disk fills up", () => {
    // A 64 KiB file-size limit (ulimit -f) makes write(2) fail with EFBIG, as a full disk fails with ENOSPC.
    const run = (mode: string, target: string) =>
      spawnSync("bash", ["-c", `ulimit -f 64; exec "$0" "$@"`, process.execPath, CHILD, mode, target, "1"], {
        encoding: "utf8",
      });
    const dir = freshDir();
    const target = join(dir, "Pulumi.dev.lock.json");
    writeFileSync(target, OLD);
    const atomic = run("atomic", target);
    expect(atomic.status).toBe(1);
    expect(atomic.stderr).toContain(
      `${target}: cannot write the lock file (EFBIG; allowed: a path in an existing, writable folder with free space); the previous file, if any, is unchanged`,
    );
    expect(readFileSync(target, "utf8")).toBe(OLD);
    expect(readdirSync(dir)).toEqual(["Pulumi.dev.lock.json"]);

    const inplace = run("inplace", target);
    expect(inplace.status).toBe(1);
    expect(statSync(target).size).toBe(64 * 1024);
  }, 60_000);

  it("writes the text, keeps the target's permissions and leaves nothing else behind", () => {
    const dir = freshDir();
    const target = join(dir, "out.md");
    writeFileAtomic(target, "first\n");
    expect(readFileSync(target, "utf8")).toBe("first\n");
    chmodSync(target, 0o600);
    writeFileAtomic(target, "second ✓\n");
    expect(readFileSync(target, "utf8")).toBe("second ✓\n");
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["out.md"]);
  });

  it("refuses a symbolic link and leaves both the link and its target alone", () => {
    const dir = freshDir();
    const real = join(dir, "Pulumi.prod.lock.json");
    const link = join(dir, "Pulumi.dev.lock.json");
    writeFileSync(real, OLD);
    symlinkSync(real, link);
    const error = thrown(() => writeFileAtomic(link, "{}\n", "lock file"));
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      `${link}: the lock file is a symbolic link; azlab does not write through links (allowed: a regular file, or no file yet)`,
    );
    expect(readFileSync(real, "utf8")).toBe(OLD);
    expect(readdirSync(dir).sort()).toEqual(["Pulumi.dev.lock.json", "Pulumi.prod.lock.json"]);
  });

  it("refuses a FIFO (or a device) instead of replacing it with a plain file", () => {
    const dir = freshDir();
    const fifo = join(dir, "plan.md");
    spawnSync("mkfifo", [fifo]);
    const error = thrown(() => writeFileAtomic(fifo, "x", "output file"));
    expect((error as UserError).message).toBe(
      `${fifo}: the output file is not a regular file (a device, pipe or socket); azlab would replace it (allowed: a regular file, or no file yet; use standard output to pipe)`,
    );
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(["plan.md"]);
  });

  it("reports a full standard output in one line with exit 1, like a failed --out", () => {
    const full = openSync("/dev/full", "w");
    try {
      const child = spawnSync(process.execPath, ["bin/azlab.js", "cidr", "subnet", "10.0.0.0/16", "8", "2"], {
        stdio: ["ignore", full, "pipe"],
        encoding: "utf8",
      });
      expect([child.status, child.stderr]).toEqual([1, "azlab: cannot write to standard output (ENOSPC)\n"]);
    } finally {
      closeSync(full);
    }
  });

  it("names the path when the folder is missing or the target is a folder", () => {
    const dir = freshDir();
    const missing = join(dir, "no-such-folder", "out.md");
    expect((thrown(() => writeFileAtomic(missing, "x")) as Error).message).toBe(
      `${missing}: cannot write the output file (ENOENT; allowed: a path in an existing, writable folder with free space); the previous file, if any, is unchanged`,
    );
    const folder = join(dir, "sub");
    mkdirSync(folder);
    expect((thrown(() => writeFileAtomic(folder, "x")) as Error).message).toBe(
      `${folder}: the output file is a folder (allowed: a file path)`,
    );
    expect(readdirSync(dir)).toEqual(["sub"]);
  });
});

describe("azlab lock", () => {
  /** A stacks folder holding a copy of the shipped class-demo stack file and its lock. */
  function demoStacks(): { dir: string; lock: string } {
    const dir = freshDir();
    for (const file of ["Pulumi.class-demo.yaml", "Pulumi.class-demo.lock.json"]) {
      copyFileSync(join("stacks", file), join(dir, file));
    }
    return { dir, lock: join(dir, "Pulumi.class-demo.lock.json") };
  }

  it("does not rewrite an unchanged lock", async () => {
    const { dir, lock } = demoStacks();
    const before = statSync(lock);
    const text = readFileSync(lock, "utf8");
    const result = await cli(["lock", "--stack", "class-demo", "--stacks-dir", dir]);
    expect(result).toEqual({ code: 0, stdout: `${lock}: already up to date\n`, stderr: "" });
    const after = statSync(lock);
    // Same inode and mtime: the file was not replaced, not even with the same bytes.
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(readFileSync(lock, "utf8")).toBe(text);
  });

  it("replaces a lock whose content is current but whose bytes are not canonical", async () => {
    const { dir, lock } = demoStacks();
    const text = readFileSync(lock, "utf8");
    writeFileSync(lock, JSON.stringify(JSON.parse(text)));
    const before = statSync(lock);
    const result = await cli(["lock", "--stack", "class-demo", "--stacks-dir", dir]);
    expect(result).toEqual({ code: 0, stdout: `${lock}: rewritten in canonical form\n`, stderr: "" });
    expect(readFileSync(lock, "utf8")).toBe(text);
    expect(statSync(lock).ino).not.toBe(before.ino);
    expect(readdirSync(dir).sort()).toEqual(["Pulumi.class-demo.lock.json", "Pulumi.class-demo.yaml"]);
  });

  it("refuses a symlinked lock file", async () => {
    const { dir, lock } = demoStacks();
    const elsewhere = join(freshDir(), "other.lock.json");
    copyFileSync(lock, elsewhere);
    writeFileSync(elsewhere, OLD);
    unlinkSync(lock);
    symlinkSync(elsewhere, lock);
    const result = await cli(["lock", "--stack", "class-demo", "--stacks-dir", dir]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: `azlab: ${lock}: the lock file is a symbolic link; azlab does not write through links (allowed: a regular file, or no file yet)\n`,
    });
    expect(readFileSync(elsewhere, "utf8")).toBe(OLD);
  });

  it("refuses a symlinked --out target", async () => {
    const dir = freshDir();
    const real = join(dir, "real.md");
    const link = join(dir, "link.md");
    writeFileSync(real, "keep\n");
    symlinkSync(real, link);
    const empty = join(dir, "plans");
    mkdirSync(empty);
    expect(await cli(["render", "--head", empty, "--out", link])).toEqual({
      code: 1,
      stdout: "",
      stderr: `azlab: ${link}: the output file is a symbolic link; azlab does not write through links (allowed: a regular file, or no file yet)\n`,
    });
    expect(readFileSync(real, "utf8")).toBe("keep\n");
  });
});
