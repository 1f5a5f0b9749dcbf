/**
 * From `azlab:vms` to VirtualMachine arguments for one environment, and back from an argument's path to the
 * key the user wrote. Every environment but the class hub gets every VM: dev, prod and each student, with
 * the student's own SSH keys and the student's email on the shutdown notice. Pre-flight runs the component's
 * validator on exactly these arguments.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { VirtualMachineArgs } from "../../components/compute/virtualMachine.ts";
import type { Problem } from "../errors.ts";
import type { StackConfig } from "../config/schema.ts";
import type { EnvironmentPlan, StackPlan } from "../stack/planStack.ts";
import { isSpecialSubnet } from "../planner/subnetRules.ts";
import { ASGS_PER_IP_CONFIGURATION } from "../network/nsgRules.ts";
import { logicalName } from "../naming/azureNames.ts";
import { normalizeVirtualMachine } from "../validation/virtualMachine.ts";
import { VM_IMAGES, type VmImageName } from "../validation/virtualMachineTypes.ts";
import { environmentNameParts, type Wiring } from "./componentArgs.ts";
import { vmKeys } from "./stackKeys.ts";

type Input<T> = pulumi.Input<T>;

const C = "azlab:";

/**
 * Logical role of a VM in its environment: `<env>-<vm>-vm`. Not the bare key, which could meet another
 * role of the environment (`web` is the scale set's).
 */
export function vmRole(vm: string): string {
  return `${vm}-vm`;
}

/** The same shape as the roster's sign-in names (src/config/schema.ts). */
const EMAIL = /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/** When and in which zone VMs stop by default, and the stack-file keys those values came from. */
export interface ShutdownDefault {
  readonly time: string;
  readonly timeZone: string;
  readonly timeKey?: string;
  readonly timeZoneKey?: string;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  return h * 60 + m;
}

/**
 * The default shutdown: the latest end of the class hours (the scale set's autoscale schedules, which the
 * estimate and the class-hours workflow also use: src/cost/classHours.ts) in that schedule's zone, so no
 * VM stops during class; without class hours, 19:00 in the class's time zone, or UTC.
 */
export function defaultShutdown(config: StackConfig): ShutdownDefault {
  let latest: { name: string; rank: number; end: string; timeZone: string } | undefined;
  for (const [name, w] of Object.entries(config.scaleSet?.autoscale.schedules ?? {})) {
    // An end at or before the start runs past midnight: it is the later end.
    const end = minutesOf(w.endTime);
    const rank = end + (end <= minutesOf(w.startTime) ? 24 * 60 : 0);
    if (!latest || rank > latest.rank) latest = { name, rank, end: w.endTime, timeZone: w.timeZone };
  }
  if (latest) {
    const at = `${C}scaleSet.autoscale.schedules.${latest.name}`;
    return {
      time: latest.end,
      timeZone: latest.timeZone,
      timeKey: `${at}.endTime`,
      timeZoneKey: `${at}.timeZone`,
    };
  }
  if (config.class)
    return { time: "19:00", timeZone: config.class.timeZone, timeZoneKey: `${C}class.timeZone` };
  return { time: "19:00", timeZone: "UTC" };
}

/** Who gets the shutdown notice: the student's roster email, else the instructor (or owner) when it is one. */
function notificationEmail(
  plan: StackPlan,
  env: EnvironmentPlan,
): { email: string; key: string } | undefined {
  const config = plan.config;
  const own = env.student ? config.class?.students[env.student]?.email : undefined;
  if (own !== undefined) return { email: own, key: `${C}class.students.${env.student}.email` };
  if (config.class && EMAIL.test(config.class.instructor)) {
    return { email: config.class.instructor, key: `${C}class.instructor` };
  }
  return EMAIL.test(config.owner) ? { email: config.owner, key: `${C}owner` } : undefined;
}

/** Whether the VM is Windows: said so, or a named Windows image. */
export function isWindowsVm(config: StackConfig, vm: string): boolean {
  const s = config.vms[vm];
  if (!s) return false;
  if (s.os !== undefined) return s.os === "windows";
  return typeof s.image === "string" && VM_IMAGES[s.image as VmImageName]?.os === "windows";
}

