/**
 * Starts the policy pack the way the Pulumi CLI does (Pulumi's run-policy-pack runner in policy/)
 * and talks to it over the analyzer gRPC protocol. No Pulumi CLI is involved.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPolicies } from "../../policy/pack.ts";
import { rules } from "../../src/policy/rules.ts";

const require = createRequire(import.meta.url);
/* eslint-disable @typescript-eslint/no-explicit-any -- generated gRPC stubs without usable types */
const grpc = require("@grpc/grpc-js") as any;
const services = require("@pulumi/pulumi/proto/analyzer_grpc_pb.js") as any;
const pb = require("@pulumi/pulumi/proto/analyzer_pb.js") as any;
const { Struct } = require("google-protobuf/google/protobuf/struct_pb.js") as any;
const { Empty } = require("google-protobuf/google/protobuf/empty_pb.js") as any;

let child: ChildProcess;
let client: any;

function call<T>(method: string, request: unknown): Promise<T> {
  return new Promise((resolve, reject) =>
    client[method](request, (error: unknown, response: T) => (error ? reject(error) : resolve(response))),
  );
}

function resource(message: any, type: string, name: string, props: Record<string, unknown>): any {
  message.setType(type);
  message.setUrn(`urn:pulumi:class-demo::azlab::${type}::${name}`);
  message.setName(name);
  message.setProperties(Struct.fromJavaScript(props));
  message.setOptions(new pb.AnalyzerResourceOptions());
  return message;
}

function diagnostics(response: any): [string, number, string, string][] {
  return response
    .getDiagnosticsList()
    .map((d: any) => [d.getPolicyname(), d.getEnforcementlevel(), d.getMessage(), d.getUrn()]);
}

beforeAll(async () => {
  child = spawn(
    process.execPath,
    [require.resolve("@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:1", "."],
    {
      cwd: "policy",
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once("exit", (code) => reject(new Error(`the policy pack exited with ${code}`)));
  });
  client = new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 90_000);

afterAll(() => {
  client?.close();
  child?.kill();
});

const CLASS_TAGS = {
  "managed-by": "azlab",
  environment: "class",
  owner: "instructor@example.edu",
  course: "cloud-101",
  "expires-on": "2027-01-31",
};

describe("the policy pack over Pulumi's analyzer protocol", () => {
  it("announces one policy per rule (mandatory 1, advisory 0), the lowered twins and the config check", async () => {
    const info = await call<any>("getAnalyzerInfo", new Empty());
    expect(info.getName()).toBe("azlab");
    const expected = buildPolicies(rules, () => ({ error: "unused" })).map((p) => [
      p.name,
      p.enforcementLevel === "mandatory" ? 1 : 0,
    ]);
    expect(info.getPoliciesList().map((p: any) => [p.getName(), p.getEnforcementlevel()])).toEqual(expected);
  });

  it("reports a resource's violations using the stack file named by its URN", async () => {
    const request = resource(new pb.AnalyzeRequest(), "azure-native:storage:StorageAccount", "st", {
      accountName: "labst",
      enableHttpsTrafficOnly: false,
      minimumTlsVersion: "TLS1_0",
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      allowedCopyScope: "AAD",
      tags: CLASS_TAGS,
    });
    // The engine attaches the resource's URN to resource diagnostics itself.
    const urn = "";
    expect(diagnostics(await call("analyze", request))).toEqual([
      [
        "AZL-STG-001",
        1,
        "Storage accepts HTTPS only. Equivalents: CKV_AZURE_3, AVD-AZU-0008, Azure.Storage.SecureTransfer.\nenableHttpsTrafficOnly is false. Fix: Set enableHttpsTrafficOnly: true",
        urn,
      ],
      [
        "AZL-STG-002",
        1,
        'Storage requires TLS 1.2 or later. Equivalents: CKV_AZURE_44, AVD-AZU-0011, Azure.Storage.MinTLS.\nminimumTlsVersion is "TLS1_0". Fix: Set minimumTlsVersion: "TLS1_2"',
        urn,
      ],
    ]);
  });

  it("runs stack policies over the whole stack", async () => {
    const request = new pb.AnalyzeStackRequest();
    request.setResourcesList([
      resource(new pb.AnalyzerResource(), "pulumi:pulumi:Stack", "azlab-class-demo", {}),
      resource(new pb.AnalyzerResource(), "azure-native:storage:StorageAccount", "st", {
        accountName: "labst",
        allowedCopyScope: "AAD",
      }),
    ]);
    expect(diagnostics(await call("analyzeStack", request))).toEqual([
      [
        "AZL-STG-005",
        0,
        'Blob soft delete is on. Equivalents: CKV2_AZURE_38, Azure.Storage.SoftDelete.\nStorage account "labst" has no BlobServiceProperties, so blob soft delete is off. Fix: Declare BlobServiceProperties for the account with deleteRetentionPolicy: { enabled: true, days: 7 }',
        "urn:pulumi:class-demo::azlab::azure-native:storage:StorageAccount::st",
      ],
      // The shipped class's bob has no Entra identity: an advisory, stack-level finding.
      [
        "AZL-CLS-002",
        0,
        'Every student of a class has an Entra identity.\nStudent "bob" has no Entra object id, UPN or email, so they get no Entra-based access (no Azure role assignments, no Kubernetes RoleBinding). Fix: Set upn or email (or entraObjectId) under azlab:class.students.bob, or add the student\'s email to the roster CSV and run azlab roster import',
        "",
      ],
    ]);
  });
});
