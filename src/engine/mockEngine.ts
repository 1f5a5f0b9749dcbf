/**
 * Runs a Pulumi program offline under Pulumi's official mocks and records everything it registers.
 *
 * This is the only place azlab talks to the Pulumi runtime without an engine: `azlab plan`, the
 * benchmarks and the component tests all go through it, so what a test asserts is what a reviewer sees.
 * Ids and outputs are deterministic (derived from names), so a committed plan diffs cleanly.
 */
import { createRequire } from "node:module";
// Before the SDK: parts of it that an offline run never uses load only on first use (see the module).
import "./lazySdkModules.ts";
import * as pulumi from "@pulumi/pulumi";
import { aliasUrn, isProviderVersionAlias, withInheritedAliases, type AliasSpec } from "./aliases.ts";
import { mockCall, mockState } from "./mockResponses.ts";
import { usePlainStructs } from "./plainStruct.ts";
import { canonical } from "../plan/read.ts";
import {
  fromWire,
  runTransformsOffline,
  type TransformableRequest,
  type WireProperties,
} from "./transforms.ts";
import {
  SECRET_MARKER,
  type OfflineRun,
  type RecordedCall,
  type RecordedResource,
} from "../model/recorded.ts";

/**
 * Provider classes alias every earlier API version of their type (azure-native: dozens per resource);
 * those only tell the engine how to match old state, and resolving them cost half the plan time.
 * azlab's own aliases stay: the plan records them, so `azlab diff` can tell a rename Pulumi follows
 * from one it replaces.
 */
function dropProviderAliases(
  args: pulumi.ResourceTransformationArgs,
): pulumi.ResourceTransformationResult | undefined {
  const aliases = args.opts.aliases;
  if (!aliases?.length) return undefined;
  const own = aliases.filter((alias) => !isProviderVersionAlias(alias, args.type));
  return own.length === aliases.length
    ? undefined
    : { props: args.props, opts: { ...args.opts, aliases: own } };
}

/** Pulumi's promise bookkeeping; CommonJS, and its callers look the function up on each call. */
const debuggable = createRequire(import.meta.url)("@pulumi/pulumi/runtime/debuggable.js") as {
  debuggablePromise: <T>(promise: Promise<T>, context: unknown) => Promise<T>;
};

/** Pulumi's wire signature for a secret value. */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Pulumi's wire value for an unknown (computed) value. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface OfflineRunOptions {
  readonly project: string;
  readonly stack: string;
  /** Config as the engine passes it: `namespace:key` to a string (objects JSON-encoded). */
  readonly config: Readonly<Record<string, string>>;
  /** Config keys the engine would mark secret. */
  readonly secretKeys?: readonly string[];
  /** The program, exactly as `pulumi up` would run it. Its result becomes the stack outputs. */
  readonly program: () => Promise<Record<string, unknown> | void>;
}

/** Error raised when the program makes a call that azlab has no deterministic mock for. */
export class UnmockedCallError extends Error {
  /** Pulumi's invoke path reports `details`, as for a gRPC error. */
  readonly details = this.message;
}

/** Replaces secrets with SECRET_MARKER and unknowns with undefined, recursively. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SIG_KEY] === SECRET_SIG) return SECRET_MARKER;
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, redactSecrets(v)]));
  }
  return value === UNKNOWN ? undefined : value;
}

function containsSecret(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return record[SIG_KEY] === SECRET_SIG || Object.values(record).some(containsSecret);
  }
  return false;
}

interface RegisterRequest extends TransformableRequest {
  getObject(): { toJavaScript(): WireProperties } | undefined;
  getDependenciesList(): string[];
  getAliasesList(): AliasMessage[];
}

/** The alias message of Pulumi's resource monitor protocol (alias.proto). */
interface AliasMessage {
  getUrn(): string;
  getSpec():
    | {
        getName(): string;
        getType(): string;
        getStack(): string;
        getProject(): string;
        getParenturn(): string;
        getNoparent(): boolean;
      }
    | undefined;
}

