import { describe, expect, it } from "vitest";
import { CLDR_VERSION, timeZoneProblem, windowsTimeZone } from "../../src/schedule/timeZones.ts";
import { WINDOWS_ZONES } from "../../src/schedule/windowsZonesData.ts";

// Expected ids are rows of the Unicode CLDR 48 supplemental/windowsZones.json (cldr-core 48.2.0), the table
// Microsoft and ICU use to bridge IANA names and the Windows ids Azure Monitor autoscale takes.
describe("windowsTimeZone", () => {
  it.each([
    ["Europe/Amsterdam", "W. Europe Standard Time"],
    ["Europe/London", "GMT Standard Time"],
    ["America/New_York", "Eastern Standard Time"],
    ["America/Los_Angeles", "Pacific Standard Time"],
    ["Asia/Tokyo", "Tokyo Standard Time"],
    ["Australia/Sydney", "AUS Eastern Standard Time"],
    ["Etc/UTC", "UTC"],
    // Aliases that CLDR spells the old way are matched through the name Intl resolves both to.
    ["UTC", "UTC"],
    ["Asia/Kolkata", "India Standard Time"],
    ["Europe/Kyiv", "FLE Standard Time"],
  ])("maps %s to %s", (iana, windows) => {
    expect(windowsTimeZone(iana)).toBe(windows);
  });

  it("maps every zone this Node's Intl knows but Troll, which has no Windows zone", () => {
    const unmapped = Intl.supportedValuesOf("timeZone").filter((zone) => windowsTimeZone(zone) === undefined);
    expect(unmapped).toEqual(["Antarctica/Troll"]);
  });

  it("knows no Windows id, offset or made-up name", () => {
    expect(windowsTimeZone("W. Europe Standard Time")).toBeUndefined();
    expect(windowsTimeZone("+01:00")).toBeUndefined();
    expect(windowsTimeZone("Mars/Olympus")).toBeUndefined();
    expect(windowsTimeZone("")).toBeUndefined();
  });

  it("records its CLDR version and holds every IANA name of the table", () => {
    expect(CLDR_VERSION).toBe("48");
    expect(Object.keys(WINDOWS_ZONES)).toHaveLength(445);
    expect(WINDOWS_ZONES["Europe/Amsterdam"]).toBe("W. Europe Standard Time");
  });
});

describe("timeZoneProblem", () => {
  const allowed =
    'an IANA time zone name such as "Europe/Amsterdam", "America/New_York" or "UTC" (one that CLDR 48 maps to a Windows id)';
  it("accepts IANA names", () => {
    expect(timeZoneProblem("Europe/Amsterdam")).toBeUndefined();
    expect(timeZoneProblem("UTC")).toBeUndefined();
  });
  it("tells a Windows id from a made-up name", () => {
    expect(timeZoneProblem("W. Europe Standard Time")).toEqual({
      message: "is a Windows time zone id; write the IANA name, azlab converts it for Azure Monitor",
      allowed,
    });
    expect(timeZoneProblem("Mars/Olympus")).toEqual({ message: "is not an IANA time zone name", allowed });
    expect(timeZoneProblem("Antarctica/Troll")).toEqual({
      message: "has no Windows time zone id in CLDR 48",
      allowed,
    });
    expect(timeZoneProblem(3)).toEqual({ message: "is not a time zone name", allowed });
  });
});
