import { describe, expect, it } from "vitest";
import { formatProblem, type Problem } from "../../src/errors.ts";
import { httpFromInternet, sshFrom } from "../../src/network/nsgRules.ts";
import { normalizeNetworkSecurityGroup } from "../../src/validation/networkSecurityGroup.ts";

const lines = (result: { problems: readonly Problem[] }) => result.problems.map((p) => formatProblem(p));

describe("normalizeNetworkSecurityGroup", () => {
  it("names the NSG and each application security group after the name parts", () => {
    const result = normalizeNetworkSecurityGroup(
      {
        nameParts: ["azlab", "dev", "main"],
        applicationSecurityGroups: { jump: {}, app: { tags: { tier: "app" } } },
      },
      "main-nsg",
    );
    expect(result.value).toEqual({
      nsgName: "nsg-azlab-dev-main",
      rules: [],
      applicationSecurityGroups: [
        { key: "jump", asgName: "asg-azlab-dev-main-jump" },
        { key: "app", asgName: "asg-azlab-dev-main-app", tags: { tier: "app" } },
      ],
    });
  });

  it("reports rule problems at the rule's own path, and the waiver advice at the waivers key", () => {
    const rules = {
      "ssh-any": {
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        source: "*",
        destination: "asg:db",
        ports: 22,
      },
    } as const;
    expect(lines(normalizeNetworkSecurityGroup({ rules }, "web"))).toEqual([
      'rules.ssh-any.destination: names an application security group that is not defined (got "asg:db"; allowed: no asg: entries (none defined))',
      'rules.ssh-any.source: Allow Inbound from the internet to management port 22 is refused (got "*"; allowed: specific CIDRs such as a campus range, or add a waiver under waivers.ssh-any with a reason)',
    ]);
  });

  it("refuses a priority clash per direction, a bad ASG name and a bad explicit NSG name together", () => {
    // "SecurityRuleConflict: Rules cannot have the same Priority and Direction" (terraform-provider-azurerm #11137).
    const result = normalizeNetworkSecurityGroup(
      {
        nsgName: "nsg web",
        applicationSecurityGroups: { "-bad": {} },
        rules: { ...sshFrom("192.0.2.0/24", { priority: 300 }), ...httpFromInternet({ priority: 300 }) },
      },
      "web",
    );
    expect(lines(result)).toEqual([
      'nsgName: is not a valid networkSecurityGroup name (got "nsg web"; allowed: 1 to 80 characters: letters, digits, hyphens, underscores and periods)',
      'applicationSecurityGroups.-bad: is not a valid application security group name (got "-bad"; allowed: 1 to 80 letters, digits, underscores, periods or hyphens, starting with a letter or digit and ending with a letter, digit or underscore)',
      'rules.allow-http.priority: Inbound priority 300 is already used by rule "allow-ssh" (got 300; allowed: a priority no other Inbound rule uses)',
    ]);
    expect(result.value).toBeUndefined();
  });
});