export function vmArgs(
  plan: StackPlan,
  env: EnvironmentPlan,
  vm: string,
  wiring: Wiring & {
    readonly subnetId: Input<string>;
    /** The admin's SSH key (azlab:adminSshPublicKey); Linux VMs only. */
    readonly sshPublicKey?: Input<string>;
    /** The Windows admin password (azlab:windowsAdminPassword), a secret; Windows VMs only. */
    readonly adminPassword?: Input<string>;
    /** Ids of the environment's application security groups, keyed by name. */
    readonly asgIds?: Readonly<Record<string, Input<string>>>;
  },
): VirtualMachineArgs {
  const s = plan.config.vms[vm]!;
  const windows = isWindowsVm(plan.config, vm);
  const studentKeys = env.student ? (plan.config.class?.students[env.student]?.sshPublicKeys ?? []) : [];
  const shutdown = defaultShutdown(plan.config);
  const notice = s.autoShutdown.notify ? notificationEmail(plan, env) : undefined;
  // A VM left running overnight bills all night: on by default, except in prod, where a stop is an outage.
  const shutdownOn = s.autoShutdown.enabled ?? plan.config.environment !== "prod";
  const asgIds = s.applicationSecurityGroups.flatMap((name) =>
    env.applicationSecurityGroups.includes(name) && wiring.asgIds?.[name] !== undefined
      ? [wiring.asgIds[name]]
      : [],
  );
  return {
    resourceGroupName: wiring.resourceGroupName,
    location: wiring.location,
    subnetId: wiring.subnetId,
    nameParts: [...environmentNameParts(plan, env.key), vm],
    ...(s.os !== undefined ? { os: s.os } : {}),
    image: s.image as VirtualMachineArgs["image"],
    size: s.size,
    adminUsername: s.adminUsername,
    // Left out, the validator derives it from the VM's name (the last name part), cut to fit.
    ...(s.computerName !== undefined ? { computerName: s.computerName } : {}),
    osDisk: { type: s.osDisk.type, ...(s.osDisk.sizeGb !== undefined ? { sizeGb: s.osDisk.sizeGb } : {}) },
    dataDisks: s.dataDisks,
    publicIp: s.publicIp,
    ...(s.trustedLaunch !== undefined ? { trustedLaunch: s.trustedLaunch } : {}),
    ...(s.customData !== undefined ? { customData: s.customData } : {}),
    ...(windows
      ? wiring.adminPassword !== undefined
        ? { adminPassword: wiring.adminPassword }
        : {}
      : {
          sshPublicKey: wiring.sshPublicKey ?? "",
          // A student's own keys from the roster, next to the instructor's (only on their own VMs).
          ...(studentKeys.length > 0 ? { additionalSshPublicKeys: studentKeys } : {}),
        }),
    ...(asgIds.length > 0 ? { applicationSecurityGroupIds: asgIds } : {}),
    autoShutdown: shutdownOn
      ? {
          time: s.autoShutdown.time ?? shutdown.time,
          timeZone: s.autoShutdown.timeZone ?? shutdown.timeZone,
          ...(notice ? { notificationEmail: notice.email } : {}),
        }
      : { enabled: false },
  };
}

/** Where a VM's arguments came from in the stack file, for pre-flight's messages. */
function vmKeyMap(plan: StackPlan, env: EnvironmentPlan, vm: string) {
  const s = plan.config.vms[vm]!;
  const shutdown = defaultShutdown(plan.config);
  const notice = notificationEmail(plan, env);
  const sources: Record<string, string> = {
    ...(env.student ? { additionalSshPublicKeys: `${C}class.students.${env.student}.sshPublicKeys` } : {}),
    ...(s.autoShutdown.time === undefined && shutdown.timeKey
      ? { "autoShutdown.time": shutdown.timeKey }
      : {}),
    ...(s.autoShutdown.timeZone === undefined && shutdown.timeZoneKey
      ? { "autoShutdown.timeZone": shutdown.timeZoneKey }
      : {}),
    ...(notice ? { "autoShutdown.notificationEmail": notice.key } : {}),
  };
  return vmKeys(vm, sources);
}

