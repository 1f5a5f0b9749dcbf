/**
 * AKS network sizing and validation: pure checks that run before anything is deployed, because AKS
 * reports a subnet that is too small or an overlapping range only after minutes of provisioning.
 */
import type { Problem } from "../errors.ts";
import {
  ADDRESS_BITS,
  blockSize,
  contains,
  formatAddress,
  formatPrefix,
  inputText,
  lastAddress,
  overlaps,
  parseAddress,
  parsePrefix,
  toPrefix,
  type IpVersion,
  type Prefix,
  type PrefixInput,
} from "../cidr/address.ts";

/**
 * How pods get addresses.
 * - `azure-cni-overlay`: pods get addresses from `podCidr`, a /24 per node; the subnet holds only nodes.
 * - `azure-cni`: flat network; every pod takes an address of the node subnet, reserved up front per node.
 * - `kubenet`: like overlay for sizing: a /24 of `podCidr` per node, the subnet holds only nodes.
 */
export type AksNetworkPlugin = "azure-cni-overlay" | "azure-cni" | "kubenet";

/** Addresses Azure keeps in every subnet: the first four and the last. */
export const AZURE_RESERVED_ADDRESSES = 5;

/** The maxPods range AKS accepts per node. */
export const AKS_MAX_PODS_RANGE = { min: 10, max: 250 } as const;

/** The most nodes one AKS cluster may have. */
export const AKS_MAX_NODES = 5000;

/** Ranges AKS keeps for itself; the pod and service CIDRs must not overlap them. */
export const AKS_RESERVED_CIDRS: readonly string[] = [
  "169.254.0.0/16",
  "172.30.0.0/16",
  "172.31.0.0/16",
  "192.0.2.0/24",
];
const AKS_RESERVED_PREFIXES = AKS_RESERVED_CIDRS.map((text) => parsePrefix(text) as Prefix);

/** Overlay and kubenet give every node this block of the pod CIDR. */
const POD_BLOCK_PER_NODE = 24;

/** The shortest IPv4 service CIDR prefix AKS accepts: the range must be smaller than a /12. */
const MIN_SERVICE_PREFIX_V4 = 13;

/** What decides how many node subnet addresses a cluster needs. */
export interface AksNodeDemand {
  /** How pods get addresses. */
  readonly plugin: AksNetworkPlugin;
  /** Most nodes the cluster may run: the sum of every pool's maximum (the autoscaler's max count when it is on). */
  readonly maxNodes: number;
  /** Extra nodes an upgrade adds at once (the sum of every pool's max surge). */
  readonly maxSurge: number;
  /** Pods per node. */
  readonly maxPods: number;
}

/**
 * Addresses the node subnet must have free after Azure's reserved five.
 * Flat Azure CNI reserves one address per node plus one per possible pod on every node, surge nodes
 * included: (nodes + surge) × (maxPods + 1). Overlay and kubenet need one per node: nodes + surge.
 * @example requiredNodeSubnetAddresses({ plugin: "azure-cni", maxNodes: 50, maxSurge: 1, maxPods: 30 }) // 1581
 */
export function requiredNodeSubnetAddresses(demand: AksNodeDemand): number {
  const nodes = demand.maxNodes + demand.maxSurge;
  return demand.plugin === "azure-cni" ? nodes * (demand.maxPods + 1) : nodes;
}

/**
 * The longest prefix (smallest subnet) whose usable addresses (size − 5) hold `addresses`.
 * @param addresses - Addresses needed after Azure's reserved five.
 * @param version - IP version of the subnet.
 * @throws RangeError when no subnet of that version is large enough.
 * @example smallestPrefixFor(1581, 4) // 21
 */
export function smallestPrefixFor(addresses: number, version: IpVersion): number {
  const needed = BigInt(Math.max(0, Math.ceil(addresses))) + BigInt(AZURE_RESERVED_ADDRESSES);
  for (let length = ADDRESS_BITS[version]; length >= 0; length--) {
    if (blockSize(version, length) >= needed) return length;
  }
  throw new RangeError(`no IPv${version} subnet holds ${addresses} addresses`);
}

