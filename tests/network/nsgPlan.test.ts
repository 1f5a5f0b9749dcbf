import { describe, expect, it } from "vitest";
import { formatProblem } from "../../src/errors.ts";
import { loadStackFile } from "../../src/config/stackFile.ts";
import { nsgSchema } from "../../src/config/addressSchema.ts";
import type { StackConfig } from "../../src/config/schema.ts";
import { asgsWithMember, nsgConfigProblems, subnetNsgs } from "../../src/stack/nsgPlan.ts";

const dev = loadStackFile("stacks/Pulumi.dev.yaml", "dev").config;
const withNsg = (nsg: unknown): StackConfig => ({ ...dev, nsg: nsgSchema.parse(nsg) });
const problems = (config: StackConfig, scaleSet = true) =>
  nsgConfigProblems(config, { scaleSet }).map((p) => formatProblem(p));

describe("nsgConfigProblems", () => {
  // Azure networking limits (azure-docs includes/azure-virtual-network-limits.md): 20 application
  // security groups per NIC IP configuration.
  it("accepts the scale set in 20 groups and refuses 21, naming them", () => {
    const groups = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`g${i}`, { members: ["scaleSet"] }]));
    expect(problems(withNsg({ applicationSecurityGroups: groups(20) }))).toEqual([]);
    const [problem, ...rest] = problems(withNsg({ applicationSecurityGroups: groups(21) }));
    expect(rest).toEqual([]);
    expect(problem).toMatch(
      /^azlab:nsg\.applicationSecurityGroups: make the scale set's NIC a member of 21 groups \(got \["g0",.*"g20"\]; allowed: at most 20 groups per NIC IP configuration \(Azure's limit\)\)$/,
    );
  });

  it("refuses a dev stack's scale-set member when azlab:scaleSet is absent", () => {
    expect(
      problems(withNsg({ applicationSecurityGroups: { web: { members: ["scaleSet"] } } }), false),
    ).toEqual([
      'azlab:nsg.applicationSecurityGroups.web.members[0]: names the scale set, which this stack does not deploy (got "scaleSet"; allowed: add azlab:scaleSet, or remove the member)',
    ]);
  });

  it("refuses an own NSG on a special subnet", () => {
    const config = withNsg({ subnets: { AzureBastionSubnet: {} } });
    const network = {
      ...config.network,
      subnets: {
        ...config.network.subnets,
        AzureBastionSubnet: { ...Object.values(config.network.subnets)[0]! },
      },
    };
    expect(problems({ ...config, network })).toEqual([
      'azlab:nsg.subnets.AzureBastionSubnet: must not be set: azlab associates no NSG with AzureBastionSubnet (got "AzureBastionSubnet"; allowed: an ordinary subnet)',
    ]);
  });
});

describe("asgsWithMember and subnetNsgs", () => {
  const isolation = {
    iso: { direction: "Inbound", access: "Deny", protocol: "*", source: "*", destination: "*", ports: "*" },
  } as const;
  const derived = {
    ...isolation,
    lb: {
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      source: "Internet",
      destination: "*",
      ports: 80,
    },
  } as const;

  it("starts the scale set's subnet from every derived rule and any other subnet from isolation only", () => {
    const config = withNsg({
      subnets: { web: { rules: { lb: { source: "10.0.0.0/8", ports: 8080 } } }, app: {} },
    });
    const planned = subnetNsgs(config, ["app", "web"], { isolation, derived, scaleSetSubnet: "web" });
    // The user's rule named like a derived one replaces it, as in azlab:nsg.rules.
    expect(planned).toEqual({
      web: {
        rules: {
          iso: isolation.iso,
          lb: {
            direction: "Inbound",
            access: "Allow",
            protocol: "Tcp",
            source: "10.0.0.0/8",
            destination: "*",
            ports: 8080,
          },
        },
        waivers: {},
      },
      app: { rules: { iso: isolation.iso }, waivers: {} },
    });
    // Had the scale set lived in app, app would carry the derived load balancer rule as derived.
    expect(subnetNsgs(config, ["app", "web"], { isolation, derived, scaleSetSubnet: "app" }).app).toEqual({
      rules: derived,
      waivers: {},
    });
  });

  it("lists the scale set's groups in record order and plans only subnets the VNet has", () => {
    const config = withNsg({
      applicationSecurityGroups: { b: { members: ["scaleSet"] }, a: {}, c: { members: ["scaleSet"] } },
      subnets: { app: { rules: { r: { source: "10.0.0.0/8", ports: 80 } } } },
    });
    expect(asgsWithMember(config, "scaleSet")).toEqual(["b", "c"]);
    // Without isolation rules (dev is no class), only the user's rule with the schema's defaults.
    expect(subnetNsgs(config, ["app", "web"], { isolation: {}, derived })).toEqual({
      app: {
        rules: {
          r: {
            direction: "Inbound",
            access: "Allow",
            protocol: "Tcp",
            source: "10.0.0.0/8",
            destination: "*",
            ports: 80,
          },
        },
        waivers: {},
      },
    });
    expect(subnetNsgs(config, ["web"], { isolation: {}, derived })).toEqual({});
  });
});
