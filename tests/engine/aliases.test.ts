import { describe, expect, it } from "vitest";
import {
  aliasUrn,
  childUrn,
  isProviderVersionAlias,
  withInheritedAliases,
} from "../../src/engine/aliases.ts";

const STACK_URN = "urn:pulumi:dev::azlab::pulumi:pulumi:Stack::azlab-dev";
const ENV = "urn:pulumi:dev::azlab::azlab:lab:StudentEnv::alice";

describe("childUrn", () => {
  it("puts the parent's own type before the child's, as the offline engine does, and never the stack's", () => {
    expect(childUrn(STACK_URN, "azlab:lab:StudentEnv", "alice", "dev", "azlab")).toBe(ENV);
    expect(childUrn(undefined, "azlab:lab:StudentEnv", "alice", "dev", "azlab")).toBe(ENV);
    expect(childUrn(ENV, "azure-native:network:VirtualNetwork", "alice-vnet", "dev", "azlab")).toBe(
      "urn:pulumi:dev::azlab::azlab:lab:StudentEnv$azure-native:network:VirtualNetwork::alice-vnet",
    );
    const vmss = "urn:pulumi:dev::azlab::azlab:lab:Environment$azlab:compute:ScaleSet::web";
    expect(childUrn(vmss, "azure-native:monitor:AutoscaleSetting", "web-autoscale", "dev", "azlab")).toBe(
      "urn:pulumi:dev::azlab::azlab:compute:ScaleSet$azure-native:monitor:AutoscaleSetting::web-autoscale",
    );
  });
});

describe("aliasUrn", () => {
  const self = { type: "azure-native:network:VirtualNetwork", name: "alice-net", parentUrn: ENV };

  it("fills what an alias spec leaves out from the resource", () => {
    expect(aliasUrn({ name: "alice-vnet" }, self, "dev", "azlab")).toBe(
      "urn:pulumi:dev::azlab::azlab:lab:StudentEnv$azure-native:network:VirtualNetwork::alice-vnet",
    );
    expect(aliasUrn({ noParent: true }, self, "dev", "azlab")).toBe(
      "urn:pulumi:dev::azlab::azure-native:network:VirtualNetwork::alice-net",
    );
    expect(aliasUrn({ urn: "urn:pulumi:dev::azlab::x:y:Z::n" }, self, "dev", "azlab")).toBe(
      "urn:pulumi:dev::azlab::x:y:Z::n",
    );
  });
});

describe("isProviderVersionAlias", () => {
  it("recognises the providers' own per-API-version type aliases only", () => {
    const type = "azure-native:network:VirtualNetwork";
    expect(isProviderVersionAlias({ type: "azure-native:network/v20230201:VirtualNetwork" }, type)).toBe(
      true,
    );
    expect(isProviderVersionAlias({ type: "azlab:lab:OldEnv" }, type)).toBe(false);
    expect(
      isProviderVersionAlias(
        { type: "kubernetes:extensions/v1beta1:Deployment" },
        "kubernetes:apps/v1:Deployment",
      ),
    ).toBe(true);
    // A versioned module of another package is not the provider's own history.
    expect(
      isProviderVersionAlias({ type: "azure-native:network/v20230201:VirtualNetwork" }, "azlab:lab:Net"),
    ).toBe(false);
    expect(isProviderVersionAlias({ name: "old" }, type)).toBe(false);
    expect(isProviderVersionAlias("urn:pulumi:dev::azlab::x:y:Z::n", type)).toBe(false);
  });
});

describe("withInheritedAliases", () => {
  it("gives a child of an aliased parent the parent's old URN, renaming a name that starts with the parent's", () => {
    const aliases = withInheritedAliases([
      {
        urn: "urn:pulumi:dev::azlab::azlab:lab:Student::al",
        type: "azlab:lab:Student",
        name: "al",
        aliases: [ENV],
      },
      {
        urn: "urn:pulumi:dev::azlab::azlab:lab:Student$azure-native:network:VirtualNetwork::al-vnet",
        type: "azure-native:network:VirtualNetwork",
        name: "al-vnet",
        parent: "urn:pulumi:dev::azlab::azlab:lab:Student::al",
      },
      { urn: "urn:pulumi:dev::azlab::x:y:Z::lonely", type: "x:y:Z", name: "lonely" },
    ]);
    expect(Object.fromEntries(aliases)).toEqual({
      "urn:pulumi:dev::azlab::azlab:lab:Student::al": [ENV],
      "urn:pulumi:dev::azlab::azlab:lab:Student$azure-native:network:VirtualNetwork::al-vnet": [
        "urn:pulumi:dev::azlab::azlab:lab:StudentEnv$azure-native:network:VirtualNetwork::alice-vnet",
      ],
    });
  });
});
