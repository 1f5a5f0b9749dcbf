/**
 * Cross-field rules of a stack file that the schema cannot express on one key alone: which sections a
 * class or a dev/prod stack needs or refuses, and which modules are on. Checked before any address is
 * planned, so every such problem is reported at once.
 */
import { formatPrefix } from "../cidr/address.ts";
import type { Problem } from "../errors.ts";
import type { StackConfig } from "../config/schema.ts";
import { nsgConfigProblems } from "./nsgPlan.ts";
import { HUB_KEY } from "./stackPlan.ts";

/** Which optional modules every (non-hub) environment of the stack gets. */
export interface StackModules {
  readonly scaleSet: boolean;
  readonly storage: boolean;
  readonly aks: boolean;
}

const C = "azlab:";

/** A class stack's `azlab:class.modules`; a dev or prod stack's sections that are present. */
export function stackModules(config: StackConfig): StackModules {
  return config.environment === "class"
    ? (config.class?.modules ?? { scaleSet: false, storage: false, aks: false })
    : { scaleSet: !!config.scaleSet, storage: !!config.storage, aks: !!config.aks };
}

/** Every cross-field problem of the stack file, and remarks worth showing (not problems). */
export function crossFieldProblems(
  config: StackConfig,
  modules: StackModules,
): { problems: Problem[]; notes: string[] } {
  const problems: Problem[] = [];
  const notes: string[] = [];
  const isClass = config.environment === "class";
  const subnetKeys = Object.keys(config.network.subnets);

  if (isClass) {
    if (!config.class) {
      problems.push({
        path: `${C}class`,
        message: "is required for a class stack",
        allowed: "a class section with courseId, instructor, expiresOn, sourceCidrs, supernet and students",
      });
    }
    if (config.network.addressSpace) {
      problems.push({
        path: `${C}network.addressSpace`,
        message: "is planned from azlab:class.supernet in a class stack",
        value: config.network.addressSpace.map(formatPrefix),
        allowed: "leave it out; set azlab:class.supernet",
      });
    }
    if (config.class && HUB_KEY in config.class.students) {
      problems.push({
        path: `${C}class.students.${HUB_KEY}`,
        message: "is reserved for the class's shared environment",
        allowed: "any other student id",
      });
    }
    if (config.hubAndSpoke?.enabled && config.class && Object.keys(config.class.students).length === 0) {
      problems.push({
        path: `${C}hubAndSpoke.enabled`,
        message: "needs at least one student to peer with the hub",
        value: true,
        allowed: "students under azlab:class.students, or enabled: false",
      });
    }
  } else {
    if (config.hubAndSpoke?.enabled) {
      problems.push({
        path: `${C}hubAndSpoke`,
        message: `is only for class stacks (this is a ${config.environment} stack)`,
        allowed: "azlab:environment: class, or remove azlab:hubAndSpoke",
      });
    }
    if (!config.network.addressSpace) {
      problems.push({
        path: `${C}network.addressSpace`,
        message: "is required",
        allowed: "one or more IPv4 CIDRs such as 10.20.0.0/16",
      });
    }
    if (config.class) {
      problems.push({
        path: `${C}class`,
        message: `is only for class stacks (this is a ${config.environment} stack)`,
        allowed: `azlab:environment: class, or remove azlab:class`,
      });
    }
  }
  problems.push(...nsgConfigProblems(config, modules));
  const sharedAks = isClass && modules.aks && config.class?.aksTopology === "shared";
  if (modules.scaleSet) {
    if (!config.scaleSet) {
      problems.push({
        path: `${C}scaleSet`,
        message: "is required when the class module scaleSet is on",
        allowed: "a scaleSet section with at least subnet",
      });
    } else if (!subnetKeys.includes(config.scaleSet.subnet)) {
      problems.push({
        path: `${C}scaleSet.subnet`,
        message: "names no subnet of azlab:network.subnets",
        value: config.scaleSet.subnet,
        allowed: subnetKeys.join(", "),
      });
    }
    if (config.adminSshPublicKey === undefined) {
      problems.push({
        path: `${C}adminSshPublicKey`,
        message: "is required for the scale set (password login is disabled)",
        allowed: "an OpenSSH public key line",
      });
    }
  }
  if (modules.storage && !config.storage) {
    problems.push({
      path: `${C}storage`,
      message: "is required when the class module storage is on",
      allowed: "a storage section",
    });
  }
  if (modules.aks) {
    if (!config.aks) {
      problems.push({
        path: `${C}aks`,
        message: "is required when the class module aks is on",
        allowed: "an aks section with at least subnet",
      });
    } else if (!sharedAks && !subnetKeys.includes(config.aks.subnet)) {
      problems.push({
        path: `${C}aks.subnet`,
        message: "names no subnet of azlab:network.subnets",
        value: config.aks.subnet,
        allowed: subnetKeys.join(", "),
      });
    }
  }
  if (isClass && config.class && modules.aks && config.class.aksTopology === "dedicated") {
    const count = Object.keys(config.class.students).length;
    if (count > 20) {
      notes.push(
        `${count} dedicated AKS clusters exceed AKS's regional PUT budget (20, refilled at 1 per minute): expect throttling; consider azlab:class.aksTopology: shared`,
      );
    }
  }
  return { problems, notes };
}
