/**
 * Small Pulumi programs for the plan tests. They declare azure-native resources directly, the way
 * the components do, so the documents under test come from real registrations under the mock engine.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network/index.js";
import * as storage from "@pulumi/azure-native/storage/index.js";
import { runOffline } from "../../src/engine/mockEngine.ts";
import type { OfflineRun, RecordedResource } from "../../src/model/recorded.ts";
import { buildPlanDocument } from "../../src/plan/document.ts";
import type { PlanDocument } from "../../src/plan/document.ts";

export interface StudentOptions {
  /** Second octet of the student's 10.x.0.0/16. */
  readonly octet: number;
  /** Source of the SSH rule; default the campus range. */
  readonly sshSource?: string;
}

/** One student's environment: a VNet with web and db subnets behind one NSG. */
class StudentEnv extends pulumi.ComponentResource {
  constructor(student: string, options: StudentOptions, opts?: pulumi.ComponentResourceOptions) {
    super("azlab:test:StudentEnv", student, {}, opts);
    const tags = { student };
    const vnet = new network.VirtualNetwork(
      `${student}-vnet`,
      {
        resourceGroupName: "class-rg",
        location: "westeurope",
        tags,
        addressSpace: { addressPrefixes: [`10.${options.octet}.0.0/16`] },
      },
      { parent: this },
    );
    const nsg = new network.NetworkSecurityGroup(
      `${student}-nsg`,
      {
        resourceGroupName: "class-rg",
        location: "westeurope",
        tags,
        securityRules: [
          {
            name: "ssh",
            priority: 100,
            direction: "Inbound",
            access: "Allow",
            protocol: "Tcp",
            sourceAddressPrefix: options.sshSource ?? "10.0.0.0/8",
            sourcePortRange: "*",
            destinationAddressPrefix: "*",
            destinationPortRange: "22",
          },
        ],
      },
      { parent: this },
    );
    new network.Subnet(
      `${student}-web`,
      {
        resourceGroupName: "class-rg",
        virtualNetworkName: vnet.name,
        subnetName: "web",
        addressPrefix: `10.${options.octet}.0.0/26`,
        networkSecurityGroup: { id: nsg.id },
      },
      { parent: this },
    );
    new network.Subnet(
      `${student}-db`,
      {
        resourceGroupName: "class-rg",
        virtualNetworkName: vnet.name,
        subnetName: "db",
        addressPrefix: `10.${options.octet}.0.64/27`,
        networkSecurityGroup: { id: nsg.id },
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}

/** A class: a shared storage account and public IP, plus one environment per student. */
export function classProgram(students: Readonly<Record<string, StudentOptions>>) {
  return async () => {
    new storage.StorageAccount("shared", {
      resourceGroupName: "class-rg",
      accountName: "azlabshared",
      location: "westeurope",
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
      tags: { course: "net101" },
    });
    new network.PublicIPAddress("gateway-ip", {
      resourceGroupName: "class-rg",
      location: "westeurope",
      sku: { name: "Standard" },
      publicIPAllocationMethod: "Static",
    });
    for (const [student, options] of Object.entries(students)) new StudentEnv(student, options);
    return { students: Object.keys(students).length };
  };
}

/** `count` students named s001…, each with its own /16. */
export function roster(count: number): Record<string, StudentOptions> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`s${String(i + 1).padStart(3, "0")}`, { octet: i + 1 }]),
  );
}

export async function run(program: () => Promise<Record<string, unknown> | void>): Promise<OfflineRun> {
  return runOffline({ project: "azlab", stack: "test", config: {}, program });
}

/** Builds a plan from a recorded run after editing a deep copy of it, as if the program had changed. */
export function planEdited(
  recorded: OfflineRun,
  edit: (resources: RecordedResource[]) => RecordedResource[] | void,
) {
  const copy = structuredClone(recorded) as OfflineRun & { resources: RecordedResource[] };
  const resources = edit(copy.resources) ?? copy.resources;
  return buildPlanDocument(
    { ...copy, resources },
    { stack: "test", file: "stacks/Pulumi.test.yaml", findings: [] },
  );
}

/** The recorded resource with this Pulumi name, for editing its inputs. */
export function named(
  resources: RecordedResource[],
  name: string,
): RecordedResource & { inputs: Record<string, Loose> } {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}`);
  return found as RecordedResource & { inputs: Record<string, Loose> };
}

export async function planOf(
  program: () => Promise<Record<string, unknown> | void>,
  file = "stacks/Pulumi.test.yaml",
): Promise<PlanDocument> {
  return documentOf(await run(program), file);
}

/** The plan document of a recorded run, as `planOf` builds it. */
export function documentOf(recorded: OfflineRun, file = "stacks/Pulumi.test.yaml"): PlanDocument {
  return buildPlanDocument(recorded, { stack: "test", file, findings: [] });
}

/** A deep, mutable copy of a plan, for editing one field in a test. */
export function editable(doc: PlanDocument): Mutable<PlanDocument> {
  return structuredClone(doc) as Mutable<PlanDocument>;
}

// Tests edit recorded inputs and plans freely; `any` keeps those edits short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Loose : T[K] };
