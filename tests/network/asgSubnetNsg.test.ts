/**
 * Application security groups and per-subnet NSGs from the stack file, planned for every student of
 * the shipped class stack (not only the first), and every bad key reported at once.
 */
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.ts";
import { ResourceType } from "../../src/azure/catalog.ts";
import { deepFreeze, ofType, planVariant, resource, urnName } from "../support/offline.ts";
import { evaluateResources, policyContextFromConfig } from "../../src/policy/evaluate.ts";
import { loadStackFile } from "../../src/config/stackFile.ts";
import { readFileSync } from "node:fs";
import { checkResource, type AzureTypeSchema } from "../conformance/azureSchema.ts";
import type { OfflineRun } from "../../src/model/recorded.ts";

const LOCK = "stacks/Pulumi.class-demo.lock.json";
const STUDENT_BLOCKS = { alice: "10.128.4.0/24", bob: "10.128.5.0/24", carol: "10.128.6.0/24" } as const;

function withNsg(nsg: Record<string, unknown>): Promise<OfflineRun> {
  return planVariant(
    "class-demo",
    (config) => {
      config["azlab:nsg"] = nsg;
    },
    LOCK,
  );
}

/** The problems of a variant that must be refused, without the temporary file's name. */
async function refused(nsg: Record<string, unknown>): Promise<string[]> {
  try {
    await withNsg(nsg);
  } catch (error) {
    if (error instanceof UserError) return error.problems.map((p) => p.replace(/^.*?\.yaml: /, ""));
    throw error;
  }
  throw new Error("expected the variant to be refused");
}

const LAB = {
  applicationSecurityGroups: { web: { members: ["scaleSet"] }, admins: {} },
  rules: {
    "admins-ssh": { source: "asg:admins", destination: "asg:web", ports: 22 },
  },
  subnets: {
    app: {
      rules: {
        "web-to-app": { source: "asg:web", ports: 8080, sourcePorts: ["1024-65535"] },
        "deny-internet": { access: "Deny", protocol: "*", source: "Internet", ports: "*", priority: 4090 },
      },
    },
  },
};

let lab: Promise<OfflineRun> | undefined;
/** class-demo with LAB, planned once for the tests that read it and frozen, so none can change it. */
const planLab = () => (lab ??= withNsg(LAB).then(deepFreeze));

