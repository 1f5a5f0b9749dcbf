/**
 * Pre-flight: plan the stack, then run every component's own validation on the arguments the
 * program will give it, so that every problem is reported at once and before any resource is
 * registered. The CLI (`validate`, `lock`, `plan`) and the program share this.
 */
import { planStack, readLock, type PreparedStack, type StackPlan } from "../stack/planStack.ts";
import { serializeLock } from "../planner/lock.ts";
import { stackProblemsError, type LoadedStack } from "../config/stackFile.ts";
import type { StackConfig } from "../config/schema.ts";
import type { NetworkLock } from "../planner/types.ts";
import { dedupeProblems, type Problem } from "../errors.ts";
import { logicalName } from "../naming/azureNames.ts";
import { normalizeNetworkSecurityGroup } from "../validation/networkSecurityGroup.ts";
import { normalizeVirtualNetwork } from "../validation/virtualNetwork.ts";
import { normalizeScaleSet } from "../validation/scaleSet/index.ts";
import { normalizeStorageAccount } from "../validation/storage.ts";
import { normalizeRegistry } from "../validation/registry.ts";
import { normalizeBudget } from "../validation/budget.ts";
import { normalizeKubernetesCluster } from "../validation/aks/index.ts";
import { normalizeClusterBasics } from "../validation/clusterBasics.ts";
import { normalizeKubelogin } from "../access/kubeconfig.ts";
import { studentSignInProblems } from "../access/studentAccess.ts";
import { studentSourceProblems } from "../access/studentSources.ts";
import {
  nameSeed,
  nsgArgs,
  subnetNsgArgs,
  subnetNsgRole,
  registryOptions,
  REGISTRY_NAME,
  ROLES,
  scaleSetArgs,
  storageOptions,
  vnetArgs,
} from "./componentArgs.ts";
import { clusterAccessOptions, clusterBasicsOptions, clusterOptions } from "./clusterArgs.ts";
import { budgetKey, budgetOptions } from "./budgetArgs.ts";
import { egressProblems } from "../stack/egress.ts";
import { normalizeRouteTable } from "../validation/routeTable.ts";
import { normalizeBastion } from "../validation/bastion.ts";
import { normalizeHubAndSpoke } from "../validation/hubAndSpoke.ts";
import { bastionArgs, HUB_ROLES, hubAndSpokeArgs, routeTableArgs, type PeeringWiring } from "./hubArgs.ts";
import { vmConfigProblems, vmProblems } from "./vmArgs.ts";
import {
  clusterBasicsKeys,
  clusterKeys,
  isDerivedSshSource,
  nsgKeys,
  subnetNsgKeys,
  registryKeys,
  scaleSetKeys,
  storageKeys,
  vnetKeys,
  routeTableKeys,
  bastionKeys,
  hubAndSpokeKeys,
  type KeyMap,
} from "./stackKeys.ts";

const PLACEHOLDER = { resourceGroupName: "preflight-rg", location: "preflight" };

/**
 * A validator's problems at the `azlab:` keys the user wrote. `mentions` are argument paths that the
 * validator's advice may name (`add a waiver under waivers.ssh`); those are mapped in the text too.
 */
/** A student's own SSH keys (scaleSetArgs' additionalSshPublicKeys) come from their roster entry. */
function studentKeysAt(student: string | undefined, keys: KeyMap): KeyMap {
  const arg = "additionalSshPublicKeys";
  return (path) =>
    student && path.startsWith(arg)
      ? `azlab:class.students.${student}.sshPublicKeys${path.slice(arg.length)}`
      : keys(path);
}

function atKeys(
  result: { problems: readonly Problem[] },
  keys: KeyMap,
  mentions: readonly string[] = [],
): Problem[] {
  const escaped = mentions.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern =
    mentions.length > 0 ? new RegExp(`(?<![\\w.:-])(?:${escaped.join("|")})(?:\\.[\\w-]+)*`, "g") : undefined;
  const inText = (text: string) => (pattern ? text.replace(pattern, (path) => keys(path)) : text);
  return result.problems.map((problem) => ({
    ...problem,
    path: keys(problem.path),
    message: inText(problem.message),
    ...(problem.allowed !== undefined ? { allowed: inText(problem.allowed) } : {}),
  }));
}

