import { describe, expect, it } from "vitest";
import { formatProblem } from "../../src/errors.ts";
import {
  allowAzureLoadBalancerProbe,
  denyAllInbound,
  denyLateral,
  httpFromInternet,
  httpsFromInternet,
  normalizeNsgRules,
  rdpFrom,
  sshFrom,
} from "../../src/network/nsgRules.ts";
import type { NsgRule, NsgRules } from "../../src/network/nsgRules.ts";

const allowTcp = (source: NsgRule["source"], ports: NsgRule["ports"], priority?: number): NsgRule => ({
  direction: "Inbound",
  access: "Allow",
  protocol: "Tcp",
  source,
  destination: "*",
  ports,
  ...(priority !== undefined ? { priority } : {}),
});

function messages(rules: NsgRules, waivers = {}, asgNames?: string[]): string[] {
  return normalizeNsgRules(rules, {
    path: "azlab:nsg",
    waivers,
    ...(asgNames ? { asgNames } : {}),
  }).problems.map((p) => formatProblem(p));
}

describe("normalizeNsgRules priorities", () => {
  it("keeps explicit priorities and assigns the rest per direction in steps of 10, skipping used values", () => {
    const { rules, problems } = normalizeNsgRules(
      {
        a: allowTcp("10.0.0.0/8", 80),
        b: allowTcp("10.0.0.0/8", 81, 110),
        c: allowTcp("10.0.0.0/8", 82),
        out1: {
          direction: "Outbound",
          access: "Deny",
          protocol: "*",
          source: "*",
          destination: "Internet",
          ports: "*",
        },
        d: allowTcp("10.0.0.0/8", 83),
        ...denyAllInbound(),
      },
      { path: "azlab:nsg" },
    );
    expect(problems).toEqual([]);
    expect(rules.map((r) => [r.name, r.direction, r.priority])).toEqual([
      ["a", "Inbound", 100],
      ["b", "Inbound", 110],
      ["c", "Inbound", 120],
      ["out1", "Outbound", 100],
      ["d", "Inbound", 130],
      ["deny-all-inbound", "Inbound", 4096],
    ]);
  });

  it("gives the same priorities on every run (deterministic)", () => {
    const input = { x: allowTcp("10.0.0.0/8", 80), y: allowTcp("10.0.0.0/8", 81, 100) };
    const first = normalizeNsgRules(input, { path: "p" }).rules.map((r) => r.priority);
    const second = normalizeNsgRules(input, { path: "p" }).rules.map((r) => r.priority);
    expect(first).toEqual([110, 100]);
    expect(second).toEqual(first);
  });

  it("reports a priority clash within one direction, but not across directions", () => {
    expect(
      messages({
        web: allowTcp("10.0.0.0/8", 80, 200),
        api: allowTcp("10.0.0.0/8", 81, 200),
        egress: {
          direction: "Outbound",
          access: "Allow",
          protocol: "Tcp",
          source: "*",
          destination: "Internet",
          ports: 443,
          priority: 200,
        },
      }),
    ).toEqual([
      'azlab:nsg.rules.api.priority: Inbound priority 200 is already used by rule "web" (got 200; allowed: a priority no other Inbound rule uses)',
    ]);
  });

  it("reports priorities out of range or not integers", () => {
    expect(
      messages({
        low: allowTcp("10.0.0.0/8", 80, 99),
        high: allowTcp("10.0.0.0/8", 81, 4097),
        frac: allowTcp("10.0.0.0/8", 82, 150.5),
      }),
    ).toEqual([
      "azlab:nsg.rules.low.priority: is out of range (got 99; allowed: an integer from 100 to 4096)",
      "azlab:nsg.rules.high.priority: is out of range (got 4097; allowed: an integer from 100 to 4096)",
      "azlab:nsg.rules.frac.priority: is out of range (got 150.5; allowed: an integer from 100 to 4096)",
    ]);
  });
});

