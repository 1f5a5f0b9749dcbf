import { describe, expect, it } from "vitest";
import { loadStackFile } from "../../src/config/stackFile.ts";
import { UserError } from "../../src/errors.ts";
import type { RecordedResource } from "../../src/model/recorded.ts";
import {
  PULUMI_MISSING,
  toResourceEvent,
  type DestroyOptions,
  type ResourceEvent,
  type StackDestroyer,
} from "../../src/teardown/destroyer.ts";
import { destroyOrder, runTeardown, type TeardownStack } from "../../src/teardown/teardown.ts";

const CLASS = loadStackFile("stacks/Pulumi.class-demo.yaml", "class-demo");
const PROD = loadStackFile("stacks/Pulumi.prod.yaml", "prod");

function allow(loaded: TeardownStack, teardown: Partial<TeardownStack["config"]["teardown"]>): TeardownStack {
  return { ...loaded, config: { ...loaded.config, teardown: { ...loaded.config.teardown, ...teardown } } };
}

const P = "urn:pulumi:class-demo::azlab::";

function r(
  type: string,
  name: string,
  options: {
    parent?: string;
    dependencies?: string[];
    protect?: boolean;
    custom?: boolean;
    rg?: string;
  } = {},
): RecordedResource {
  const urn = `${P}${type}::${name}`;
  return {
    urn,
    type,
    name,
    custom: options.custom ?? true,
    ...(options.parent ? { parent: options.parent } : {}),
    dependencies: options.dependencies ?? [],
    protect: options.protect ?? false,
    retainOnDelete: false,
    ignoreChanges: [],
    inputs: options.rg === undefined ? {} : { resourceGroupName: options.rg },
    secretInputs: [],
  };
}

const STACK = r("pulumi:pulumi:Stack", "azlab-class-demo", { custom: false });
const NET = r("azlab:network:VirtualNetwork", "alice-net", { custom: false, parent: STACK.urn });
const RG = r("azure-native:resources:ResourceGroup", "alice-rg", { rg: "rg-alice" });
const VNET = r("azure-native:network:VirtualNetwork", "alice-net-vnet", { parent: NET.urn, rg: "rg-alice" });
const SUBNET = r("azure-native:network:Subnet", "alice-net-web", {
  parent: NET.urn,
  dependencies: [VNET.urn],
  rg: "rg-alice",
});
// Depends on the component, so on everything inside it.
const VMSS = r("azure-native:compute:VirtualMachineScaleSet", "alice-web-vmss", {
  dependencies: [NET.urn],
  rg: "rg-alice",
});
const PROVIDER = r("pulumi:providers:azure-native", "default");
const RESOURCES = [STACK, PROVIDER, RG, NET, VNET, SUBNET, VMSS];

function fake(options: { available?: boolean; events?: ResourceEvent[]; error?: Error } = {}) {
  const calls = { check: 0, destroy: [] as [string, DestroyOptions | undefined][] };
  const destroyer: StackDestroyer = {
    async check() {
      calls.check++;
      return options.available === false ? { available: false, reason: PULUMI_MISSING } : { available: true };
    },
    async destroy(stack, onResource, destroyOptions) {
      calls.destroy.push([stack, destroyOptions]);
      for (const event of options.events ?? []) onResource(event);
      if (options.error) throw options.error;
      return { deleted: (options.events ?? []).filter((e) => e.status === "done").length };
    },
  };
  return { calls, destroyer };
}

async function teardown(
  loaded: TeardownStack,
  resources: readonly RecordedResource[],
  destroyer: StackDestroyer,
  confirm?: string,
) {
  const lines: string[] = [];
  const result = await runTeardown({
    loaded,
    run: { resources },
    ...(confirm === undefined ? {} : { confirm }),
    destroyer,
    out: (line) => lines.push(line),
  });
  return { lines, result };
}

describe("destroyOrder", () => {
  it("deletes dependents first, expands component dependencies, keeps groups last and skips providers", () => {
    expect(destroyOrder(RESOURCES).map((x) => x.name)).toEqual([
      "alice-web-vmss",
      "alice-net-web",
      "alice-net-vnet",
      "alice-rg",
    ]);
  });
});

