/** Matching resources whose URN changed between two plans: moved by an alias, retyped, or renamed. */
import { ResourceType } from "../azure/catalog.ts";
import type { PlanResource } from "./document.ts";
import { compareText } from "./read.ts";

/** `*Name` inputs that are labels, not the Azure identity of the resource. */
export const NON_IDENTIFYING_NAMES: readonly string[] = ["displayName", "friendlyName"];

/** A name input is one Azure identifies the resource by: `<type>Name`, `resourceGroupName`, `accountName`, … */
function isIdentifyingName(field: string): boolean {
  return /^[a-z][A-Za-z0-9]*Name$/.test(field) && !NON_IDENTIFYING_NAMES.includes(field);
}

/**
 * What Azure knows a cloud resource by: its type and the name inputs it is created with (its own
 * name, its resource group, its parent's name for a subnet or a rule). Undefined when the program
 * leaves the name to Azure or the resource is a component: nothing then ties an old and a new URN.
 */
function azureIdentity(r: PlanResource): string | undefined {
  if (!r.custom) return undefined;
  const names = Object.keys(r.inputs)
    .filter((key) => isIdentifyingName(key) && typeof r.inputs[key] === "string")
    .sort(compareText)
    .map((key) => [key, r.inputs[key]]);
  // The resource group alone names a group, not what is in it: a resource Azure auto-names has no identity.
  const own = names.some(([key]) => key !== "resourceGroupName" || r.type === ResourceType.ResourceGroup);
  return own ? JSON.stringify([r.type, names]) : undefined;
}

/** Appends `value` to the list under `key`. */
function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** How a base resource that left its URN was matched to a head resource under a new URN. */
export type Move = "alias" | "type" | "rename";

/**
 * Pairs base resources whose URN is gone with head resources under a new URN:
 * 1. the head resource declares the old URN as an alias: Pulumi moves the state, an update;
 * 2. same parent and name, new type: the type is part of the URN, a replacement;
 * 3. same type and Azure identity (name inputs) with no alias: Pulumi deletes the old URN and creates
 *    the new one, a replacement even though nothing else changed.
 * Only one-to-one matches pair; anything ambiguous stays an addition and a deletion.
 */
export function pairMoves(
  removed: readonly PlanResource[],
  added: readonly PlanResource[],
): { pairs: [PlanResource, PlanResource, Move][]; removed: PlanResource[]; added: PlanResource[] } {
  const pairs: [PlanResource, PlanResource, Move][] = [];
  const gone = new Map(removed.map((r) => [r.urn, r]));
  const fresh = new Map(added.map((r) => [r.urn, r]));
  const take = (before: PlanResource, after: PlanResource, move: Move) => {
    pairs.push([before, after, move]);
    gone.delete(before.urn);
    fresh.delete(after.urn);
  };
  for (const now of added) {
    const before = (now.aliases ?? []).map((alias) => gone.get(alias)).find((r) => r !== undefined);
    if (before) take(before, now, "alias");
  }
  // Within one parent and name each type occurs once (else the URNs would repeat), so the first two
  // unmatched candidates always hold one of a different type.
  const byPlace = new Map<string, PlanResource[]>();
  for (const r of fresh.values()) push(byPlace, JSON.stringify([r.parent, r.name]), r);
  const firstOpen = new Map<string, number>();
  for (const before of [...gone.values()]) {
    const place = JSON.stringify([before.parent, before.name]);
    const candidates = byPlace.get(place) ?? [];
    let start = firstOpen.get(place) ?? 0;
    while (start < candidates.length && !fresh.has(candidates[start]!.urn)) start++;
    firstOpen.set(place, start);
    for (let i = start, open = 0; i < candidates.length && open < 2; i++) {
      const candidate = candidates[i]!;
      if (!fresh.has(candidate.urn)) continue;
      open++;
      if (candidate.type === before.type) continue;
      take(before, candidate, "type");
      break;
    }
  }
  const goneById = new Map<string, PlanResource[]>();
  const freshById = new Map<string, PlanResource[]>();
  for (const r of gone.values()) {
    const id = azureIdentity(r);
    if (id !== undefined) push(goneById, id, r);
  }
  for (const r of fresh.values()) {
    const id = azureIdentity(r);
    if (id !== undefined) push(freshById, id, r);
  }
  for (const [id, [before, ...more]] of goneById) {
    const after = freshById.get(id);
    if (before && more.length === 0 && after?.length === 1 && after[0]) take(before, after[0], "rename");
  }
  return { pairs, removed: [...gone.values()], added: [...fresh.values()] };
}
