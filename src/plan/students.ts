/*
 * Which student each resource of a class stack belongs to, read from the `student` tag. Components
 * carry no tags, so a resource without its own tag takes its nearest tagged ancestor's key, and a
 * component whose tagged descendants all share one key takes that key. The renderers use this to fold
 * 100 identical student environments into one row; `azlab diff` uses it to recognize roster changes.
 */

import type { PlanResource } from "./document.ts";
import { studentTag } from "./read.ts";

/** Placeholder that stands for the student key in a templated name. */
export const STUDENT_PLACEHOLDER = "{student}";

/**
 * URN → student key, or null for shared resources. Linear in the size of the plan (each parent chain
 * is walked once, with memos), and safe on a parent cycle, so a hostile plan cannot stall a renderer.
 */
export function studentKeys(resources: readonly PlanResource[]): Map<string, string | null> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const own = new Map(resources.map((r) => [r.urn, studentTag(r.inputs)]));
  const keys = new Map<string, string | null>();

  // The nearest tagged ancestor (or self). Walk up to the first resource already known, then fill in.
  for (const r of resources) {
    // Most resources of a class carry their own tag, or sit right under one that is already known.
    const mine = own.get(r.urn);
    if (mine) {
      keys.set(r.urn, mine);
      continue;
    }
    const path: string[] = [];
    const seen = new Set<string>();
    let found: string | null = null;
    for (let at: PlanResource | undefined = r; at && !seen.has(at.urn);) {
      const known = keys.get(at.urn);
      if (known !== undefined) {
        found = known;
        break;
      }
      const key = own.get(at.urn);
      path.push(at.urn);
      seen.add(at.urn);
      if (key) {
        found = key;
        break;
      }
      at = at.parent ? byUrn.get(at.parent) : undefined;
    }
    for (const urn of path) if (!keys.has(urn)) keys.set(urn, own.get(urn) || found);
  }

  // Components: one shared key among tagged descendants. Only "one key" versus "more" matters, so a
  // walk up stops at an ancestor that already has this key or already has two.
  const descendantKeys = new Map<string, Set<string>>();
  for (const r of resources) {
    const key = own.get(r.urn);
    if (!key) continue;
    const seen = new Set<string>();
    for (let p = r.parent; p && !seen.has(p); p = byUrn.get(p)?.parent ?? null) {
      seen.add(p);
      const set = descendantKeys.get(p) ?? new Set<string>();
      if (set.has(key) || set.size >= 2) break;
      set.add(key);
      descendantKeys.set(p, set);
    }
  }
  for (const r of resources) {
    const found = descendantKeys.get(r.urn);
    if (keys.get(r.urn) === null && found?.size === 1) keys.set(r.urn, [...found][0] ?? null);
  }
  assignByDependencies(resources, keys);
  return keys;
}

/**
 * Untaggable resources (a Subnet, an NSG rule) belong to the one student their dependencies belong
 * to. Resources are in URN order, not dependency order, so this repeats in passes over URN order until
 * nothing changes; a pass looks only at resources whose dependencies gained a key since they were last
 * looked at (a min-heap of positions), which gives the same result as re-reading everything each pass.
 */
function assignByDependencies(resources: readonly PlanResource[], keys: Map<string, string | null>): void {
  const dependents = new Map<string, number[]>();
  resources.forEach((r, i) => {
    for (const d of new Set(r.dependencies)) {
      const list = dependents.get(d);
      if (list) list.push(i);
      else dependents.set(d, [i]);
    }
  });
  let pass = resources.map((_, i) => i).filter((i) => keys.get(resources[i]!.urn) === null);
  while (pass.length > 0) {
    const heap = new MinHeap(pass);
    const queued = new Set(pass);
    const next = new Set<number>();
    for (let i = heap.pop(); i !== undefined; i = heap.pop()) {
      queued.delete(i);
      const r = resources[i]!;
      if (keys.get(r.urn) !== null) continue;
      const depKeys = new Set(r.dependencies.map((d) => keys.get(d)).filter((k) => typeof k === "string"));
      if (depKeys.size !== 1) continue;
      keys.set(r.urn, [...depKeys][0] ?? null);
      for (const j of dependents.get(r.urn) ?? []) {
        if (j === i || keys.get(resources[j]!.urn) !== null) continue;
        if (j > i) {
          if (!queued.has(j)) {
            queued.add(j);
            heap.push(j);
          }
        } else next.add(j);
      }
    }
    pass = [...next];
  }
}

/** A binary min-heap of positions. */
class MinHeap {
  private readonly items: number[] = [];
  constructor(initial: readonly number[]) {
    for (const n of initial) this.push(n);
  }
  push(n: number): void {
    const a = this.items;
    a.push(n);
    for (let i = a.length - 1; i > 0;) {
      const up = (i - 1) >> 1;
      if (a[up]! <= a[i]!) break;
      [a[up], a[i]] = [a[i]!, a[up]!];
      i = up;
    }
  }
  pop(): number | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]! < a[m]!) m = l;
        if (r < a.length && a[r]! < a[m]!) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}

/** The name with the student key replaced by STUDENT_PLACEHOLDER, so identical environments match. */
export function templateName(name: string, student: string | null): string {
  return student ? name.split(student).join(STUDENT_PLACEHOLDER) : name;
}
