/**
 * Reads a class stack's outputs (`pulumi stack output --json --show-secrets`, or the offline plan's)
 * into what a hand-out may show. It copies only named, non-credential fields out of each student's own
 * entry: a kubeconfig, the hub, any other key and any other student's entry are never read, so no sheet
 * can carry them whatever the outputs hold.
 */
import type { Problem } from "../errors.ts";

/** What one student's sheet may show from the outputs; every field is optional (modules vary). */
export interface DeployedStudent {
  readonly resourceGroup?: string;
  readonly resourceGroupId?: string;
  readonly webIpAddress?: string;
  readonly webFqdn?: string;
  /** The admin user and the NAT pool's frontend ports, one per instance. */
  readonly ssh?: { readonly user: string; readonly firstPort: number; readonly lastPort: number };
  readonly storageAccount?: string;
  readonly acrLoginServer?: string;
  /** The student's namespace in the shared cluster. */
  readonly namespace?: string;
  /** The cluster the student signs in to: the shared one, or their own. */
  readonly cluster?: { readonly name: string; readonly resourceGroup: string };
}

/**
 * Azure names, resource ids, host names and addresses: the only characters a value may have before it
 * goes into a command a student pastes into a shell (no spaces, quotes, `;`, `$` or backticks).
 */
const PLAIN = /^[A-Za-z0-9._:/-]{1,400}$/;
const PLAIN_ALLOWED = "an Azure name, resource id, host name or address (letters, digits and . _ : / -)";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

class FieldReader {
  constructor(
    private readonly entry: Record<string, unknown>,
    private readonly path: string,
    private readonly problems: Problem[],
  ) {}

  text(key: string): string | undefined {
    const value = this.entry[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string" || !PLAIN.test(value)) {
      // Described, not echoed: the outputs come from --show-secrets, and a misplaced kubeconfig or
      // key must not end up in a terminal or CI log.
      const shape =
        typeof value === "string"
          ? `a text of ${value.length} characters`
          : `a JSON ${Array.isArray(value) ? "array" : typeof value}`;
      this.problems.push({
        path: `${this.path}.${key}`,
        message: `is not usable in a hand-out (${shape}, not shown: outputs can hold secrets)`,
        allowed: PLAIN_ALLOWED,
      });
      return undefined;
    }
    return value;
  }

  port(key: string): number | undefined {
    const value = this.entry[key];
    if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535) return value;
    this.problems.push({
      path: `${this.path}.${key}`,
      message: value === undefined ? "is missing" : "is not a port",
      ...(value === undefined ? {} : { value }),
      allowed: "an integer from 1 to 65535",
    });
    return undefined;
  }

  record(key: string): FieldReader | undefined {
    const value = this.entry[key];
    if (value === undefined || value === null) return undefined;
    if (!isRecord(value)) {
      this.problems.push({
        path: `${this.path}.${key}`,
        message: "is not an object",
        value,
        allowed: "an object",
      });
      return undefined;
    }
    return new FieldReader(value, `${this.path}.${key}`, this.problems);
  }
}

function readStudent(entry: Record<string, unknown>, path: string, problems: Problem[]): DeployedStudent {
  const r = new FieldReader(entry, path, problems);
  const out: { -readonly [K in keyof DeployedStudent]: DeployedStudent[K] } = {};
  if (entry["resourceGroup"] === undefined) {
    problems.push({
      path: `${path}.resourceGroup`,
      message: "is missing",
      allowed: "the student's resource group name",
    });
  }
  for (const key of [
    "resourceGroup",
    "resourceGroupId",
    "webIpAddress",
    "webFqdn",
    "storageAccount",
    "acrLoginServer",
    "namespace",
  ] as const) {
    const value = r.text(key);
    if (value !== undefined) out[key] = value;
  }
  const ssh = r.record("ssh");
  if (ssh) {
    const user = ssh.text("user");
    const firstPort = ssh.port("firstPort");
    const lastPort = ssh.port("lastPort");
    // The ports are a NAT pool's frontend range, first to last (ARM inboundNatPools
    // frontendPortRangeStart/End); a reversed range would print ports that lead nowhere.
    if (firstPort !== undefined && lastPort !== undefined && firstPort > lastPort) {
      problems.push({
        path: `${path}.ssh.lastPort`,
        message: `is below ssh.firstPort (${firstPort})`,
        value: lastPort,
        allowed: `a port from ${firstPort} to 65535`,
      });
    } else if (user !== undefined && firstPort !== undefined && lastPort !== undefined) {
      out.ssh = { user, firstPort, lastPort };
    }
  }
  const cluster = r.record("cluster");
  if (cluster) {
    const name = cluster.text("name");
    const resourceGroup = cluster.text("resourceGroup");
    if (name !== undefined && resourceGroup !== undefined) out.cluster = { name, resourceGroup };
  }
  return out;
}

/**
 * Each roster student's entry from `outputs.students`. Every problem (not an object, no `students`,
 * a student missing, a field of the wrong kind) is returned at once, at its key path in the outputs.
 * Entries of ids outside `studentIds` (the hub of older outputs, a removed student) are never read.
 */
export function readStudentOutputs(
  outputs: unknown,
  studentIds: readonly string[],
): { students: Record<string, DeployedStudent>; problems: Problem[] } {
  const problems: Problem[] = [];
  const students: Record<string, DeployedStudent> = {};
  if (!isRecord(outputs)) {
    problems.push({
      path: "(top level)",
      message: "is not a JSON object of stack outputs",
      allowed: "the output of pulumi stack output --json --show-secrets",
    });
    return { students, problems };
  }
  const all = outputs["students"];
  if (!isRecord(all)) {
    problems.push({
      path: "students",
      message: all === undefined ? "is missing" : "is not an object",
      allowed: "the students output of a class stack (pulumi stack output --json --show-secrets)",
    });
    return { students, problems };
  }
  for (const id of studentIds) {
    const entry = all[id];
    if (!isRecord(entry)) {
      problems.push({
        path: `students.${id}`,
        message:
          entry === undefined
            ? "is missing: this student is in the roster but not in the outputs"
            : "is not an object",
        allowed: "outputs of the same stack after pulumi up with the current roster",
      });
      continue;
    }
    students[id] = readStudent(entry, `students.${id}`, problems);
  }
  return { students, problems };
}

/** Fields that name one student's own resource; the registry and a shared cluster are the class's. */
const OWN_FIELDS = [
  "resourceGroup",
  "resourceGroupId",
  "webIpAddress",
  "webFqdn",
  "storageAccount",
  "namespace",
] as const;

/**
 * Deployed values that two students' entries share. Each of these fields names a resource of one
 * student only, so a value seen twice comes from an edited or mixed-up outputs file, and the later
 * student's sheet would send them to the other's resource group, storage or namespace.
 */
export function sharedValueProblems(students: Readonly<Record<string, DeployedStudent>>): Problem[] {
  const firstOwner = new Map<string, string>();
  const problems: Problem[] = [];
  for (const id of Object.keys(students).sort()) {
    for (const key of OWN_FIELDS) {
      const value = students[id]?.[key];
      if (value === undefined) continue;
      const slot = `${key}\u0000${value.toLowerCase()}`;
      const first = firstOwner.get(slot);
      if (first === undefined) {
        firstOwner.set(slot, id);
        continue;
      }
      problems.push({
        path: `students.${id}.${key}`,
        message: `has the same value as students.${first}.${key}; each sheet must name only its own student's resources`,
        value,
        allowed:
          "the student's own value, as pulumi stack output --json --show-secrets of this stack gives it",
      });
    }
  }
  return problems;
}
