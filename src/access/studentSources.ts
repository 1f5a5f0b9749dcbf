/**
 * A student's own `sourceCidrs` widen only that student's SSH and web rules (issue #13), so they must
 * name where the student connects from: a public range. A private, shared or link-local range never
 * arrives from the internet, and a range inside the class's supernet is another student's network
 * (students are not peered), so either would be a rule that never matches, or a hole if peering is
 * added later. The whole internet is refused outright: that is the class's choice, not a student's.
 */
import { contains, formatPrefix, overlaps, parsePrefix, type Prefix } from "../cidr/address.ts";
import type { Problem } from "../errors.ts";
import type { StackConfig } from "../config/schema.ts";
import { NON_PUBLIC_SOURCE_RANGES } from "../validation/aks/index.ts";

const NON_PUBLIC: readonly [Prefix, string][] = Object.entries(NON_PUBLIC_SOURCE_RANGES).map(
  ([range, kind]) => [parsePrefix(range) as Prefix, kind],
);
const ALLOWED = "a public prefix of the student's home or campus network, such as 203.0.113.7/32";

/** Problems with each student's extra source ranges, at the key the instructor wrote. */
export function studentSourceProblems(plan: { readonly config: Pick<StackConfig, "class"> }): Problem[] {
  const klass = plan.config.class;
  if (!klass) return [];
  const problems: Problem[] = [];
  for (const [student, entry] of Object.entries(klass.students)) {
    for (const [i, prefix] of (entry.sourceCidrs ?? []).entries()) {
      const path = `azlab:class.students.${student}.sourceCidrs[${i}]`;
      const value = formatPrefix(prefix);
      const nonPublic = NON_PUBLIC.find(([range]) => overlaps(range, prefix))?.[1];
      let message: string | undefined;
      if (prefix.length === 0)
        message = "is the whole internet; a student's rule may open only their own ranges";
      else if (nonPublic) message = `is or overlaps ${nonPublic}, which never arrives from the internet`;
      else if (contains(klass.supernet, prefix) || overlaps(klass.supernet, prefix)) {
        message = `overlaps the class supernet ${formatPrefix(klass.supernet)}, the students' own networks`;
      }
      if (message) problems.push({ path, message, value, allowed: ALLOWED });
    }
  }
  return problems;
}