describe("normalizeNsgRules management ports", () => {
  it("refuses SSH from anywhere with the exact message", () => {
    expect(messages({ "ssh-any": allowTcp("*", 22) })).toEqual([
      'azlab:nsg.rules.ssh-any.source: Allow Inbound from the internet to management port 22 is refused (got "*"; allowed: specific CIDRs such as a campus range, or add a waiver under azlab:nsg.waivers.ssh-any with a reason)',
    ]);
  });

  it("lists every management port a range opens and treats Internet, Any, 0.0.0.0/0 and ::/0 as the internet", () => {
    expect(
      messages({
        db: allowTcp("Internet", ["3300-3400", 5432]),
        any: allowTcp("Any", 3389),
        v4: allowTcp(["192.0.2.0/24", "0.0.0.0/0"], 445),
        v6: allowTcp("::/0", 6379),
        star: { ...allowTcp("internet", "*"), protocol: "*" },
      }),
    ).toEqual([
      'azlab:nsg.rules.db.source: Allow Inbound from the internet to management ports 3306, 3389, 5432 is refused (got "Internet"; allowed: specific CIDRs such as a campus range, or add a waiver under azlab:nsg.waivers.db with a reason)',
      'azlab:nsg.rules.any.source: Allow Inbound from the internet to management port 3389 is refused (got "Any"; allowed: specific CIDRs such as a campus range, or add a waiver under azlab:nsg.waivers.any with a reason)',
      'azlab:nsg.rules.v4.source: Allow Inbound from the internet to management port 445 is refused (got ["192.0.2.0/24","0.0.0.0/0"]; allowed: specific CIDRs such as a campus range, or add a waiver under azlab:nsg.waivers.v4 with a reason)',
      'azlab:nsg.rules.v6.source: Allow Inbound from the internet to management port 6379 is refused (got "::/0"; allowed: specific CIDRs such as a campus range, or add a waiver under azlab:nsg.waivers.v6 with a reason)',
      'azlab:nsg.rules.star.source: Allow Inbound from the internet to every port, management ports included, is refused (got "internet"; allowed: specific CIDRs such as a campus range, or add a waiver under azlab:nsg.waivers.star with a reason)',
    ]);
  });

  it("accepts management ports from specific ranges, web ports from the internet, Deny and Outbound rules", () => {
    expect(
      messages({
        ...sshFrom(["192.0.2.0/24"]),
        ...rdpFrom("198.51.100.0/24"),
        ...httpFromInternet(),
        ...httpsFromInternet(),
        deny: { ...allowTcp("*", 22), access: "Deny" },
        out: { ...allowTcp("*", 22), direction: "Outbound" },
        // ICMP carries no ports, so "*" cannot reach a management port.
        ping: { ...allowTcp("*", "*"), protocol: "Icmp" },
      }),
    ).toEqual([]);
  });

  it("lets a waived rule through, and checks waivers themselves", () => {
    expect(
      messages({ "ssh-any": allowTcp("*", 22) }, { "ssh-any": { reason: "bastion demo in week 3" } }),
    ).toEqual([]);
    expect(
      messages({ "ssh-any": allowTcp("*", 22) }, { "ssh-any": { reason: " " }, gone: { reason: "old" } }),
    ).toEqual([
      // A waiver without a reason waives nothing: the rule is refused as well.
      'azlab:nsg.rules.ssh-any.source: Allow Inbound from the internet to management port 22 is refused (got "*"; allowed: specific CIDRs such as a campus range, or add a waiver under azlab:nsg.waivers.ssh-any with a reason)',
      "azlab:nsg.waivers.ssh-any.reason: is missing (allowed: a sentence saying why the rule may stay open)",
      'azlab:nsg.waivers.gone: names no rule (got "gone"; allowed: one of: ssh-any)',
    ]);
  });
});

