/**
 * The conformance tier for `azlab:vms` before any shipped stack plans a VM: a Linux VM with data disks and
 * a public IP, and a Windows VM, planned through the real program, checked against Azure's REST API
 * schemas at the provider's API versions (tests/conformance/data/azure) and Azure's naming rules.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadStackFile } from "../../src/config/stackFile.ts";
import type { OfflineRun } from "../../src/model/recorded.ts";
import { planStackOffline } from "../../src/program/offline.ts";
import { checkResource, type AzureTypeSchema } from "../conformance/azureSchema.ts";
import { checkNames, type NameRules } from "../conformance/nameRules.ts";

const DATA = "tests/conformance/data";
const schema = (type: string) =>
  JSON.parse(
    readFileSync(join(DATA, "azure", `${type.split(":").slice(1).join(".")}.json`), "utf8"),
  ) as AzureTypeSchema;
const NAMES = JSON.parse(readFileSync(join(DATA, "naming/resource-name-rules.json"), "utf8")) as NameRules;

let run: OfflineRun;
beforeAll(async () => {
  const config = {
    "azure-native:location": "westeurope",
    "azlab:environment": "dev",
    "azlab:location": "westeurope",
    "azlab:owner": "platform-team@example.edu",
    "azlab:adminSshPublicKey":
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILGua15+LnzD2YAZbTJr1ney58PosqqhEcM++hEKcwHx instructor@azlab",
    "azlab:windowsAdminPassword": { secure: "v1:Zm9vYmFy" },
    "azlab:network": { addressSpace: "10.20.0.0/16", subnets: { app: { prefixLength: 24 } } },
    "azlab:nsg": { applicationSecurityGroups: { web: {} } },
    "azlab:vms": {
      web: {
        subnet: "app",
        publicIp: true,
        applicationSecurityGroups: ["web"],
        osDisk: { type: "Premium_LRS", sizeGb: 64 },
        dataDisks: { data: { lun: 0, sizeGb: 64, type: "Premium_LRS" }, logs: { lun: 1, sizeGb: 32 } },
      },
      win: { subnet: "app", image: "windows-2025", size: "Standard_D2s_v5" },
    },
  };
  const path = join(mkdtempSync(join(tmpdir(), "azlab-vmconf-")), "Pulumi.dev.yaml");
  writeFileSync(path, stringify({ config }));
  run = await planStackOffline(loadStackFile(path, "dev"));
}, 60_000);

describe("standalone VMs against Azure's schemas", () => {
  it.each([
    "azure-native:compute:VirtualMachine",
    "azure-native:network:NetworkInterface",
    "azure-native:devtestlab:GlobalSchedule",
    "azure-native:network:PublicIPAddress",
  ])("gives every %s inputs its REST API schema accepts", (type) => {
    const planned = run.resources.filter((r) => r.type === type);
    expect(planned.length).toBeGreaterThan(0);
    expect(
      planned.flatMap((r) => checkResource(schema(type), r.inputs).map((p) => `${r.name}: ${p}`)),
    ).toEqual([]);
  });

  it("names every resource within Azure's naming rules", () => {
    const findings = run.resources
      .filter((r) => r.custom)
      .flatMap((r) => checkNames(NAMES, r.type, r.inputs).map((p) => `${r.type} ${r.name}: ${p}`));
    expect(findings).toEqual([]);
  });

  it("catches a planted bad task type and an unknown property on the schedule", () => {
    const type = "azure-native:devtestlab:GlobalSchedule";
    const inputs = structuredClone(run.resources.find((r) => r.type === type)!.inputs);
    inputs["dailyRecurrence"] = { time: "1900", minute: 3 };
    expect(checkResource(schema(type), inputs).map((p) => p.split(" (")[0])).toEqual([
      "dailyRecurrence.minute: unknown property",
    ]);
  });
});
