import { lstatSync, readlinkSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

describe("the test run's temporary folder (tests/support/runTmpdir.ts)", () => {
  it("is the run's own, under the machine's, with the machine's tsx cache linked in", () => {
    const runTmp = tmpdir();
    expect(basename(runTmp)).toMatch(/^azlab-test-run-[A-Za-z0-9]{6}$/);
    expect([process.env["AZLAB_TEST_RUN_TMPDIR"], process.env["TEMP"], process.env["TMP"]]).toEqual([
      runTmp,
      runTmp,
      runTmp,
    ]);
    const tsxCache = `tsx-${process.geteuid?.() ?? userInfo().username}`;
    expect(lstatSync(join(runTmp, tsxCache)).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(runTmp, tsxCache))).toBe(join(dirname(runTmp), tsxCache));
  });
});
