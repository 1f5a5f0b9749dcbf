import { Option, type Command } from "commander";
import { UserError } from "../../errors.ts";
import { displayPath, loadStackFile, scanStackFiles } from "../../config/stackFile.ts";
import { expiryInstant } from "../../schedule/expiry.ts";

export interface ExpiredStack {
  readonly stack: string;
  readonly course: string;
  readonly instructor: string;
  readonly expiresOn: string;
  readonly timeZone: string;
  /** The instant the class ends (or ended): 00:00 after expiresOn in its zone. */
  readonly expiredAt: string;
  /** "expired": past expiredAt, to tear down; "expiring": ends within the --within window. */
  readonly status: "expired" | "expiring";
  readonly file: string;
}

const DAY_MS = 86_400_000;
const MAX_WITHIN_DAYS = 366;

/** `--within`: a number of days written `7d` (or `7`), from 0 to a year. */
export function parseWithin(value: string): number {
  const match = /^(\d{1,3})d?$/.exec(value);
  const days = match ? Number(match[1]) : NaN;
  if (!(days >= 0 && days <= MAX_WITHIN_DAYS)) {
    throw new UserError(
      `--within: not a number of days (got ${JSON.stringify(value)}; allowed: 0d to ${MAX_WITHIN_DAYS}d, for example 7d)`,
    );
  }
  return days;
}

/** True when YYYY-MM-DD names a real day: `Date` would read 2026-02-30 as 2 March. */
function isCalendarDate(ymd: string): boolean {
  const [year, month, day] = ymd.split("-").map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/** `--as-of`: a date (its 00:00 UTC) or a date-time with an explicit zone, never local time. */
export function parseAsOf(value: string, flag = "--as-of"): Date {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text);
  const date = new Date(text);
  if (!zoned || Number.isNaN(date.getTime()) || !isCalendarDate(text.slice(0, 10))) {
    throw new UserError(
      `${flag}: not a date (got ${JSON.stringify(value)}; allowed: YYYY-MM-DD, read as 00:00 UTC, or a date-time with a zone such as 2026-12-19T08:00:00Z)`,
    );
  }
  return date;
}

/**
 * Class stacks whose expires-on has passed (and, with `withinDays`, those ending within that many
 * days), and the stack files that could not be read. One bad file never stops the others.
 */
export function findExpired(
  stacksDir: string,
  asOf: Date,
  withinDays = 0,
): { expired: ExpiredStack[]; problems: string[] } {
  const { files, problems } = scanStackFiles(stacksDir);
  const expired: ExpiredStack[] = [];
  const horizon = asOf.getTime() + withinDays * DAY_MS;
  for (const ref of files) {
    try {
      const { config } = loadStackFile(ref.path, ref.stack);
      if (config.environment !== "class" || !config.class) continue;
      const { courseId, instructor, expiresOn, timeZone } = config.class;
      const end = expiryInstant(expiresOn, timeZone);
      if (horizon < end.getTime()) continue;
      expired.push({
        stack: ref.stack,
        course: courseId,
        instructor,
        expiresOn,
        timeZone,
        expiredAt: end.toISOString(),
        status: asOf.getTime() >= end.getTime() ? "expired" : "expiring",
        file: displayPath(ref.path),
      });
    } catch (error) {
      // Anything a file can do to the reader (an alias bomb, bad bytes) is that file's problem.
      const message =
        error instanceof UserError
          ? error.message
          : `cannot be read: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`;
      problems.push(message.includes(ref.path) ? message : `${displayPath(ref.path)}: ${message}`);
    }
  }
  return { expired, problems };
}

export function renderExpiredTable(expired: readonly ExpiredStack[], asOf: Date, withinDays = 0): string {
  if (expired.length === 0) {
    const window =
      withinDays > 0 ? ` or expiring within ${withinDays} day${withinDays === 1 ? "" : "s"}` : "";
    return `No class stacks expired${window} as of ${asOf.toISOString()}.\n`;
  }
  const header = ["STACK", "COURSE", "INSTRUCTOR", "EXPIRES-ON", "TIME ZONE", "STATUS"];
  const rows = expired.map((e) => [
    e.stack,
    e.course,
    e.instructor,
    e.expiresOn,
    e.timeZone,
    e.status === "expired" ? "expired" : `ends ${e.expiredAt}`,
  ]);
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
    .description(
      "List class stacks whose expires-on date has passed (in the class's time zone), and with --within those about to expire.",
    )
    .option("--stacks-dir <dir>", "folder of stack files", "stacks")
    .option("--as-of <date>", "check as of this date (00:00 UTC) or date-time with a zone; default: now")
    .option("--within <days>", "also list classes that expire within this many days, for example 7d")
    .addOption(new Option("--format <format>", "output format").choices(["table", "json"]).default("table"))
    .addHelpText(
      "after",
      "\nA class expires at 00:00 after its expires-on date in its time zone.\nEntries have status expired or, with --within, expiring.\nStack files that cannot be read are named on stderr; the rest are still listed, and the command exits 1.\n\nExamples:\n  azlab expired\n  azlab expired --within 7d\n  azlab expired --as-of 2027-02-01 --format json",
    )
    .action((options: { stacksDir: string; asOf?: string; within?: string; format: "table" | "json" }) => {
      const asOf = options.asOf === undefined ? new Date() : parseAsOf(options.asOf);
      const within = options.within === undefined ? 0 : parseWithin(options.within);
      const { expired, problems } = findExpired(options.stacksDir, asOf, within);
      process.stdout.write(
        options.format === "json"
          ? `${JSON.stringify(expired, null, 2)}\n`
          : renderExpiredTable(expired, asOf, within),
      );
      for (const problem of problems) process.stderr.write(`azlab: ${problem}\n`);
      if (problems.length > 0) process.exitCode = 1;
    });
}
