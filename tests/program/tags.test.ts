/**
 * Tags through resource transforms, run by the offline engine in the engine's order: a resource's
 * own transforms, its ancestors', then the stack's.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network/index.js";
import * as resources from "@pulumi/azure-native/resources/index.js";
import { describe, expect, it } from "vitest";
import { registerStackTags, studentTagTransform, tagTransform } from "../../src/program/tags.ts";
import { named, run } from "../support/offline.ts";

const STACK_TAGS = {
  "cost-center": "lab",
  "managed-by": "azlab",
  environment: "class",
  owner: "teacher@example.edu",
};

class Scope extends pulumi.ComponentResource {
  constructor(name: string, opts: pulumi.ComponentResourceOptions, build: (self: Scope) => void) {
    super("azlab:test:Scope", name, {}, opts);
    build(this);
    this.registerOutputs({});
  }
}

function program(): void {
  registerStackTags(STACK_TAGS);
  new resources.ResourceGroup("outside", { location: "westeurope", tags: { team: "web", owner: "someone" } });
  new Scope("alice", { transforms: [studentTagTransform("alice")] }, (alice) => {
    new resources.ResourceGroup("alice-rg", { location: "westeurope" }, { parent: alice });
    new Scope("alice-inner", { parent: alice }, (inner) => {
      new network.VirtualNetwork(
        "alice-vnet",
        { resourceGroupName: "rg", addressSpace: { addressPrefixes: ["10.0.0.0/24"] } },
        { parent: inner },
      );
      new network.Subnet(
        "alice-subnet",
        { resourceGroupName: "rg", virtualNetworkName: "v", addressPrefix: "10.0.0.0/26" },
        { parent: inner },
      );
    });
  });
  // A scope transform cannot override a stack tag: the stack's transforms run last.
  new Scope("rogue", { transforms: [tagTransform({ owner: "rogue", student: "bob" })] }, (rogue) => {
    new resources.ResourceGroup("rogue-rg", { location: "westeurope" }, { parent: rogue });
    new resources.ResourceGroup(
      "secret-rg",
      { location: "westeurope", tags: { code: pulumi.secret("s") } },
      { parent: rogue },
    );
  });
}

describe("tags", async () => {
  const result = await run(program);

  it("puts the stack's tags over a resource's own tags", () => {
    expect(named(result, "outside").inputs["tags"]).toEqual({ team: "web", ...STACK_TAGS });
  });

  it("adds the student's tag to every taggable resource below the student's component", () => {
    expect(named(result, "alice-rg").inputs["tags"]).toEqual({ student: "alice", ...STACK_TAGS });
    expect(named(result, "alice-vnet").inputs["tags"]).toEqual({ student: "alice", ...STACK_TAGS });
  });

  it("leaves resources that take no tags, and components, untouched", () => {
    expect(named(result, "alice-subnet").inputs["tags"]).toBeUndefined();
    expect(named(result, "alice").inputs).toEqual({});
  });

  it("lets the required tags win over a scope's transform", () => {
    expect(named(result, "rogue-rg").inputs["tags"]).toEqual({ student: "bob", ...STACK_TAGS });
  });

  it("keeps a secret tag map secret", () => {
    const rg = named(result, "secret-rg");
    expect(rg.inputs["tags"]).toBe("[secret]");
    expect(rg.secretInputs).toEqual(["tags"]);
  });

  it("adds inside a secret tag map, as the transform receives it from the engine", async () => {
    const { specialSigKey, specialSecretSig } = pulumi.runtime;
    const secret = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });
    const transformed = await tagTransform({ owner: "platform" })({
      custom: true,
      type: "azure-native:resources:ResourceGroup",
      name: "x",
      props: { location: "westeurope", tags: secret({ code: "s", owner: "me" }) },
      opts: {},
    });
    expect(transformed).toEqual({
      props: { location: "westeurope", tags: secret({ code: "s", owner: "platform" }) },
      opts: {},
    });
  });

  it("tags nothing when no transform is registered", async () => {
    const plain = await run(() => {
      new resources.ResourceGroup("plain", { location: "westeurope" });
    });
    expect(named(plain, "plain").inputs).toEqual({ location: "westeurope" });
  });
});
