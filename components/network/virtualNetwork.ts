/**
 * A virtual network with standalone subnets and explicit egress.
 *
 * Subnets are separate resources, never inline on the VNet: inline and standalone subnets fight, and a
 * VNet update has deleted subnets (pulumi-azure-native #74). Subnets of one VNet are created one after
 * another because parallel subnet writes fail with AnotherOperationInProgress.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network/index.js";
import { parsePrefix } from "../../src/cidr/address.ts";
import { throwProblems } from "../../src/errors.ts";
import type { Problem } from "../../src/errors.ts";
import {
  addressSpaceProblems,
  isSpecialSubnet,
  layoutProblems,
  subnetNameProblems,
  subnetRequestProblems,
} from "../../src/planner/subnetRules.ts";
import { PublicIp } from "./publicIp.ts";

/** How instances reach the internet. Subnets never get Azure's implicit default outbound access. */
export type OutboundMode = "natGateway" | "loadBalancer" | "none";

export interface SubnetSpec {
  /** Planned IPv4 CIDR; must lie inside `addressSpace`. Required. */
  readonly cidr: string;
  /** Planned IPv6 /64; requires `ipv6AddressSpace` on the VNet. Defaults to none (IPv4 only). */
  readonly ipv6Cidr?: string;
  /** NSG to associate. Defaults to none. Not allowed on special subnets (GatewaySubnet, AzureBastionSubnet, ...). */
  readonly nsgId?: pulumi.Input<string>;
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

export interface VirtualNetworkArgs {
  /** Resource group of the VNet and everything in it. Required. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region. Required. */
  readonly location: pulumi.Input<string>;
  /** Planned IPv4 address space (CIDRs). Required, at least one. */
  readonly addressSpace: readonly string[];
  /** Planned IPv6 address space for dual stack. Defaults to none (IPv4 only). */
  readonly ipv6AddressSpace?: readonly string[];
  /** Subnets keyed by Azure subnet name. Defaults to none. Special names keep their exact spelling. */
  readonly subnets?: Readonly<Record<string, SubnetSpec>>;
  /**
   * Egress: `natGateway` creates a Standard public IP and a NAT gateway for the ordinary subnets;
   * `loadBalancer` leaves egress to load balancer outbound rules (see ScaleSet); `none` means no internet egress.
   * Required, no default, so egress is always a deliberate choice.
   */
  readonly outbound: OutboundMode;
  /** Tags for every resource. Defaults to none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Key path of these args in the stack config, used in error messages. Defaults to `azlab:network`. */
  readonly configPath?: string;
}

/** One subnet with its defaults applied. */
export interface SubnetSettings {
  readonly key: string;
  readonly cidr: string;
  readonly ipv6Cidr?: string;
  readonly nsgId?: pulumi.Input<string>;
  readonly serviceEndpoints: readonly string[];
  readonly delegation?: string;
  readonly natGatewayEnabled: boolean;
  readonly special: boolean;
}

/** The args with every default applied; subnets in creation order (sorted by key). */
export interface VirtualNetworkSettings {
  readonly addressSpace: readonly string[];
  readonly ipv6AddressSpace: readonly string[];
  readonly subnets: readonly SubnetSettings[];
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

/** Validates and applies defaults in one place; never throws. */
export function virtualNetworkSettings(args: VirtualNetworkArgs): {
  settings: VirtualNetworkSettings;
  problems: Problem[];
} {
  const root = args.configPath ?? "azlab:network";
  const problems: Problem[] = [];
  const outbound = args.outbound;
  problems.push(...outboundModeProblems(outbound, `${root}.outbound`));
  // Azure's IPv4 rules live in the planner (src/planner/subnetRules.ts); this adds only what the
  // component's args add: separate IPv4 and IPv6 address spaces and an IPv6 /64 per subnet.
  const addressSpace = args.addressSpace ?? [];
  const ipv6AddressSpace = args.ipv6AddressSpace ?? [];
  const spaceProblems = [
    ...addressSpaceProblems({ [root]: { path: root, addressSpace } }),
    ...versionProblems(addressSpace, 4, `${root}.addressSpace`),
    ...versionProblems(ipv6AddressSpace, 6, `${root}.ipv6AddressSpace`),
  ];
  problems.push(...spaceProblems);

  const subnets: SubnetSettings[] = [];
  // Subnet CIDRs for `layoutProblems`; IPv6 ones keyed `NAME.ipv6Cidr`, so their problems get that path.
  const ipv4Layout: Record<string, string> = {};
  const ipv6Layout: Record<string, string> = {};
  for (const key of Object.keys(args.subnets ?? {}).sort()) {
    const spec = (args.subnets ?? {})[key]!;
    const path = `${root}.subnets.${key}`;
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
      problems.push(...subnetRequestProblems(key, { cidr: spec.cidr }, path, undefined));
      ipv4Layout[key] = spec.cidr;
    }
    if (spec.ipv6Cidr !== undefined) {
      const found = ipv6SubnetProblems(key, spec.ipv6Cidr, path, ipv6AddressSpace.length > 0, root);
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
        message: `needs ${root}.outbound to be "natGateway"`,
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
          ipv4: { path: root, addressSpace, subnets: ipv4Layout },
          ipv6: { path: root, addressSpace: ipv6AddressSpace, subnets: ipv6Layout },
        },
        [],
      ),
    );
  }
  return {
    settings: {
      addressSpace: [...addressSpace],
      ipv6AddressSpace: [...ipv6AddressSpace],
      subnets,
      outbound,
    },
    problems,
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
function ipv6SubnetProblems(
  key: string,
  ipv6Cidr: string,
  path: string,
  hasSpace: boolean,
  root: string,
): Problem[] {
  const fieldPath = `${path}.ipv6Cidr`;
  if (!hasSpace) {
    return [
      {
        path: fieldPath,
        message: "needs an IPv6 address space on the VNet",
        value: ipv6Cidr,
        allowed: `set ${root}.ipv6AddressSpace, or leave ipv6Cidr out`,
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

export class VirtualNetwork extends pulumi.ComponentResource {
  /** Azure resource id of the VNet. */
  readonly vnetId: pulumi.Output<string>;
  /** Azure name of the VNet. */
  readonly name: pulumi.Output<string>;
  /** Azure resource ids of the subnets, keyed by subnet name. */
  readonly subnetIds: Record<string, pulumi.Output<string>>;
  /** The egress mode, as plain text so the plan can say which egress is used. */
  readonly outbound: OutboundMode;
  /** Azure resource id of the NAT gateway; only when `outbound` is `natGateway`. */
  readonly natGatewayId?: pulumi.Output<string>;

  constructor(name: string, args: VirtualNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("azlab:network:VirtualNetwork", name, {}, opts);
    const { settings, problems } = virtualNetworkSettings(args);
    throwProblems(problems, undefined, `VirtualNetwork "${name}" has invalid arguments:`);
    this.outbound = settings.outbound;

    const vnet = new network.VirtualNetwork(
      `${name}-vnet`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        addressSpace: { addressPrefixes: [...settings.addressSpace, ...settings.ipv6AddressSpace] },
        // No `subnets` here on purpose: since API 2023-11-01 leaving it out keeps the standalone subnets.
        tags: args.tags,
      },
      { parent: this },
    );

    let natGatewayId: pulumi.Output<string> | undefined;
    if (settings.outbound === "natGateway") {
      const ip = new PublicIp(
        `${name}-natgw-ip`,
        { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags },
        { parent: this },
      );
      const natGateway = new network.NatGateway(
        `${name}-natgw`,
        {
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          sku: { name: "Standard" },
          idleTimeoutInMinutes: 4,
          publicIpAddresses: [{ id: ip.publicIpId }],
          tags: args.tags,
        },
        { parent: this },
      );
      natGatewayId = natGateway.id;
      this.natGatewayId = natGatewayId;
    }

    this.subnetIds = {};
    let previous: network.Subnet | undefined;
    for (const subnet of settings.subnets) {
      const created: network.Subnet = new network.Subnet(
        `${name}-${subnet.key}`,
        {
          resourceGroupName: args.resourceGroupName,
          virtualNetworkName: vnet.name,
          subnetName: subnet.key,
          ...(subnet.ipv6Cidr !== undefined
            ? { addressPrefixes: [subnet.cidr, subnet.ipv6Cidr] }
            : { addressPrefix: subnet.cidr }),
          // Egress only through what `outbound` chose; Azure cannot change this after creation.
          defaultOutboundAccess: false,
          // NSGs and route tables also apply to private endpoints in this subnet.
          privateEndpointNetworkPolicies: "Enabled",
          privateLinkServiceNetworkPolicies: "Enabled",
          ...(subnet.nsgId !== undefined ? { networkSecurityGroup: { id: subnet.nsgId } } : {}),
          ...(subnet.natGatewayEnabled && natGatewayId !== undefined
            ? { natGateway: { id: natGatewayId } }
            : {}),
          ...(subnet.serviceEndpoints.length > 0
            ? { serviceEndpoints: subnet.serviceEndpoints.map((service) => ({ service })) }
            : {}),
          ...(subnet.delegation !== undefined
            ? { delegations: [{ name: "delegation", serviceName: subnet.delegation }] }
            : {}),
        },
        // One subnet write at a time per VNet (AnotherOperationInProgress).
        { parent: this, dependsOn: previous ? [previous] : [] },
      );
      this.subnetIds[subnet.key] = created.id;
      previous = created;
    }

    this.vnetId = vnet.id;
    this.name = vnet.name;
    this.registerOutputs({
      vnetId: this.vnetId,
      name: this.name,
      subnetIds: this.subnetIds,
      outbound: this.outbound,
      natGatewayId: this.natGatewayId,
    });
  }
}
