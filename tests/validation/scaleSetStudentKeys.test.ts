/** A class student's own SSH keys on their scale set: each is checked like the instructor's, at its index. */
import { describe, expect, it } from "vitest";
import { formatProblem } from "../../src/errors.ts";
import { normalizeScaleSet } from "../../src/validation/scaleSet/index.ts";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBxJPsvy5tgU7cH4TSo4Y258D0QybT9JUkO06q8ZtSx5 instructor@lab";

describe("additionalSshPublicKeys", () => {
  it("accepts public key lines and secrets it cannot read", () => {
    const keys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBQDwXKiULMGhdZ7mgYi1aK7xQwY2pxN8e4paIe2WO6V alice@laptop",
      { secret: true },
    ];
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
      'additionalSshPublicKeys[0]: is not an SSH public key: its key data is not valid base64 (got "ssh-ed25519 AAAAok a"; allowed: one line starting with ssh-rsa, ssh-ed25519 or ecdsa-sha2-nistp256/384/521)',
      "additionalSshPublicKeys[1]: holds a private key (allowed: the contents of the .pub file)",
      'additionalSshPublicKeys[2]: is not an SSH public key (got "hello world"; allowed: one line starting with ssh-rsa, ssh-ed25519 or ecdsa-sha2-nistp256/384/521)',
    ]);
  });
});