describe("application security groups and per-subnet NSGs (class-demo, every student)", () => {
  it("creates each student's groups, the app subnet's own NSG and the scale set's membership", async () => {
    const result = await planLab();
    // An ASG source is not the internet, and every rule can match: no NSG guardrail fires.
    const loaded = loadStackFile("stacks/Pulumi.class-demo.yaml", "class-demo");
    const findings = evaluateResources(result.resources, policyContextFromConfig(loaded), result.outputs);
    expect(findings.filter((f) => f.id.startsWith("AZL-NSG")).map((f) => f.message)).toEqual([]);
    // 3 students × (2 groups, 2 NSGs); the hub gets neither.
    const names = (type: string) =>
      ofType(result, type)
        .map((r) => r.name)
        .sort();
    expect(names(ResourceType.ApplicationSecurityGroup)).toEqual([
      "alice-nsg-admins",
      "alice-nsg-web",
      "bob-nsg-admins",
      "bob-nsg-web",
      "carol-nsg-admins",
      "carol-nsg-web",
    ]);
    expect(names(ResourceType.NetworkSecurityGroup)).toEqual([
      "alice-app-nsg",
      "alice-nsg",
      "bob-app-nsg",
      "bob-nsg",
      "carol-app-nsg",
      "carol-nsg",
      "hub-nsg",
    ]);
    for (const [student, block] of Object.entries(STUDENT_BLOCKS)) {
      const asg = resource(result, ResourceType.ApplicationSecurityGroup, `${student}-nsg-web`);
      expect(asg.inputs["applicationSecurityGroupName"]).toBe(`asg-lab-class-demo-${student}-web`);
      expect(asg.inputs["resourceGroupName"]).toBe(`rg-lab-class-demo-${student}`);

      const own = resource(result, ResourceType.NetworkSecurityGroup, `${student}-app-nsg`);
      expect(own.inputs["networkSecurityGroupName"]).toBe(`nsg-lab-class-demo-${student}-app`);
      expect(own.inputs["securityRules"]).toEqual([
        {
          name: "allow-own-vnet",
          priority: 3990,
          direction: "Inbound",
          access: "Allow",
          protocol: "*",
          sourcePortRange: "*",
          sourceAddressPrefix: block,
          destinationAddressPrefix: "*",
          destinationPortRange: "*",
        },
        {
          name: "deny-lateral",
          priority: 4000,
          direction: "Inbound",
          access: "Deny",
          protocol: "*",
          sourcePortRange: "*",
          sourceAddressPrefix: "10.128.0.0/16",
          destinationAddressPrefix: "*",
          destinationPortRange: "*",
        },
        {
          name: "web-to-app",
          priority: 100,
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          sourcePortRange: "1024-65535",
          // The student's own group, never another student's.
          sourceApplicationSecurityGroups: [{ id: `${student}-nsg-web-id` }],
          destinationAddressPrefix: "*",
          destinationPortRange: "8080",
        },
        {
          name: "deny-internet",
          priority: 4090,
          direction: "Inbound",
          access: "Deny",
          protocol: "*",
          sourcePortRange: "*",
          sourceAddressPrefix: "Internet",
          destinationAddressPrefix: "*",
          destinationPortRange: "*",
        },
      ]);

      // The environment's NSG keeps the derived rules and carries the ASG-to-ASG rule.
      const shared = resource(result, ResourceType.NetworkSecurityGroup, `${student}-nsg`);
      const rules = shared.inputs["securityRules"] as { name: string }[];
      expect(rules.map((r) => r.name)).toEqual([
        "allow-ssh",
        "allow-web",
        "allow-lb-probe",
        "allow-own-vnet",
        "deny-lateral",
        "admins-ssh",
      ]);
      expect(rules.find((r) => r.name === "admins-ssh")).toEqual({
        name: "admins-ssh",
        priority: 130,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourcePortRange: "*",
        sourceApplicationSecurityGroups: [{ id: `${student}-nsg-admins-id` }],
        destinationApplicationSecurityGroups: [{ id: `${student}-nsg-web-id` }],
        destinationPortRange: "22",
      });

      // app gets its own NSG; web keeps the environment's.
      const app = resource(result, ResourceType.Subnet, `${student}-net-app`);
      expect(app.inputs["networkSecurityGroup"]).toEqual({ id: `${student}-app-nsg-id` });
      const web = resource(result, ResourceType.Subnet, `${student}-net-web`);
      expect(web.inputs["networkSecurityGroup"]).toEqual({ id: `${student}-nsg-id` });

      const vmss = resource(result, ResourceType.VirtualMachineScaleSet, `${student}-web`);
      const profile = vmss.inputs["virtualMachineProfile"] as {
        networkProfile: { networkInterfaceConfigurations: { ipConfigurations: Record<string, unknown>[] }[] };
      };
      const ipConfig = profile.networkProfile.networkInterfaceConfigurations[0]!.ipConfigurations[0]!;
      expect(ipConfig["applicationSecurityGroups"]).toEqual([{ id: `${student}-nsg-web-id` }]);
    }
  });

  it("plans NSGs, subnets and scale sets that Azure's REST schema accepts", async () => {
    const result = await planLab();
    // The committed schema subsets of tests/conformance (no ApplicationSecurityGroup subset there yet).
    const files = {
      [ResourceType.NetworkSecurityGroup]: "network.NetworkSecurityGroup.json",
      [ResourceType.Subnet]: "network.Subnet.json",
      [ResourceType.VirtualMachineScaleSet]: "compute.VirtualMachineScaleSet.json",
    };
    for (const [type, file] of Object.entries(files)) {
      const schema = JSON.parse(
        readFileSync(`tests/conformance/data/azure/${file}`, "utf8"),
      ) as AzureTypeSchema;
      const resources = ofType(result, type);
      expect(resources.length).toBeGreaterThan(0);
      for (const r of resources) expect([r.name, checkResource(schema, r.inputs)]).toEqual([r.name, []]);
    }
  });

  it("reports every bad NSG key at once, at the key the user wrote", async () => {
    expect(
      await refused({
        applicationSecurityGroups: { web: { members: ["scaleSet"] }, "bad name!": {} },
        rules: { x: { source: "asg:web", ports: 80, sourcePorts: ["1-2", "*"] } },
        subnets: {
          app: {
            rules: {
              "web-to-app": { source: "asg:db", ports: 8080, sourcePorts: "70000" },
              "ssh-in": { source: "Internet", ports: 22 },
            },
          },
        },
      }),
    ).toEqual([
      'azlab:nsg.applicationSecurityGroups.bad name!: is not a valid application security group name (got "bad name!"; allowed: 1 to 80 letters, digits, underscores, periods or hyphens, starting with a letter or digit and ending with a letter, digit or underscore)',
      'azlab:nsg.rules.x.sourcePorts: lists "*" with other ports (got ["1-2","*"]; allowed: "*" alone)',
      'azlab:nsg.subnets.app.rules.web-to-app.source: names an application security group that is not defined (got "asg:db"; allowed: asg:web, asg:bad name!)',
      'azlab:nsg.subnets.app.rules.web-to-app.sourcePorts: has an invalid port (got "70000"; allowed: ports from 0 to 65535, ranges "lo-hi" with lo <= hi, or "*")',
      'azlab:nsg.subnets.app.rules.ssh-in.source: Allow Inbound from the internet to management port 22 is refused (got "Internet"; allowed: specific CIDRs such as a campus range, or add a waiver under azlab:nsg.subnets.app.waivers.ssh-in with a reason)',
    ]);
  });

  it("refuses a subnet NSG on a missing subnet, on one with nsgEnabled false, and a member the stack lacks", async () => {
    const problems = await (async () => {
      try {
        await planVariant(
          "class-demo",
          (config) => {
            const network = config["azlab:network"] as { subnets: Record<string, Record<string, unknown>> };
            network.subnets["app"]!["nsgEnabled"] = false;
            const cls = config["azlab:class"] as { modules: Record<string, unknown> };
            cls.modules["scaleSet"] = false;
            config["azlab:nsg"] = {
              applicationSecurityGroups: { web: { members: ["scaleSet"] } },
              subnets: { nope: {}, app: {} },
            };
          },
          LOCK,
        );
      } catch (error) {
        if (error instanceof UserError) return error.problems.map((p) => p.replace(/^.*?\.yaml: /, ""));
        throw error;
      }
      throw new Error("expected the variant to be refused");
    })();
    expect(problems).toEqual([
      'azlab:nsg.subnets.nope: names no subnet (got "nope"; allowed: one of azlab:network.subnets: web, app)',
      "azlab:nsg.subnets.app: gives the subnet its own NSG, but azlab:network.subnets.app.nsgEnabled is false (allowed: remove azlab:nsg.subnets.app, or set nsgEnabled to true)",
      'azlab:nsg.applicationSecurityGroups.web.members[0]: names the scale set, which this stack does not deploy (got "scaleSet"; allowed: turn on azlab:class.modules.scaleSet, or remove the member)',
    ]);
  });

  it("accepts an internet rule in a subnet NSG with that subnet's own waiver, guardrails included", async () => {
    const nsg = {
      subnets: {
        web: {
          rules: { "ssh-in": { source: "Internet", ports: 22 } },
          waivers: { "ssh-in": { reason: "the bastion lab opens SSH for one hour" } },
        },
      },
    };
    const result = await withNsg(nsg);
    const loaded = loadStackFile("stacks/Pulumi.class-demo.yaml", "class-demo");
    const context = policyContextFromConfig({
      ...loaded,
      config: { ...loaded.config, nsg: { ...loaded.config.nsg, ...nsg } },
    });
    const nsgFindings = (waivers: typeof context) =>
      evaluateResources(result.resources, waivers, result.outputs)
        .map((f) => `${f.id} ${urnName(f.resource)}: ${f.message}`)
        .filter((f) => f.startsWith("AZL-NSG-00"));
    expect(nsgFindings(context)).toEqual([]);
    // Without the waiver the same rule is an AZL-NSG-001 finding on every student's subnet NSG.
    expect(nsgFindings(policyContextFromConfig(loaded))).toEqual([
      'AZL-NSG-001 alice-web-nsg: Security rule "ssh-in" allows inbound port 22 (SSH) from "Internet"',
      'AZL-NSG-001 bob-web-nsg: Security rule "ssh-in" allows inbound port 22 (SSH) from "Internet"',
      'AZL-NSG-001 carol-web-nsg: Security rule "ssh-in" allows inbound port 22 (SSH) from "Internet"',
    ]);
    const own = resource(result, ResourceType.NetworkSecurityGroup, "bob-web-nsg");
    // web hosts the scale set: its own NSG keeps the derived SSH, load balancer and isolation rules.
    expect((own.inputs["securityRules"] as { name: string }[]).map((r) => r.name)).toEqual([
      "allow-ssh",
      "allow-web",
      "allow-lb-probe",
      "allow-own-vnet",
      "deny-lateral",
      "ssh-in",
    ]);
    expect(resource(result, ResourceType.Subnet, "bob-net-web").inputs["networkSecurityGroup"]).toEqual({
      id: "bob-web-nsg-id",
    });
  });
});

