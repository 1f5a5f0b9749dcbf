import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadStackFile } from "../../src/config/stackFile.ts";
import { UserError } from "../../src/errors.ts";
import type { RecordedResource } from "../../src/model/recorded.ts";
import {
  PULUMI_MISSING,
  fromStateResource,
  stackFileIn,
  toResourceEvent,
  type DeployedStack,
  type DestroyOptions,
  type ResourceEvent,
  type StackDestroyer,
} from "../../src/teardown/destroyer.ts";
import { azureDisplayName, describeResources } from "../../src/teardown/listing.ts";
import { destroyOrder, runTeardown, shellQuote, type TeardownStack } from "../../src/teardown/teardown.ts";

const CLASS = loadStackFile("stacks/Pulumi.class-demo.yaml", "class-demo");
const PROD = loadStackFile("stacks/Pulumi.prod.yaml", "prod");
const DEV = loadStackFile("stacks/Pulumi.dev.yaml", "dev");

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
    inputs?: Record<string, unknown>;
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
    inputs: { ...(options.rg === undefined ? {} : { resourceGroupName: options.rg }), ...options.inputs },
    secretInputs: [],
  };
}

const ALICE = { tags: { student: "alice", environment: "class" } };
const STACK = r("pulumi:pulumi:Stack", "azlab-class-demo", { custom: false });
const NET = r("azlab:network:VirtualNetwork", "alice-net", { custom: false, parent: STACK.urn });
const RG = r("azure-native:resources:ResourceGroup", "alice-rg", { rg: "rg-alice", inputs: ALICE });
const VNET = r("azure-native:network:VirtualNetwork", "alice-net-vnet", {
  parent: NET.urn,
  rg: "rg-alice",
  inputs: { virtualNetworkName: "vnet-alice", ...ALICE },
});
const SUBNET = r("azure-native:network:Subnet", "alice-net-web", {
  parent: NET.urn,
  dependencies: [VNET.urn],
  rg: "rg-alice",
  inputs: { virtualNetworkName: "vnet-alice", subnetName: "snet-web" },
});
// Depends on the component, so on everything inside it. No name input: azure-native auto-names it.
const VMSS = r("azure-native:compute:VirtualMachineScaleSet", "alice-web-vmss", {
  dependencies: [NET.urn],
  rg: "rg-alice",
  inputs: ALICE,
});
const PROVIDER = r("pulumi:providers:azure-native", "default");
const RESOURCES = [STACK, PROVIDER, RG, NET, VNET, SUBNET, VMSS];

/** The listing of RESOURCES, as every run prints it. */
const LISTING = [
  "Per student:",
  "  alice  4 resources",
  "Per type:",
  "  azure-native:compute:VirtualMachineScaleSet  1",
  "  azure-native:network:Subnet                  1",
  "  azure-native:network:VirtualNetwork          1",
  "  azure-native:resources:ResourceGroup         1",
  "In the order Pulumi deletes them:",
  "  TYPE                                         AZURE NAME                    RESOURCE GROUP  PULUMI NAME     STUDENT",
  "  azure-native:compute:VirtualMachineScaleSet  alice-web-vmss* (auto-named)  rg-alice        alice-web-vmss  alice",
  "  azure-native:network:Subnet                  vnet-alice/snet-web           rg-alice        alice-net-web   alice",
  "  azure-native:network:VirtualNetwork          vnet-alice                    rg-alice        alice-net-vnet  alice",
  "  azure-native:resources:ResourceGroup         rg-alice                      rg-alice        alice-rg        alice",
];