/**
 * Runs each component's own validator for every environment and the registry, on the arguments the
 * program will pass and under the names it will use; a problem shared by students is reported once.
 */
export function componentProblems(plan: StackPlan): Problem[] {
  const problems: Problem[] = [];
  const sourceProblems = studentSourceProblems(plan);
  problems.push(...sourceProblems);
  // A refused student range is reported at that student's key; the rule it would widen says no more.
  const refusedSources = new Set(sourceProblems.map((p) => p.path.split(".")[2]));
  for (const env of Object.values(plan.environments)) {
    const name = (role: string) => logicalName(env.key, role);
    const nsg = normalizeNetworkSecurityGroup(nsgArgs(plan, env, PLACEHOLDER), name(ROLES.nsg));
    const nsgAtKeys = atKeys(nsg, nsgKeys(plan), ["waivers"]);
    const skipDerived = env.student !== undefined && refusedSources.has(env.student);
    // A problem with the derived SSH rule is reported at the key the user wrote, naming the rule too.
    problems.push(
      ...nsgAtKeys.flatMap((problem, i) => {
        const derived = isDerivedSshSource(nsg.problems[i]?.path ?? "");
        if (derived && skipDerived) return [];
        return derived && !problem.path.startsWith(`azlab:nsg.rules.`)
          ? [
              {
                ...problem,
                message: `${problem.message} (in the rule azlab derives from it, azlab:nsg.rules.allow-ssh)`,
              },
            ]
          : [problem];
      }),
    );
    const asgIds = Object.fromEntries(env.applicationSecurityGroups.map((k) => [k, "preflight-asg"]));
    for (const subnet of Object.keys(env.subnetNsgs)) {
      const args = subnetNsgArgs(plan, env, subnet, { ...PLACEHOLDER, asgIds });
      const own = normalizeNetworkSecurityGroup(args, name(subnetNsgRole(subnet)));
      // The environment's NSG already reports a problem of the derived SSH rule when it carries that rule too.
      const sharedSsh =
        !("allow-ssh" in plan.config.nsg.rules) &&
        !("allow-ssh" in (plan.config.nsg.subnets[subnet]?.rules ?? {}));
      problems.push(
        ...atKeys(own, subnetNsgKeys(plan, subnet), ["waivers"]).filter(
          (_, i) => !(sharedSsh && isDerivedSshSource(own.problems[i]?.path ?? "")),
        ),
      );
    }
    const vnet = vnetArgs(plan, env, { ...PLACEHOLDER, nsgId: "preflight-nsg" });
    problems.push(
      ...atKeys(normalizeVirtualNetwork(vnet, name(ROLES.vnet)), vnetKeys, ["outbound", "ipv6AddressSpace"]),
    );
    if (env.scaleSetEnabled && plan.config.scaleSet) {
      // A secret key cannot be read here; the component checks its shape at deployment only for plain keys.
      // The stand-in is a well-formed ed25519 key (all-zero point) so the structural check passes it.
      const sshPublicKey = plan.config.secretKeys.includes("adminSshPublicKey")
        ? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        : (plan.config.adminSshPublicKey ?? "");
      const args = scaleSetArgs(plan, env, { ...PLACEHOLDER, subnetId: "preflight-subnet", sshPublicKey });
      problems.push(
        ...atKeys(
          normalizeScaleSet(args, name(ROLES.scaleSet)),
          studentKeysAt(env.student, scaleSetKeys(plan)),
          ["loadBalancer.type"],
        ),
      );
    }
    problems.push(...vmProblems(plan, env));
    if (env.storageEnabled && plan.config.storage) {
      const options = storageOptions(plan, env);
      problems.push(
        ...atKeys(
          normalizeStorageAccount(options, name(ROLES.storage), nameSeed(plan, env.key)),
          storageKeys,
        ),
      );
    }
    if (env.aks === "cluster" && plan.config.aks) {
      problems.push(
        ...atKeys(
          normalizeKubernetesCluster(
            clusterOptions(plan, env, { id: "preflight-natgw", publicIpAddress: "preflight-ip" }),
            name(ROLES.cluster),
          ),
          clusterKeys,
        ),
      );
      problems.push(
        ...atKeys(normalizeKubelogin(clusterAccessOptions(plan, env.namespaceStudents)), clusterKeys, [
          "privateClusterEnabled",
        ]),
      );
      problems.push(
        ...atKeys(
          normalizeClusterBasics(clusterBasicsOptions(plan, env.namespaceStudents)),
          clusterBasicsKeys,
          ["deployerInVnet", "namespaces", "storageClass"],
        ),
      );
    }
  }
  if (plan.config.registry) {
    problems.push(
      ...atKeys(
        normalizeRegistry(registryOptions(plan), REGISTRY_NAME, nameSeed(plan, "registry")),
        registryKeys,
      ),
    );
  }
  problems.push(...vmConfigProblems(plan.config));
  problems.push(...egressProblems(plan));
  problems.push(...hubAndSpokeProblems(plan));
  problems.push(...budgetProblems(plan));
  // Students given Kubernetes access need a cluster they can sign in to.
  problems.push(...studentSignInProblems(plan));
  // Students share one template, so a problem shows up once per student; report it once.
  return dedupeProblems(problems);
}

