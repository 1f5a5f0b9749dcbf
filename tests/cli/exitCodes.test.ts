import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { EXIT } from "../../src/cli/output.ts";
import { runCli as cli } from "../support/cli.ts";

// A defect deep inside a command: cidrHost throws something that is not a UserError.
vi.mock("../../src/cidr/terraform.ts", async (original) => ({
  ...(await original<Record<string, unknown>>()),
  cidrHost: () => {
    throw new TypeError("Cannot read properties of undefined (reading 'length')");
  },
}));

describe("exit codes", () => {
  it("gives an internal error its own code, 4, apart from diff's 2 and 3", async () => {
    expect(await cli(["cidr", "host", "10.0.0.0/24", "1"])).toEqual({
      code: 4,
      stdout: "",
      stderr:
        "azlab: internal error: Cannot read properties of undefined (reading 'length')\nThis is a bug in azlab; please report it with the command you ran.\n",
    });
    expect(EXIT).toEqual({ ok: 0, userError: 1, changes: 2, risky: 3, internal: 4 });
  });

  it("exits 1 for a user error and for a usage error, 0 for success", async () => {
    expect(await cli(["cidr", "netmask", "10.0.0.0/33"])).toMatchObject({ code: 1, stdout: "" });
    expect((await cli(["cidr", "netmask", "--no-such-option"])).code).toBe(1);
    expect(await cli(["cidr", "netmask", "172.16.0.0/12"])).toEqual({
      code: 0,
      stdout: "255.240.0.0\n",
      stderr: "",
    });
  });

  it("documents every code in one table in docs/cli.md", () => {
    const doc = readFileSync("docs/cli.md", "utf8");
    const section = doc.slice(
      doc.indexOf("## Exit codes"),
      doc.indexOf("\n## ", doc.indexOf("## Exit codes") + 1),
    );
    const codes = [...section.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(codes).toEqual(Object.values(EXIT));
    expect(section).toMatch(/^\| 4 \| internal error: a bug in azlab/m);
  });
});
