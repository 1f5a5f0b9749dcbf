/**
 * A student's own sourceCidrs must be public ranges outside the class supernet, refused at the key the
 * instructor wrote (the review found them accepted, and their errors reported at azlab:class.sourceCidrs).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { removeWorkspaces, runCli, workspace } from "../fuzz/harness.ts";

afterAll(removeWorkspaces);

function classWithBobSources(sources: string): string {
  const { stackPath } = workspace("class-demo");
  const text = readFileSync(stackPath, "utf8");
  expect(text).toContain("      bob: {}\n");
  writeFileSync(stackPath, text.replace("      bob: {}\n", `      bob:\n        sourceCidrs: ${sources}\n`));
  return stackPath;
}

describe("a student's own sourceCidrs", () => {
  it("refuses private, supernet and internet-wide ranges, each at the student's key, all at once", async () => {
    const path = classWithBobSources(
      "[192.168.1.0/24, 10.128.4.0/24, 0.0.0.0/0, 100.64.0.0/10, 203.0.113.7/32]",
    );
    const result = await runCli(["validate", "--config-file", path, "--as-of", "2026-12-01"]);
    const allowed =
      "(allowed: a public prefix of the student's home or campus network, such as 203.0.113.7/32)";
    const key = `${path}: azlab:class.students.bob.sourceCidrs`;
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      [
        `azlab: ${path}: 4 problems in the stack config:`,
        `  - ${key}[0]: is or overlaps a private (RFC 1918) range, which never arrives from the internet (got "192.168.1.0/24"; ${allowed.slice(1, -1)})`,
        `  - ${key}[1]: is or overlaps a private (RFC 1918) range, which never arrives from the internet (got "10.128.4.0/24"; ${allowed.slice(1, -1)})`,
        `  - ${key}[2]: is the whole internet; a student's rule may open only their own ranges (got "0.0.0.0/0"; ${allowed.slice(1, -1)})`,
        `  - ${key}[3]: is or overlaps shared address space (CGNAT, RFC 6598), which never arrives from the internet (got "100.64.0.0/10"; ${allowed.slice(1, -1)})`,
        "",
      ].join("\n"),
    );
  });

  it("accepts a public range", async () => {
    const path = classWithBobSources("[203.0.113.7/32]");
    const result = await runCli(["validate", "--config-file", path, "--as-of", "2026-12-01"]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: 0,
      stderr: expect.not.stringContaining("sourceCidrs"),
    });
  });
});
