import { statSync } from "node:fs";
import { Option, type Command } from "commander";
import { UserError } from "../../errors.ts";
import { displayPath, listStackFiles, loadStackFile } from "../../config/stackFile.ts";
import { expiryInstant } from "../../schedule/expiry.ts";

export interface ExpiredStack {
  readonly stack: string;
  readonly course: string;
  readonly instructor: string;
  readonly expiresOn: string;
  readonly timeZone: string;
  /** The instant the class ended: 00:00 after expiresOn in its zone. */
  readonly expiredAt: string;
  readonly file: string;
}

/** True when YYYY-MM-DD names a real day: `Date` would read 2026-02-30 as 2 March. */
function isCalendarDate(ymd: string): boolean {
  const [year, month, day] = ymd.split("-").map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/** `--as-of`: a date (its 00:00 UTC) or a date-time with an explicit zone, never local time. */
export function parseAsOf(value: string): Date {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text);
  const date = new Date(text);
  if (!zoned || Number.isNaN(date.getTime()) || !isCalendarDate(text.slice(0, 10))) {
    throw new UserError(
      `--as-of: not a date (got ${JSON.stringify(value)}; allowed: YYYY-MM-DD, read as 00:00 UTC, or a date-time with a zone such as 2026-12-19T08:00:00Z)`,
    );
  }
  return date;
}

/** Class stacks whose expires-on has passed, and the stack files that could not be read. */
export function findExpired(stacksDir: string, asOf: Date): { expired: ExpiredStack[]; problems: string[] } {
  if (!statSync(stacksDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UserError(`${stacksDir}: no such folder (allowed: a folder of Pulumi.<stack>.yaml files)`);
  }
  const expired: ExpiredStack[] = [];
  const problems: string[] = [];
  for (const ref of listStackFiles(stacksDir)) {
    try {
      const { config } = loadStackFile(ref.path, ref.stack);
      if (config.environment !== "class" || !config.class) continue;
      const { courseId, instructor, expiresOn, timeZone } = config.class;
      const end = expiryInstant(expiresOn, timeZone);
      if (asOf.getTime() < end.getTime()) continue;
      expired.push({
        stack: ref.stack,
        course: courseId,
        instructor,
        expiresOn,
        timeZone,
        expiredAt: end.toISOString(),
        file: displayPath(ref.path),
      });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      problems.push(
        error.message.includes(ref.path) ? error.message : `${displayPath(ref.path)}: ${error.message}`,
      );
    }
  }
  return { expired, problems };
}

export function renderExpiredTable(expired: readonly ExpiredStack[], asOf: Date): string {
  if (expired.length === 0) return `No expired class stacks as of ${asOf.toISOString()}.\n`;
  const header = ["STACK", "COURSE", "INSTRUCTOR", "EXPIRES-ON", "TIME ZONE"];
  const rows = expired.map((e) => [e.stack, e.course, e.instructor, e.expiresOn, e.timeZone]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

/** `azlab expired`: which class stacks are past their expires-on date, for people and for CI. */
export function registerExpiredCommand(program: Command): void {
  program
    .command("expired")
    .description("List class stacks whose expires-on date has passed (in the class's time zone).")
    .option("--stacks-dir <dir>", "folder of stack files", "stacks")
    .option("--as-of <date>", "check as of this date (00:00 UTC) or date-time with a zone; default: now")
    .addOption(new Option("--format <format>", "output format").choices(["table", "json"]).default("table"))
    .addHelpText(
      "after",
      "\nA class expires at 00:00 after its expires-on date in its time zone.\nStack files with config errors are reported on stderr and make the command exit 1.\n\nExamples:\n  azlab expired\n  azlab expired --as-of 2027-02-01 --format json",
    )
    .action((options: { stacksDir: string; asOf?: string; format: "table" | "json" }) => {
      const asOf = options.asOf === undefined ? new Date() : parseAsOf(options.asOf);
      const { expired, problems } = findExpired(options.stacksDir, asOf);
      process.stdout.write(
        options.format === "json"
          ? `${JSON.stringify(expired, null, 2)}\n`
          : renderExpiredTable(expired, asOf),
      );
      for (const problem of problems) process.stderr.write(`azlab: ${problem}\n`);
      if (problems.length > 0) process.exitCode = 1;
    });
}
