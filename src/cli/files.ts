/**
 * The one way azlab writes a file: a temporary file in the target's folder, fsynced, then renamed
 * over the target. rename(2) within one file system is atomic, so a reader, a crash, a kill or a
 * full disk leaves either the old file or the new one, never an empty or truncated one.
 */
import {
  closeSync,
  fsyncSync,
  lstatSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import type { Stats } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { UserError } from "../errors.ts";

/** Bytes handed to one write(2): small enough that a kill lands mid-file, large enough to be fast. */
const CHUNK = 1 << 20;

function errorCode(error: unknown): string {
  return error instanceof Error && "code" in error ? String(error.code) : "write failed";
}

/**
 * Refuses a target that is a symbolic link: renaming over it would replace the link, and writing
 * through it would change a file elsewhere (another stack's lock, or anything the link points at).
 */
export function refuseSymlink(path: string, what: string): void {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (stat?.isSymbolicLink()) {
    throw new UserError(
      `${path}: the ${what} is a symbolic link; azlab does not write through links (allowed: a regular file, or no file yet)`,
    );
  }
}

/** The file's text, or undefined when it does not exist or cannot be read as a regular file. */
export function readIfExists(path: string): string | undefined {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile()) return undefined;
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * The refusals writeFileAtomic makes before it writes: a symlink, a folder, or a device, pipe or socket
 * at `path`. Exported so a command can run them before slow work (network fetches); returns what is at
 * `path`, if anything.
 */
export function checkWriteTarget(path: string, what: string): Stats | undefined {
  refuseSymlink(path, what);
  const existing = lstatSync(path, { throwIfNoEntry: false });
  if (existing?.isDirectory()) {
    throw new UserError(`${path}: the ${what} is a folder (allowed: a file path)`);
  }
  // A rename would replace a device (even /dev/null), a FIFO or a socket with a plain file.
  if (existing !== undefined && !existing.isFile()) {
    throw new UserError(
      `${path}: the ${what} is not a regular file (a device, pipe or socket); azlab would replace it (allowed: a regular file, or no file yet; use standard output to pipe)`,
    );
  }
  return existing;
}

/**
 * Writes `text` to `path` atomically (see the file comment). A symlinked target is refused; a write
 * that fails (no such folder, no space, no permission) removes its temporary file, leaves the target
 * as it was, and is a UserError naming the path. `what` names the file in messages ("lock file").
 * `mode` sets the new file's permissions; by default it keeps the target's, or 0666 less the umask.
 */
export function writeFileAtomic(path: string, text: string, what = "output file", mode?: number): void {
  const existing = checkWriteTarget(path, what);
  // Same folder as the target, so the rename never crosses file systems; a dot name stays out of
  // `ls` and of the `Pulumi.*.yaml` pattern, and the pid says which run left it if killed.
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  let fd: number | undefined;
  try {
    // "wx": never reuse or follow an existing file at the temporary name. Keep the target's mode, unless
    // the caller sets one (owner-only hand-out sheets), which the file has from its creation on.
    fd = openSync(temp, "wx", mode ?? (existing ? existing.mode & 0o777 : 0o666));
    const data = Buffer.from(text, "utf8");
    for (let offset = 0; offset < data.length;) {
      offset += writeSync(fd, data, offset, Math.min(CHUNK, data.length - offset));
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // The temporary file was never created, or is already gone.
    }
    throw new UserError(
      `${path}: cannot write the ${what} (${errorCode(error)}; allowed: a path in an existing, writable folder with free space); the previous file, if any, is unchanged`,
    );
  }
  syncFolder(dirname(path));
}

/** Makes the rename itself durable. Best effort: some platforms cannot open a folder for fsync. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // The data is already safe on disk; only the directory entry's durability is left to the OS.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
