/** Pulumi options that a component applies to its stateful child only (account, registry, cluster). */
import type * as pulumi from "@pulumi/pulumi";

/** `protect` and `retainOnDelete` for the one child that holds state. */
export interface StatefulOptions {
  /** Refuse to delete the resource. Defaults to the component's own `protect` (inherited). */
  readonly protect?: boolean;
  /** Leave the resource in Azure when Pulumi deletes it. Defaults to the component's own setting. */
  readonly retainOnDelete?: boolean;
}

/** Only the options that were set, so unset ones keep inheriting from the component's opts. */
export function statefulResourceOptions(options: StatefulOptions | undefined): pulumi.CustomResourceOptions {
  return {
    ...(options?.protect !== undefined ? { protect: options.protect } : {}),
    ...(options?.retainOnDelete !== undefined ? { retainOnDelete: options.retainOnDelete } : {}),
  };
}
