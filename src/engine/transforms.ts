/**
 * Resource transforms, run offline the way the Pulumi engine runs them.
 *
 * Transforms (`registerResourceTransform`, the `transforms` resource option) are callbacks the
 * engine invokes, not the SDK, and Pulumi's mock monitor refuses them outright: it reports no
 * transform support, so registering one throws (pulumi/pulumi#17090: mocks never run transforms).
 * azlab's tags are transforms, so without this an offline plan would not be what `pulumi up` sends.
 *
 * Order, as the engine applies them (Pulumi docs, "Resource option: transforms" and
 * `registerResourceTransform`): the resource's own transforms, then its parent's, then each further
 * ancestor's, then the stack's in the order they were registered.
 */
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import type { Callback } from "@pulumi/pulumi/proto/callback_pb.js";

/** Property values as they travel on the wire: secrets and unknowns carry Pulumi's signatures. */
export type WireProperties = Record<string, unknown>;

/** The fields of a RegisterResourceRequest that a transform can read or change. */
export interface TransformableRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getTransformsList(): Callback[];
  getProtect(): boolean;
  setProtect(value: boolean): void;
  getIgnorechangesList(): string[];
  setIgnorechangesList(value: string[]): void;
  getRetainondelete(): boolean;
  setRetainondelete(value: boolean): void;
}

/** The runtime's feature flags and callback slot (internal: the mock monitor offers no other way in). */
interface RuntimeStore {
  supportsTransforms: boolean;
  callbacks?: unknown;
}
// Both are CommonJS whose exports Node's ESM loader cannot detect by name, so they are required.
const require = createRequire(import.meta.url);
const state = require("@pulumi/pulumi/runtime/state.js") as { getStore(): RuntimeStore };
const { Callback: CallbackMessage } = require("@pulumi/pulumi/proto/callback_pb.js") as {
  Callback: new () => Callback;
};

/** Where transforms live in an offline run: a callback token names one, as it does for the engine. */
export class OfflineTransforms {
  private readonly byToken = new Map<string, pulumi.ResourceTransform>();
  private readonly stack: string[] = [];
  /** Transform tokens and parent of every registered resource, by URN, for children to inherit. */
  private readonly registered = new Map<string, { parent: string; tokens: string[] }>();
  private next = 0;

  // The runtime's callback-server interface: the SDK hands transforms here instead of to a gRPC server.
  registerTransform(transform: pulumi.ResourceTransform): Promise<Callback> {
    const callback = new CallbackMessage();
    callback.setToken(this.add(transform));
    callback.setTarget("offline");
    return Promise.resolve(callback);
  }

  registerStackTransform(transform: pulumi.ResourceTransform): void {
    this.stack.push(this.add(transform));
  }

  awaitStackRegistrations(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): void {}

  private add(transform: pulumi.ResourceTransform): string {
    const token = `offline-transform-${++this.next}`;
    this.byToken.set(token, transform);
    return token;
  }

  /** The tokens to run for a resource, in engine order. */
  chain(req: TransformableRequest): string[] {
    const tokens = req.getTransformsList().map((c) => c.getToken());
    for (let urn = req.getParent(); urn; urn = this.registered.get(urn)?.parent ?? "") {
      tokens.push(...(this.registered.get(urn)?.tokens ?? []));
    }
    return [...tokens, ...this.stack];
  }

  remember(urn: string, req: TransformableRequest): void {
    this.registered.set(urn, {
      parent: req.getParent(),
      tokens: req.getTransformsList().map((c) => c.getToken()),
    });
  }

  /**
   * Runs the chain on a request's inputs (wire values) and options: the options change on the
   * request in place, the inputs are returned (the same object when no transform changed anything).
   */
  async apply(req: TransformableRequest, inputs: WireProperties): Promise<WireProperties> {
    const tokens = this.chain(req);
    if (tokens.length === 0) return inputs;
    let props: pulumi.Inputs = fromWire(inputs);
    let opts: pulumi.ResourceOptions = {
      protect: req.getProtect(),
      ignoreChanges: req.getIgnorechangesList(),
      retainOnDelete: req.getRetainondelete(),
    };
    let changed = false;
    for (const token of tokens) {
      const transform = this.byToken.get(token);
      if (!transform) throw new Error(`offline engine: no transform registered for token ${token}`);
      const result = await transform({
        custom: req.getCustom(),
        type: req.getType(),
        name: req.getName(),
        props,
        opts,
      });
      if (!result) continue;
      changed = true;
      props = result.props;
      opts = result.opts ?? opts;
    }
    if (!changed) return inputs;
    if (opts.protect !== undefined) req.setProtect(opts.protect);
    if (opts.ignoreChanges !== undefined) req.setIgnorechangesList([...opts.ignoreChanges]);
    if (opts.retainOnDelete !== undefined) req.setRetainondelete(opts.retainOnDelete);
    return (await pulumi.runtime.serializeProperties("props", props)) as WireProperties;
  }
}

/**
 * Wire values as a program sees them, unknowns kept: what the SDK's `deserializeProperties` gives
 * for a protobuf Struct, here for the plain object the Struct would hold.
 */
export function fromWire(wire: WireProperties, keepUnknowns = true): pulumi.Inputs {
  const props: pulumi.Inputs = {};
  for (const [key, value] of Object.entries(wire)) {
    if (value !== undefined) props[key] = pulumi.runtime.deserializeProperty(value, keepUnknowns);
  }
  return props;
}

/**
 * Makes the mock runtime accept transforms. Call after `setMocks` (which resets the runtime's feature
 * flags) and before the program; the offline monitor runs the returned chain before each registration.
 */
export function runTransformsOffline(): OfflineTransforms {
  const transforms = new OfflineTransforms();
  const store = state.getStore();
  store.supportsTransforms = true;
  store.callbacks = transforms;
  return transforms;
}
