/**
 * Where each component argument came from in the stack file: maps a validator's argument path
 * (`subnets.web.cidr`) to the `azlab:` key the user wrote, so pre-flight reports problems there.
 */
import type { StackPlan } from "../stack/planStack.ts";

const C = "azlab:";

/** Turns a component argument's path (`subnets.web.cidr`) into the `azlab:` key the user wrote. */
export type KeyMap = (path: string) => string;

/**
 * A KeyMap under `azlab:<section>`. `renames` maps an argument path, or a prefix of one that ends before
 * `.` or `[`, to the key it came from (the longest match wins); `rewrite` handles keyed paths that a
 * prefix cannot express. Every other path keeps its own name under the section.
 */
function keyMap(
  section: string,
  renames: Readonly<Record<string, string>>,
  rewrite: (path: string) => string | undefined = () => undefined,
): KeyMap {
  const prefixes = Object.keys(renames).sort((a, b) => b.length - a.length);
  return (path) => {
    const rewritten = rewrite(path);
    if (rewritten !== undefined) return rewritten;
    for (const from of prefixes) {
      if (path === from || path.startsWith(`${from}.`) || path.startsWith(`${from}[`)) {
        return `${renames[from]}${path.slice(from.length)}`;
      }
    }
    return `${C}${section}.${path}`;
  };
}

/** Environment names are built from the stack's `namePrefix`, its name and the environment key. */
const NAME_PARTS = { nameParts: `${C}namePrefix`, "nameParts[0]": `${C}namePrefix` };

/** The derived SSH rule's sources, which the user wrote under one stack-file key (not under nsg.rules). */
const DERIVED_SSH_SOURCE = "rules.allow-ssh.source";

/**
 * NSG args map to `azlab:nsg.*`, except the sources of the SSH rule azlab derives: the user wrote those
 * as `azlab:nsg.sshSourceCidrs` (or a class's `azlab:class.sourceCidrs`), unless they wrote the rule.
 */
export function nsgKeys(plan: StackPlan): KeyMap {
  const derived = !("allow-ssh" in plan.config.nsg.rules);
  const sshKey = plan.config.environment === "class" ? `${C}class.sourceCidrs` : `${C}nsg.sshSourceCidrs`;
  return keyMap("nsg", NAME_PARTS, (path) =>
    derived && (path === DERIVED_SSH_SOURCE || path.startsWith(`${DERIVED_SSH_SOURCE}[`))
      ? `${sshKey}${path.slice(DERIVED_SSH_SOURCE.length)}`
      : undefined,
  );
}

/** Whether a problem at this NSG arg path is about the derived SSH rule's sources. */
export function isDerivedSshSource(path: string): boolean {
  return path === DERIVED_SSH_SOURCE || path.startsWith(`${DERIVED_SSH_SOURCE}[`);
}

/**
 * A subnet's own NSG: its args map to `azlab:nsg.subnets.<subnet>.*`, except the sources of the derived
 * SSH rule (the scale set's subnet carries it), which map as in `nsgKeys` unless that subnet wrote the rule.
 */
export function subnetNsgKeys(plan: StackPlan, subnet: string): KeyMap {
  const derived = !("allow-ssh" in (plan.config.nsg.subnets[subnet]?.rules ?? {}));
  const sshKey = plan.config.environment === "class" ? `${C}class.sourceCidrs` : `${C}nsg.sshSourceCidrs`;
  return keyMap(`nsg.subnets.${subnet}`, NAME_PARTS, (path) =>
    derived && isDerivedSshSource(path) ? `${sshKey}${path.slice(DERIVED_SSH_SOURCE.length)}` : undefined,
  );
}

export const vnetKeys: KeyMap = keyMap("network", NAME_PARTS);

