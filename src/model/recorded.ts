/**
 * What an offline run records: plain data shared by the engine that produces it and the plan,
 * policy and teardown code that read it. No Pulumi SDK here.
 */
/** Marker that replaces every secret value in recorded inputs and outputs. */
export const SECRET_MARKER = "[secret]";

/** One resource as the engine would receive it. */
export interface RecordedResource {
  readonly urn: string;
  /** Type token, for example `azure-native:network:VirtualNetwork`. */
  readonly type: string;
  /** The Pulumi (logical) name. */
  readonly name: string;
  /** True for cloud resources, false for components. */
  readonly custom: boolean;
  readonly parent?: string;
  /** URNs this resource depends on, sorted. */
  readonly dependencies: readonly string[];
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly ignoreChanges: readonly string[];
  /** Inputs with secrets replaced by SECRET_MARKER. */
  readonly inputs: Record<string, unknown>;
  /** Top-level input names that held a secret. */
  readonly secretInputs: readonly string[];
  /**
   * URNs this resource was known by before, from the aliases azlab's code declared (and those a child
   * inherits from an aliased parent), sorted; absent when there are none. The providers' own
   * per-API-version type aliases are left out: they never name an earlier azlab URN.
   */
  readonly aliases?: readonly string[];
}

/** A function call (invoke) the program made. */
export interface RecordedCall {
  readonly token: string;
  readonly inputs: Record<string, unknown>;
}

export interface OfflineRun {
  readonly resources: readonly RecordedResource[];
  readonly calls: readonly RecordedCall[];
  /** Stack outputs with secrets replaced by SECRET_MARKER. */
  readonly outputs: Record<string, unknown>;
}
