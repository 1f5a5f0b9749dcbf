/**
 * Defaults and validation for the VirtualNetwork component. Azure's IPv4 subnet rules live in the planner
 * (src/planner/subnetRules.ts) so that `azlab plan` and the component agree; this adds what the
 * component's arguments add: separate IPv4 and IPv6 address spaces, an IPv6 /64 per subnet, NSG and NAT
 * gateway attachment, service endpoints, delegations and Azure names.
 */
import { parsePrefix } from "../cidr/address.ts";
import type { Problem } from "../errors.ts";
import {
  addressSpaceProblems,
  isSpecialSubnet,
  layoutProblems,
  subnetNameProblems,
  subnetRequestProblems,
} from "../planner/subnetRules.ts";
import { relative, ROOT } from "./checks.ts";
import { resolveAzureName, resolveNameParts, type AzureNaming } from "./names.ts";

/** How instances reach the internet. Subnets never get Azure's implicit default outbound access. */
export type OutboundMode = "natGateway" | "loadBalancer" | "none";

/** One subnet. `Ref` is how the caller refers to an NSG (a Pulumi input in the component). */
export interface SubnetOptions<Ref = unknown> {
  /** Planned IPv4 CIDR; must lie inside `addressSpace`. Required. */
  readonly cidr: string;
  /** Planned IPv6 /64; requires `ipv6AddressSpace` on the VNet. Defaults to none (IPv4 only). */
  readonly ipv6Cidr?: string;
  /** NSG to associate. Defaults to none. Not allowed on special subnets (GatewaySubnet, AzureBastionSubnet, ...). */
  readonly nsgId?: Ref;
  /** Route table to associate. Defaults to none. Not allowed on special subnets (AzureBastionSubnet takes no UDRs). */
  readonly routeTableId?: Ref;
  /** Service endpoints such as `Microsoft.Storage`. Defaults to none. */
  readonly serviceEndpoints?: readonly string[];
  /** Service to delegate the subnet to, e.g. `Microsoft.ContainerInstance/containerGroups`. Defaults to none. */
  readonly delegation?: string;
  /**
   * Route egress through the VNet's NAT gateway. Defaults to true on ordinary subnets when `outbound` is
   * `natGateway`, false otherwise. Setting it true conflicts with any other `outbound` and with special subnets.
   */
  readonly natGatewayEnabled?: boolean;
}

/** The plain (non-Output) settings of a VirtualNetwork. */
export interface VirtualNetworkOptions<Ref = unknown> extends AzureNaming {
  /** Azure name of the VNet. Defaults to `vnet-<nameParts>`; the NAT gateway and its IP follow the same parts. */
  readonly vnetName?: string;
  /** Planned IPv4 address space (CIDRs). Required, at least one. */
  readonly addressSpace: readonly string[];
  /** Planned IPv6 address space for dual stack. Defaults to none (IPv4 only). */
  readonly ipv6AddressSpace?: readonly string[];
  /** Subnets keyed by Azure subnet name. Defaults to none. Special names keep their exact spelling. */
  readonly subnets?: Readonly<Record<string, SubnetOptions<Ref>>>;
  /**
   * Egress: `natGateway` creates a Standard public IP and a NAT gateway for the ordinary subnets;
   * `loadBalancer` leaves egress to load balancer outbound rules (see ScaleSet); `none` means no internet egress.
   * Required, no default, so egress is always a deliberate choice.
   */
  readonly outbound: OutboundMode;
}

/** One subnet with its defaults applied. */
export interface NormalizedSubnet<Ref = unknown> {
  readonly key: string;
  readonly cidr: string;
  readonly ipv6Cidr?: string;
  readonly nsgId?: Ref;
  readonly routeTableId?: Ref;
  readonly serviceEndpoints: readonly string[];
  readonly delegation?: string;
  readonly natGatewayEnabled: boolean;
  readonly special: boolean;
}

/** The options with every default applied; subnets in creation order (sorted by key). */
export interface NormalizedVirtualNetwork<Ref = unknown> {
  readonly vnetName: string;
  /** Azure names of the NAT gateway and its public IP; only when `outbound` is `natGateway`. */
  readonly natGateway?: { readonly natGatewayName: string; readonly publicIpName: string };
  readonly addressSpace: readonly string[];
  readonly ipv6AddressSpace: readonly string[];
  readonly subnets: readonly NormalizedSubnet<Ref>[];
  readonly outbound: OutboundMode;
}