/**
 * The fields of a RegisterResourceResponse the SDK reads (runtime/resource.js); it builds the same
 * shape itself when a registration fails. `getObject` answers with the plain object a Struct holds.
 */
interface RegisterResponse {
  getUrn(): string;
  getId(): string;
  getObject(): { toJavaScript(): WireProperties };
  getPropertydependenciesMap(): undefined;
  getResult(): number;
}

function aliasSpec(alias: AliasMessage): AliasSpec {
  const spec = alias.getSpec();
  if (alias.getUrn() || !spec) return { urn: alias.getUrn() };
  return {
    name: spec.getName(),
    type: spec.getType(),
    stack: spec.getStack(),
    project: spec.getProject(),
    parentUrn: spec.getParenturn(),
    noParent: spec.getNoparent(),
  };
}

type Callback = (err: unknown, response: RegisterResponse | undefined) => void;

/** What azlab reaches on Pulumi's mock monitor: its registration entry point, URNs and resource table. */
interface MockMonitor {
  registerResource(req: RegisterRequest, callback: Callback): void;
  newUrn(parent: string, type: string, name: string): string;
  readonly resources: Map<string, { urn: string; id: string | null; state: WireProperties }>;
}

/** `SUCCESS` of the monitor protocol's Result enum: outputs are known, unknowns become undefined. */
const RESULT_SUCCESS = 0;

/**
 * Runs `program` under mocks with the given config and returns every registered resource.
 * Throws whatever the program throws (for example a config UserError) before anything is returned.
 */
