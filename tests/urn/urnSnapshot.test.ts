import { describe, expect, it } from "vitest";
import {
  aliasFor,
  compareUrns,
  likelyRenames,
  parseUrns,
  renderUrns,
  splitUrn,
  urnChangeMessage,
} from "./urnSnapshot.ts";

const P = "urn:pulumi:dev::azlab::";
const RG = `${P}azlab:lab:Environment$azure-native:resources:ResourceGroup::dev-rg`;
const RG_RENAMED = `${P}azlab:lab:Environment$azure-native:resources:ResourceGroup::dev-group`;
const NSG = `${P}azlab:lab:Environment$azlab:network:NetworkSecurityGroup$azure-native:network:NetworkSecurityGroup::dev-nsg`;
const NSG_MOVED = `${P}azlab:network:NetworkSecurityGroup$azure-native:network:NetworkSecurityGroup::dev-nsg`;

describe("URN snapshot text", () => {
  it("is sorted, de-duplicated, one URN a line, and parses back", () => {
    const text = renderUrns([RG, NSG, RG]);
    expect(text).toBe(`${NSG}\n${RG}\n`);
    expect(parseUrns(text)).toEqual([NSG, RG]);
  });
});

describe("URN changes", () => {
  it("splits a URN into its type chain, type and name", () => {
    expect(splitUrn(NSG)).toEqual({
      typeChain:
        "azlab:lab:Environment$azlab:network:NetworkSecurityGroup$azure-native:network:NetworkSecurityGroup",
      type: "azure-native:network:NetworkSecurityGroup",
      name: "dev-nsg",
    });
  });

  it("lists removed and added URNs and pairs the likely renames by type", () => {
    const change = compareUrns([RG, NSG], [RG_RENAMED, NSG_MOVED]);
    expect(change).toEqual({ removed: [NSG, RG], added: [RG_RENAMED, NSG_MOVED], aliased: [] });
    expect(likelyRenames(change)).toEqual([
      { from: RG, to: RG_RENAMED },
      { from: NSG, to: NSG_MOVED },
    ]);
  });

  it("aliases by name under the same parent chain and by full URN when the parent changed", () => {
    expect(aliasFor(RG, RG_RENAMED)).toBe('aliases: [{ name: "dev-rg" }]');
    expect(aliasFor(NSG, NSG_MOVED)).toBe(`aliases: ["${NSG}"]`);
  });

  it("does not pair when a type has several candidates", () => {
    const other = `${P}azlab:lab:Environment$azure-native:resources:ResourceGroup::dev-other`;
    expect(likelyRenames(compareUrns([RG], [RG_RENAMED, other]))).toEqual([]);
  });

  it("tells the developer to add an alias or to update the snapshot with the exact command", () => {
    expect(urnChangeMessage("dev", compareUrns([RG, NSG], [RG_RENAMED, NSG]))).toBe(
      [
        'The URNs of stack "dev" changed (snapshot tests/urn/__snapshots__/dev.urns.txt).',
        "",
        "A URN is a resource's identity in Pulumi state: on `pulumi up` a removed URN is deleted and an added",
        "one created, so a deployed resource with a new URN is destroyed and recreated, with its data.",
        "Removed (1):",
        `  - ${RG}`,
        "Added (1):",
        `  + ${RG_RENAMED}`,
        "",
        "If a stack with these resources may be deployed, first keep each old identity with an alias in the",
        "resource options where the resource is declared, for example (likely renames, paired by type):",
        '  dev-group: { aliases: [{ name: "dev-rg" }] }',
        "Then (or straight away, when nothing is deployed yet or replacing is intended) update the",
        "snapshot deliberately and commit it with the change: AZLAB_UPDATE_URNS=1 npx vitest run tests/urn",
      ].join("\n"),
    );
  });

  it("sets a rename an alias covers apart: nothing is replaced, only the snapshot is stale", () => {
    const change = compareUrns([RG, NSG], [RG_RENAMED, NSG_MOVED], { [RG_RENAMED]: [RG] });
    expect(change).toEqual({ removed: [NSG], added: [NSG_MOVED], aliased: [{ from: RG, to: RG_RENAMED }] });
    const covered = compareUrns([RG], [RG_RENAMED], { [RG_RENAMED]: [RG] });
    expect(urnChangeMessage("dev", covered)).toBe(
      [
        'The URNs of stack "dev" changed (snapshot tests/urn/__snapshots__/dev.urns.txt).',
        "",
        "Renamed with an alias (1): Pulumi moves their state, nothing is replaced.",
        `  ~ ${RG}`,
        `    → ${RG_RENAMED}`,
        "",
        "Every change is covered by an alias. Update the",
        "snapshot deliberately and commit it with the change: AZLAB_UPDATE_URNS=1 npx vitest run tests/urn",
      ].join("\n"),
    );
  });

  it("gives the general alias forms when nothing pairs up", () => {
    const message = urnChangeMessage("dev", compareUrns([RG], []));
    expect(message).toContain(
      'resource options where the resource is declared: { aliases: [{ name: "<old name>" }] }, or { aliases: ["<old URN>"] } when the parent changed.',
    );
  });
});