/**
 * Hub and spoke (`azlab:hubAndSpoke`): each student's route table, the hub's Bastion and the peerings,
 * through their components' own validators, at the keys the user wrote.
 */
function hubAndSpokeProblems(plan: StackPlan): Problem[] {
  const out: Problem[] = [];
  const placeholders: Record<string, PeeringWiring> = {};
  for (const env of Object.values(plan.environments)) {
    placeholders[env.key] = {
      vnetId: "preflight-vnet",
      vnetName: "preflight-vnet",
      resourceGroupName: "preflight-rg",
    };
    const name = (role: string) => logicalName(env.key, role);
    if (env.spoke) {
      const table = normalizeRouteTable(routeTableArgs(plan, env, PLACEHOLDER), name(HUB_ROLES.routeTable));
      out.push(...atKeys(table, routeTableKeys));
    }
    if (env.bastion) {
      const args = bastionArgs(plan, env, { ...PLACEHOLDER, subnetId: "preflight-subnet" });
      out.push(...atKeys(normalizeBastion(args, name(HUB_ROLES.bastion)), bastionKeys));
    }
  }
  if (Object.values(plan.environments).some((e) => e.spoke)) {
    out.push(...atKeys(normalizeHubAndSpoke(hubAndSpokeArgs(plan, placeholders)), hubAndSpokeKeys));
  }
  return out;
}

/**
 * The budget's own validator at the key the user wrote. Its start date comes from the deploying day, so
 * pre-flight checks the rest under Azure's earliest start; the class's end then always follows it.
 */
function budgetProblems(plan: StackPlan): Problem[] {
  const out: Problem[] = [];
  if (plan.config.class && plan.config.budget) {
    out.push({
      path: "azlab:budget",
      message: "is for dev and prod stacks; a class sets its budget under azlab:class.budget",
      allowed: "azlab:class.budget",
    });
  }
  if (!plan.config.class && plan.config.budget?.perStudent !== undefined) {
    out.push({
      path: "azlab:budget.perStudent",
      message: "applies to class stacks only; a dev or prod stack has no students",
      value: plan.config.budget.perStudent,
      allowed: "no perStudent outside azlab:class.budget",
    });
  }
  // The cluster is started for class hours: without any, the workflow would never start it.
  if (
    plan.config.class?.stopClusterOutsideClassHours &&
    Object.keys(plan.config.scaleSet?.autoscale.schedules ?? {}).length === 0
  ) {
    out.push({
      path: "azlab:class.stopClusterOutsideClassHours",
      message: "needs class hours, and azlab:scaleSet.autoscale.schedules has none",
      value: true,
      allowed: "false, or class-hours schedules under azlab:scaleSet.autoscale.schedules",
    });
  }
  const options = budgetOptions(plan, new Date("2017-06-01T00:00:00Z"));
  if (!options) return out;
  const key = budgetKey(plan);
  const renames: Record<string, string> = {
    budgetName: "azlab:namePrefix",
    endDate: "azlab:class.expiresOn",
  };
  out.push(...atKeys(normalizeBudget(options), (path) => renames[path] ?? `${key}.${path}`));
  return out;
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