const OUTBOUND_MODES: readonly string[] = ["natGateway", "loadBalancer", "none"];

/** Refuses anything but an OutboundMode; the VNet and the ScaleSet both take one. */
export function outboundModeProblems(outbound: string, path: string): Problem[] {
  if (OUTBOUND_MODES.includes(outbound)) return [];
  return [
    {
      path,
      message: "is not an egress mode",
      value: outbound,
      allowed: OUTBOUND_MODES.map((mode) => JSON.stringify(mode)).join(", "),
    },
  ];
}

/** Applies defaults and validates. Returns the settings, or every problem found. */
export function normalizeVirtualNetwork<Ref>(
  args: VirtualNetworkOptions<Ref>,
  componentName: string,
): { value: NormalizedVirtualNetwork<Ref>; problems: [] } | { value?: undefined; problems: Problem[] } {
  const { parts, problems } = resolveNameParts(args, componentName);
  const vnetName = resolveAzureName("virtualNetwork", args.vnetName, "vnetName", parts, problems);
  const outbound = args.outbound;
  problems.push(...outboundModeProblems(outbound, "outbound"));
  // Azure's IPv4 rules live in the planner (src/planner/subnetRules.ts); this adds only what the
  // component's args add: separate IPv4 and IPv6 address spaces and an IPv6 /64 per subnet.
  const addressSpace = args.addressSpace ?? [];
  const ipv6AddressSpace = args.ipv6AddressSpace ?? [];
  const spaceProblems = [
    ...addressSpaceProblems({ [ROOT]: { path: ROOT, addressSpace } }).map(relative),
    ...versionProblems(addressSpace, 4, "addressSpace"),
    ...versionProblems(ipv6AddressSpace, 6, "ipv6AddressSpace"),
  ];
  problems.push(...spaceProblems);

  const subnets: NormalizedSubnet<Ref>[] = [];
  // Subnet CIDRs for `layoutProblems`; IPv6 ones keyed `NAME.ipv6Cidr`, so their problems get that path.
  const ipv4Layout: Record<string, string> = {};
  const ipv6Layout: Record<string, string> = {};
  for (const key of Object.keys(args.subnets ?? {}).sort()) {
    const spec = (args.subnets ?? {})[key]!;
    const path = `subnets.${key}`;
    const special = isSpecialSubnet(key);
    problems.push(...subnetNameProblems(key, path));
    if (parsePrefix(spec.cidr)?.version === 6) {
      problems.push({
        path: `${path}.cidr`,
        message: "is an IPv6 CIDR",
        value: spec.cidr,
        allowed: "a planned IPv4 CIDR such as 10.1.0.0/24; put the IPv6 /64 in ipv6Cidr",
      });
    } else {
      // A `cidr` request never needs the VNet's largest range, hence no range here.
      problems.push(...subnetRequestProblems(key, { cidr: spec.cidr }, path, undefined).map(relative));
      ipv4Layout[key] = spec.cidr;
    }
    if (spec.ipv6Cidr !== undefined) {
      const found = ipv6SubnetProblems(key, spec.ipv6Cidr, path, ipv6AddressSpace.length > 0);
      problems.push(...found);
      if (found.length === 0) ipv6Layout[`${key}.ipv6Cidr`] = spec.ipv6Cidr;
    }
    if (special && spec.nsgId !== undefined) {
      problems.push({
        path: `${path}.nsgId`,
        message: `must not be set: azlab associates no NSG with ${key}`,
        allowed: "no nsgId on special subnets",
      });
    }
    if (special && spec.routeTableId !== undefined) {
      problems.push({
        path: `${path}.routeTableId`,
        message: `must not be set: azlab associates no route table with ${key}`,
        allowed: "no routeTableId on special subnets",
      });
    }
    if (spec.natGatewayEnabled === true && special) {
      problems.push({
        path: `${path}.natGatewayEnabled`,
        message: `must not be true on ${key}`,
        value: true,
        allowed: "false or unset",
      });
    } else if (spec.natGatewayEnabled === true && outbound !== "natGateway") {
      problems.push({
        path: `${path}.natGatewayEnabled`,
        message: `needs outbound to be "natGateway"`,
        value: true,
        allowed: `false or unset while outbound is ${JSON.stringify(outbound)}`,
      });
    }
    for (const endpoint of spec.serviceEndpoints ?? []) {
      if (!/^Microsoft\.[A-Za-z]+(?:\.[A-Za-z]+)*$/.test(endpoint)) {
        problems.push({
          path: `${path}.serviceEndpoints`,
          message: "has an invalid service endpoint",
          value: endpoint,
          allowed: "names such as Microsoft.Storage or Microsoft.KeyVault",
        });
      }
    }
    if (
      spec.delegation !== undefined &&
      !/^[A-Za-z]+(?:\.[A-Za-z]+)+\/[A-Za-z]+(?:\/[A-Za-z]+)*$/.test(spec.delegation)
    ) {
      problems.push({
        path: `${path}.delegation`,
        message: "is not a service name",
        value: spec.delegation,
        allowed: "a name such as Microsoft.ContainerInstance/containerGroups",
      });
    }
    subnets.push({
      key,
      cidr: spec.cidr,
      ...(spec.ipv6Cidr !== undefined ? { ipv6Cidr: spec.ipv6Cidr } : {}),
      ...(spec.nsgId !== undefined && !special ? { nsgId: spec.nsgId } : {}),
      ...(spec.routeTableId !== undefined && !special ? { routeTableId: spec.routeTableId } : {}),
      serviceEndpoints: [...(spec.serviceEndpoints ?? [])],
      ...(spec.delegation !== undefined ? { delegation: spec.delegation } : {}),
      natGatewayEnabled: !special && outbound === "natGateway" && spec.natGatewayEnabled !== false,
      special,
    });
  }
  // Containment and overlap; like the planner, only once the address spaces are sound.
  if (spaceProblems.length === 0) {
    problems.push(
      ...layoutProblems(
        {
          ipv4: { path: ROOT, addressSpace, subnets: ipv4Layout },
          ipv6: { path: ROOT, addressSpace: ipv6AddressSpace, subnets: ipv6Layout },
        },
        [],
      ).map(relative),
    );
  }
  const natGateway =
    outbound === "natGateway"
      ? {
          natGatewayName: resolveAzureName("natGateway", undefined, "", parts, problems),
          publicIpName: resolveAzureName("publicIp", undefined, "", parts, problems, "ng"),
        }
      : undefined;
  if (problems.length > 0) return { problems };
  return {
    value: {
      vnetName,
      ...(natGateway ? { natGateway } : {}),
      addressSpace: [...addressSpace],
      ipv6AddressSpace: [...ipv6AddressSpace],
      subnets,
      outbound,
    },
    problems: [],
  };
}