describe("normalizeNsgRules validation", () => {
  it("reports bad names, enums, ports and addresses, all at once", () => {
    expect(
      messages({
        "-bad": allowTcp("10.0.0.0/8", 80),
        Web: allowTcp("10.0.0.0/8", 81),
        web: {
          direction: "In" as "Inbound",
          access: "Permit" as "Allow",
          protocol: "Tcpp" as "Tcp",
          source: "10.0.0.5/8",
          destination: "not a tag!",
          ports: ["70000", "90-80", "*"],
        },
        mixed: allowTcp(["asg:web", "10.0.0.0/8"], 80),
      }),
    ).toEqual([
      'azlab:nsg.rules.-bad: is not a valid rule name (got "-bad"; allowed: 1 to 80 letters, digits, underscores, periods or hyphens, starting with a letter or digit and ending with a letter, digit or underscore)',
      'azlab:nsg.rules.web: has the same name as rule "Web" when case is ignored (allowed: rule names that differ other than in case)',
      'azlab:nsg.rules.web.direction: is not supported (got "In"; allowed: "Inbound", "Outbound")',
      'azlab:nsg.rules.web.access: is not supported (got "Permit"; allowed: "Allow", "Deny")',
      'azlab:nsg.rules.web.protocol: is not supported (got "Tcpp"; allowed: "Tcp", "Udp", "Icmp", "Esp", "Ah", "*")',
      'azlab:nsg.rules.web.source: has a CIDR with host bits set (got "10.0.0.5/8"; allowed: 10.0.0.0/8)',
      'azlab:nsg.rules.web.destination: has an entry that is no address, CIDR or service tag (got "not a tag!"; allowed: CIDRs (10.1.0.0/24), addresses, service tags (Internet, VirtualNetwork, AzureLoadBalancer, *) or asg:<name>)',
      'azlab:nsg.rules.web.ports: has an invalid port (got "70000"; allowed: ports from 0 to 65535, ranges "lo-hi" with lo <= hi, or "*")',
      'azlab:nsg.rules.web.ports: has an invalid port (got "90-80"; allowed: ports from 0 to 65535, ranges "lo-hi" with lo <= hi, or "*")',
      'azlab:nsg.rules.web.ports: lists "*" with other ports (got ["70000","90-80","*"]; allowed: "*" alone)',
      'azlab:nsg.rules.mixed.source: mixes application security groups with addresses (got ["asg:web","10.0.0.0/8"]; allowed: only asg: entries, or only addresses and service tags)',
    ]);
  });

  it("checks asg: references against the defined groups", () => {
    expect(messages({ r: allowTcp("asg:jump", 22) }, {}, ["web"])).toEqual([
      'azlab:nsg.rules.r.source: names an application security group that is not defined (got "asg:jump"; allowed: asg:web)',
    ]);
  });

  it("normalizes ports and sides into Azure's shape", () => {
    const { rules } = normalizeNsgRules(
      {
        r: {
          ...allowTcp("asg:web", [8080, "8000-8090", " 443 "]),
          destination: ["10.1.0.0/24", "VirtualNetwork"],
          description: "app",
        },
      },
      { path: "p" },
    );
    expect(rules).toEqual([
      {
        name: "r",
        priority: 100,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefixes: [],
        sourceAsgs: ["web"],
        destinationAddressPrefixes: ["10.1.0.0/24", "VirtualNetwork"],
        destinationAsgs: [],
        destinationPorts: ["8080", "8000-8090", "443"],
        sourcePorts: ["*"],
        description: "app",
      },
    ]);
  });
});

describe("normalizeNsgRules source ports", () => {
  it("normalizes source ports like destination ports and keeps them out of the management-port check", () => {
    const { rules, problems } = normalizeNsgRules(
      // Source port 22 from the internet opens nothing: the check reads destination ports only.
      { dns: { ...allowTcp("Internet", 443), protocol: "Udp", sourcePorts: [53, " 1024-65535 ", "22"] } },
      { path: "p" },
    );
    expect(problems).toEqual([]);
    expect(rules.map((r) => [r.sourcePorts, r.destinationPorts])).toEqual([
      [["53", "1024-65535", "22"], ["443"]],
    ]);
  });

  it("reports bad source ports at the rule's sourcePorts key", () => {
    expect(
      messages({
        a: { ...allowTcp("10.0.0.0/8", 80), sourcePorts: "70000" },
        b: { ...allowTcp("10.0.0.0/8", 81), sourcePorts: [] },
        c: { ...allowTcp("10.0.0.0/8", 82), sourcePorts: ["*", 1] },
        d: { ...allowTcp("10.0.0.0/8", 83), sourcePorts: "9-3" },
      }),
    ).toEqual([
      'azlab:nsg.rules.a.sourcePorts: has an invalid port (got "70000"; allowed: ports from 0 to 65535, ranges "lo-hi" with lo <= hi, or "*")',
      'azlab:nsg.rules.b.sourcePorts: is empty (allowed: ports from 0 to 65535, ranges "lo-hi" with lo <= hi, or "*")',
      'azlab:nsg.rules.c.sourcePorts: lists "*" with other ports (got ["*",1]; allowed: "*" alone)',
      'azlab:nsg.rules.d.sourcePorts: has an invalid port (got "9-3"; allowed: ports from 0 to 65535, ranges "lo-hi" with lo <= hi, or "*")',
    ]);
  });
});

