/**
 * A way in from anywhere, under the offline engine: each student's own SSH keys and `sourceCidrs` reach
 * only their own scale set and NSG, a class gets one SSH NAT port per instance on the student's own
 * load balancer, and the `students` output holds students only, with those ports published.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";
import { planShipped, planVariant, resource } from "../support/offline.ts";

const INSTRUCTOR_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILGua15+LnzD2YAZbTJr1ney58PosqqhEcM++hEKcwHx instructor@azlab";
const ALICE_KEYS = [
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2kv/mWq/oHyscYZSlE33WzG7k1vs2ziYumD+bdgSZ8 alice@laptop",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINiwi4p3rAI77EVrAVF1tCuPHkED5u2wWZURJD0xWgUb alice@desktop",
];
const ALICE_HOME = "198.51.100.0/24";
const CAMPUS = ["145.100.0.0/16", "203.0.113.7/32"];

type Rule = { name: string; sourceAddressPrefixes?: string[]; sourceAddressPrefix?: string };

describe("a way in for each student", async () => {
  const run = await planVariant(
    "class-demo",
    (config) => {
      const cls = config["azlab:class"] as { students: Record<string, Record<string, unknown>> };
      cls.students["alice"] = {
        ...cls.students["alice"],
        sshPublicKeys: ALICE_KEYS,
        sourceCidrs: [ALICE_HOME],
      };
      // Carol lists a campus range too: it appears once in her rules.
      cls.students["carol"] = { ...cls.students["carol"], sourceCidrs: ["145.100.0.0/16"] };
    },
    "stacks/Pulumi.class-demo.lock.json",
  );
  const rules = (student: string) =>
    resource(run, "azure-native:network:NetworkSecurityGroup", `${student}-nsg`).inputs[
      "securityRules"
    ] as Rule[];
  const sources = (student: string, name: string) =>
    rules(student).find((r) => r.name === name)?.sourceAddressPrefixes;
  const keys = (student: string) => {
    const vmss = resource(run, "azure-native:compute:VirtualMachineScaleSet", `${student}-web`).inputs as {
      virtualMachineProfile: { osProfile: { linuxConfiguration: { ssh: { publicKeys: unknown[] } } } };
    };
    return vmss.virtualMachineProfile.osProfile.linuxConfiguration.ssh.publicKeys;
  };

  it("trusts a student's own keys on their scale set only, next to the instructor's", () => {
    const path = "/home/azlabadmin/.ssh/authorized_keys";
    expect(keys("alice")).toEqual([INSTRUCTOR_KEY, ...ALICE_KEYS].map((keyData) => ({ path, keyData })));
    expect(keys("bob")).toEqual([{ path, keyData: INSTRUCTOR_KEY }]);
    expect(keys("carol")).toEqual([{ path, keyData: INSTRUCTOR_KEY }]);
  });

  it("widens only that student's SSH and web rules with their sourceCidrs", () => {
    expect(sources("alice", "allow-ssh")).toEqual([...CAMPUS, ALICE_HOME]);
    expect(sources("alice", "allow-web")).toEqual([...CAMPUS, ALICE_HOME]);
    expect(sources("bob", "allow-ssh")).toEqual(CAMPUS);
    expect(sources("bob", "allow-web")).toEqual(CAMPUS);
    expect(sources("carol", "allow-ssh")).toEqual(CAMPUS);
    for (const other of ["bob", "carol"]) {
      expect(JSON.stringify(rules(other))).not.toContain(ALICE_HOME);
    }
  });

  it("maps one SSH port per instance on each student's own load balancer, and publishes the range", () => {
    for (const student of ["alice", "bob", "carol"]) {
      const lb = resource(run, "azure-native:network:LoadBalancer", `${student}-web-lb`).inputs;
      expect(lb["inboundNatPools"]).toEqual([
        {
          name: "ssh",
          frontendIPConfiguration: { id: "$self/frontendIPConfigurations/frontend" },
          protocol: "Tcp",
          frontendPortRangeStart: 50000,
          // autoscale max 2: one port per instance the set can have.
          frontendPortRangeEnd: 50001,
          backendPort: 22,
          idleTimeoutInMinutes: 4,
          enableTcpReset: true,
        },
      ]);
    }
    const students = run.outputs["students"] as Record<string, Record<string, unknown>>;
    expect(students["alice"]?.["ssh"]).toEqual({ user: "azlabadmin", firstPort: 50000, lastPort: 50001 });
  });

  it("keeps the NAT pool off when a class turns it off", async () => {
    const off = await planVariant(
      "class-demo",
      (config) => {
        const scaleSet = config["azlab:scaleSet"] as Record<string, unknown>;
        scaleSet["loadBalancer"] = { inboundNatEnabled: false };
      },
      "stacks/Pulumi.class-demo.lock.json",
    );
    expect(
      resource(off, "azure-native:network:LoadBalancer", "alice-web-lb").inputs["inboundNatPools"],
    ).toBeUndefined();
    const students = off.outputs["students"] as Record<string, Record<string, unknown>>;
    expect(students["alice"]?.["ssh"]).toBeUndefined();
  });
});

describe("a student key that is not a public key", () => {
  it("is reported at the roster key it came from", async () => {
    const dir = mkdtempSync(join(tmpdir(), "azlab-wayin-"));
    const file = join(dir, "Pulumi.keys.yaml");
    // Padding inside the key data: the schema and the scale set share one check (src/azure/sshPublicKey.ts).
    const text = readFileSync("stacks/Pulumi.class-demo.yaml", "utf8").replace(
      "      bob: {}\n",
      "      bob:\n        sshPublicKeys: [ssh-ed25519 AA=A]\n",
    );
    writeFileSync(file, text);
    const result = await runCli(["validate", "--config-file", file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${file}: azlab:class.students.bob.sshPublicKeys.0: is not an OpenSSH public key line (got "ssh-ed25519 AA=A"; allowed: an OpenSSH public key line (ssh-ed25519 AAAA... or ssh-rsa AAAA...))`,
    );
  });
});

describe("the students output of class-demo", async () => {
  const run = await planShipped("class-demo");

  it("holds the three students only, and the hub with its kubeconfig in an output of its own", () => {
    const students = run.outputs["students"] as Record<string, Record<string, unknown>>;
    expect(Object.keys(students)).toEqual(["alice", "bob", "carol"]);
    // Each student's exact entry is asserted in tests/program/stacks.test.ts.
    for (const entry of Object.values(students)) expect(Object.keys(entry)).not.toContain("kubeconfig");
    expect(run.outputs["hub"]).toEqual({
      clusterName: "aks-lab-class-demo-hub",
      kubeconfig: "[secret]",
      resourceGroup: "rg-lab-class-demo-hub",
      vnetCidr: "10.128.0.0/22",
    });
  });
});