/** Entries of an address space that are not CIDRs of `version`; `addressSpaceProblems` reports invalid IPv4 ones. */
function versionProblems(cidrs: readonly string[], version: 4 | 6, path: string): Problem[] {
  return cidrs.flatMap((cidr, i) => {
    const prefix = parsePrefix(cidr);
    if (prefix ? prefix.version === version : version === 4) return [];
    return [
      {
        path: `${path}[${i}]`,
        message: `is not an IPv${version} CIDR`,
        value: cidr,
        allowed:
          version === 4
            ? "IPv4 CIDRs; IPv6 ranges go in ipv6AddressSpace"
            : "IPv6 CIDRs such as fd00:db8::/48",
      },
    ];
  });
}

/** Checks a subnet's `ipv6Cidr`: the VNet has IPv6 space, it is IPv6, and the planner's rules (host bits clear, /64). */
function ipv6SubnetProblems(key: string, ipv6Cidr: string, path: string, hasSpace: boolean): Problem[] {
  const fieldPath = `${path}.ipv6Cidr`;
  if (!hasSpace) {
    return [
      {
        path: fieldPath,
        message: "needs an IPv6 address space on the VNet",
        value: ipv6Cidr,
        allowed: "set ipv6AddressSpace, or leave ipv6Cidr out",
      },
    ];
  }
  if (parsePrefix(ipv6Cidr)?.version !== 6) {
    return [{ path: fieldPath, message: "is not an IPv6 CIDR", value: ipv6Cidr, allowed: "an IPv6 /64" }];
  }
  // The planner names the field `cidr`; here it is `ipv6Cidr`.
  return subnetRequestProblems(key, { cidr: ipv6Cidr }, path, undefined).map((p) => ({
    ...p,
    path: fieldPath,
  }));
}