describe("normalizeNsgRules application security group limits", () => {
  // Azure networking limits (azure-docs includes/azure-virtual-network-limits.md): 10 groups per rule
  // side, 100 groups across the rules of one NSG.
  const groups = (from: number, count: number) => Array.from({ length: count }, (_, i) => `g${from + i}`);
  const asgs = (names: string[]) => names.map((n) => `asg:${n}`);

  it("accepts 10 groups on a side and refuses 11", () => {
    const names = groups(0, 11);
    expect(messages({ ok: allowTcp(asgs(names.slice(0, 10)), 80) }, {}, names)).toEqual([]);
    expect(messages({ big: allowTcp(asgs(names), 80) }, {}, names)).toEqual([
      "azlab:nsg.rules.big.source: names 11 application security groups (allowed: at most 10 (Azure's limit per rule side))",
    ]);
  });

  it("accepts 100 groups across an NSG's rules and refuses 101", () => {
    const names = groups(0, 101);
    const rules = (count: number) =>
      Object.fromEntries(
        Array.from({ length: Math.ceil(count / 10) }, (_, i) => [
          `r${i}`,
          allowTcp(asgs(names.slice(i * 10, Math.min(count, i * 10 + 10))), 80),
        ]),
      );
    expect(messages(rules(100), {}, names)).toEqual([]);
    expect(messages(rules(101), {}, names)).toEqual([
      "azlab:nsg.rules: name 101 different application security groups (allowed: at most 100 per NSG (Azure's limit))",
    ]);
  });
});

describe("rule helpers", () => {
  it("return the exact rule records", () => {
    expect({
      ...sshFrom(["192.0.2.0/24"]),
      ...rdpFrom("198.51.100.0/24", { name: "rdp", priority: 300 }),
      ...httpFromInternet(),
      ...httpsFromInternet(),
      ...allowAzureLoadBalancerProbe(),
      ...denyLateral(["10.1.0.0/22", "10.2.0.0/22"]),
      ...denyAllInbound(),
    }).toEqual({
      "allow-ssh": {
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        source: ["192.0.2.0/24"],
        destination: "*",
        ports: 22,
      },
      rdp: {
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        source: "198.51.100.0/24",
        destination: "*",
        ports: 3389,
        priority: 300,
      },
      "allow-http": {
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        source: "Internet",
        destination: "*",
        ports: 80,
      },
      "allow-https": {
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        source: "Internet",
        destination: "*",
        ports: 443,
      },
      "allow-lb-probe": {
        direction: "Inbound",
        access: "Allow",
        protocol: "*",
        source: "AzureLoadBalancer",
        destination: "*",
        ports: "*",
      },
      "deny-lateral": {
        direction: "Inbound",
        access: "Deny",
        protocol: "*",
        source: ["10.1.0.0/22", "10.2.0.0/22"],
        destination: "*",
        ports: "*",
      },
      "deny-all-inbound": {
        direction: "Inbound",
        access: "Deny",
        protocol: "*",
        source: "*",
        destination: "*",
        ports: "*",
        priority: 4096,
      },
    });
    expect(denyLateral("VirtualNetwork")["deny-lateral"]?.source).toBe("VirtualNetwork");
  });
});
