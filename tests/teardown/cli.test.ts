import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { describe, expect, it, vi } from "vitest";
import { registerTeardownCommand } from "../../src/cli/commands/teardown.ts";
import { UserError } from "../../src/errors.ts";
import { PULUMI_MISSING, type StackDestroyer } from "../../src/teardown/destroyer.ts";
import { runCli } from "../support/cli.ts";

const CLASS_DEMO = readFileSync("stacks/Pulumi.class-demo.yaml", "utf8");

function classStack(expiresOn: string, timeZone: string, courseId: string): string {
  const text = CLASS_DEMO.replace('expiresOn: "2027-01-31"', `expiresOn: "${expiresOn}"`)
    .replace("timeZone: Europe/Amsterdam", `timeZone: ${timeZone}`)
    .replace("courseId: cloud-101", `courseId: ${courseId}`);
  if (text === CLASS_DEMO) throw new Error("the class-demo fixture changed; update this test");
  return text;
}

function stacksDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "azlab-expired-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const GOOD = {
  "Pulumi.net101.yaml": classStack("2026-12-18", "Europe/Amsterdam", "net101"),
  "Pulumi.sec201.yaml": classStack("2026-12-18", "America/Los_Angeles", "sec201"),
  "Pulumi.dev.yaml": readFileSync("stacks/Pulumi.dev.yaml", "utf8"),
};

describe("azlab expired", () => {
  it("lists class stacks past the end of their date in their own time zone", async () => {
    const dir = stacksDir(GOOD);
    // 23:30 UTC is past midnight in Amsterdam but still the afternoon in Los Angeles.
    const run = await runCli([
      "expired",
      "--stacks-dir",
      dir,
      "--as-of",
      "2026-12-18T23:30:00Z",
      "--format",
      "json",
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual([
      {
        stack: "net101",
        course: "net101",
        instructor: "instructor@example.edu",
        expiresOn: "2026-12-18",
        timeZone: "Europe/Amsterdam",
        expiredAt: "2026-12-18T23:00:00.000Z",
        file: join(dir, "Pulumi.net101.yaml"),
      },
    ]);
  });

  it("prints a table, and says so when nothing has expired", async () => {
    const dir = stacksDir(GOOD);
    const both = await runCli(["expired", "--stacks-dir", dir, "--as-of", "2026-12-20"]);
    expect(both.stdout).toBe(
      [
        "STACK   COURSE  INSTRUCTOR              EXPIRES-ON  TIME ZONE",
        "net101  net101  instructor@example.edu  2026-12-18  Europe/Amsterdam",
        "sec201  sec201  instructor@example.edu  2026-12-18  America/Los_Angeles",
        "",
      ].join("\n"),
    );
    const none = await runCli(["expired", "--stacks-dir", dir, "--as-of", "2026-12-18T22:59:59Z"]);
    expect(none).toEqual({
      code: 0,
      stdout: "No expired class stacks as of 2026-12-18T22:59:59.000Z.\n",
      stderr: "",
    });
  });

  it("reports stack files with config errors on stderr and exits 1 after listing the rest", async () => {
    const dir = stacksDir({
      ...GOOD,
      "Pulumi.broken.yaml": "config:\n  azlab:environment: staging\n",
      "Pulumi.badzone.yaml": classStack("2026-12-18", "Europe/Amsterdan", "bad"),
    });
    const run = await runCli(["expired", "--stacks-dir", dir, "--as-of", "2026-12-20", "--format", "json"]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).map((e: { stack: string }) => e.stack)).toEqual(["net101", "sec201"]);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe(
      `azlab: ${join(dir, "Pulumi.badzone.yaml")}: time zone "Europe/Amsterdan" is not an IANA time zone name (for example "Europe/Amsterdam" or "UTC")`,
    );
    expect(lines[1]).toMatch(
      new RegExp(`^azlab: ${join(dir, "Pulumi.broken.yaml")}: \\d+ problems? in the stack config:`),
    );
  });

  it("rejects an --as-of without a zone, or on a day the calendar does not have", async () => {
    for (const asOf of ["2026-12-20T10:00", "2026-02-30", "2026-02-29T08:00:00Z"]) {
      const run = await runCli(["expired", "--stacks-dir", "stacks", "--as-of", asOf]);
      expect(run).toEqual({
        code: 1,
        stdout: "",
        stderr: `azlab: --as-of: not a date (got "${asOf}"; allowed: YYYY-MM-DD, read as 00:00 UTC, or a date-time with a zone such as 2026-12-19T08:00:00Z)\n`,
      });
    }
  });

  it("rejects a --stacks-dir that is not a folder", async () => {
    const file = join(stacksDir(GOOD), "Pulumi.dev.yaml");
    expect(await runCli(["expired", "--stacks-dir", file])).toEqual({
      code: 1,
      stdout: "",
      stderr: `azlab: ${file}: no such folder (allowed: a folder of Pulumi.<stack>.yaml files)\n`,
    });
  });
});

describe("azlab teardown", () => {
  function program(destroyer: StackDestroyer): Command {
    const cli = new Command("azlab").exitOverride();
    registerTeardownCommand(cli, {
      destroyer: () => destroyer,
      plan: async () => ({ resources: [], calls: [], outputs: {} }),
    });
    return cli;
  }

  it("checks --confirm against the stack chosen with --config-file", async () => {
    let destroyed = false;
    const destroyer: StackDestroyer = {
      check: async () => ({ available: true }),
      destroy: async () => {
        destroyed = true;
        return { deleted: 0 };
      },
    };
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const run = program(destroyer).parseAsync(
      ["teardown", "--config-file", "stacks/Pulumi.class-demo.yaml", "--confirm", "dev"],
      {
        from: "user",
      },
    );
    await expect(run).rejects.toThrow(
      new UserError('--confirm must repeat the stack name exactly: expected "class-demo", got "dev"'),
    );
    expect(destroyed).toBe(false);
    expect(stdout.mock.calls[0]?.[0]).toBe(
      'Stack "class-demo" (class, stacks/Pulumi.class-demo.yaml): 0 resources to destroy, in this order:\n',
    );
    stdout.mockRestore();
  });

  it("plans the real stack offline and stops cleanly when the Pulumi CLI is missing", async () => {
    const run = await runCli(["teardown", "--stack", "class-demo", "--confirm", "class-demo"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`azlab: ${PULUMI_MISSING}\n`);
    expect(run.stdout.split("\n")[0]).toMatch(
      /^Stack "class-demo" \(class, stacks\/Pulumi\.class-demo\.yaml\): \d+ resources to destroy, in this order:$/,
    );
    expect(run.stdout.trimEnd().split("\n").at(-2)).toBe("  azure-native:resources:ResourceGroup shared-rg");
  }, 120_000);
});
