/**
 * A journal of the hashes an offline run derives from text (global-name suffixes, role-assignment
 * GUIDs, the mock engine's fake ids). The large-class fast path (src/program/derive.ts) replays an
 * entry with one student's values in place of another's to get the hash that student would have
 * had, without running the program for them. Off unless a run asks for it: nothing is kept otherwise.
 */

/** One derived value: `kind` names the function, which `seed` was given. */
export interface Derivation {
  readonly kind: string;
  readonly seed: string;
  readonly value: string;
}

let entries: Derivation[] | undefined;

/** Records `value` as `kind(seed)` while a journal is open, and returns it. */
export function journaled(kind: string, seed: string, value: string): string {
  entries?.push({ kind, seed, value });
  return value;
}

/** Runs `work` with a fresh journal open and returns its result with the entries recorded meanwhile. */
export async function withJournal<T>(work: () => Promise<T>): Promise<{ result: T; journal: Derivation[] }> {
  const outer = entries;
  const journal: Derivation[] = [];
  entries = journal;
  try {
    return { result: await work(), journal };
  } finally {
    entries = outer;
  }
}
