/**
 * Time zones: stack files name them the IANA way (`Europe/Amsterdam`), while Azure Monitor autoscale
 * recurrences take Windows ids (`W. Europe Standard Time`: the Microsoft.Insights autoscale spec's
 * `RecurrentSchedule.timeZone`, whose doc comment in @pulumi/azure-native lists Windows names only). The
 * bridge is the Unicode CLDR `windowsZones` table (see windowsZonesData.ts for its version and source).
 */
import { CLDR_VERSION, WINDOWS_ZONES } from "./windowsZonesData.ts";

export { CLDR_VERSION };

/**
 * Names Intl accepted so far: building a formatter loads the zone's rules, and a plan asks about few
 * zones. Only accepted names are kept, so the map never holds more than the zones Intl knows.
 */
const resolved = new Map<string, string>();

/** The canonical IANA name that Intl resolves `zone` to, or undefined when Intl does not know it. */
export function canonicalTimeZone(zone: string): string | undefined {
  const known = resolved.get(zone);
  if (known !== undefined) return known;
  // Intl also takes offsets such as "+01:00" in newer Node versions; a zone name starts with a letter.
  if (!/^[A-Za-z]/.test(zone)) return undefined;
  try {
    const name = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
    resolved.set(zone, name);
    return name;
  } catch {
    return undefined;
  }
}

let byCanonical: Map<string, string> | undefined;

/**
 * CLDR keys are its own canonical spellings (`Europe/Kiev`, `Asia/Calcutta`), so an alias the user writes
 * (`Europe/Kyiv`, `Asia/Kolkata`, `UTC`) is matched through the name Intl resolves both sides to.
 */
function canonicalIndex(): Map<string, string> {
  if (!byCanonical) {
    byCanonical = new Map();
    for (const [iana, windows] of Object.entries(WINDOWS_ZONES)) {
      const key = canonicalTimeZone(iana);
      if (key !== undefined && !byCanonical.has(key)) byCanonical.set(key, windows);
    }
  }
  return byCanonical;
}

/** The Windows time zone id for an IANA name, or undefined when the name is not a known IANA zone. */
export function windowsTimeZone(iana: string): string | undefined {
  if (Object.hasOwn(WINDOWS_ZONES, iana)) return WINDOWS_ZONES[iana];
  const key = canonicalTimeZone(iana);
  return key === undefined ? undefined : canonicalIndex().get(key);
}

/** Why `zone` cannot be used as a stack-file time zone, or undefined when it can. */
export function timeZoneProblem(zone: unknown): { message: string; allowed: string } | undefined {
  const allowed = `an IANA time zone name such as "Europe/Amsterdam", "America/New_York" or "UTC" (one that CLDR ${CLDR_VERSION} maps to a Windows id)`;
  if (typeof zone !== "string") return { message: "is not a time zone name", allowed };
  if (windowsTimeZone(zone) !== undefined) return undefined;
  const windows = Object.values(WINDOWS_ZONES).includes(zone);
  let message = "is not an IANA time zone name";
  if (windows)
    message = "is a Windows time zone id; write the IANA name, azlab converts it for Azure Monitor";
  // A real IANA zone that CLDR maps to no Windows id (Antarctica/Troll) cannot drive Azure Monitor.
  else if (canonicalTimeZone(zone) !== undefined)
    message = `has no Windows time zone id in CLDR ${CLDR_VERSION}`;
  return { message, allowed };
}
