/**
 * URN snapshots: the sorted URNs of a shipped stack's plan, one per line, committed per stack.
 * A URN is a resource's identity in Pulumi state, so a changed URN means `pulumi up` deletes the
 * old resource and creates a new one. The message tells the developer the two honest ways out.
 * Pure: no Pulumi runtime, so the message itself is tested in the unit project.
 */
import { renameSync, writeFileSync } from "node:fs";

/** Set this variable to rewrite the snapshots from the current plans instead of comparing. */
export const UPDATE_ENV = "AZLAB_UPDATE_URNS";
/** The exact command that rewrites every URN snapshot. */
export const UPDATE_COMMAND = `${UPDATE_ENV}=1 npx vitest run tests/urn`;
export const SNAPSHOT_DIR = "tests/urn/__snapshots__";

export function snapshotPath(stack: string): string {
  return `${SNAPSHOT_DIR}/${stack}.urns.txt`;
}

/** The snapshot text: sorted, de-duplicated URNs, one per line, with a final newline. */
export function renderUrns(urns: readonly string[]): string {
  return [...new Set(urns)].sort().join("\n") + "\n";
}

export function parseUrns(text: string): string[] {
  return text.split("\n").filter((line) => line.length > 0);
}

/** Writes the snapshot through a temporary file and a rename, so a crash never leaves half a file. */
export function writeSnapshot(path: string, urns: readonly string[]): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, renderUrns(urns));
  renameSync(temp, path);
}

export interface UrnChange {
  /** Old URNs no resource answers to any more: Pulumi deletes these. */
  readonly removed: string[];
  /** New URNs no old resource is aliased to: Pulumi creates these. */
  readonly added: string[];
  /** Renames a declared alias covers: Pulumi moves the state, nothing is replaced. */
  readonly aliased: { from: string; to: string }[];
}

/**
 * Compares a snapshot with the current URNs. `aliases` maps a current URN to the old URNs its
 * resource declares as aliases (RecordedResource.aliases).
 */
export function compareUrns(
  expected: readonly string[],
  actual: readonly string[],
  aliases: Readonly<Record<string, readonly string[]>> = {},
): UrnChange {
  const before = new Set(expected);
  const after = new Set(actual);
  const removed = [...before].filter((u) => !after.has(u)).sort();
  const added = [...after].filter((u) => !before.has(u)).sort();
  const aliased = removed.flatMap((from) => {
    const to = added.find((urn) => aliases[urn]?.includes(from));
    return to ? [{ from, to }] : [];
  });
  const followedFrom = new Set(aliased.map((a) => a.from));
  const followedTo = new Set(aliased.map((a) => a.to));
  return {
    removed: removed.filter((u) => !followedFrom.has(u)),
    added: added.filter((u) => !followedTo.has(u)),
    aliased,
  };
}

export function hasChanges(change: UrnChange): boolean {
  return change.removed.length + change.added.length + change.aliased.length > 0;
}

/** `urn:pulumi:<stack>::<project>::<parent types $ type>::<name>` split into its type chain and name. */
export function splitUrn(urn: string): { typeChain: string; type: string; name: string } {
  const parts = urn.split("::");
  const typeChain = parts[2] ?? "";
  return { typeChain, type: typeChain.split("$").pop() ?? typeChain, name: parts.slice(3).join("::") };
}

/**
 * Pairs a removed URN with an added one when they are the only removed and added URN of their
 * resource type: most likely one resource that was renamed or moved to another parent.
 */
export function likelyRenames(change: Pick<UrnChange, "removed" | "added">): { from: string; to: string }[] {
  const byType = (urns: readonly string[]) => {
    const map = new Map<string, string[]>();
    for (const urn of urns) {
      const type = splitUrn(urn).type;
      map.set(type, [...(map.get(type) ?? []), urn]);
    }
    return map;
  };
  const removed = byType(change.removed);
  const added = byType(change.added);
  const pairs: { from: string; to: string }[] = [];
  for (const [type, gone] of removed) {
    const fresh = added.get(type);
    if (gone.length === 1 && fresh?.length === 1) pairs.push({ from: gone[0]!, to: fresh[0]! });
  }
  return pairs.sort((a, b) => (a.to < b.to ? -1 : 1));
}

/** The alias that keeps `from`'s state for the resource now at `to` (Pulumi docs: resource option `aliases`). */
export function aliasFor(from: string, to: string): string {
  const old = splitUrn(from);
  const now = splitUrn(to);
  // Same parent chain: the name alone tells Pulumi which state to carry over.
  if (old.typeChain === now.typeChain) return `aliases: [{ name: "${old.name}" }]`;
  return `aliases: ["${from}"]`;
}

/** The failure message for a stack whose URNs changed. */
export function urnChangeMessage(stack: string, change: UrnChange): string {
  const lines = [`The URNs of stack "${stack}" changed (snapshot ${snapshotPath(stack)}).`];
  if (change.aliased.length > 0) {
    lines.push(
      "",
      `Renamed with an alias (${change.aliased.length}): Pulumi moves their state, nothing is replaced.`,
      ...change.aliased.flatMap(({ from, to }) => [`  ~ ${from}`, `    → ${to}`]),
    );
  }
  if (change.removed.length + change.added.length > 0) {
    lines.push(
      "",
      "A URN is a resource's identity in Pulumi state: on `pulumi up` a removed URN is deleted and an added",
      "one created, so a deployed resource with a new URN is destroyed and recreated, with its data.",
      `Removed (${change.removed.length}):`,
      ...change.removed.map((u) => `  - ${u}`),
      `Added (${change.added.length}):`,
      ...change.added.map((u) => `  + ${u}`),
      "",
      "If a stack with these resources may be deployed, first keep each old identity with an alias in the",
    );
    const pairs = likelyRenames(change);
    if (pairs.length > 0) {
      lines.push(
        "resource options where the resource is declared, for example (likely renames, paired by type):",
      );
      for (const { from, to } of pairs) lines.push(`  ${splitUrn(to).name}: { ${aliasFor(from, to)} }`);
    } else {
      lines.push(
        'resource options where the resource is declared: { aliases: [{ name: "<old name>" }] }, or { aliases: ["<old URN>"] } when the parent changed.',
      );
    }
    lines.push("Then (or straight away, when nothing is deployed yet or replacing is intended) update the");
  } else {
    lines.push("", "Every change is covered by an alias. Update the");
  }
  lines.push(`snapshot deliberately and commit it with the change: ${UPDATE_COMMAND}`);
  return lines.join("\n");
}

/** The failure message for a snapshot whose stack file is gone. */
export function orphanSnapshotMessage(stack: string): string {
  return `${snapshotPath(stack)} has no stack file stacks/Pulumi.${stack}.yaml any more. Delete the snapshot deliberately, or run ${UPDATE_COMMAND}`;
}
