import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources/index.js";
import * as containerservice from "@pulumi/azure-native/containerservice/index.js";
import { describe, expect, it } from "vitest";
import { runOffline } from "../../src/engine/mockEngine.ts";
import { SECRET_MARKER } from "../../src/model/recorded.ts";

// Offline runs swap protobuf's Struct builder for their own while they last (src/engine/plainStruct.ts).
const { Struct } = createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi"))(
  "google-protobuf/google/protobuf/struct_pb.js",
) as { Struct: { fromJavaScript: unknown } };
const protobufFromJavaScript = Struct.fromJavaScript;

class Holder extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("azlab:test:Holder", name, {}, opts);
    const rg = new resources.ResourceGroup(`${name}-rg`, { location: "westeurope" }, { parent: this });
    new resources.ResourceGroup(
      `${name}-rg2`,
      { location: "westeurope", tags: { token: pulumi.secret("s3cr3t") } },
      { parent: this, dependsOn: [rg], protect: true },
    );
    this.registerOutputs({});
  }
}

async function program() {
  const config = new pulumi.Config("azlab");
  new Holder(config.require("name"));
  const creds = containerservice.listManagedClusterUserCredentialsOutput({
    resourceGroupName: "rg",
    resourceName: "aks",
  });
  return { kube: pulumi.secret(creds.kubeconfigs), plain: "value" };
}

describe("runOffline", () => {
  it("records parents, dependencies, options and redacts secrets", async () => {
    const run = await runOffline({ project: "azlab", stack: "t", config: { "azlab:name": "h" }, program });
    expect(run.resources.map((r) => [r.type, r.name, r.parent ?? null])).toEqual([
      ["pulumi:pulumi:Stack", "azlab-t", null],
      ["azlab:test:Holder", "h", "urn:pulumi:t::azlab::pulumi:pulumi:Stack::azlab-t"],
      ["azure-native:resources:ResourceGroup", "h-rg", "urn:pulumi:t::azlab::azlab:test:Holder::h"],
      ["azure-native:resources:ResourceGroup", "h-rg2", "urn:pulumi:t::azlab::azlab:test:Holder::h"],
    ]);
    const rg2 = run.resources[3]!;
    expect(rg2.protect).toBe(true);
    expect(rg2.dependencies).toEqual([
      "urn:pulumi:t::azlab::azlab:test:Holder$azure-native:resources:ResourceGroup::h-rg",
    ]);
    expect(rg2.inputs["tags"]).toEqual({ token: SECRET_MARKER });
    expect(rg2.secretInputs).toEqual(["tags"]);
    expect(run.outputs).toEqual({ kube: SECRET_MARKER, plain: "value" });
    expect(run.calls.map((c) => c.token)).toEqual([
      "azure-native:containerservice:listManagedClusterUserCredentials",
    ]);
    expect(JSON.stringify(run)).not.toContain("s3cr3t");
  });

  // The engine sends values as protobuf Structs, whose keys are sorted at every level: a program that
  // lists an output's keys, or a transform that adds tags after others, must read them in that order.
  it("hands the program and the record keys in the engine's sorted order, after transforms too", async () => {
    let seen: string[][] = [];
    const run = await runOffline({
      project: "azlab",
      stack: "t",
      config: {},
      program: async () => {
        pulumi.runtime.registerResourceTransform(({ props, opts }) => ({
          props: { ...props, tags: { ...(props["tags"] as object), added: "late" } },
          opts,
        }));
        const rg = new resources.ResourceGroup("rg", {
          location: "westeurope",
          tags: { zeta: "1", beta: "2" },
        });
        seen = await new Promise<string[][]>((resolve) =>
          pulumi.all([rg.tags]).apply(([tags]) => resolve([Object.keys(tags ?? {})])),
        );
        return {};
      },
    });
    expect(seen).toEqual([["added", "beta", "zeta"]]);
    const rg = run.resources.find((r) => r.name === "rg")!;
    expect(Object.keys(rg.inputs)).toEqual(["location", "tags"]);
    expect(Object.keys(rg.inputs["tags"] as object)).toEqual(["added", "beta", "zeta"]);
  });

  it("can run twice in one process with different config", async () => {
    const a = await runOffline({ project: "azlab", stack: "t", config: { "azlab:name": "a" }, program });
    const b = await runOffline({ project: "azlab", stack: "t", config: { "azlab:name": "b" }, program });
    expect(a.resources.map((r) => r.name)).toEqual(["azlab-t", "a", "a-rg", "a-rg2"]);
    expect(b.resources.map((r) => r.name)).toEqual(["azlab-t", "b", "b-rg", "b-rg2"]);
  });

  it("rejects calls that have no mock, with exactly that error", async () => {
    const rejected = await runOffline({
      project: "azlab",
      stack: "t",
      config: {},
      program: async () => {
        await pulumi.runtime.invoke("azure-native:network:getVirtualNetwork", {});
        return {};
      },
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    // Pulumi's invoke re-wraps the mock's error, so only the message survives (not the UnmockedCallError class).
    expect(rejected).toBeInstanceOf(Error);
    expect((rejected as Error).message).toBe(
      "The program made a call azlab has no offline mock for: azure-native:network:getVirtualNetwork",
    );
    // The engine is usable again afterwards: the failed run left no global state behind.
    expect(Struct.fromJavaScript).toBe(protobufFromJavaScript);
    const next = await runOffline({ project: "azlab", stack: "t", config: { "azlab:name": "c" }, program });
    expect(next.resources.map((r) => r.name)).toEqual(["azlab-t", "c", "c-rg", "c-rg2"]);
  });

  it("looks a resource up by its URN, which reads a Struct's fields map rather than its plain values", async () => {
    let read: unknown;
    await runOffline({
      project: "azlab",
      stack: "t",
      config: {},
      program: async () => {
        const first = new resources.ResourceGroup("rg", { location: "westeurope" });
        const urn = await new Promise<string>((resolve) => first.urn.apply(resolve));
        const again = new resources.ResourceGroup("rg", undefined, { urn });
        read = await new Promise((resolve) => pulumi.all([again.urn, again.location]).apply(resolve));
        return {};
      },
    });
    expect(read).toEqual(["urn:pulumi:t::azlab::azure-native:resources:ResourceGroup::rg", "westeurope"]);
    expect(Struct.fromJavaScript).toBe(protobufFromJavaScript);
  });
});