/** The scale set's args are named after Azure's properties; the stack file uses shorter names. */
export function scaleSetKeys(plan: StackPlan): KeyMap {
  const S = `${C}scaleSet`;
  const ports = plan.config.scaleSet?.loadBalancer.ports ?? [];
  const schedule: Readonly<Record<string, string>> = {
    startHour: "startTime",
    startMinute: "startTime",
    endHour: "endTime",
    endMinute: "endTime",
    minimum: "min",
    maximum: "max",
  };
  return keyMap(
    "scaleSet",
    {
      ...NAME_PARTS,
      sshPublicKey: `${C}adminSshPublicKey`,
      sku: `${S}.vmSize`,
      cloudInit: `${S}.customData`,
      healthProbe: `${S}.loadBalancer.probe`,
      "loadBalancer.zones": `${S}.zones`,
      outbound: `${C}network.outbound`,
      "autoscale.minimum": `${S}.autoscale.min`,
      "autoscale.maximum": `${S}.autoscale.max`,
      "autoscale.scaleOut.cpuThresholdPercent": `${S}.autoscale.scaleOutCpuPercent`,
      "autoscale.scaleIn.cpuThresholdPercent": `${S}.autoscale.scaleInCpuPercent`,
    },
    (path) => {
      // One rule per port, named `port-<n>` by scaleSetArgs; its distribution is shared.
      const rule = /^rules\.port-(\d+)(?:\.(\w+))?$/.exec(path);
      if (rule) {
        if (rule[2] === "loadDistribution") return `${S}.loadBalancer.distribution`;
        return `${S}.loadBalancer.ports[${ports.indexOf(Number(rule[1]))}]`;
      }
      const field = /^autoscale\.schedules\.([^.]+)\.(\w+)$/.exec(path);
      const renamed = field ? schedule[field[2]!] : undefined;
      return renamed ? `${S}.autoscale.schedules.${field![1]}.${renamed}` : undefined;
    },
  );
}

export const storageKeys: KeyMap = keyMap("storage", {
  "nameParts[0]": `${C}storage.namePrefix`,
  nameParts: `${C}storage.namePrefix`,
  shares: `${C}storage.fileShares`,
});

export const registryKeys: KeyMap = keyMap("registry", {
  "nameParts[0]": `${C}registry.namePrefix`,
  nameParts: `${C}registry.namePrefix`,
});

export const clusterKeys: KeyMap = keyMap(
  "aks",
  {
    ...NAME_PARTS,
    clusterName: `${C}namePrefix`,
    apiServerAuthorizedIpRanges: `${C}aks.authorizedIpRanges`,
    outboundType: `${C}network.outbound`,
    reservedCidrs: `${C}network.reservedCidrs`,
  },
  (path) => {
    // A pool without autoscaling gets its `minCount` as the fixed node count.
    const pool = /^(systemPool|userPools\.[^.]+)\.nodeCount$/.exec(path);
    return pool ? `${C}aks.${pool[1]}.minCount` : undefined;
  },
);

export const clusterBasicsKeys: KeyMap = keyMap("aks", {}, (path) => {
  // Student namespaces come from the class roster, not from azlab:aks.namespaces.
  const student = /^namespaces\.student-([^.]+)(?:\.(.*))?$/.exec(path);
  if (!student) return undefined;
  const key = `${C}class.students.${student[1]}`;
  if (student[2] === "editorObjectId") return `${key}.entraObjectId`;
  return student[2] === "editorUserPrincipalName" ? `${key}.upn` : key;
});

/**
 * A VM of `azlab:vms`: its args keep their names under `azlab:vms.<vm>`, except the values azlab brings in
 * from other keys (the admin key and password, and `sources`, such as a student's own SSH keys or where the
 * default shutdown time came from).
 */
export function vmKeys(vm: string, sources: Readonly<Record<string, string>> = {}): KeyMap {
  return keyMap(`vms.${vm}`, {
    ...NAME_PARTS,
    sshPublicKey: `${C}adminSshPublicKey`,
    adminPassword: `${C}windowsAdminPassword`,
    ...sources,
  });
}

/** A student's route table (hub and spoke): its routes are `azlab:hubAndSpoke.routes`, its next hop ranges the hub's block. */
export const routeTableKeys: KeyMap = keyMap("hubAndSpoke", {
  ...NAME_PARTS,
  routeTableName: `${C}namePrefix`,
  nextHopRanges: `${C}class.supernet`,
});

/** The hub's Bastion: `azlab:hubAndSpoke.bastion.*`; its subnet is planned from the class supernet. */
export const bastionKeys: KeyMap = keyMap("hubAndSpoke.bastion", {
  ...NAME_PARTS,
  bastionName: `${C}namePrefix`,
  subnetCidr: `${C}class.supernet`,
});

/** The peerings: a spoke's address space is the student's block, the hub's is planned from the supernet. */
export const hubAndSpokeKeys: KeyMap = keyMap(
  "hubAndSpoke",
  { hub: `${C}class.supernet`, allowForwardedTraffic: `${C}hubAndSpoke.routes` },
  (path) => {
    const spoke = /^spokes\.([^.]+)\.(addressSpace|nameParts)/.exec(path);
    if (!spoke) return undefined;
    return spoke[2] === "nameParts" ? `${C}namePrefix` : `${C}class.students.${spoke[1]}`;
  },
);
