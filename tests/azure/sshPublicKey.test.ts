/**
 * The structural SSH public key check (RFC 4253 §6.6, RFC 8709 §4, RFC 5656 §3.1) and the three places
 * that use it: the stack-file schema, `azlab roster import` and the scale-set validator.
 */
import { describe, expect, it } from "vitest";
import { sshPublicKeyFault } from "../../src/azure/sshPublicKey.ts";
import { studentSchema } from "../../src/config/schema.ts";
import { formatProblem } from "../../src/errors.ts";
import { readRosterCsv } from "../../src/roster/roster.ts";
import { normalizeScaleSet } from "../../src/validation/scaleSet/index.ts";

// Real test keys made with ssh-keygen (the private halves were discarded).
const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEMfNO2pCvTOJm9MjIJpnawlC3Bh7rsOD53wBR5PgXsj test";
const RSA =
  "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDlk8aneW6S/BvZP7vgg4VAAhmRKOJAqFJyiKqqg6bX0pVsvqV/R1+sP9WLP6E5/EhZ1Z34xX8ogFLfv2vByP4DnnG0lQ3syOg8auQxz3tbXVbbjRUMoemkvB4OjN7SgvcLhhDXiZNEo2lFc89YjZHLD2AlQh/VGInhQKqlJ3iIGw== test";
const ECDSA =
  "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBE/kwlLeVR9Iz+3xHbydUlEWPbSrjAMwmlxA8YRGmx4V99qB+x36buMh6jgtWKqOFm8j3OwxExK0v9HN9Vnk3LQ= test";
const ED_DATA = ED25519.split(" ")[1] ?? "";

/** Encodes SSH wire strings (4-byte big-endian length, then the bytes) as base64 key data. */
function wire(...parts: Buffer[]): string {
  return Buffer.concat(
    parts.flatMap((part) => {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(part.length);
      return [length, part];
    }),
  ).toString("base64");
}

describe("sshPublicKeyFault", () => {
  it("accepts real ed25519, rsa and ecdsa keys, with or without a comment", () => {
    expect([ED25519, RSA, ECDSA, `ssh-ed25519 ${ED_DATA}`].map(sshPublicKeyFault)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("says what is wrong with the key data", () => {
    expect(
      [
        "ssh-rsa notakey",
        "ssh-rsa AAAA",
        `ssh-rsa ${ED_DATA}`,
        `ssh-ed25519 ${wire(Buffer.from("ssh-ed25519"), Buffer.alloc(31))}`,
        `ssh-ed25519 ${wire(Buffer.from("ssh-ed25519"), Buffer.alloc(32), Buffer.alloc(1))}`,
        `ecdsa-sha2-nistp384 ${wire(Buffer.from("ecdsa-sha2-nistp384"), Buffer.from("nistp256"), Buffer.alloc(97))}`,
        "ssh-dss AAAA bob",
        "ssh-ed25519",
      ].map(sshPublicKeyFault),
    ).toEqual([
      { kind: "data", reason: "its key data is not valid base64" },
      { kind: "data", reason: "its key data does not start with a key type" },
      { kind: "data", reason: "its key data is a ssh-ed25519 key but the line starts with ssh-rsa" },
      { kind: "data", reason: "its key data is not a complete ssh-ed25519 key" },
      { kind: "data", reason: "its key data is not a complete ssh-ed25519 key" },
      { kind: "data", reason: "its key data is not a complete ecdsa-sha2-nistp384 key" },
      { kind: "shape" },
      { kind: "shape" },
    ]);
  });
});

describe("a key whose data is not a key", () => {
  it("is refused by the stack-file schema at the key's index", () => {
    const parsed = studentSchema.safeParse({ sshPublicKeys: [ED25519, "ssh-rsa notakey"] });
    expect(parsed.success ? [] : parsed.error.issues.map((i) => [i.path, i.message])).toEqual([
      [
        ["sshPublicKeys", 1],
        "is not an OpenSSH public key line: its key data is not valid base64; allowed: an OpenSSH public key line (ssh-ed25519 AAAA... or ssh-rsa AAAA...)",
      ],
    ]);
  });

  it("is refused by roster import at its row and column", () => {
    const csv = `id,ssh key\nalice,${ED25519}\nbob,ssh-rsa ${ED_DATA}\n`;
    expect(readRosterCsv(csv, "roster.csv").problems).toEqual([
      `roster.csv:3: column "ssh key": is not an OpenSSH public key line: its key data is a ssh-ed25519 key but the line starts with ssh-rsa (got "ssh-rsa ${ED_DATA}"; allowed: an OpenSSH public key line (ssh-ed25519 AAAA... or ssh-rsa AAAA...))`,
    ]);
  });

  it("is refused by the scale-set validator at the argument", () => {
    const result = normalizeScaleSet(
      { sshPublicKey: "ssh-rsa notakey", additionalSshPublicKeys: [RSA] },
      "web",
    );
    expect(result.problems.map((p) => formatProblem(p))).toEqual([
      'sshPublicKey: is not an SSH public key: its key data is not valid base64 (got "ssh-rsa notakey"; allowed: one line starting with ssh-rsa, ssh-ed25519 or ecdsa-sha2-nistp256/384/521)',
    ]);
  });
});
