/**
 * Pre-flight: plan the stack, then run every component's own validation on the arguments the
 * program will give it, so that every problem is reported at once and before any resource is
 * registered. The CLI (`validate`, `lock`, `plan`) and the program share this.
 */
import { networkSecurityGroupSettings } from "../../components/network/networkSecurityGroup.ts";
import { virtualNetworkSettings } from "../../components/network/virtualNetwork.ts";
import { scaleSetSettings } from "../../components/compute/scaleSet.ts";
import { planStack, readLock, type PreparedStack, type StackPlan } from "../stack/planStack.ts";
import { serializeLock } from "../planner/lock.ts";
import { stackProblemsError, type LoadedStack } from "../config/stackFile.ts";
import type { StackConfig } from "../config/schema.ts";
import type { NetworkLock } from "../planner/types.ts";
import { dedupeProblems, type Problem } from "../errors.ts";
import { normalizeStorageAccount } from "../validation/storage.ts";
import { normalizeRegistry } from "../validation/registry.ts";
import { normalizeKubernetesCluster } from "../validation/aks.ts";
import { normalizeClusterBasics } from "../validation/clusterBasics.ts";
import {
  clusterBasicsOptions,
  clusterOptions,
  nameSeed,
  nsgArgs,
  registryOptions,
  scaleSetArgs,
  storageOptions,
  vnetArgs,
} from "./componentArgs.ts";

const PLACEHOLDER = { resourceGroupName: "preflight-rg", location: "preflight" };

/** Runs each component's validation for every environment and the registry; a problem shared by students is reported once. */
export function componentProblems(plan: StackPlan): Problem[] {
  const problems: Problem[] = [];
  for (const env of Object.values(plan.environments)) {
    problems.push(...networkSecurityGroupSettings(nsgArgs(plan, env, PLACEHOLDER)).problems);
    problems.push(
      ...virtualNetworkSettings(vnetArgs(plan, env, { ...PLACEHOLDER, nsgId: "preflight-nsg" })).problems,
    );
    if (env.scaleSetEnabled && plan.config.scaleSet) {
      // A secret key cannot be read here; the component checks its shape at deployment only for plain keys.
      const sshPublicKey = plan.config.secretKeys.includes("adminSshPublicKey")
        ? "ssh-ed25519 AAAAsecret"
        : (plan.config.adminSshPublicKey ?? "");
      const args = scaleSetArgs(plan, env, { ...PLACEHOLDER, subnetId: "preflight-subnet", sshPublicKey });
      problems.push(...scaleSetSettings(`${env.key}-web`, args).problems);
    }
    if (env.storageEnabled && plan.config.storage) {
      problems.push(
        ...normalizeStorageAccount(storageOptions(plan, env), `${env.key}-st`, nameSeed(plan, env.key))
          .problems,
      );
    }
    if (env.aks === "cluster" && plan.config.aks) {
      problems.push(...normalizeKubernetesCluster(clusterOptions(plan, env), `${env.key}-aks`).problems);
      problems.push(
        ...normalizeClusterBasics(clusterBasicsOptions(plan, env.namespaceStudents), `${env.key}-k8s`)
          .problems,
      );
    }
  }
  if (plan.config.registry) {
    problems.push(
      ...normalizeRegistry(registryOptions(plan), "registry", nameSeed(plan, "registry")).problems,
    );
  }
  // Students share one template, so a problem shows up once per student; report it once.
  return dedupeProblems(problems);
}

/** planStack plus component validation: a plan only when nothing at all is wrong. */
export function preflight(
  stack: string,
  config: StackConfig,
  lock: NetworkLock | undefined,
): ReturnType<typeof planStack> {
  const result = planStack(stack, config, lock);
  if (!result.plan) return result;
  const problems = componentProblems(result.plan);
  if (problems.length === 0) return result;
  const { plan: _plan, ...rest } = result;
  return { ...rest, problems };
}

/** Plans a loaded stack file with its lock; throws one UserError listing every problem. */
export function prepareStack(loaded: LoadedStack): PreparedStack {
  const lockOnDisk = readLock(loaded.lockPath);
  const result = preflight(loaded.stack, loaded.config, lockOnDisk);
  if (!result.plan) throw stackProblemsError(loaded.path, result.problems);
  const lockOutdated = !lockOnDisk || serializeLock(result.lock) !== serializeLock(lockOnDisk);
  const notes = [...result.notes];
  if (lockOutdated) {
    notes.push(
      `${loaded.lockPath} is missing or out of date: run \`azlab lock --stack ${loaded.stack}\` and commit it`,
    );
  }
  return { plan: result.plan, lock: result.lock, lockOutdated, notes };
}
