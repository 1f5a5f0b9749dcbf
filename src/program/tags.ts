/**
 * Tags on every taggable resource, added by Pulumi resource transforms (the engine runs them on
 * each registration), not by each component. Two layers:
 *  - the stack's tags (the config's `tags` with the required tags over them) on every resource,
 *    registered once with `registerResourceTransform`;
 *  - `student` on everything inside one student's environment, through that component's own
 *    `transforms` option, which the engine applies to the component's children too.
 * The engine runs a resource's inherited transforms before the stack's (see src/engine/transforms.ts),
 * so the stack's tags, and with them the required tags, always win.
 */
import * as pulumi from "@pulumi/pulumi";
import { addTags, isTaggable } from "../naming/tags.ts";

/** A transform that adds `tags` to every taggable resource it sees, over the resource's own. */
export function tagTransform(tags: Readonly<Record<string, string>>): pulumi.ResourceTransform {
  return ({ type, props, opts }) =>
    isTaggable(type) ? { props: { ...props, tags: withLayer(props["tags"], tags) }, opts } : undefined;
}

/** A transform sees a secret input as the wire's secret wrapper: add inside it and keep it secret. */
function withLayer(existing: unknown, added: Readonly<Record<string, string>>): unknown {
  if (!pulumi.runtime.isRpcSecret(existing)) return addTags(existing, added);
  const { specialSigKey, specialSecretSig, unwrapRpcSecret } = pulumi.runtime;
  return { [specialSigKey]: specialSecretSig, value: addTags(unwrapRpcSecret(existing), added) };
}

/** Tags every taggable resource the program registers from now on with the stack's tags. */
export function registerStackTags(stackTags: Readonly<Record<string, string>>): void {
  pulumi.runtime.registerResourceTransform(tagTransform(stackTags));
}

/** The transform a student's environment passes in its `transforms` option to tag its children. */
export function studentTagTransform(student: string): pulumi.ResourceTransform {
  return tagTransform({ student });
}