describe("the derived SSH rule in the scale set's own subnet NSG", () => {
  const openClass = (waived: boolean) => (config: Record<string, unknown>) => {
    (config["azlab:class"] as Record<string, unknown>)["sourceCidrs"] = ["0.0.0.0/0"];
    config["azlab:nsg"] = {
      subnets: { web: {} },
      ...(waived ? { waivers: { "allow-ssh": { reason: "open day: SSH from anywhere" } } } : {}),
    };
  };

  it("is refused once, at the key the user wrote, not again for the subnet NSG", async () => {
    let problems: readonly string[] = [];
    try {
      await planVariant("class-demo", openClass(false), LOCK);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      problems = error.problems.map((p) => p.replace(/^.*?\.yaml: /, ""));
    }
    expect(problems).toEqual([
      'azlab:class.sourceCidrs: Allow Inbound from the internet to management port 22 is refused (in the rule azlab derives from it, azlab:nsg.rules.allow-ssh) (got ["0.0.0.0/0"]; allowed: specific CIDRs such as a campus range, or add a waiver under azlab:nsg.waivers.allow-ssh with a reason)',
    ]);
  });

  it("is covered in both NSGs by the one waiver in azlab:nsg.waivers", async () => {
    const result = await planVariant("class-demo", openClass(true), LOCK);
    for (const name of ["alice-nsg", "alice-web-nsg"]) {
      const rules = resource(result, ResourceType.NetworkSecurityGroup, name).inputs["securityRules"] as {
        name: string;
        sourceAddressPrefix?: string;
      }[];
      expect(rules.find((r) => r.name === "allow-ssh")?.sourceAddressPrefix).toBe("0.0.0.0/0");
    }
  });
});
