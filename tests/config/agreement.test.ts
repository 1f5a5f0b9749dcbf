/**
 * `validate` refuses first whatever `plan` (and so `pulumi up` and the policy pack) refuses: both run
 * over the same mutated copies of the shipped stacks and must agree on every one.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import {
  AS_OF,
  expectCleanOutcome,
  planVerdict,
  removeWorkspaces,
  runCli,
  workspace,
  type SeedStack,
} from "../fuzz/harness.ts";

interface Case {
  readonly name: string;
  readonly stack: SeedStack;
  readonly from: string;
  readonly to: string;
  readonly valid: boolean;
}

const SSH_FROM_INTERNET =
  "  azlab:nsg:\n    rules:\n      ssh-anywhere: { source: Internet, ports: 22 }\n    sshSourceCidrs:\n";
const WAIVER = "    waivers:\n      ssh-anywhere: { reason: bastion host not deployed yet (ticket 42) }\n";

const cases: readonly Case[] = [
  { name: "the shipped class", stack: "class-demo", from: "", to: "", valid: true },
  { name: "the shipped dev stack", stack: "dev", from: "", to: "", valid: true },
  {
    name: "a made-up class time zone",
    stack: "class-demo",
    from: "timeZone: Europe/Amsterdam",
    to: "timeZone: Mars/Olympus",
    valid: false,
  },
  {
    name: "a Windows class time zone",
    stack: "class-demo",
    from: "timeZone: Europe/Amsterdam",
    to: "timeZone: W. Europe Standard Time",
    valid: false,
  },
  {
    name: "30 February",
    stack: "class-demo",
    from: 'expiresOn: "2027-01-31"',
    to: "expiresOn: 2026-02-30",
    valid: false,
  },
  {
    name: "SSH from the internet without a waiver",
    stack: "dev",
    from: "  azlab:nsg:\n    sshSourceCidrs:\n",
    to: SSH_FROM_INTERNET,
    valid: false,
  },
  {
    name: "SSH from the internet with one waiver",
    stack: "dev",
    from: "  azlab:nsg:\n    sshSourceCidrs:\n",
    to: SSH_FROM_INTERNET.replace("    sshSourceCidrs:\n", WAIVER + "    sshSourceCidrs:\n"),
    valid: true,
  },
  {
    name: "every port from the internet with one waiver",
    stack: "dev",
    from: "  azlab:nsg:\n    sshSourceCidrs:\n",
    to: SSH_FROM_INTERNET.replace("ports: 22", 'ports: "*"').replace(
      "    sshSourceCidrs:\n",
      WAIVER + "    sshSourceCidrs:\n",
    ),
    valid: true,
  },
  {
    name: "a public prod API server without authorized ranges",
    stack: "prod",
    from: "    privateClusterEnabled: true",
    to: "    privateClusterEnabled: false",
    valid: false,
  },
  {
    name: "a class that ended the day before",
    stack: "class-demo",
    from: 'expiresOn: "2027-01-31"',
    to: 'expiresOn: "2026-11-30"',
    valid: false,
  },
  {
    name: "a secure owner",
    stack: "dev",
    from: "  azlab:owner: platform-team@example.edu",
    to: "  azlab:owner:\n    secure: AAABAOwnerCipher==",
    valid: false,
  },
  {
    name: "a secure name prefix",
    stack: "class-demo",
    from: "  azlab:namePrefix: lab",
    to: "  azlab:namePrefix:\n    secure: AAABAPrefixCipher==",
    valid: false,
  },
];

describe("validate and plan agree", () => {
  afterAll(removeWorkspaces);

  it.each(cases)("$name: validate and plan both say valid=$valid", async ({ stack, from, to, valid }) => {
    const { stackPath } = workspace(stack);
    const text = readFileSync(stackPath, "utf8");
    expect(text).toContain(from);
    writeFileSync(stackPath, text.replace(from, to));

    const validated = await runCli(["validate", "--config-file", stackPath, "--as-of", AS_OF]);
    expectCleanOutcome(validated, stackPath);
    const { result: planned, verdict } = await planVerdict(stackPath);
    expectCleanOutcome(planned, stackPath);

    expect({
      validate: validated.code === 0,
      plan: verdict.code === 0 && verdict.blocking.length === 0,
    }).toEqual({
      validate: valid,
      plan: valid,
    });
    expect(validated.stderr + planned.stderr).not.toContain("AAABA");
  });

  it("refuses a guardrail error at the key the user wrote, with the rule and the override to lower it", async () => {
    const { stackPath } = workspace("prod");
    const text = readFileSync(stackPath, "utf8");
    writeFileSync(
      stackPath,
      text
        .replace("    privateClusterEnabled: true", "    privateClusterEnabled: false")
        .replace("    deployerInVnet: true\n", ""),
    );
    const result = await runCli(["validate", "--config-file", stackPath]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `azlab: ${stackPath}: 1 guardrail error that \`azlab plan\` and \`pulumi preview --policy-pack\` would report:\n` +
        `  - ${stackPath}: azlab:aks.authorizedIpRanges: The API server is public and apiServerAccessProfile.authorizedIPRanges ` +
        "is empty in a prod stack on prod-aks [AZL-AKS-004] (allowed: Set apiServerAccessProfile.authorizedIPRanges " +
        "to the admins' ranges, or enablePrivateCluster: true, or lower the rule under " +
        "azlab:policy.overrides.AZL-AKS-004 with a reason)\n",
    );
  });

  it("points a refused SSH rule at the one waiver that the plan honours too", async () => {
    const { stackPath } = workspace("dev");
    const text = readFileSync(stackPath, "utf8");
    writeFileSync(stackPath, text.replace("  azlab:nsg:\n    sshSourceCidrs:\n", SSH_FROM_INTERNET));
    const result = await runCli(["validate", "--config-file", stackPath]);
    expect(result.stderr).toBe(
      `azlab: ${stackPath}: 1 problem in the stack config:\n` +
        `  - ${stackPath}: azlab:nsg.rules.ssh-anywhere.source: Allow Inbound from the internet to management port 22 is refused ` +
        '(got "Internet"; allowed: specific CIDRs such as a campus range, or add a waiver under azlab:nsg.waivers.ssh-anywhere with a reason)\n',
    );
  });
});
