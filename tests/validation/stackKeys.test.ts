/**
 * Pre-flight runs each component's own validator on the arguments the program will pass, then reports
 * every problem at the `azlab:` key the user wrote, not at the component's argument path.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatProblem, UserError } from "../../src/errors.ts";
import { loadStackFile } from "../../src/config/stackFile.ts";
import { preflight } from "../../src/program/preflight.ts";
import {
  clusterBasicsKeys,
  clusterKeys,
  nsgKeys,
  storageKeys,
  vnetKeys,
} from "../../src/program/stackKeys.ts";

/** The shipped dev stack with `edits` applied to its text, planned and checked without a lock. */
function problemsOf(edits: readonly [string, string][]): string[] {
  let text = readFileSync("stacks/Pulumi.dev.yaml", "utf8");
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`the dev stack no longer contains ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  const path = join(mkdtempSync(join(tmpdir(), "azlab-keys-")), "Pulumi.dev.yaml");
  writeFileSync(path, text);
  const loaded = loadStackFile(path, "dev");
  return preflight(loaded.stack, loaded.config, undefined).problems.map((p) => formatProblem(p));
}

describe("pre-flight", () => {
  it("finds nothing wrong with the shipped dev stack", () => {
    expect(problemsOf([])).toEqual([]);
  });

  it("reports component problems at the stack-file keys the user wrote", () => {
    const problems = problemsOf([
      ["    vmSize: Standard_B1s\n", "    vmSize: Standard_B1s\n    adminUsername: root\n"],
      ["      ports: [80]\n", "      ports: [80]\n      probe: { path: healthz }\n"],
      [
        "      max: 3\n",
        '      max: 3\n      schedules:\n        lab:\n          days: [Monday]\n          startTime: "12:00"\n          endTime: "09:00"\n          min: 1\n          default: 1\n          max: 2\n',
      ],
      [
        "  azlab:registry:\n    namePrefix: azlabdev\n",
        "  azlab:registry:\n    namePrefix: azlabdev\n    retentionDays: 7\n",
      ],
    ]);
    expect(problems).toEqual([
      'azlab:scaleSet.adminUsername: is a name Azure reserves (got "root"; allowed: 1 to 64 lowercase letters, digits, hyphens or underscores, starting with a letter or underscore, and not one of Azure\'s reserved names (admin, administrator, root, user, guest, test, ...))',
      'azlab:scaleSet.autoscale.schedules.lab.endTime: must be later the same day than the start (got "09:00"; allowed: a time after 12:00)',
      'azlab:scaleSet.loadBalancer.probe.path: must start with / (got "healthz"; allowed: a path such as /healthz)',
      'azlab:registry.retentionDays: needs the Premium SKU (retention policy), but sku is Basic (got 7; allowed: sku "Premium", or leave retentionDays unset)',
    ]);
  });
});

describe("component argument paths to stack-file keys", () => {
  it("maps renamed arguments and keeps the rest under the component's section", () => {
    const dev = loadStackFile("stacks/Pulumi.dev.yaml", "dev");
    const devNsgKeys = nsgKeys(preflight(dev.stack, dev.config, undefined).plan!);
    expect(devNsgKeys("rules.ssh.source")).toBe("azlab:nsg.rules.ssh.source");
    expect(devNsgKeys("nameParts[0]")).toBe("azlab:namePrefix");
    expect(vnetKeys("subnets.web.cidr")).toBe("azlab:network.subnets.web.cidr");
    expect(storageKeys("shares.labdata.quotaGiB")).toBe("azlab:storage.fileShares.labdata.quotaGiB");
    expect(storageKeys("nameParts[0]")).toBe("azlab:storage.namePrefix");
    expect(clusterKeys("userPools.work.nodeCount")).toBe("azlab:aks.userPools.work.minCount");
    expect(clusterKeys("apiServerAuthorizedIpRanges")).toBe("azlab:aks.authorizedIpRanges");
    expect(clusterBasicsKeys("namespaces.student-alice.editorObjectId")).toBe(
      "azlab:class.students.alice.entraObjectId",
    );
    expect(clusterBasicsKeys("namespaces.lab.quota.pods")).toBe("azlab:aks.namespaces.lab.quota.pods");
  });
});

/** The file classProblemsOf wrote last; the loader's problems name it. */
let lastPath = "";

/** The shipped class-demo stack (a shared cluster) with `edits` applied, planned and checked. */
function classProblemsOf(edits: readonly [string, string][]): string[] {
  let text = readFileSync("stacks/Pulumi.class-demo.yaml", "utf8");
  for (const [from, to] of edits) {
    if (!text.includes(from))
      throw new Error(`the class-demo stack no longer contains ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  const path = join(mkdtempSync(join(tmpdir(), "azlab-keys-")), "Pulumi.class-demo.yaml");
  writeFileSync(path, text);
  lastPath = path;
  try {
    const loaded = loadStackFile(path, "class-demo");
    return preflight(loaded.stack, loaded.config, undefined).problems.map((p) => formatProblem(p));
  } catch (error) {
    // The schema refuses some values while loading, with one UserError listing them.
    if (error instanceof UserError) return [...error.problems];
    throw error;
  }
}

describe("the SSH rule azlab derives", () => {
  it("is reported at azlab:nsg.sshSourceCidrs, the key the user wrote, naming the derived rule", () => {
    expect(problemsOf([["      - 10.0.0.0/16\n", "      - 0.0.0.0/0\n"]])).toEqual([
      'azlab:nsg.sshSourceCidrs: Allow Inbound from the internet to management port 22 is refused (in the rule azlab derives from it, azlab:nsg.rules.allow-ssh) (got ["0.0.0.0/0"]; allowed: specific CIDRs such as a campus range, or add a waiver under azlab:nsg.waivers.allow-ssh with a reason)',
    ]);
  });
});

describe("pre-flight on a shared class cluster", () => {
  it("refuses a negative pool count at the key the user wrote", () => {
    const problems = classProblemsOf([["      maxCount: 3\n", "      maxCount: -3\n"]]);
    expect(problems).toEqual([
      `${lastPath}: azlab:aks.systemPool.maxCount: is too small (got -3; allowed: at least 0)`,
    ]);
  });

  it("reports a pool's counts at the pool's keys, not as the derived azlab:aks.maxNodes", () => {
    expect(classProblemsOf([["      maxCount: 3\n", "      maxCount: 0\n"]])).toEqual([
      "azlab:aks.systemPool.maxCount: is out of range for a system pool (got 0; allowed: an integer from 1 to 1000)",
      "azlab:aks.systemPool.minCount: is greater than maxCount (got 1; allowed: at most maxCount (0))",
    ]);
  });
});