/** A valid ed25519 key (all-zero point) standing in for a secret admin key, which pre-flight cannot read. */
const SECRET_SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
/** Stands in for the secret Windows password, which pre-flight cannot read; it meets Azure's rules. */
const SECRET_PASSWORD = "Preflight-Stand-In-1";

/** What checks stand in for the Windows password: the secret itself is unreadable before `pulumi up`. */
export function standInAdminPassword(config: { readonly secretKeys: readonly string[] }): string | undefined {
  return config.secretKeys.includes("windowsAdminPassword") ? SECRET_PASSWORD : undefined;
}

/**
 * Every VM's own validator, for one environment, at the keys the user wrote. A Windows VM without
 * `azlab:windowsAdminPassword` is refused here, naming the VM.
 */
export function vmProblems(plan: StackPlan, env: EnvironmentPlan): Problem[] {
  const config = plan.config;
  const sshPublicKey = config.secretKeys.includes("adminSshPublicKey")
    ? SECRET_SSH_KEY
    : (config.adminSshPublicKey ?? "");
  const adminPassword = standInAdminPassword(config);
  const problems: Problem[] = [];
  for (const vm of env.vms) {
    if (!config.vms[vm] || !(config.vms[vm].subnet in env.vnet.subnets)) continue;
    const args = vmArgs(plan, env, vm, {
      resourceGroupName: "preflight-rg",
      location: "preflight",
      subnetId: "preflight-subnet",
      sshPublicKey,
      ...(adminPassword ? { adminPassword } : {}),
    });
    const keys = vmKeyMap(plan, env, vm);
    const result = normalizeVirtualMachine(args, logicalName(env.key, vmRole(vm)));
    for (const problem of result.problems) {
      const missingPassword = problem.path === "adminPassword" && adminPassword === undefined;
      problems.push({
        ...problem,
        path: keys(problem.path),
        ...(missingPassword
          ? {
              message: `is missing: azlab:vms.${vm} is a Windows VM, which needs an admin password, and azlab never makes one up`,
              allowed: `a secret, set with \`pulumi config set --secret ${C}windowsAdminPassword <password>\``,
            }
          : {}),
      });
    }
  }
  return problems;
}

/** Cross-key checks of `azlab:vms`: each VM's subnet and application security groups must exist. */
export function vmConfigProblems(config: StackConfig): Problem[] {
  const problems: Problem[] = [];
  const subnets = Object.keys(config.network.subnets);
  const groups = Object.keys(config.nsg.applicationSecurityGroups);
  for (const [vm, s] of Object.entries(config.vms)) {
    const at = `${C}vms.${vm}`;
    if (!subnets.includes(s.subnet)) {
      problems.push({
        path: `${at}.subnet`,
        message: "names no subnet of azlab:network.subnets",
        value: s.subnet,
        allowed: subnets.join(", "),
      });
    } else if (isSpecialSubnet(s.subnet)) {
      problems.push({
        path: `${at}.subnet`,
        message: "is a subnet Azure reserves for its own service",
        value: s.subnet,
        allowed: subnets.filter((n) => !isSpecialSubnet(n)).join(", ") || "an ordinary subnet",
      });
    }
    s.applicationSecurityGroups.forEach((name, i) => {
      if (!groups.includes(name)) {
        problems.push({
          path: `${at}.applicationSecurityGroups[${i}]`,
          message: "names no application security group of azlab:nsg.applicationSecurityGroups",
          value: name,
          allowed:
            groups.length > 0
              ? groups.join(", ")
              : "declare the group under azlab:nsg.applicationSecurityGroups",
        });
      }
    });
    const count = new Set(s.applicationSecurityGroups).size;
    if (count > ASGS_PER_IP_CONFIGURATION) {
      problems.push({
        path: `${at}.applicationSecurityGroups`,
        message: `makes the NIC a member of ${count} groups`,
        allowed: `at most ${ASGS_PER_IP_CONFIGURATION} groups per NIC IP configuration (Azure's limit)`,
      });
    }
  }
  return problems;
}
