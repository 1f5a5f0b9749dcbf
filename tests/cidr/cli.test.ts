import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.ts";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process and captures what it writes. */
async function run(...argv: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

describe("azlab cidr", () => {
  it.each([
    [["host", "192.168.1.0/24", "5"], "192.168.1.5\n"],
    // Negative numbers are arguments, not options.
    [["host", "192.168.1.0/24", "-5"], "192.168.1.251\n"],
    [["host", "fd00:fd12:3456:7890:00a2::/72", "34"], "fd00:fd12:3456:7890::22\n"],
    [["host", "fd00::/64", "9223372036854775809"], "fd00::8000:0:0:1\n"],
    [["netmask", "172.16.0.0/12"], "255.240.0.0\n"],
    [["subnet", "172.16.0.0/12", "4", "2"], "172.18.0.0/16\n"],
    [["subnet", "fe80::/48", "16", "6"], "fe80:0:0:6::/64\n"],
    [
      ["subnets", "10.1.0.0/16", "4", "4", "8", "4"],
      "10.1.0.0/20\n10.1.16.0/20\n10.1.32.0/24\n10.1.48.0/20\n",
    ],
    [
      ["subnets", "fd00:fd12:3456:7890::/56", "16", "16", "16", "32"],
      "fd00:fd12:3456:7800::/72\nfd00:fd12:3456:7800:100::/72\nfd00:fd12:3456:7800:200::/72\nfd00:fd12:3456:7800:300::/88\n",
    ],
  ])("azlab cidr %j", async (args, expected) => {
    expect(await run("cidr", ...args)).toEqual({ code: 0, stdout: expected, stderr: "" });
  });

  it.each([
    [
      ["host", "192.168.1.0/24", "1.5"],
      'azlab: hostnum: must be a whole number (got "1.5"; allowed: an integer such as 4 or -4)\n',
    ],
    [
      ["host", "192.168.1.0/24", "abc"],
      'azlab: hostnum: must be a whole number (got "abc"; allowed: an integer such as 4 or -4)\n',
    ],
    [
      ["host", "192.168.1.0/30", "-5"],
      "azlab: hostnum: host number does not fit in 192.168.1.0/30 (got -5; allowed: an integer from -4 to 3)\n",
    ],
    [
      ["host", "10.0.0.300/8", "1"],
      'azlab: prefix: not a valid CIDR prefix (got "10.0.0.300/8"; allowed: an IPv4 or IPv6 prefix such as 10.0.0.0/16 or fd00::/48)\n',
    ],
    [
      ["netmask", "fd00::/48"],
      'azlab: prefix: only IPv4 networks are supported; an IPv6 prefix has no netmask (got "fd00::/48"; allowed: an IPv4 prefix such as 10.0.0.0/16)\n',
    ],
    [
      ["subnet", "10.0.0.0/8", "1e3", "0"],
      'azlab: newbits: must be a whole number (got "1e3"; allowed: an integer such as 4 or -4)\n',
    ],
    [
      ["subnet", "10.0.0.0/8", "-1", "0"],
      "azlab: newbits: must not be negative (got -1; allowed: an integer from 0 to 24)\n",
    ],
    [
      ["subnet", "10.0.0.0/8", "99999999999999999999", "0"],
      "azlab: newbits: would extend 10.0.0.0/8 to /100000000000000000007, longer than an IPv4 address (32 bits) (got 99999999999999999999; allowed: an integer from 0 to 24)\n",
    ],
    [
      ["subnet", "192.168.0.0/16", "2", "4"],
      "azlab: netnum: subnet number does not fit in 2 new bits (got 4; allowed: an integer from 0 to 3)\n",
    ],
    [
      ["subnets", "10.0.0.0/8", "1", "-1"],
      "azlab: newbits[1]: must extend the prefix by at least one bit (got -1; allowed: an integer from 1 to 24)\n",
    ],
    [
      ["subnets", "10.0.0.0/8", "1", "1", "1"],
      "azlab: newbits[2]: not enough remaining address space in 10.0.0.0/8 for a /9 after 10.128.0.0/9 (got 1; allowed: no value: 10.0.0.0/8 is full)\n",
    ],
  ])("azlab cidr %j fails with exit code 1 and no stack trace", async (args, expected) => {
    const result = await run("cidr", ...args);
    expect(result).toEqual({ code: 1, stdout: "", stderr: expected });
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("reports a missing argument through commander with exit code 1", async () => {
    const result = await run("cidr", "host", "10.0.0.0/8");
    const help = await run("cidr", "host", "--help");
    // The error, then the subcommand's own help, all on stderr.
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: `error: missing required argument 'hostnum'\n\n${help.stdout}`,
    });
  });

  it("prints help with a description and an example", async () => {
    expect(await run("cidr", "host", "--help")).toEqual({
      code: 0,
      stderr: "",
      stdout: [
        "Usage: azlab cidr host [options] <prefix> <hostnum>",
        "",
        "Print the address with host number HOSTNUM in PREFIX, like Terraform's cidrhost.",
        "A negative HOSTNUM counts back from the last address.",
        "",
        "Arguments:",
        "  prefix      IPv4 or IPv6 prefix, for example 10.12.112.0/20",
        "  hostnum     host number; -1 is the last address",
        "",
        "Options:",
        "  -h, --help  display help for command",
        "",
        "Example:",
        "  $ azlab cidr host 10.12.112.0/20 268",
        "  10.12.113.12",
        "",
      ].join("\n"),
    });
  });

  // The example in each subcommand's help must be a real run: execute it and compare.
  it.each(["host", "netmask", "subnet", "subnets"])(
    "the help example of `azlab cidr %s` is what it prints",
    async (name) => {
      const help = await run("cidr", name, "--help");
      expect(help.code).toBe(0);
      const example = help.stdout.split("\nExample:\n")[1] ?? "";
      const [command = "", ...output] = example
        .trimEnd()
        .split("\n")
        .map((line) => line.trim());
      expect(command.startsWith(`$ azlab cidr ${name} `)).toBe(true);
      const argv = command.slice("$ azlab ".length).split(" ");
      expect(await run(...argv)).toEqual({
        code: 0,
        stdout: output.map((line) => `${line}\n`).join(""),
        stderr: "",
      });
    },
  );
});