export async function runOffline(options: OfflineRunOptions): Promise<OfflineRun> {
  const resources: RecordedResource[] = [];
  const calls: RecordedCall[] = [];

  pulumi.runtime.setAllConfig({ ...options.config }, [...(options.secretKeys ?? [])]);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = args.inputs as Record<string, unknown>;
        return { id: `${args.name}-id`, state: { ...inputs, ...mockState(args.type, args.name, inputs) } };
      },
      call(args) {
        calls.push({ token: args.token, inputs: redactSecrets(args.inputs) as Record<string, unknown> });
        const result = mockCall(args.token, args.inputs as Record<string, unknown>);
        if (result === undefined) {
          throw new UnmockedCallError(`The program made a call azlab has no offline mock for: ${args.token}`);
        }
        return result;
      },
    },
    options.project,
    options.stack,
    false,
  );

  const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitor;
  // The engine's URNs name only the parent chain below the stack; the mock monitor adds the stack's type.
  const newUrn = monitor.newUrn.bind(monitor);
  monitor.newUrn = (parent, type, name) =>
    newUrn(parent && !parent.includes("::pulumi:pulumi:Stack::") ? parent : "", type, name);

  // Resource transforms (azlab's tags) run before the mock sees a registration, as in the engine.
  const transforms = runTransformsOffline();

  /**
   * The mock monitor's registration, done on plain wire values: the request's Struct is read once, and
   * the answer is the plain state rather than a Struct the SDK converts back. The mock's own path
   * converted every resource's properties between protobuf and JavaScript six times, a third of a plan.
   * It also records what MockResourceArgs leaves out: parent, dependencies and options.
   */
  async function register(req: RegisterRequest): Promise<RegisterResponse> {
    const type = req.getType();
    const name = req.getName();
    const parent = req.getParent();
    // A protobuf Struct holds its keys sorted at every level, so the engine's values always read that way;
    // values made here are sorted too, for the program and the record to see what the engine would send.
    const read = req.getObject()?.toJavaScript() ?? {};
    const transformed = await transforms.apply(req, read);
    const wire = transformed === read ? read : (canonical(transformed) as WireProperties);
    const inputs = fromWire(wire, false) as Record<string, unknown>;
    const id = `${name}-id`;
    const state = canonical(
      await pulumi.runtime.serializeProperties("", { ...inputs, ...mockState(type, name, inputs) }),
    ) as WireProperties;
    const urn = monitor.newUrn(parent, type, name);
    monitor.resources.set(urn, { urn, id, state });
    transforms.remember(urn, req);
    const self = { type, name, parentUrn: parent || undefined };
    const aliases = req
      .getAliasesList()
      .map((alias) => aliasUrn(aliasSpec(alias), self, options.stack, options.project))
      .filter((alias) => alias !== urn);
    resources.push({
      urn,
      type,
      name,
      custom: req.getCustom(),
      ...(parent ? { parent } : {}),
      dependencies: [...new Set(req.getDependenciesList())].sort(),
      protect: req.getProtect(),
      retainOnDelete: req.getRetainondelete(),
      ignoreChanges: [...req.getIgnorechangesList()],
      inputs: redactSecrets(wire) as Record<string, unknown>,
      secretInputs: Object.keys(wire)
        .filter((k) => containsSecret(wire[k]))
        .sort(),
      ...(aliases.length > 0 ? { aliases } : {}),
    });
    return {
      getUrn: () => urn,
      getId: () => id,
      getObject: () => ({ toJavaScript: () => state }),
      getPropertydependenciesMap: () => undefined,
      getResult: () => RESULT_SUCCESS,
    };
  }
  monitor.registerResource = (req, callback) => {
    register(req).then(
      (response) => callback(null, response),
      (error: unknown) => callback(error, undefined),
    );
  };

  // Stack outputs are read from the wire, where secrets still carry their signature.
  let outputs: Record<string, unknown> = {};
  const outputsMonitor = monitor as unknown as {
    registerResourceOutputs(
      req: { getUrn(): string; getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined },
      callback: (err: unknown, res: unknown) => void,
    ): void;
  };
  const registerOutputs = outputsMonitor.registerResourceOutputs.bind(outputsMonitor);
  outputsMonitor.registerResourceOutputs = (req, callback) => {
    if (req.getUrn().includes("::pulumi:pulumi:Stack::")) {
      outputs = redactSecrets(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
    }
    registerOutputs(req, callback);
  };
  let failure: unknown;
  // Pulumi wraps every internal promise to report leaks at exit: it records a stack trace (formatted
  // through the host's source maps, under vitest and tsx) and chains two more promises. An offline run
  // never reports leaks, and that bookkeeping was a third of the plan time, so the promise goes as is.
  const debuggablePromise = debuggable.debuggablePromise;
  debuggable.debuggablePromise = (promise) => promise;
  // Every resource also captures an unbounded stack trace for its source position, which an offline
  // plan never records.
  const resourceClass = pulumi.Resource as unknown as { callsites: () => unknown[] };
  const callsites = resourceClass.callsites;
  resourceClass.callsites = () => [];
  // Properties reach the monitor as plain objects rather than protobuf messages (see the module).
  const restoreStructs = usePlainStructs();
  try {
    // Catch inside the stack's init so a failing program does not leave a rejected stack resource behind.
    await pulumi.runtime.runInPulumiStack(async () => {
      try {
        pulumi.runtime.registerStackTransformation(dropProviderAliases);
        return (await options.program()) ?? {};
      } catch (error) {
        failure = error;
        return {};
      }
    });
  } catch (error) {
    failure ??= error;
  } finally {
    try {
      await pulumi.runtime.disconnect();
    } finally {
      // Test workers run many programs in one process: nothing patched may outlive this run.
      debuggable.debuggablePromise = debuggablePromise;
      resourceClass.callsites = callsites;
      restoreStructs();
    }
  }
  if (failure !== undefined) throw failure;
  // A child of an aliased parent is known under the parent's old URN too, as the engine would see it.
  const aliases = withInheritedAliases(resources);
  return {
    resources: resources.map((r) => {
      const all = aliases.get(r.urn);
      return all ? { ...r, aliases: all } : r;
    }),
    calls,
    outputs,
  };
}
