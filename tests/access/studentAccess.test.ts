/**
 * Which roles a student gets (studentGrants) and the refusal of a class whose students would get Kubernetes
 * access without Entra sign-in, with the exact message `azlab validate` prints.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { entraSignInEnabled, studentGrants, studentSignInProblems } from "../../src/access/studentAccess.ts";
import { BUILT_IN_ROLE_NAMES } from "../../src/azure/catalog.ts";
import { parseStackConfig } from "../../src/config/parse.ts";
import { preflight } from "../../src/program/preflight.ts";
import { runCli } from "../support/cli.ts";

type Config = Record<string, unknown>;

function demoConfig(edit: (config: Config) => void): Config {
  const doc = parse(readFileSync("stacks/Pulumi.class-demo.yaml", "utf8")) as { config: Config };
  edit(doc.config);
  return doc.config;
}

function classOf(config: Config): Record<string, unknown> {
  return config["azlab:class"] as Record<string, unknown>;
}

function aksOf(config: Config): Record<string, unknown> {
  return config["azlab:aks"] as Record<string, unknown>;
}

/** Dedicated clusters need their node subnet in every student's VNet (the hub had it for a shared one). */
function dedicated(config: Config): void {
  classOf(config)["aksTopology"] = "dedicated";
  const network = config["azlab:network"] as { subnets: Record<string, unknown> };
  network.subnets["aks-nodes"] = { prefixLength: 25 };
}

function planOf(config: Config) {
  const parsed = parseStackConfig(config, []);
  if (!parsed.config) throw new Error(JSON.stringify(parsed.problems));
  return preflight("class-demo", parsed.config, undefined);
}

function grantNames(config: Config, student: string): string[] {
  const result = planOf(config);
  if (!result.plan) throw new Error(JSON.stringify(result.problems));
  return studentGrants(result.plan, student).map((g) => `${BUILT_IN_ROLE_NAMES[g.role]} @ ${g.scope}`);
}

describe("studentGrants", () => {
  it("gives an identified student the default roles, in order, and a student without identity none", () => {
    const config = demoConfig(() => {});
    expect(grantNames(config, "alice")).toEqual([
      "Reader @ resourceGroup",
      "Virtual Machine Contributor @ resourceGroup",
      "Storage Blob Data Contributor @ storageAccount",
      "Storage File Data SMB Share Contributor @ storageAccount",
      "AcrPush @ registry",
      "Azure Kubernetes Service Cluster User Role @ sharedCluster",
    ]);
    expect(grantNames(config, "bob")).toEqual([]);
  });

  it("follows azlab:class.studentAccess: reader only, pull only, no storage, no cluster", () => {
    const config = demoConfig((c) => {
      classOf(c)["studentAccess"] = {
        resourceGroup: "reader",
        storage: false,
        registry: "pull",
        cluster: false,
      };
    });
    expect(grantNames(config, "alice")).toEqual(["Reader @ resourceGroup", "AcrPull @ registry"]);
  });

  it("adds the queue and table data roles on the student's account only when the stack declares queues or tables", () => {
    const both = demoConfig((c) => {
      const storage = c["azlab:storage"] as Record<string, unknown>;
      storage["queues"] = { jobs: {} };
      storage["tables"] = { scores: {} };
    });
    expect(grantNames(both, "alice").filter((g) => g.endsWith("@ storageAccount"))).toEqual([
      "Storage Blob Data Contributor @ storageAccount",
      "Storage File Data SMB Share Contributor @ storageAccount",
      "Storage Queue Data Contributor @ storageAccount",
      "Storage Table Data Contributor @ storageAccount",
    ]);
    const queuesOnly = demoConfig((c) => {
      (c["azlab:storage"] as Record<string, unknown>)["queues"] = { jobs: {} };
    });
    expect(grantNames(queuesOnly, "alice").filter((g) => g.endsWith("@ storageAccount"))).toEqual([
      "Storage Blob Data Contributor @ storageAccount",
      "Storage File Data SMB Share Contributor @ storageAccount",
      "Storage Queue Data Contributor @ storageAccount",
    ]);
    const noStorageAccess = demoConfig((c) => {
      (c["azlab:storage"] as Record<string, unknown>)["tables"] = { scores: {} };
      classOf(c)["studentAccess"] = { storage: false };
    });
    expect(grantNames(noStorageAccess, "alice").filter((g) => g.endsWith("@ storageAccount"))).toEqual([]);
  });

  it("gives a dedicated cluster's student Cluster User and RBAC Writer on their own cluster", () => {
    const config = demoConfig((c) => {
      dedicated(c);
      classOf(c)["studentAccess"] = { resourceGroup: "none", storage: false, registry: "none" };
    });
    expect(grantNames(config, "carol")).toEqual([
      "Azure Kubernetes Service Cluster User Role @ cluster",
      "Azure Kubernetes Service RBAC Writer @ cluster",
    ]);
  });
});