function fake(
  options: {
    available?: boolean;
    events?: ResourceEvent[];
    error?: Error;
    /** What the backend holds; `null` means no such stack. Defaults to the planned resources. */
    deployed?: DeployedStack | null;
    /** Where Pulumi reads stack files; defaults to the repo's stacks folder. */
    stacksDir?: string;
  } = {},
) {
  const calls = { check: 0, inspect: [] as string[], destroy: [] as [string, DestroyOptions | undefined][] };
  const destroyer: StackDestroyer = {
    async check() {
      calls.check++;
      return options.available === false ? { available: false, reason: PULUMI_MISSING } : { available: true };
    },
    stackFile: (stack) => join(options.stacksDir ?? "stacks", `Pulumi.${stack}.yaml`),
    async inspect(stack) {
      calls.inspect.push(stack);
      if (options.deployed === null) return undefined;
      return options.deployed ?? { resources: RESOURCES, config: {} };
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
  extra: { onlyIfExpired?: boolean; now?: Date } = {},
) {
  const lines: string[] = [];
  const result = await runTeardown({
    loaded,
    plan: async () => ({ resources }),
    ...(confirm === undefined ? {} : { confirm }),
    ...extra,
    destroyer,
    out: (line) => lines.push(line),
  });
  return { lines, result };
}

/** A folder holding a copy of a shipped stack file, edited by `edit`. */
function copyStack(name: string, edit: (text: string) => string = (t) => t): string {
  const dir = mkdtempSync(join(tmpdir(), "azlab-teardown-"));
  writeFileSync(join(dir, `Pulumi.${name}.yaml`), edit(readFileSync(`stacks/Pulumi.${name}.yaml`, "utf8")));
  return dir;
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

describe("azureDisplayName", () => {
  it("shows the name Azure or Kubernetes shows, and marks auto-named resources", () => {
    expect(azureDisplayName(VNET)).toBe("vnet-alice");
    expect(azureDisplayName(SUBNET)).toBe("vnet-alice/snet-web");
    expect(azureDisplayName(RG)).toBe("rg-alice");
    expect(azureDisplayName(VMSS)).toBe("alice-web-vmss* (auto-named)");
    expect(
      azureDisplayName(
        r("azure-native:compute:VirtualMachineScaleSet", "v", { inputs: { vmScaleSetName: "vmss-a" } }),
      ),
    ).toBe("vmss-a");
    expect(
      azureDisplayName(
        r("azure-native:storage:FileShare", "s", { inputs: { accountName: "sta", shareName: "lab" } }),
      ),
    ).toBe("lab");
    expect(
      azureDisplayName(
        r("kubernetes:core/v1:Namespace", "ns", { inputs: { metadata: { name: "student-alice" } } }),
      ),
    ).toBe("student-alice");
    expect(
      azureDisplayName(
        r("kubernetes:core/v1:ResourceQuota", "q", {
          inputs: { metadata: { name: "quota", namespace: "student-alice" } },
        }),
      ),
    ).toBe("student-alice/quota");
  });
});

describe("describeResources", () => {
  it("counts a resource for the student of its resource group or namespace, the rest as shared", () => {
    const ns = r("kubernetes:core/v1:Namespace", "ns-bob", {
      inputs: { metadata: { name: "student-bob", labels: { "azlab.io/student": "bob" } } },
    });
    const quota = r("kubernetes:core/v1:ResourceQuota", "quota-bob", {
      dependencies: [ns.urn],
      inputs: { metadata: { name: "quota", namespace: "student-bob" } },
    });
    const shared = r("azure-native:resources:ResourceGroup", "shared-rg", { rg: "rg-shared" });
    expect(describeResources(destroyOrder([RG, SUBNET, ns, quota, shared]))).toEqual([
      "Per student:",
      "  alice     2 resources",
      "  bob       2 resources",
      "  (shared)  1 resource",
      "Per type:",
      "  azure-native:network:Subnet           1",
      "  azure-native:resources:ResourceGroup  2",
      "  kubernetes:core/v1:Namespace          1",
      "  kubernetes:core/v1:ResourceQuota      1",
      "In the order Pulumi deletes them:",
      "  TYPE                                  AZURE NAME           RESOURCE GROUP  PULUMI NAME    STUDENT",
      "  azure-native:resources:ResourceGroup  rg-shared            rg-shared       shared-rg      -",
      "  kubernetes:core/v1:ResourceQuota      student-bob/quota    -               quota-bob      bob",
      "  kubernetes:core/v1:Namespace          student-bob          -               ns-bob         bob",
      "  azure-native:network:Subnet           vnet-alice/snet-web  rg-alice        alice-net-web  alice",
      "  azure-native:resources:ResourceGroup  rg-alice             rg-alice        alice-rg       alice",
    ]);
    expect(describeResources([])).toEqual(["  (nothing)"]);
  });
});

describe("shellQuote", () => {
  it("leaves plain words alone and quotes anything a shell would expand", () => {
    expect(shellQuote("class-demo")).toBe("class-demo");
    expect(shellQuote("$(id)")).toBe("'$(id)'");
    expect(shellQuote("a'b")).toBe(`'a'"'"'b'`);
    expect(shellQuote("")).toBe("''");
  });

  it("survives a real shell: the quoted word comes back literally and runs nothing", () => {
    for (const word of ["$(id)", "`id`", "a'b;rm -rf x", "x\ny", "${HOME}", "plain"]) {
      const echoed = execFileSync("sh", ["-c", `printf '%s' ${shellQuote(word)}`], { encoding: "utf8" });
      expect(echoed).toBe(word);
    }
  });
});

describe("runTeardown", () => {
  it("is a dry run by default: lists Azure and Pulumi names per student and type, and never calls Pulumi", async () => {
    const { calls, destroyer } = fake();
    const { lines, result } = await teardown(CLASS, RESOURCES, destroyer);
    expect(lines).toEqual([
      'Stack "class-demo" (class, stacks/Pulumi.class-demo.yaml): 4 resources to destroy.',
      ...LISTING,
      "(From the offline plan of this stack file; a real run lists and destroys what the stack's deployed state holds.)",
      "",
      "Dry run: nothing was destroyed.",
      "To destroy the stack, run: azlab teardown --stack class-demo --confirm class-demo",
    ]);
    expect(result).toEqual({ mode: "dry-run", planned: 4, deleted: 0 });
    expect(calls).toEqual({ check: 0, inspect: [], destroy: [] });
  });

  it("requires --confirm to repeat the stack name exactly, and says so before listing anything", async () => {
    const { calls, destroyer } = fake();
    for (const confirm of ["class-dem", ""]) {
      const lines: string[] = [];
      await expect(
        runTeardown({
          loaded: CLASS,
          plan: async () => ({ resources: RESOURCES }),
          confirm,
          destroyer,
          out: (line) => lines.push(line),
        }),
      ).rejects.toThrow(
        new UserError(
          `--confirm must repeat the stack name exactly: expected "class-demo", got "${confirm}"`,
        ),
      );
      expect(lines).toEqual([]);
    }
    expect(calls.destroy).toEqual([]);
    expect(calls.inspect).toEqual([]);
  });

  it("reports a wrong --confirm and a missing Pulumi CLI together, before planning or listing", async () => {
    const { calls, destroyer } = fake({ available: false });
    let planned = 0;
    const lines: string[] = [];
    await expect(
      runTeardown({
        loaded: CLASS,
        plan: async () => {
          planned++;
          return { resources: RESOURCES };
        },
        confirm: "dev",
        destroyer,
        out: (line) => lines.push(line),
      }),
    ).rejects.toThrow(
      new UserError(
        ['--confirm must repeat the stack name exactly: expected "class-demo", got "dev"', PULUMI_MISSING],
        'azlab teardown cannot destroy stack "class-demo":',
      ),
    );
    expect({ planned, lines, calls }).toEqual({
      planned: 0,
      lines: [],
      calls: { check: 1, inspect: [], destroy: [] },
    });
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

  // Issue #11, data-loss defect 1: a copy of the prod file saved elsewhere with environment: dev
  // sent the destroy to stack "prod". The old code checked only the file it was given.
  it("decides from the stack file Pulumi reads: a dev copy of the prod file elsewhere destroys nothing", async () => {
    const dir = copyStack("prod", (text) =>
      text.replace("azlab:environment: prod", "azlab:environment: dev"),
    );
    const copy = loadStackFile(join(dir, "Pulumi.prod.yaml"), "prod");
    expect(copy.config.environment).toBe("dev");
    const { calls, destroyer } = fake();
    await expect(teardown(copy, RESOURCES, destroyer, "prod")).rejects.toThrow(
      new UserError(
        `a real teardown decides from the stack file Pulumi reads for stack "prod", stacks/Pulumi.prod.yaml; got ${join(dir, "Pulumi.prod.yaml")} (allowed: --stack prod, without --config-file or --stacks-dir)`,
      ),
    );
    expect(calls).toEqual({ check: 1, inspect: [], destroy: [] });
    const dry = await teardown(copy, RESOURCES, destroyer);
    expect(dry.lines.slice(-2)).toEqual([
      "A real run would be refused:",
      `  - a real teardown decides from the stack file Pulumi reads for stack "prod", stacks/Pulumi.prod.yaml; got ${join(dir, "Pulumi.prod.yaml")} (allowed: --stack prod, without --config-file or --stacks-dir)`,
    ]);
  });

  it("refuses when the deployed state is tagged environment=prod or its config says prod, whatever the file says", async () => {
    // The file Pulumi reads says dev (as if edited and never deployed), the backend holds prod.
    const dir = copyStack("dev");
    const dev = loadStackFile(join(dir, "Pulumi.dev.yaml"), "dev");
    const prodVnet = { ...VNET, inputs: { ...VNET.inputs, tags: { Environment: "Prod" } } };
    const deployed = { resources: [RG, prodVnet, SUBNET], config: { "azlab:environment": "prod" } };
    const { calls, destroyer } = fake({ deployed, stacksDir: dir });
    await expect(teardown(dev, RESOURCES, destroyer, "dev")).rejects.toThrow(
      new UserError(
        [
          `the deployed config of stack "dev" says azlab:environment: prod; set azlab:teardown.prodAllowed: true in ${join(dir, "Pulumi.dev.yaml")} to allow it`,
          `1 deployed resource of stack "dev" tagged environment=prod (alice-net-vnet); set azlab:teardown.prodAllowed: true in ${join(dir, "Pulumi.dev.yaml")} to allow it`,
        ],
        'azlab teardown refuses to destroy stack "dev":',
      ),
    );
    expect(calls).toEqual({ check: 1, inspect: ["dev"], destroy: [] });
  });

  it("refuses when the deployed state holds a protected resource that the offline plan does not", async () => {
    const deployed = { resources: [RG, { ...VNET, protect: true }, SUBNET], config: {} };
    const { calls, destroyer } = fake({ deployed });
    await expect(teardown(CLASS, RESOURCES, destroyer, "class-demo")).rejects.toThrow(
      new UserError(
        [
          "1 resource protected (alice-net-vnet); set azlab:teardown.protectedAllowed: true in stacks/Pulumi.class-demo.yaml to destroy them too",
        ],
        'azlab teardown refuses to destroy stack "class-demo":',
      ),
    );
    expect(calls.destroy).toEqual([]);
  });

  it("refuses protected resources unless the stack file allows them, and then unprotects first", async () => {
    const guarded = RESOURCES.map((x) => (x === VNET ? { ...x, protect: true } : x));
    const { calls, destroyer } = fake({ deployed: { resources: guarded, config: {} } });
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
    expect(lines).toContain(
      "  azure-native:network:VirtualNetwork          vnet-alice                    rg-alice        alice-net-vnet  alice    (protected)",
    );
    expect(lines).toContain(
      "Clearing protect on every resource in the state first (azlab:teardown.protectedAllowed is true).",
    );
    expect(calls.destroy).toEqual([["class-demo", { unprotect: true }]]);
  });

  it("skips a stack the backend does not have (a shipped demo never deployed) with a notice", async () => {
    const { calls, destroyer } = fake({ deployed: null });
    const { lines, result } = await teardown(CLASS, RESOURCES, destroyer, "class-demo");
    expect(lines).toEqual([
      'Stack "class-demo" does not exist in the Pulumi backend (never deployed, or already destroyed): nothing to destroy.',
    ]);
    expect(result).toEqual({ mode: "absent", planned: 0, deleted: 0 });
    expect(calls).toEqual({ check: 1, inspect: ["class-demo"], destroy: [] });
  });

  it("reports a backend it cannot read as a user error and destroys nothing", async () => {
    const { calls, destroyer } = fake();
    destroyer.inspect = async () => {
      throw new Error(
        "command failed\nerror: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions",
      );
    };
    await expect(teardown(CLASS, RESOURCES, destroyer, "class-demo")).rejects.toThrow(
      new UserError(
        'cannot read the deployed state of stack "class-demo" (pulumi login, PULUMI_ACCESS_TOKEN?); nothing was destroyed:\ncommand failed\nerror: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions',
      ),
    );
    expect(calls.destroy).toEqual([]);
  });

  it("with --only-if-expired, destroys a class only once its expires-on date has passed in its zone", async () => {
    // class-demo: expires-on 2027-01-31, Europe/Amsterdam (UTC+1), so it ends at 2027-01-31T23:00Z.
    const { calls, destroyer } = fake();
    await expect(
      teardown(CLASS, RESOURCES, destroyer, "class-demo", {
        onlyIfExpired: true,
        now: new Date("2027-01-31T22:59:59Z"),
      }),
    ).rejects.toThrow(
      new UserError(
        '--only-if-expired: class "class-demo" has not expired: expires-on 2027-01-31 (Europe/Amsterdam) ends at 2027-01-31T23:00:00.000Z, it is now 2027-01-31T22:59:59.000Z',
      ),
    );
    expect(calls.destroy).toEqual([]);
    const done = await teardown(CLASS, RESOURCES, destroyer, "class-demo", {
      onlyIfExpired: true,
      now: new Date("2027-01-31T23:00:00Z"),
    });
    expect(done.result.mode).toBe("destroyed");
    expect(calls.destroy).toEqual([["class-demo", { unprotect: false }]]);
  });

  it("with --only-if-expired, never destroys a stack that is not a class", async () => {
    const { calls, destroyer } = fake();
    await expect(
      teardown(DEV, RESOURCES, destroyer, "dev", {
        onlyIfExpired: true,
        now: new Date("2099-01-01T00:00:00Z"),
      }),
    ).rejects.toThrow(
      new UserError(
        '--only-if-expired: "dev" is a dev stack (allowed: a class stack whose expires-on date has passed)',
      ),
    );
    expect(calls.destroy).toEqual([]);
  });

  it("refuses a stack name that is not one before anything else", async () => {
    const { calls, destroyer } = fake();
    const odd = { ...CLASS, stack: "x$(id)" };
    await expect(teardown(odd, RESOURCES, destroyer, "x$(id)")).rejects.toThrow(
      new UserError(
        'stack: stack name "x$(id)" has characters other than letters, digits, -, _ and . (allowed: 1 to 39 letters, digits, "-", "_" or ".", not "." or "..")',
      ),
    );
    expect(calls.destroy).toEqual([]);
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
    expect(lines).toEqual([
      'Stack "class-demo" (class, stacks/Pulumi.class-demo.yaml): 4 deployed resources to destroy.',
      ...LISTING,
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
    expect(calls).toEqual({ check: 1, inspect: [], destroy: [] });
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

describe("stackFileIn", () => {
  it("finds the stack file where Pulumi reads it: Pulumi.yaml's stackConfigDir, else the project folder", () => {
    expect(stackFileIn(".", "prod")).toBe(join("stacks", "Pulumi.prod.yaml"));
    const bare = mkdtempSync(join(tmpdir(), "azlab-project-"));
    expect(stackFileIn(bare, "prod")).toBe(join(bare, "Pulumi.prod.yaml"));
    writeFileSync(join(bare, "Pulumi.yaml"), "name: x\nruntime: nodejs\nstackConfigDir: config\n");
    expect(stackFileIn(bare, "prod")).toBe(join(bare, "config", "Pulumi.prod.yaml"));
  });
});

describe("fromStateResource", () => {
  it("reads an exported state resource: name from the URN, tags from inputs and outputs, protect", () => {
    const urn = "urn:pulumi:prod::azlab::azure-native:network:VirtualNetwork::main-vnet";
    expect(
      fromStateResource({
        urn,
        custom: true,
        type: "azure-native:network:VirtualNetwork",
        inputs: { virtualNetworkName: "vnet-main", tags: { owner: "ops" } },
        outputs: { tags: { environment: "prod", owner: "old" } },
        parent: "urn:pulumi:prod::azlab::pulumi:pulumi:Stack::azlab-prod",
        dependencies: ["urn:a"],
        protect: true,
      }),
    ).toEqual({
      urn,
      type: "azure-native:network:VirtualNetwork",
      name: "main-vnet",
      custom: true,
      parent: "urn:pulumi:prod::azlab::pulumi:pulumi:Stack::azlab-prod",
      dependencies: ["urn:a"],
      protect: true,
      retainOnDelete: false,
      ignoreChanges: [],
      inputs: { virtualNetworkName: "vnet-main", tags: { environment: "prod", owner: "ops" } },
      secretInputs: [],
    });
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
