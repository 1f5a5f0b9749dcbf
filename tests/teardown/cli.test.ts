import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { describe, expect, it, vi } from "vitest";
import { registerTeardownCommand } from "../../src/cli/commands/teardown.ts";
import { UserError } from "../../src/errors.ts";
import { PULUMI_MISSING, REPO_ROOT, stackFileIn, type StackDestroyer } from "../../src/teardown/destroyer.ts";
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
        status: "expired",
        file: join(dir, "Pulumi.net101.yaml"),
      },
    ]);
  });

  it("prints a table, and says so when nothing has expired", async () => {
    const dir = stacksDir(GOOD);
    const both = await runCli(["expired", "--stacks-dir", dir, "--as-of", "2026-12-20"]);
    expect(both.stdout).toBe(
      [
        "STACK   COURSE  INSTRUCTOR              EXPIRES-ON  TIME ZONE            STATUS",
        "net101  net101  instructor@example.edu  2026-12-18  Europe/Amsterdam     expired",
        "sec201  sec201  instructor@example.edu  2026-12-18  America/Los_Angeles  expired",
        "",
      ].join("\n"),
    );
    const none = await runCli(["expired", "--stacks-dir", dir, "--as-of", "2026-12-18T22:59:59Z"]);
    expect(none).toEqual({
      code: 0,
      stdout: "No class stacks expired as of 2026-12-18T22:59:59.000Z.\n",
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
    // Each bad file is named once, in file order; the exact wording of each problem is the loader's.
    const named = run.stderr.split("\n").filter((line) => line.startsWith("azlab: "));
    expect(named.map((line) => line.slice(7, line.indexOf(".yaml:") + 5))).toEqual([
      join(dir, "Pulumi.badzone.yaml"),
      join(dir, "Pulumi.broken.yaml"),
    ]);
    expect(run.stderr).toContain('"Europe/Amsterdan"');
    expect(run.stderr).toContain('"staging"');
  });

  it("with --within, also lists classes that end within that many days, marked expiring", async () => {
    const dir = stacksDir({
      ...GOOD,
      "Pulumi.later.yaml": classStack("2026-12-30", "UTC", "later"),
    });
    // As of 2026-12-18T12:00Z: none has ended; net101 and sec201 end within a day, later in 12.5 days.
    const soon = await runCli([
      "expired",
      "--stacks-dir",
      dir,
      "--as-of",
      "2026-12-18T12:00:00Z",
      "--within",
      "7d",
    ]);
    expect(soon).toEqual({
      code: 0,
      stdout: [
        "STACK   COURSE  INSTRUCTOR              EXPIRES-ON  TIME ZONE            STATUS",
        "net101  net101  instructor@example.edu  2026-12-18  Europe/Amsterdam     ends 2026-12-18T23:00:00.000Z",
        "sec201  sec201  instructor@example.edu  2026-12-18  America/Los_Angeles  ends 2026-12-19T08:00:00.000Z",
        "",
      ].join("\n"),
      stderr: "",
    });
    const json = await runCli([
      "expired",
      "--stacks-dir",
      dir,
      "--as-of",
      "2026-12-19",
      "--within",
      "14",
      "--format",
      "json",
    ]);
    expect(
      JSON.parse(json.stdout).map((e: { stack: string; status: string }) => [e.stack, e.status]),
    ).toEqual([
      ["later", "expiring"],
      ["net101", "expired"],
      ["sec201", "expiring"],
    ]);
    const none = await runCli(["expired", "--stacks-dir", dir, "--as-of", "2026-12-01", "--within", "1d"]);
    expect(none.stdout).toBe(
      "No class stacks expired or expiring within 1 day as of 2026-12-01T00:00:00.000Z.\n",
    );
  });

  it.each(["7 days", "-1d", "1w", "367d", ""])("rejects --within %j", async (within) => {
    expect(await runCli(["expired", "--stacks-dir", "stacks", "--within", within])).toEqual({
      code: 1,
      stdout: "",
      stderr: `azlab: --within: not a number of days (got ${JSON.stringify(within)}; allowed: 0d to 366d, for example 7d)\n`,
    });
  });

  // A 512-byte alias bomb used to crash `expired` (and with it every scheduled teardown) naming no file.
  it("reports an alias bomb by file name, lists the other stacks, and exits 1", async () => {
    const bomb = ["config:", "  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `  a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(", ")}]`,
      );
    const dir = stacksDir({ ...GOOD, "Pulumi.bomb.yaml": `${bomb.join("\n")}\n` });
    const run = await runCli(["expired", "--stacks-dir", dir, "--as-of", "2026-12-20", "--format", "json"]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).map((e: { stack: string }) => e.stack)).toEqual(["net101", "sec201"]);
    expect(run.stderr.startsWith(`azlab: ${join(dir, "Pulumi.bomb.yaml")}: `)).toBe(true);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  // Issue #11, data-loss defect 2: a file name with a newline split into two names in the workflow's
  // `jq -r | while read` loop, and one of them was an active class.
  it("never lists a stack whose file name is not a stack name, and names the file", async () => {
    const evil = "Pulumi.net101\nactive.yaml";
    const dir = stacksDir({ ...GOOD, [evil]: classStack("2026-12-18", "UTC", "evil") });
    const run = await runCli(["expired", "--stacks-dir", dir, "--as-of", "2026-12-20", "--format", "json"]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).map((e: { stack: string }) => e.stack)).toEqual(["net101", "sec201"]);
    expect(run.stderr).toBe(
      `azlab: ${JSON.stringify(join(dir, evil))}: stack name "Pulumi.net101\\nactive" has characters other than letters, digits, -, _ and . (allowed: 1 to 39 letters, digits, "-", "_" or ".", not "." or "..")\n`,
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
  function fakeDestroyer(stacksDirOf: (stack: string) => string = (stack) => stackFileIn(REPO_ROOT, stack)) {
    const calls = { check: 0, inspect: [] as string[], destroy: [] as string[] };
    const destroyer: StackDestroyer = {
      check: async () => {
        calls.check++;
        return { available: true };
      },
      stackFile: stacksDirOf,
      inspect: async (stack) => {
        calls.inspect.push(stack);
        return { resources: [], config: {} };
      },
      destroy: async (stack) => {
        calls.destroy.push(stack);
        return { deleted: 0 };
      },
    };
    return { calls, destroyer };
  }

  function program(destroyer: StackDestroyer, now?: Date): Command {
    const cli = new Command("azlab").exitOverride();
    registerTeardownCommand(cli, {
      destroyer: () => destroyer,
      plan: async () => ({ resources: [], calls: [], outputs: {} }),
      ...(now ? { now: () => now } : {}),
    });
    return cli;
  }

  async function run(destroyer: StackDestroyer, args: string[], now?: Date) {
    let stdout = "";
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    try {
      await program(destroyer, now).parseAsync(args, { from: "user" });
      return { stdout, error: undefined };
    } catch (error) {
      return { stdout, error };
    } finally {
      spy.mockRestore();
    }
  }

  it("checks --confirm against the stack chosen with --config-file, before listing anything", async () => {
    const { calls, destroyer } = fakeDestroyer();
    const result = await run(destroyer, [
      "teardown",
      "--config-file",
      "stacks/Pulumi.class-demo.yaml",
      "--confirm",
      "dev",
    ]);
    expect(result).toEqual({
      stdout: "",
      error: new UserError('--confirm must repeat the stack name exactly: expected "class-demo", got "dev"'),
    });
    expect(calls.destroy).toEqual([]);
  });

  // Issue #11, data-loss defect 1, through the CLI: the old command destroyed stack "prod" here.
  it("refuses a real run from a copy of the prod file saved elsewhere with environment: dev", async () => {
    const dir = mkdtempSync(join(tmpdir(), "azlab-copy-"));
    writeFileSync(
      join(dir, "Pulumi.prod.yaml"),
      readFileSync("stacks/Pulumi.prod.yaml", "utf8").replace(
        "azlab:environment: prod",
        "azlab:environment: dev",
      ),
    );
    copyFileSync("stacks/Pulumi.prod.lock.json", join(dir, "Pulumi.prod.lock.json"));
    const { calls, destroyer } = fakeDestroyer();
    for (const args of [
      ["--config-file", join(dir, "Pulumi.prod.yaml")],
      ["--stack", "prod", "--stacks-dir", dir],
    ]) {
      const result = await run(destroyer, ["teardown", ...args, "--confirm", "prod"]);
      expect(result).toEqual({
        stdout: "",
        error: new UserError(
          `a real teardown decides from the stack file Pulumi reads for stack "prod", ${join(REPO_ROOT, "stacks", "Pulumi.prod.yaml")}; got ${join(dir, "Pulumi.prod.yaml")} (allowed: --stack prod, without --config-file or --stacks-dir)`,
        ),
      });
    }
    expect(calls).toEqual({ check: 2, inspect: [], destroy: [] });
  });

  it("with --only-if-expired, leaves a class alone until it has expired", async () => {
    const { calls, destroyer } = fakeDestroyer();
    const args = ["teardown", "--stack", "class-demo", "--only-if-expired", "--confirm", "class-demo"];
    const early = await run(destroyer, args, new Date("2027-01-15T00:00:00Z"));
    expect(early).toEqual({
      stdout: "",
      error: new UserError(
        '--only-if-expired: class "class-demo" has not expired: expires-on 2027-01-31 (Europe/Amsterdam) ends at 2027-01-31T23:00:00.000Z, it is now 2027-01-15T00:00:00.000Z',
      ),
    });
    expect(calls.destroy).toEqual([]);
    const late = await run(destroyer, args, new Date("2027-02-01T00:00:00Z"));
    expect(late.error).toBe(undefined);
    expect(calls.destroy).toEqual(["class-demo"]);
  });

  it.each([
    ["teardown", "--stack", "../../x"],
    ["plan", "--stack", "../../x"],
    ["validate", "--stack", "../../x"],
    ["lock", "--stack", "../../x"],
  ])("%s refuses a --stack that is not a stack name", async (...args) => {
    expect(await runCli(args)).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'azlab: --stack: stack name "../../x" has characters other than letters, digits, -, _ and . (allowed: 1 to 39 letters, digits, "-", "_" or ".", not "." or "..")\n',
    });
  });

  it("stops cleanly, before planning or listing, when the Pulumi CLI is missing", async () => {
    const run = await runCli(["teardown", "--stack", "class-demo", "--confirm", "class-demo"]);
    expect(run).toEqual({ code: 1, stdout: "", stderr: `azlab: ${PULUMI_MISSING}\n` });
  }, 60_000);
});
