/**
 * When a class ends. A class is usable for the whole of its expires-on date in its own time zone,
 * so it expires at 00:00 of the following day there. Offsets come from Intl (no tz dependency).
 */
import { UserError } from "../errors.ts";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      });
    } catch {
      throw new UserError(
        `time zone ${JSON.stringify(timeZone)} is not an IANA time zone name (for example "Europe/Amsterdam" or "UTC")`,
      );
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Validates YYYY-MM-DD and returns it as a sortable number (YYYYMMDD). */
export function parseExpiresOn(expiresOn: string): number {
  const match = DATE.exec(expiresOn);
  if (!match) {
    throw new UserError(`expires-on must be a date written YYYY-MM-DD (got ${JSON.stringify(expiresOn)})`);
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    throw new UserError(`expires-on ${JSON.stringify(expiresOn)} is not a calendar date`);
  }
  return year * 10000 + month * 100 + day;
}

/** The calendar date (YYYYMMDD) that a wall clock in `timeZone` shows at instant `ms`. */
function localDate(formatter: Intl.DateTimeFormat, ms: number): number {
  const parts = Object.fromEntries(formatter.formatToParts(ms).map((p) => [p.type, p.value]));
  return Number(parts["year"]) * 10000 + Number(parts["month"]) * 100 + Number(parts["day"]);
}

/**
 * The first instant at which the local date in `timeZone` is after `expiresOn`: normally 00:00 of the
 * next day; in a zone whose clocks skip midnight, the moment they jump.
 */
export function expiryInstant(expiresOn: string, timeZone: string): Date {
  const last = parseExpiresOn(expiresOn);
  const formatter = formatterFor(timeZone);
  const [year, month, day] = [Math.floor(last / 10000), Math.floor(last / 100) % 100, last % 100];
  const nextMidnightUtc = Date.UTC(year, month - 1, day + 1);
  // Real offsets lie within -12h..+14h, so the boundary is inside this window. Search whole seconds:
  // zone transitions happen on whole minutes.
  let low = Math.floor((nextMidnightUtc - 15 * 3600_000) / 1000);
  let high = Math.ceil((nextMidnightUtc + 15 * 3600_000) / 1000);
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (localDate(formatter, mid * 1000) > last) high = mid;
    else low = mid;
  }
  return new Date(high * 1000);
}

/** True from the first second after the class's last day (in its zone) onwards. */
export function isExpired(expiresOn: string, timeZone: string, asOf: Date): boolean {
  return asOf.getTime() >= expiryInstant(expiresOn, timeZone).getTime();
}
