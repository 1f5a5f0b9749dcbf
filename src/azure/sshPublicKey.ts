/**
 * The one structural check of an OpenSSH public key line (`<type> <base64 key data> [comment]`), used by
 * the stack-file schema, `azlab roster import` (through the schema) and the scale-set validator.
 * The key data is the SSH wire encoding: a sequence of strings, each a 4-byte big-endian length and
 * its bytes, the first naming the key type (RFC 4251 §5, RFC 4253 §6.6 for ssh-rsa, RFC 8709 §4 for
 * ssh-ed25519, RFC 5656 §3.1 for ecdsa-sha2-*). A line whose data is not such a key (`ssh-rsa notakey`)
 * is refused here rather than by Azure or sshd on the first login.
 */

/** The key types Azure Linux VMs accept and the fields that follow the type name in the key data. */
const KEY_FIELDS = {
  /** RFC 4253 §6.6: mpint e, mpint n. */
  "ssh-rsa": 2,
  /** RFC 8709 §4: one string, the 32-byte public key. */
  "ssh-ed25519": 1,
  /** RFC 5656 §3.1: the curve identifier, then the point Q. */
  "ecdsa-sha2-nistp256": 2,
  "ecdsa-sha2-nistp384": 2,
  "ecdsa-sha2-nistp521": 2,
} as const;

export type SshKeyType = keyof typeof KEY_FIELDS;
export const SSH_KEY_TYPES = Object.keys(KEY_FIELDS) as SshKeyType[];

/** Why a line is not a public key: its overall shape, or the key data inside it. */
export type SshKeyFault = { readonly kind: "shape" } | { readonly kind: "data"; readonly reason: string };

const LINE = /^(\S+) ([A-Za-z0-9+/]+={0,2})(?: \S.*)?$/;

/** Splits the key data into its length-prefixed strings; undefined when a length runs past the end. */
function wireStrings(data: Buffer): Buffer[] | undefined {
  const out: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    if (at + 4 > data.length) return undefined;
    const length = data.readUInt32BE(at);
    if (at + 4 + length > data.length) return undefined;
    out.push(data.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return out;
}

/** Undefined for a structurally valid OpenSSH public key line; else what is wrong with it. */
export function sshPublicKeyFault(line: string): SshKeyFault | undefined {
  const match = LINE.exec(line.trim());
  const type = match?.[1];
  const base64 = match?.[2];
  if (type === undefined || base64 === undefined || !(type in KEY_FIELDS)) return { kind: "shape" };
  if (base64.length % 4 !== 0) return { kind: "data", reason: "its key data is not valid base64" };
  const fields = wireStrings(Buffer.from(base64, "base64"));
  const named = fields?.[0]?.toString("latin1");
  if (fields === undefined || named === undefined || !/^[a-z0-9@.-]{1,64}$/.test(named)) {
    return { kind: "data", reason: "its key data does not start with a key type" };
  }
  if (named !== type) {
    return { kind: "data", reason: `its key data is a ${named} key but the line starts with ${type}` };
  }
  const keyType = type as SshKeyType;
  const complete =
    fields.length === 1 + KEY_FIELDS[keyType] &&
    (keyType !== "ssh-ed25519" || fields[1]?.length === 32) &&
    (!keyType.startsWith("ecdsa-") || fields[1]?.toString("latin1") === keyType.slice("ecdsa-sha2-".length));
  return complete ? undefined : { kind: "data", reason: `its key data is not a complete ${type} key` };
}