describe("runTeardown", () => {
  it("is a dry run by default: lists the plan and never calls Pulumi", async () => {
    const { calls, destroyer } = fake();
    const { lines, result } = await teardown(CLASS, RESOURCES, destroyer);
    expect(lines).toEqual([
      'Stack "class-demo" (class, stacks/Pulumi.class-demo.yaml): 4 resources to destroy, in this order:',
      "  azure-native:compute:VirtualMachineScaleSet alice-web-vmss",
      "  azure-native:network:Subnet alice-net-web",
      "  azure-native:network:VirtualNetwork alice-net-vnet",
      "  azure-native:resources:ResourceGroup alice-rg",
      "(From the offline plan of the current stack file; Pulumi destroys what the stack's state holds.)",
      "",
      "Dry run: nothing was destroyed.",
      "To destroy the stack, run: azlab teardown --stack class-demo --confirm class-demo",
    ]);
    expect(result).toEqual({ mode: "dry-run", planned: 4, deleted: 0 });
    expect(calls).toEqual({ check: 0, destroy: [] });
  });

  it("requires --confirm to repeat the stack name exactly", async () => {
    const { calls, destroyer } = fake();
    await expect(teardown(CLASS, RESOURCES, destroyer, "class-dem")).rejects.toThrow(
      new UserError('--confirm must repeat the stack name exactly: expected "class-demo", got "class-dem"'),
    );
    await expect(teardown(CLASS, RESOURCES, destroyer, "")).rejects.toThrow(
      new UserError('--confirm must repeat the stack name exactly: expected "class-demo", got ""'),
    );
    expect(calls).toEqual({ check: 0, destroy: [] });
  });

  it("refuses a prod stack unless the stack file allows it", async () => {
    const { calls, destroyer } = fake();
    const prodResources = RESOURCES.map((x) => ({ ...x, urn: x.urn.replace(":class-demo::", ":prod::") }));
    await expect(teardown(PROD, prodResources, destroyer, "prod")).rejects.toThrow(
      new UserError(
        [
          '"prod" is a prod stack; set azlab:teardown.prodAllowed: true in stacks/Pulumi.prod.yaml to allow it',
        ],
        'azlab teardown refuses to destroy stack "prod":',
      ),
    );
    expect(calls.destroy).toEqual([]);
    const dry = await teardown(PROD, prodResources, destroyer);
    expect(dry.lines.slice(-3)).toEqual([
      "Dry run: nothing was destroyed.",
      "A real run would be refused:",
      '  - "prod" is a prod stack; set azlab:teardown.prodAllowed: true in stacks/Pulumi.prod.yaml to allow it',
    ]);
    const allowed = await teardown(allow(PROD, { prodAllowed: true }), prodResources, destroyer, "prod");
    expect(allowed.result.mode).toBe("destroyed");
    expect(calls.destroy).toEqual([["prod", { unprotect: false }]]);
  });

  it("refuses protected resources unless the stack file allows them, and then unprotects first", async () => {
    const guarded = RESOURCES.map((x) => (x === VNET ? { ...x, protect: true } : x));
    const { calls, destroyer } = fake();
    await expect(teardown(CLASS, guarded, destroyer, "class-demo")).rejects.toThrow(
      new UserError(
        [
          "1 resource protected (alice-net-vnet); set azlab:teardown.protectedAllowed: true in stacks/Pulumi.class-demo.yaml to destroy them too",
        ],
        'azlab teardown refuses to destroy stack "class-demo":',
      ),
    );
    expect(calls.destroy).toEqual([]);

    const { lines } = await teardown(
      allow(CLASS, { protectedAllowed: true }),
      guarded,
      destroyer,
      "class-demo",
    );
    expect(lines).toContain("  azure-native:network:VirtualNetwork alice-net-vnet (protected)");
    expect(lines).toContain(
      "Clearing protect on every resource in the state first (azlab:teardown.protectedAllowed is true).",
    );
    expect(calls.destroy).toEqual([["class-demo", { unprotect: true }]]);
  });

  it("prints progress for every resource event", async () => {
    const events: ResourceEvent[] = [
      { urn: VMSS.urn, type: VMSS.type, op: "delete", status: "started" },
      { urn: VMSS.urn, type: VMSS.type, op: "delete", status: "done" },
      { urn: SUBNET.urn, type: SUBNET.type, op: "delete", status: "started" },
      { urn: SUBNET.urn, type: SUBNET.type, op: "delete", status: "failed" },
    ];
    const { destroyer } = fake({ events });
    const { lines, result } = await teardown(CLASS, RESOURCES, destroyer, "class-demo");
    expect(lines.slice(6)).toEqual([
      "",
      "[started] delete azure-native:compute:VirtualMachineScaleSet alice-web-vmss",
      "[done] delete azure-native:compute:VirtualMachineScaleSet alice-web-vmss",
      "[started] delete azure-native:network:Subnet alice-net-web",
      "[failed] delete azure-native:network:Subnet alice-net-web",
      'Destroyed 1 resource of stack "class-demo".',
    ]);
    expect(result).toEqual({ mode: "destroyed", planned: 4, deleted: 1 });
  });

  it("stops before destroying when the Pulumi CLI is missing", async () => {
    const { calls, destroyer } = fake({ available: false });
    await expect(teardown(CLASS, RESOURCES, destroyer, "class-demo")).rejects.toThrow(
      new UserError(PULUMI_MISSING),
    );
    expect(calls).toEqual({ check: 1, destroy: [] });
  });

  it("turns a failed pulumi destroy into a user error with the last lines of its output", async () => {
    const events: ResourceEvent[] = [{ urn: SUBNET.urn, type: SUBNET.type, op: "delete", status: "failed" }];
    const { destroyer } = fake({ events, error: new Error("code: 255\nerror: InUseSubnetCannotBeDeleted") });
    await expect(teardown(CLASS, RESOURCES, destroyer, "class-demo")).rejects.toThrow(
      new UserError(
        'pulumi destroy failed for stack "class-demo" (1 resource failed); fix the cause and re-run the same command:\ncode: 255\nerror: InUseSubnetCannotBeDeleted',
      ),
    );
  });
});

describe("toResourceEvent", () => {
  const metadata = { op: "delete", urn: SUBNET.urn, type: SUBNET.type, provider: "" } as const;

  it("maps pre, outputs and failure events and ignores the rest", () => {
    const base = { sequence: 1, timestamp: 0 };
    expect(toResourceEvent({ ...base, resourcePreEvent: { metadata } } as never)).toEqual({
      urn: SUBNET.urn,
      type: SUBNET.type,
      op: "delete",
      status: "started",
    });
    expect(toResourceEvent({ ...base, resOutputsEvent: { metadata } } as never)?.status).toBe("done");
    expect(
      toResourceEvent({ ...base, resOpFailedEvent: { metadata, status: 1, steps: 1 } } as never)?.status,
    ).toBe("failed");
    expect(
      toResourceEvent({
        ...base,
        diagnosticEvent: { message: "x", color: "never", severity: "info" },
      } as never),
    ).toBe(undefined);
  });
});
