/**
 * `azlab cidr ...`: Terraform's CIDR functions on the command line, to check an address plan by hand.
 */
import type { Command } from "commander";
import { cidrHost, cidrNetmask, cidrSubnet, cidrSubnets } from "../../cidr/terraform.ts";
import { UserError } from "../../errors.ts";

/** Parses a whole-number argument strictly: `1.5`, `1e3`, `0x10` and `abc` are refused, not truncated. */
function parseInteger(text: string, argument: string): bigint {
  if (!/^-?\d+$/.test(text)) {
    throw new UserError(
      `${argument}: must be a whole number (got ${JSON.stringify(text)}; allowed: an integer such as 4 or -4)`,
    );
  }
  return BigInt(text);
}

function printLines(lines: readonly string[]): void {
  process.stdout.write(lines.map((line) => `${line}\n`).join(""));
}

function example(...lines: string[]): string {
  return `\nExample:\n${lines.map((line) => `  ${line}`).join("\n")}`;
}

/** Registers `azlab cidr` with its subcommands `host`, `netmask`, `subnet` and `subnets`. */
export function registerCidrCommand(program: Command): void {
  const cidr = program
    .command("cidr")
    .description("Compute addresses and subnets with the same results as Terraform's cidr* functions.");

  // Commander 14 accepts negative numbers such as -5 as arguments of leaf commands like these.
  cidr
    .command("host")
    .description(
      "Print the address with host number HOSTNUM in PREFIX, like Terraform's cidrhost. " +
        "A negative HOSTNUM counts back from the last address.",
    )
    .argument("<prefix>", "IPv4 or IPv6 prefix, for example 10.12.112.0/20")
    .argument("<hostnum>", "host number; -1 is the last address")
    .addHelpText("after", example("$ azlab cidr host 10.12.112.0/20 268", "10.12.113.12"))
    .action((prefix: string, hostnum: string) => {
      printLines([cidrHost(prefix, parseInteger(hostnum, "hostnum"))]);
    });

  cidr
    .command("netmask")
    .description("Print the netmask of an IPv4 PREFIX, like Terraform's cidrnetmask.")
    .argument("<prefix>", "IPv4 prefix, for example 172.16.0.0/12")
    .addHelpText("after", example("$ azlab cidr netmask 172.16.0.0/12", "255.240.0.0"))
    .action((prefix: string) => {
      printLines([cidrNetmask(prefix)]);
    });

  cidr
    .command("subnet")
    .description("Print subnet NETNUM of PREFIX extended by NEWBITS bits, like Terraform's cidrsubnet.")
    .argument("<prefix>", "IPv4 or IPv6 prefix, for example 172.16.0.0/12")
    .argument("<newbits>", "bits to add to the prefix length")
    .argument("<netnum>", "subnet number, from 0 to 2^NEWBITS - 1")
    .addHelpText("after", example("$ azlab cidr subnet 172.16.0.0/12 4 2", "172.18.0.0/16"))
    .action((prefix: string, newbits: string, netnum: string) => {
      printLines([cidrSubnet(prefix, parseInteger(newbits, "newbits"), parseInteger(netnum, "netnum"))]);
    });

  cidr
    .command("subnets")
    .description(
      "Print consecutive subnets of PREFIX, one per NEWBITS value, like Terraform's cidrsubnets. " +
        "Append values to add subnets; never change earlier ones, or later subnets move.",
    )
    .argument("<prefix>", "IPv4 or IPv6 prefix, for example 10.1.0.0/16")
    .argument("<newbits...>", "bits to add to the prefix length, one value per subnet")
    .addHelpText(
      "after",
      example(
        "$ azlab cidr subnets 10.1.0.0/16 4 4 8 4",
        "10.1.0.0/20",
        "10.1.16.0/20",
        "10.1.32.0/24",
        "10.1.48.0/20",
      ),
    )
    .action((prefix: string, newbits: string[]) => {
      printLines(
        cidrSubnets(prefix, ...newbits.map((value, index) => parseInteger(value, `newbits[${index}]`))),
      );
    });
}
