/** A class student's own SSH keys on their scale set: each is checked like the instructor's, at its index. */
import { describe, expect, it } from "vitest";
import { formatProblem } from "../../src/errors.ts";
import { normalizeScaleSet } from "../../src/validation/scaleSet/index.ts";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests instructor@lab";

describe("additionalSshPublicKeys", () => {
  it("accepts public key lines and secrets it cannot read", () => {
    const keys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIStudentKey alice@laptop", { secret: true }];
    expect(normalizeScaleSet({ sshPublicKey: KEY, additionalSshPublicKeys: keys }, "web").problems).toEqual(
      [],
    );
  });

  it("names each bad key by its index, and shows no private key", () => {
    const result = normalizeScaleSet(
      {
        sshPublicKey: KEY,
        additionalSshPublicKeys: [
          "ssh-ed25519 AAAAok a@b",
          "-----BEGIN OPENSSH PRIVATE KEY-----\nabc",
          "hello world",
        ],
      },
      "web",
    );
    expect(result.problems.map((p) => formatProblem(p))).toEqual([
      "additionalSshPublicKeys[1]: holds a private key (allowed: the contents of the .pub file)",
      'additionalSshPublicKeys[2]: is not an SSH public key (got "hello world"; allowed: one line starting with ssh-rsa, ssh-ed25519 or ecdsa-sha2-nistp256/384/521)',
    ]);
  });
});
