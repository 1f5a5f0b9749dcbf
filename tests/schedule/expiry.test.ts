import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.ts";
import { expiryInstant, isExpired } from "../../src/schedule/expiry.ts";

describe("expiryInstant", () => {
  it.each([
    ["2026-12-18", "UTC", "2026-12-19T00:00:00.000Z"],
    // Amsterdam: CET (+1) in winter, CEST (+2) in summer.
    ["2026-12-18", "Europe/Amsterdam", "2026-12-18T23:00:00.000Z"],
    ["2026-07-10", "Europe/Amsterdam", "2026-07-10T22:00:00.000Z"],
    // Summer time starts 2026-03-29 02:00: the next midnight is the first in CEST.
    ["2026-03-28", "Europe/Amsterdam", "2026-03-28T23:00:00.000Z"],
    ["2026-03-29", "Europe/Amsterdam", "2026-03-29T22:00:00.000Z"],
    // Summer time ends 2026-10-25 03:00.
    ["2026-10-24", "Europe/Amsterdam", "2026-10-24T22:00:00.000Z"],
    ["2026-10-25", "Europe/Amsterdam", "2026-10-25T23:00:00.000Z"],
    // Los Angeles: PST (-8), PDT (-7). The class ends after UTC midnight.
    ["2026-12-18", "America/Los_Angeles", "2026-12-19T08:00:00.000Z"],
    ["2026-07-10", "America/Los_Angeles", "2026-07-11T07:00:00.000Z"],
    // Auckland: NZDT (+13) in December, NZST (+12) in July; the class ends before UTC midnight.
    ["2026-12-18", "Pacific/Auckland", "2026-12-18T11:00:00.000Z"],
    ["2026-07-10", "Pacific/Auckland", "2026-07-10T12:00:00.000Z"],
    ["2026-04-04", "Pacific/Auckland", "2026-04-04T11:00:00.000Z"],
    ["2026-09-26", "Pacific/Auckland", "2026-09-26T12:00:00.000Z"],
    // Santiago skips 00:00 on 2026-09-06 (clocks jump to 01:00): the class ends at the jump.
    ["2026-09-05", "America/Santiago", "2026-09-06T04:00:00.000Z"],
  ])("%s in %s ends at %s", (date, zone, expected) => {
    expect(expiryInstant(date, zone).toISOString()).toBe(expected);
  });

  it.each([
    ["2026-1-5", 'expires-on must be a date written YYYY-MM-DD (got "2026-1-5")'],
    ["18/12/2026", 'expires-on must be a date written YYYY-MM-DD (got "18/12/2026")'],
    ["2026-02-30", 'expires-on "2026-02-30" is not a calendar date'],
    ["2026-13-01", 'expires-on "2026-13-01" is not a calendar date'],
  ])("rejects %s", (date, message) => {
    expect(() => expiryInstant(date, "UTC")).toThrow(new UserError(message));
  });

  it("rejects an unknown time zone", () => {
    expect(() => expiryInstant("2026-12-18", "Europe/Amsterdan")).toThrow(
      new UserError(
        'time zone "Europe/Amsterdan" is not an IANA time zone name (for example "Europe/Amsterdam" or "UTC")',
      ),
    );
    expect(() => expiryInstant("2026-12-18", "Europe/Amsterdan")).toThrow(UserError);
  });
});

describe("isExpired", () => {
  it.each([
    ["UTC", "2026-12-18T23:59:59Z", "2026-12-19T00:00:00Z"],
    ["Europe/Amsterdam", "2026-12-18T22:59:59Z", "2026-12-18T23:00:00Z"],
    ["America/Los_Angeles", "2026-12-19T07:59:59Z", "2026-12-19T08:00:00Z"],
    ["Pacific/Auckland", "2026-12-18T10:59:59Z", "2026-12-18T11:00:00Z"],
  ])("in %s the last second of the date (%s) is not expired, the next one (%s) is", (zone, last, first) => {
    expect(isExpired("2026-12-18", zone, new Date(last))).toBe(false);
    expect(isExpired("2026-12-18", zone, new Date(first))).toBe(true);
  });

  it("a class is not expired during its date, even early in UTC terms", () => {
    expect(isExpired("2026-12-18", "America/Los_Angeles", new Date("2026-12-19T03:00:00Z"))).toBe(false);
    expect(isExpired("2026-12-18", "Pacific/Auckland", new Date("2026-12-18T03:00:00Z"))).toBe(false);
  });
});
