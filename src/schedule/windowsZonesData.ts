/**
 * IANA time zone name -> Windows time zone id, every row of the Unicode CLDR `windowsZones` table.
 * Source: CLDR 48 supplemental/windowsZones.json, as shipped in the npm package cldr-core 48.2.0
 * (https://github.com/unicode-org/cldr-json, Unicode license). The rows are generated data in
 * windowsZones.json; do not edit them by hand: regenerate from a newer cldr-core when Microsoft adds zones.
 */
import windowsZones from "./windowsZones.json" with { type: "json" };

export const CLDR_VERSION = "48";

export const WINDOWS_ZONES: Readonly<Record<string, string>> = windowsZones;
