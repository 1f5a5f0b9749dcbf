/**
 * Child process for files.test.ts: writes SIZE MiB to TARGET, either through writeFileAtomic or the
 * way azlab used to write (open the target, truncate, write in place), so the parent can kill it
 * mid-write. Not a test file itself (vitest only runs *.test.ts).
 */
import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { writeFileAtomic } from "../../src/cli/files.ts";

const [mode, target, size] = process.argv.slice(2) as [string, string, string];
const line = `${"x".repeat(1023)}\n`;
const text = line.repeat(Number(size) * 1024);

if (mode === "atomic") {
  writeFileAtomic(target, text, "lock file");
} else {
  // The old writeFileSync(target, text): truncates first, then writes.
  const fd = openSync(target, "w");
  const data = Buffer.from(text);
  for (let offset = 0; offset < data.length;) {
    offset += writeSync(fd, data, offset, Math.min(1 << 20, data.length - offset));
  }
  fsyncSync(fd);
  closeSync(fd);
}
process.stdout.write("done\n");
