/** Generates a class stack file with N students, for the plan benchmark and the size tests. */
import { readFileSync } from "node:fs";
import { parse, stringify } from "yaml";

/** Structurally valid OpenSSH keys (the roster fixture's), handed out in turn; none is anybody's real key. */
const SSH_KEYS = [
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDFq1ExIZd177CJ/6AjTOcBXUEqfMT3ngmunBe8THj64",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHr/V13KlglgvuDUdFtf2eLwK0+EcGL88hdkUpuYGdUS",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMbfc+KKrwgGvwUlFE6HVm37ybL9ZYH1PUWiNccMNPsI",
];

/**
 * One student's roster entry when the class mixes settings: six kinds in turn, so every kind has
 * several students (an empty entry; a UPN with a display name; an email only; an object id with a UPN;
 * a UPN with two SSH keys and a home address; an email with one key).
 */
function mixedEntry(i: number, key: string): Record<string, unknown> {
  const hex = i.toString(16).padStart(12, "0");
  switch (i % 6) {
    case 1:
      return { upn: `${key}@contoso.edu`, displayName: `Student ${key.toUpperCase()}` };
    case 2:
      return { email: `${key}.home@fabrikam.example` };
    case 3:
      return { entraObjectId: `0b6e1f7a-1c2d-4e3f-9a8b-${hex}`, upn: `${key}@contoso.edu` };
    case 4:
      return {
        upn: `${key}@contoso.edu`,
        sshPublicKeys: [`${SSH_KEYS[i % 3]} ${key}@laptop`, `${SSH_KEYS[(i + 1) % 3]} ${key}@desktop`],
        sourceCidrs: [`198.51.100.${i % 250}/32`],
      };
    case 5:
      return { email: `${key}@contoso.edu`, sshPublicKeys: [`${SSH_KEYS[i % 3]} ${key}@laptop`] };
    default:
      return {};
  }
}

/**
 * The class-demo stack with its roster replaced by `count` students (s001, s002, …) in a /12 supernet:
 * empty entries, or with `mixed`, the six kinds of entry of mixedEntry in turn.
 */
export function classStackWithStudents(
  count: number,
  options: { readonly mixed?: boolean; readonly demoPath?: string } = {},
): string {
  const doc = parse(readFileSync(options.demoPath ?? "stacks/Pulumi.class-demo.yaml", "utf8")) as {
    config: Record<string, Record<string, unknown>>;
  };
  const cls = doc.config["azlab:class"] ?? {};
  const students: Record<string, Record<string, unknown>> = {};
  for (let i = 1; i <= count; i++) {
    const key = `s${String(i).padStart(3, "0")}`;
    students[key] = options.mixed ? mixedEntry(i, key) : {};
  }
  doc.config["azlab:class"] = { ...cls, supernet: "10.64.0.0/12", students };
  return stringify(doc);
}