describe("refusing Kubernetes access without Entra sign-in", () => {
  const noEntra = (c: Config) => {
    aksOf(c)["entraEnabled"] = false;
  };

  it("refuses namespace RoleBindings on a shared cluster with entraEnabled false, in azlab validate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "azlab-access-"));
    const file = join(dir, "Pulumi.noentra.yaml");
    writeFileSync(file, stringify({ config: demoConfig(noEntra) }));
    const result = await runCli(["validate", "--config-file", file, "--as-of", "2026-12-01"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `azlab: ${file}: 1 problem in the stack config:\n` +
        `  - ${file}: azlab:aks.entraEnabled: is false, so the cluster has no Entra sign-in, but students ` +
        "alice, carol would get namespace RoleBindings on the shared cluster that only an Entra sign-in can use " +
        "(got false; allowed: true, or leave it unset (a class whose students get cluster access gets Entra ID " +
        "by default), or azlab:class.studentAccess.cluster: false)\n",
    );
  });

  it("refuses admin groups with entraEnabled false at azlab:aks.entraEnabled, with every other problem", () => {
    const config = demoConfig((c) => {
      noEntra(c);
      aksOf(c)["entraAdminGroupObjectIds"] = ["5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a"];
    });
    expect(planOf(config).problems).toEqual([
      {
        path: "azlab:aks.entraEnabled",
        message:
          "is false, but entraAdminGroupObjectIds names 1 admin group, which only an Entra sign-in can use",
        value: false,
        allowed: "true (Entra ID with Azure RBAC, local accounts off), or no entraAdminGroupObjectIds",
      },
      {
        path: "azlab:aks.entraEnabled",
        message:
          "is false, so the cluster has no Entra sign-in, but students alice, carol would get namespace " +
          "RoleBindings on the shared cluster that only an Entra sign-in can use",
        value: false,
        allowed:
          "true, or leave it unset (a class whose students get cluster access gets Entra ID by default), or " +
          "azlab:class.studentAccess.cluster: false",
      },
    ]);
  });

  it("refuses Azure RBAC roles on dedicated clusters with entraEnabled false, naming at most three students", () => {
    const config = demoConfig((c) => {
      noEntra(c);
      dedicated(c);
      classOf(c)["students"] = {
        dan: { upn: "dan@uni.example.edu" },
        eve: { email: "eve@mail.example.org" },
        fay: { entraObjectId: "0b6e1f7a-1c2d-4e3f-9a8b-7c6d5e4f3a2b" },
        gus: { upn: "gus@uni.example.edu" },
        hal: {},
      };
    });
    expect(planOf(config).problems).toEqual([
      {
        path: "azlab:aks.entraEnabled",
        message:
          "is false, so the cluster has no Entra sign-in, but students dan, eve, fay and 1 more would get Azure RBAC " +
          "roles on their own clusters that only an Entra sign-in can use",
        value: false,
        allowed:
          "true, or leave it unset (a class whose students get cluster access gets Entra ID by default), or " +
          "azlab:class.studentAccess.cluster: false",
      },
    ]);
  });

  it("accepts entraEnabled false with studentAccess.cluster off, or with no identified student", () => {
    const off = demoConfig((c) => {
      noEntra(c);
      classOf(c)["studentAccess"] = { cluster: false };
    });
    expect(planOf(off).problems).toEqual([]);
    const anonymous = demoConfig((c) => {
      noEntra(c);
      classOf(c)["students"] = { alice: {}, bob: {} };
    });
    const result = planOf(anonymous);
    expect(result.problems).toEqual([]);
    expect(studentSignInProblems(result.plan!)).toEqual([]);
    expect(entraSignInEnabled(result.plan!)).toBe(false);
  });

  it("turns Entra ID on by default for a class whose students get cluster access, and only then", () => {
    // class-demo sets neither entraEnabled nor admin groups: alice and carol get namespace RoleBindings.
    const demo = planOf(demoConfig(() => {}));
    expect(demo.problems).toEqual([]);
    expect(entraSignInEnabled(demo.plan!)).toBe(true);
    const noCluster = planOf(
      demoConfig((c) => {
        classOf(c)["studentAccess"] = { cluster: false };
      }),
    );
    expect(entraSignInEnabled(noCluster.plan!)).toBe(false);
    const explicit = planOf(
      demoConfig((c) => {
        classOf(c)["studentAccess"] = { cluster: false };
        aksOf(c)["entraEnabled"] = true;
      }),
    );
    expect(entraSignInEnabled(explicit.plan!)).toBe(true);
  });
});