/** The AKS network settings to check, with the surrounding address plan. */
export interface AksNetworkInput {
  /** Key path of the AKS config for problems, for example `azlab:aks`. */
  readonly path: string;
  /** How pods get addresses. */
  readonly plugin: AksNetworkPlugin;
  /** The node subnet's CIDR. */
  readonly nodeSubnetCidr: PrefixInput;
  /** Most nodes the cluster may run: the sum of every pool's maximum. */
  readonly maxNodes: number;
  /** Extra nodes an upgrade adds at once, summed over pools. */
  readonly maxSurge: number;
  /** Pods per node (the largest of the pools when they differ). */
  readonly maxPods: number;
  /** Pod CIDR for overlay and kubenet. Ignored for flat azure-cni, whose pods use the node subnet. */
  readonly podCidr?: PrefixInput;
  /** Range for Kubernetes service cluster IPs. */
  readonly serviceCidr: PrefixInput;
  /** Cluster IP of kube-dns, inside `serviceCidr`. */
  readonly dnsServiceIp: string;
  /** Address space of the VNet that holds the node subnet. */
  readonly vnetAddressSpace: readonly PrefixInput[];
  /** Other ranges in use (peered VNets, on-premises networks) that pods and services must not shadow. */
  readonly reservedCidrs: readonly PrefixInput[];
}

interface NamedRange {
  /** How the range is described in a message, for example `the VNet address space 10.0.0.0/16`. */
  readonly label: string;
  readonly prefix: Prefix;
}

const CIDR_ALLOWED = "an IPv4 or IPv6 prefix such as 10.0.0.0/16 or fd00::/48";

/** `1 node`, `2 nodes`, `1 address`, `2 addresses`. */
function plural(count: number, word: string): string {
  return `${count} ${count === 1 ? word : word.endsWith("s") ? `${word}es` : `${word}s`}`;
}

function isWholeNumber(value: number, min: number, max = Number.MAX_SAFE_INTEGER): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/**
 * Checks the AKS network settings: node subnet size, pod and service CIDRs, the DNS service IP and maxPods.
 * @returns Every problem found, each with a path `${input.path}.<field>`; empty when the settings are valid.
 */
export function checkAksNetwork(input: AksNetworkInput): Problem[] {
  const problems: Problem[] = [];
  const at = (field: string): string => `${input.path}.${field}`;
  const parseField = (field: string, input: PrefixInput): Prefix | undefined => {
    const prefix = toPrefix(input);
    if (!prefix) {
      problems.push({
        path: at(field),
        message: "not a valid CIDR prefix",
        value: inputText(input),
        allowed: CIDR_ALLOWED,
      });
    }
    return prefix;
  };

  const vnet = input.vnetAddressSpace.map((text, i) => parseField(`vnetAddressSpace[${i}]`, text));
  const reserved = input.reservedCidrs.map((text, i) => parseField(`reservedCidrs[${i}]`, text));
  const outside: NamedRange[] = [
    ...vnet.flatMap((prefix) =>
      prefix ? [{ label: `the VNet address space ${formatPrefix(prefix)}`, prefix }] : [],
    ),
    ...reserved.flatMap((prefix) =>
      prefix ? [{ label: `the reserved range ${formatPrefix(prefix)}`, prefix }] : [],
    ),
    ...AKS_RESERVED_PREFIXES.map((prefix) => ({
      label: `the range ${formatPrefix(prefix)} that AKS reserves`,
      prefix,
    })),
  ];

  const numbersValid = checkNodeNumbers(input, at, problems);

  const nodeSubnet = parseField("nodeSubnetCidr", input.nodeSubnetCidr);
  if (nodeSubnet) {
    checkNodeSubnet(input, nodeSubnet, vnet, numbersValid, at, problems);
  }

  // Flat azure-cni has no pod CIDR; config defaults may still carry one, so it is ignored rather than refused.
  const podCidr =
    input.plugin !== "azure-cni" && input.podCidr !== undefined
      ? parseField("podCidr", input.podCidr)
      : undefined;
  const serviceCidr = parseField("serviceCidr", input.serviceCidr);

  if (podCidr) {
    const clashes = [
      ...outside,
      ...(serviceCidr
        ? [{ label: `the service CIDR ${formatPrefix(serviceCidr)}`, prefix: serviceCidr }]
        : []),
    ];
    pushOverlaps(
      "podCidr",
      inputText(input.podCidr ?? ""),
      podCidr,
      clashes,
      "the VNet address space, the reserved ranges and the service CIDR",
      at,
      problems,
    );
    if (numbersValid) checkPodCidrSize(input, podCidr, at, problems);
  }

  if (serviceCidr) {
    if (serviceCidr.version === 4 && serviceCidr.length < MIN_SERVICE_PREFIX_V4) {
      problems.push({
        path: at("serviceCidr"),
        message: "is too large: AKS needs a service CIDR smaller than a /12",
        value: inputText(input.serviceCidr),
        allowed: `a prefix length of /${MIN_SERVICE_PREFIX_V4} or longer, such as 10.0.0.0/16`,
      });
    }
    pushOverlaps(
      "serviceCidr",
      inputText(input.serviceCidr),
      serviceCidr,
      outside,
      "the VNet address space and the reserved ranges",
      at,
      problems,
    );
    checkDnsServiceIp(input, serviceCidr, at, problems);
  }
  return problems;
}

