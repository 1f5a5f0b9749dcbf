/**
 * The committed price table (prices.json, written by `azlab prices update`) and its text form.
 */
import committed from "./prices.json" with { type: "json" };
import type { PriceTable } from "./types.ts";

/** The table shipped in the repository. */
export const PRICE_TABLE = committed as PriceTable;

/**
 * The table as JSON the way Prettier formats it (two spaces; a short array of strings on one line),
 * so a refreshed table passes `npm run lint` without a format step.
 */
export function serializePriceTable(table: PriceTable): string {
  const json = JSON.stringify(table, null, 2);
  const oneLine = json.replace(
    /^( *)("[^"\n]*": )\[\n((?: *"(?:[^"\\\n]|\\.)*",?\n)+) *\]/gm,
    (whole, indent: string, key: string, items: string) => {
      const flat = `${indent}${key}[${items
        .trim()
        .split(/,?\n\s*/)
        .join(", ")
        .replace(/,$/, "")}]`;
      return flat.length <= 80 ? flat : whole;
    },
  );
  return `${oneLine}\n`;
}
