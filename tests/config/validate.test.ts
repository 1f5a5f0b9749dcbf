import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";
import { listStackFiles } from "../../src/config/stackFile.ts";

function stackFile(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), "azlab-validate-"));
  const path = join(dir, "Pulumi.t.yaml");
  writeFileSync(path, body);
  return path;
}

describe("azlab validate", () => {
  // A fixed date: the shipped class would otherwise fail its expiry guardrail once it ends.
  it.each(["dev", "prod", "class-demo"])("accepts the shipped stack %s", async (stack) => {
    const result = await runCli(["validate", "--stack", stack, "--as-of", "2026-12-01"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const environments = stack === "class-demo" ? "4 environments" : "1 environment";
    const kind = stack === "class-demo" ? "class" : stack;
    expect(result.stdout).toBe(
      `stacks/Pulumi.${stack}.yaml: valid (${kind} stack "${stack}", ${environments})\n`,
    );
  });

  it("refuses a class whose last day has passed, as the plan's guardrail does", async () => {
    const result = await runCli(["validate", "--stack", "class-demo", "--as-of", "2027-02-01"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "azlab: stacks/Pulumi.class-demo.yaml: 1 guardrail error that `azlab plan` and `pulumi preview --policy-pack` would report:\n" +
        '  - stacks/Pulumi.class-demo.yaml: azlab:class.expiresOn: Class stack "class-demo" expired at the end of 2027-01-31 ' +
        "(Europe/Amsterdam) [AZL-CLS-001] (allowed: Tear it down (azlab teardown --stack class-demo --confirm class-demo) " +
        "or move azlab:class.expiresOn, or lower the rule under azlab:policy.overrides.AZL-CLS-001 with a reason)\n",
    );
  });

  it("reports all five mistakes of a file at once, with key path, value and what is allowed", async () => {
    const result = await runCli(["validate", "--config-file", "tests/fixtures/Pulumi.five-mistakes.yaml"]);
    const file = "tests/fixtures/Pulumi.five-mistakes.yaml";
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      [
        `azlab: ${file}: 5 problems in the stack config:`,
        `  - ${file}: azlab:environment: is not one of the allowed values (got "staging"; allowed: dev, prod, class)`,
        `  - ${file}: azlab:network.addressSpace: is not an IPv4 CIDR block (got "10.20.0.0/33"; allowed: an IPv4 prefix such as 10.20.0.0/16)`,
        `  - ${file}: azlab:network.subnets.web: sets prefixLength and hosts (got {"hosts":50,"prefixLength":24}; allowed: exactly one of prefixLength, hosts or cidr)`,
        `  - ${file}: azlab:network.subnets.app.hosts: is too small (got 0; allowed: at least 1)`,
        `  - ${file}: azlab:storage.colour: is not a known setting (allowed: namePrefix, kind, sku, accessTier, publicNetworkAccessEnabled, sharedKeyAccessEnabled, sharedKeyConsumers, containers, fileShares, queues, tables, staticWebsite, allowedCopyScope, softDeleteRetentionDays, lifecycle)`,
        "",
      ].join("\n"),
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("accepts secure values and never prints them", async () => {
    const path = stackFile(
      [
        "config:",
        "  azlab:environment: dev",
        "  azlab:location: westeurope",
        "  azlab:owner: me",
        "  azlab:adminSshPublicKey:",
        "    secure: AAABAHiddenCipherText==",
        "  azlab:tags:",
        "    secure: AAABAnotherCipher==",
        "  azlab:network:",
        "    addressSpace: 10.1.0.0/16",
        "    subnets: { web: { hosts: 10 } }",
      ].join("\n"),
    );
    const result = await runCli(["validate", "--config-file", path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `azlab: ${path}: 1 problem in the stack config:\n` +
        `  - ${path}: azlab:tags: cannot be a secure value: it is not a secret, and secure values are not checked ` +
        "(allowed: a plain value; only azlab:adminSshPublicKey, azlab:windowsAdminPassword may be secure)\n",
    );
    expect(result.stderr).not.toContain("AAAB");
  });

  it("names the unknown azlab key and lists the known ones", async () => {
    const path = stackFile(
      "config:\n  azlab:environment: dev\n  azlab:location: westeurope\n  azlab:owner: me\n  azlab:netwrk: {}\n  azlab:network: { addressSpace: 10.1.0.0/16, subnets: { web: { hosts: 10 } } }\n",
    );
    const result = await runCli(["validate", "--config-file", path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `azlab: ${path}: 1 problem in the stack config:\n` +
        `  - ${path}: azlab:netwrk: is not an azlab setting (allowed: azlab:environment, azlab:location, ` +
        "azlab:owner, azlab:namePrefix, azlab:tags, azlab:adminSshPublicKey, azlab:protectStateful, " +
        "azlab:network, azlab:nsg, azlab:scaleSet, azlab:storage, azlab:registry, azlab:aks, azlab:vms, " +
        "azlab:windowsAdminPassword, azlab:class, " +
        "azlab:teardown, azlab:policy, azlab:cost, azlab:budget, azlab:hubAndSpoke)\n",
    );
  });

  it("reports planner problems with the key path the user wrote", async () => {
    const path = stackFile(
      [
        "config:",
        "  azlab:environment: dev",
        "  azlab:location: westeurope",
        "  azlab:owner: me",
        "  azlab:network:",
        "    addressSpace: 10.1.0.0/24",
        "    subnets:",
        "      web: { hosts: 300 }",
        "      GatewaySubnet: { prefixLength: 29 }",
      ].join("\n"),
    );
    const result = await runCli(["validate", "--config-file", path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `azlab: ${path}: 2 problems in the stack config:\n` +
        `  - ${path}: azlab:network.subnets.GatewaySubnet.prefixLength: GatewaySubnet must be /27 or larger ` +
        "(got 29; allowed: /27 or larger (Azure's recommended minimum; /29 is the hard floor))\n" +
        `  - ${path}: azlab:network.subnets.web.hosts: 300 hosts do not fit in the VNet's largest IPv4 range ` +
        "10.1.0.0/24 (got 300; allowed: an integer from 1 to 251)\n",
    );
  });

  it("refuses an unknown stack and lists the stacks of the folder", async () => {
    // A folder of its own: the list must not change when an instructor adds a class to stacks/.
    const dir = mkdtempSync(join(tmpdir(), "azlab-stacks-"));
    for (const name of ["Pulumi.physics-2027.yaml", "Pulumi.dev.yaml", "Pulumi.dev.lock.json", "notes.md"]) {
      writeFileSync(join(dir, name), "config: {}\n");
    }
    const result = await runCli(["validate", "--stack", "nope", "--stacks-dir", dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `azlab: ${join(dir, "Pulumi.nope.yaml")}: no such stack file (stack "nope"; allowed: dev, physics-2027)\n`,
    );
  });

  // Every stack an instructor adds must validate too, whatever its name; the loop names none.
  it.each(listStackFiles("stacks").map((ref) => ref.path))(
    "every stack file in stacks/ is valid: %s",
    async (path) => {
      // Classes added later end later: this date stays before every one of them.
      const result = await runCli(["validate", "--config-file", path, "--as-of", "2026-12-01"]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^${path.replaceAll(".", "\\.")}: valid \\(`));
    },
  );
});