/** Validates maxPods, maxNodes and maxSurge; returns true when all three can be used for sizing. */
function checkNodeNumbers(
  input: AksNetworkInput,
  at: (field: string) => string,
  problems: Problem[],
): boolean {
  const before = problems.length;
  if (!isWholeNumber(input.maxPods, AKS_MAX_PODS_RANGE.min, AKS_MAX_PODS_RANGE.max)) {
    problems.push({
      path: at("maxPods"),
      message: "is outside the range AKS accepts",
      value: input.maxPods,
      allowed: `an integer from ${AKS_MAX_PODS_RANGE.min} to ${AKS_MAX_PODS_RANGE.max}`,
    });
  }
  if (!isWholeNumber(input.maxNodes, 1, AKS_MAX_NODES)) {
    problems.push({
      path: at("maxNodes"),
      message: "is outside the range AKS accepts for one cluster",
      value: input.maxNodes,
      allowed: `an integer from 1 to ${AKS_MAX_NODES}`,
    });
  }
  if (!isWholeNumber(input.maxSurge, 0, AKS_MAX_NODES)) {
    problems.push({
      path: at("maxSurge"),
      message: "must be a whole number of nodes",
      value: input.maxSurge,
      allowed: `an integer from 0 to ${AKS_MAX_NODES}`,
    });
  }
  return problems.length === before;
}

function checkNodeSubnet(
  input: AksNetworkInput,
  subnet: Prefix,
  vnet: readonly (Prefix | undefined)[],
  numbersValid: boolean,
  at: (field: string) => string,
  problems: Problem[],
): void {
  const spaces = vnet.filter((prefix): prefix is Prefix => prefix !== undefined);
  if (spaces.length > 0 && !spaces.some((space) => contains(space, subnet))) {
    problems.push({
      path: at("nodeSubnetCidr"),
      message: "is not inside the VNet address space",
      value: inputText(input.nodeSubnetCidr),
      allowed: `a prefix inside ${spaces.map(formatPrefix).join(" or ")}`,
    });
  }
  if (!numbersValid) return;
  const required = requiredNodeSubnetAddresses(input);
  const usable = blockSize(subnet.version, subnet.length) - BigInt(AZURE_RESERVED_ADDRESSES);
  if (usable >= BigInt(required)) return;
  const demand =
    input.plugin === "azure-cni"
      ? `(${plural(input.maxNodes, "node")} + ${input.maxSurge} surge) × (${input.maxPods} pods + 1)`
      : `${plural(input.maxNodes, "node")} + ${input.maxSurge} surge`;
  problems.push({
    path: at("nodeSubnetCidr"),
    message: `is too small: ${input.plugin} needs ${plural(required, "address")} for ${demand}, but a /${subnet.length} has ${usable < 0n ? 0n : usable} usable`,
    value: inputText(input.nodeSubnetCidr),
    allowed: `a /${smallestPrefixFor(required, subnet.version)} or larger`,
  });
}

