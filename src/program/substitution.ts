/**
 * Replacing one student's values with another's in recorded resources, for the large-class fast path
 * (src/program/derive.ts): plain values as whole words, and every hash the naming functions derived from
 * them recomputed from the journal (src/model/journal.ts) rather than guessed.
 */
import type { Derivation } from "../model/journal.ts";
import { SHORT_HASH, STABLE_GUID, shortHash, stableGuid } from "../naming/globalNames.ts";
import {
  AZURE_NAME,
  COMPUTER_NAME_PREFIX,
  DNS_PREFIX,
  GLOBAL_AZURE_NAME,
  VM_COMPUTER_NAME,
  azureName,
  defaultComputerNamePrefix,
  defaultDnsPrefix,
  defaultVmComputerName,
  globalAzureName,
  type AzureNameKind,
} from "../naming/azureNames.ts";
import { FAKE_GUID, fakeGuid } from "../engine/mockResponses.ts";

export const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** `text` as a whole word: not inside a longer run of letters and digits. */
export const wordPattern = (text: string) => new RegExp(`(?<![A-Za-z0-9])${escaped(text)}(?![A-Za-z0-9])`);
const longestFirst = (texts: Iterable<string>) => [...texts].sort((a, b) => b.length - a.length).map(escaped);

/**
 * Replaces a student's values with another's, longest first. A value from the plan is replaced only as a
 * whole word (`ab` in `lab-ab-rg`, never in `azlab`); a derived name or hash, which may be squeezed into a
 * longer name (`stlabclassab1f3e9a2c`), wherever it occurs.
 */
export class Substitution {
  private readonly map = new Map<string, string>();
  private readonly words = new Set<string>();
  private pattern: RegExp | undefined;

  /** False when `from` already stands for something else: the student's values cannot be told apart. */
  add(from: string, to: string, asWord: boolean): boolean {
    if (from === to) return true;
    const known = this.map.get(from);
    if (known !== undefined) return known === to;
    this.map.set(from, to);
    if (asWord) this.words.add(from);
    this.pattern = undefined;
    return true;
  }

  text(text: string): string {
    if (this.map.size === 0) return text;
    if (!this.pattern) {
      const anywhere = [...this.map.keys()].filter((k) => !this.words.has(k));
      const alternatives = [
        ...(anywhere.length > 0 ? [longestFirst(anywhere).join("|")] : []),
        ...(this.words.size > 0
          ? [`(?<![A-Za-z0-9])(?:${longestFirst(this.words).join("|")})(?![A-Za-z0-9])`]
          : []),
      ];
      this.pattern = new RegExp(alternatives.join("|"), "g");
    }
    return text.replace(this.pattern, (found) => this.map.get(found)!);
  }

  deep(value: unknown): unknown {
    if (typeof value === "string") return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.deep(v));
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, this.deep(v)]),
      );
    }
    return value;
  }
}

const REPLAY: Readonly<Record<string, (seed: string) => string>> = {
  [STABLE_GUID]: stableGuid,
  [FAKE_GUID]: fakeGuid,
  [COMPUTER_NAME_PREFIX]: defaultComputerNamePrefix,
  [DNS_PREFIX]: defaultDnsPrefix,
};

function replay(kind: string, seed: string): string | undefined {
  if (kind.startsWith(SHORT_HASH)) return shortHash(seed, Number(kind.slice(SHORT_HASH.length)));
  if (kind.startsWith(AZURE_NAME)) {
    return azureName(kind.slice(AZURE_NAME.length) as AzureNameKind, JSON.parse(seed) as string[]);
  }
  if (kind.startsWith(VM_COMPUTER_NAME)) {
    return defaultVmComputerName(seed, Number(kind.slice(VM_COMPUTER_NAME.length)));
  }
  if (kind.startsWith(GLOBAL_AZURE_NAME)) {
    const [parts, nameSeed] = JSON.parse(seed) as [string[], string];
    const name = kind.slice(GLOBAL_AZURE_NAME.length) as "storageAccount" | "containerRegistry";
    return globalAzureName(name, parts, nameSeed);
  }
  return REPLAY[kind]?.(seed);
}

/**
 * The substitution that turns the records of the student with values `from` into those of the student with
 * values `to` (the same paths), with the journal's hashes replayed; undefined when it is ambiguous.
 */
export function substitution(
  from: ReadonlyMap<string, string>,
  to: ReadonlyMap<string, string>,
  journal: readonly Derivation[],
): Substitution | undefined {
  const sub = new Substitution();
  if (from.size !== to.size) return undefined;
  for (const [path, value] of from) {
    const target = to.get(path);
    if (target === undefined || !sub.add(value, target, true)) return undefined;
  }
  // In journal order: a seed may hold a hash derived before it (a GUID of a principal id, say).
  for (const entry of journal) {
    const seed = sub.text(entry.seed);
    if (seed === entry.seed) continue;
    const value = replay(entry.kind, seed);
    if (value === undefined || !sub.add(entry.value, value, false)) return undefined;
  }
  return sub;
}
