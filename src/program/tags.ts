/**
 * Tags on every taggable resource, applied in one place: a stack-level transformation.
 * Stack tags from the config are merged in; the required tags always win so they cannot be
 * overwritten by accident. A resource inside a student's environment also gets `student`.
 */
import * as pulumi from "@pulumi/pulumi";
import { TAGGABLE_TYPES } from "../naming/tags.ts";

/** Implemented by components that own one student's resources, so the transform can find the student. */
export interface StudentScope {
  readonly studentKey?: string;
}

function studentOf(parent: pulumi.Resource | undefined): string | undefined {
  let current: pulumi.Resource | undefined = parent;
  while (current) {
    const scope = current as unknown as StudentScope & { __parentResource?: pulumi.Resource };
    if (scope.studentKey) return scope.studentKey;
    current = scope.__parentResource;
  }
  return undefined;
}

/** Registers the tag transformation for the rest of the program. */
export function registerTagTransformation(baseTags: Readonly<Record<string, string>>): void {
  pulumi.runtime.registerStackTransformation((args) => {
    if (!TAGGABLE_TYPES.includes(args.type)) return undefined;
    const student = studentOf(args.opts.parent);
    const own = (args.props["tags"] ?? {}) as pulumi.Input<Record<string, pulumi.Input<string>>>;
    const tags = pulumi.output(own).apply((existing) => ({
      ...existing,
      ...baseTags,
      ...(student ? { student } : {}),
    }));
    return { props: { ...args.props, tags }, opts: args.opts };
  });
}