/** Overlay and kubenet carve a /24 per node, surge nodes included, out of the pod CIDR. */
function checkPodCidrSize(
  input: AksNetworkInput,
  podCidr: Prefix,
  at: (field: string) => string,
  problems: Problem[],
): void {
  if (podCidr.version !== 4) return;
  const nodes = input.maxNodes + input.maxSurge;
  const blocks = podCidr.length <= POD_BLOCK_PER_NODE ? 1 << (POD_BLOCK_PER_NODE - podCidr.length) : 0;
  if (blocks >= nodes) return;
  const needed = POD_BLOCK_PER_NODE - Math.ceil(Math.log2(nodes));
  problems.push({
    path: at("podCidr"),
    message: `is too small: ${input.plugin} gives a /24 to each of ${plural(nodes, "node")} (${input.maxNodes} + ${input.maxSurge} surge), but a /${podCidr.length} holds ${blocks}`,
    value: inputText(input.podCidr ?? podCidr),
    allowed: `a /${needed} or larger`,
  });
}

function pushOverlaps(
  field: string,
  text: string,
  prefix: Prefix,
  ranges: readonly NamedRange[],
  avoid: string,
  at: (field: string) => string,
  problems: Problem[],
): void {
  // A range listed twice (the same space in two VNets) is reported once.
  const seen = new Set<string>();
  for (const range of ranges) {
    if (overlaps(prefix, range.prefix) && !seen.has(range.label)) {
      seen.add(range.label);
      problems.push({
        path: at(field),
        message: `overlaps ${range.label}`,
        value: text,
        allowed: `a range outside ${avoid}`,
      });
    }
  }
}

/**
 * The DNS service IP must be a cluster IP Kubernetes can hand out: inside the service CIDR, not the network
 * address, not the first address (Kubernetes gives it to the `kubernetes` API service) and, for IPv4, not the
 * broadcast address, which Kubernetes never allocates.
 */
function checkDnsServiceIp(
  input: AksNetworkInput,
  serviceCidr: Prefix,
  at: (field: string) => string,
  problems: Problem[],
): void {
  const first = serviceCidr.network + 2n;
  const last = lastAddress(serviceCidr) - (serviceCidr.version === 4 ? 1n : 0n);
  const allowed =
    first <= last
      ? `an address from ${formatAddress(serviceCidr.version, first)} to ${formatAddress(serviceCidr.version, last)}`
      : `an address in a service CIDR larger than ${formatPrefix(serviceCidr)}`;
  const address = parseAddress(input.dnsServiceIp);
  if (!address) {
    problems.push({
      path: at("dnsServiceIp"),
      message: "not a valid IP address",
      value: input.dnsServiceIp,
      allowed,
    });
    return;
  }
  const cidr = formatPrefix(serviceCidr);
  if (
    address.version !== serviceCidr.version ||
    address.value < serviceCidr.network ||
    address.value > lastAddress(serviceCidr)
  ) {
    problems.push({
      path: at("dnsServiceIp"),
      message: `is outside the service CIDR ${cidr}`,
      value: input.dnsServiceIp,
      allowed,
    });
  } else if (address.value === serviceCidr.network) {
    problems.push({
      path: at("dnsServiceIp"),
      message: `is the network address of the service CIDR ${cidr}`,
      value: input.dnsServiceIp,
      allowed,
    });
  } else if (address.value === serviceCidr.network + 1n) {
    problems.push({
      path: at("dnsServiceIp"),
      message: `is the first address of the service CIDR ${cidr}, which Kubernetes gives to the kubernetes API service`,
      value: input.dnsServiceIp,
      allowed,
    });
  } else if (address.value > last) {
    problems.push({
      path: at("dnsServiceIp"),
      message: `is the broadcast address of the service CIDR ${cidr}`,
      value: input.dnsServiceIp,
      allowed,
    });
  }
}
