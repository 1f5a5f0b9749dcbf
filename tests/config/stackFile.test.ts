/**
 * Hostile and malformed stack files: each is refused with one exact message that names the file,
 * the key (or line) and what is allowed, never with a stack trace.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";
import { MAX_STACK_FILE_BYTES } from "../../src/config/stackFile.ts";

const DEV = readFileSync("stacks/Pulumi.dev.yaml", "utf8");
const CLASS = readFileSync("stacks/Pulumi.class-demo.yaml", "utf8");
const DEV_SSH_KEY_LINE = /^ {2}azlab:adminSshPublicKey: .*\n/m.exec(DEV)![0];

/** Nine levels of nine aliases each: 9^9 nodes once expanded, from about 700 bytes. */
const ALIAS_BOMB = [
  "config:",
  "  azlab:environment: dev",
  "  azlab:x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]",
  ...Array.from(
    { length: 9 },
    (_, n) => `  azlab:x${n + 1}: &a${n + 1} [${Array.from({ length: 9 }, () => `*a${n}`).join(", ")}]`,
  ),
  "",
].join("\n");

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "azlab-stackfile-"));
  created.push(dir);
  return dir;
}

function stackFile(body: string | Buffer, name = "Pulumi.t.yaml"): string {
  const path = join(tempDir(), name);
  writeFileSync(path, body);
  return path;
}

/** The shipped file with one exact text replaced; fails loudly if the text is not there. */
function edited(base: string, from: string, to: string): string {
  expect(base).toContain(from);
  return base.replace(from, to);
}

async function validate(path: string) {
  const result = await runCli(["validate", "--config-file", path]);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return result;
}

describe("reading a stack file", () => {
  it("refuses a 700-byte YAML alias bomb by file and line, without expanding it", async () => {
    const body = ALIAS_BOMB;
    expect(body.length).toBeLessThan(800);
    const path = stackFile(body);
    const result = await validate(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `azlab: ${path}: YAML aliases at line 4, column 18 cannot be expanded: Excessive alias count indicates a resource exhaustion attack (allowed: aliases that expand to at most 100 nodes; write the values out instead)\n`,
    );
  });

  it("lets `expired` name the alias bomb, go on with the other stacks and exit 1", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "Pulumi.class-demo.yaml"), CLASS);
    const bomb = join(dir, "Pulumi.bomb.yaml");
    writeFileSync(bomb, ALIAS_BOMB);
    const result = await runCli(["expired", "--stacks-dir", dir, "--as-of", "2027-03-01"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^class-demo +cloud-101 /m);
    expect(result.stderr).toBe(
      `azlab: ${bomb}: YAML aliases at line 4, column 18 cannot be expanded: Excessive alias count indicates a resource exhaustion attack (allowed: aliases that expand to at most 100 nodes; write the values out instead)\n`,
    );
  });

  it("refuses an alias inside the value it refers to, which would make that value contain itself", async () => {
    const path = stackFile("config:\n  azlab:environment: dev\n  azlab:tags: &t\n    a: b\n    c: *t\n");
    const result = await validate(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `azlab: ${path}: the YAML alias at line 5, column 8 is inside the value it refers to, so that value would contain itself (allowed: aliases to values that do not contain them)\n`,
    );
  });

  it("still reads a stack file that uses a few anchors and aliases", async () => {
    const path = stackFile(
      edited(
        CLASS,
        "    authorizedIpRanges:\n      - 145.100.0.0/16\n      - 203.0.113.7/32",
        "    authorizedIpRanges: *campus",
      ).replace("    sourceCidrs:\n", "    sourceCidrs: &campus\n"),
      "Pulumi.class-demo.yaml",
    );
    copyFileSync("stacks/Pulumi.class-demo.lock.json", path.replace(/\.yaml$/, ".lock.json"));
    const result = await validate(path);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(`${path}: valid (class stack "class-demo", 4 environments)\n`);
  });

  it("refuses a stack file over the size limit before parsing it", async () => {
    const path = stackFile(`${DEV}# ${"x".repeat(MAX_STACK_FILE_BYTES)}\n`);
    const result = await validate(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `azlab: ${path}: the stack file is ${DEV.length + MAX_STACK_FILE_BYTES + 3} bytes (allowed: at most 2097152 bytes)\n`,
    );
  });

  it("refuses a folder or a device given as the stack file, without reading it", async () => {
    const dir = tempDir();
    const folder = join(dir, "Pulumi.folder.yaml");
    mkdirSync(folder);
    const result = await validate(folder);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`azlab: ${folder}: is not a regular file (allowed: a stack file)\n`);
    // /dev/zero never ends: reading it would hang.
    const device = await validate("/dev/zero");
    expect(device.code).toBe(1);
    expect(device.stderr).toBe("azlab: /dev/zero: is not a regular file (allowed: a stack file)\n");
  });

  it("refuses invalid UTF-8 with the line and column of the first bad byte", async () => {
    const path = stackFile(
      Buffer.concat([
        Buffer.from("config:\n  azlab:environment: dev\n  azlab:owner: caf"),
        Buffer.from([0xe9]),
        Buffer.from("\n"),
      ]),
    );
    const result = await validate(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `azlab: ${path}: is not valid UTF-8 at line 3, column 19 (byte offset 51; allowed: text saved as UTF-8)\n`,
    );
  });

  it("reports YAML syntax errors with line and column", async () => {
    const path = stackFile(edited(DEV, "    addressSpace: 10.20.0.0/16", "    addressSpace: [10.20.0.0/16"));
    const result = await validate(path);
    expect(result.code).toBe(1);
    expect(result.stderr.split("\n").slice(0, 2)).toEqual([
      `azlab: ${path} is not valid YAML:`,
      `  - ${path}: invalid YAML at line 13, column 5: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    ]);
    expect(result.stderr).not.toContain("line ?");
  });

  it("refuses a key written twice, naming the line of the second one", async () => {
    const path = stackFile(
      edited(
        DEV,
        "  azlab:location: westeurope\n",
        "  azlab:location: westeurope\n  azlab:location: northeurope\n",
      ),
    );
    const result = await validate(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `azlab: ${path} is not valid YAML:\n  - ${path}: invalid YAML at line 6, column 3: Map keys must be unique\n`,
    );
  });

  it("refuses a document that is not a mapping", async () => {
    const path = stackFile("- config\n- azlab:environment\n");
    const result = await validate(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `azlab: ${path}: must be a YAML mapping with a config: section (got a list; allowed: "config:" followed by "azlab:key: value" lines)\n`,
    );
  });

  it("refuses .yml stack files everywhere, with the name to rename them to", async () => {
    const dir = tempDir();
    const path = join(dir, "Pulumi.lab.yml");
    writeFileSync(path, DEV);
    const byFile = await validate(path);
    expect(byFile.code).toBe(1);
    expect(byFile.stderr).toBe(
      `azlab: ${path}: stack files must end in .yaml, as the Pulumi CLI reads them (allowed: rename it to Pulumi.lab.yaml)\n`,
    );
    const byName = await runCli(["validate", "--stack", "lab", "--stacks-dir", dir]);
    expect(byName.code).toBe(1);
    expect(byName.stderr).toBe(
      `azlab: ${path}: stack files must end in .yaml, as the Pulumi CLI reads them (allowed: rename it to Pulumi.lab.yaml)\n`,
    );
    // `expired` lists the folder: it names the .yml file instead of skipping it.
    const expired = await runCli(["expired", "--stacks-dir", dir, "--as-of", "2026-01-01"]);
    expect(expired.code).toBe(1);
    expect(expired.stderr).toContain(`${path}: stack files must end in .yaml`);
  });

  it("cuts a huge bad value short in the message", async () => {
    const path = stackFile(
      edited(DEV, "  azlab:location: westeurope", `  azlab:location: ${"x".repeat(100_000)}`),
    );
    const result = await validate(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `azlab: ${path}: 1 problem in the stack config:\n` +
        `  - ${path}: azlab:location: is not valid (got "${"x".repeat(199)}… (100002 characters); allowed: an Azure region name such as westeurope)\n`,
    );
  });
});

describe("secure values", () => {
  it("refuses secure: on settings that are not secrets, without printing the ciphertext", async () => {
    const path = stackFile(
      edited(
        edited(
          DEV,
          "  azlab:owner: platform-team@example.edu",
          "  azlab:owner:\n    secure: AAABAOwnerCipherText==",
        ),
        "  azlab:namePrefix: azlab",
        "  azlab:namePrefix:\n    secure: AAABAPrefixCipherText==",
      ),
    );
    const result = await validate(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `azlab: ${path}: 2 problems in the stack config:\n` +
        `  - ${path}: azlab:owner: cannot be a secure value: it is not a secret, and secure values are not checked (allowed: a plain value; only azlab:adminSshPublicKey, azlab:windowsAdminPassword may be secure)\n` +
        `  - ${path}: azlab:namePrefix: cannot be a secure value: it is not a secret, and secure values are not checked (allowed: a plain value; only azlab:adminSshPublicKey, azlab:windowsAdminPassword may be secure)\n`,
    );
    expect(result.stderr).not.toContain("AAAB");
  });

  it("accepts a secure SSH key and a secure setting of another namespace", async () => {
    const path = stackFile(
      edited(
        edited(DEV, DEV_SSH_KEY_LINE, "  azlab:adminSshPublicKey:\n    secure: AAABAKeyCipher==\n"),
        "  azure-native:location: westeurope\n",
        "  azure-native:location: westeurope\n  azure-native:clientSecret:\n    secure: AAABAClientCipher==\n",
      ),
      "Pulumi.dev.yaml",
    );
    const result = await validate(path);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("AAAB");
  });

  it("refuses a malformed secure value once, and never shows what it holds", async () => {
    const path = stackFile(
      edited(
        DEV,
        DEV_SSH_KEY_LINE,
        "  azlab:adminSshPublicKey:\n    secure: AAABAKeyCipher==\n    extra: AAABAExtra\n",
      ),
    );
    const result = await validate(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `azlab: ${path}: 1 problem in the stack config:\n` +
        `  - ${path}: azlab:adminSshPublicKey: is not a well-formed secure value (allowed: secure: followed by the ciphertext that \`pulumi config set --secret\` writes, and nothing else)\n`,
    );
  });

  it("refuses a secure: value nested inside a setting (pulumi config set --path --secret)", async () => {
    const path = stackFile(
      edited(
        edited(CLASS, "    courseId: cloud-101", "    courseId: { secure: AAABANestedCipher== }"),
        "      bob: {}",
        "      bob: { displayName: { secure: AAABANameCipher== } }",
      ),
    );
    const result = await validate(path);
    expect(result.code).toBe(1);
    const refused =
      "cannot be a secure value: it is not a secret, and secure values are not checked (allowed: a plain value; only azlab:adminSshPublicKey, azlab:windowsAdminPassword may be secure)";
    expect(result.stderr).toBe(
      `azlab: ${path}: 2 problems in the stack config:\n` +
        `  - ${path}: azlab:class.courseId: ${refused}\n` +
        `  - ${path}: azlab:class.students.bob.displayName: ${refused}\n`,
    );
  });
  it("never shows the ciphertext of a secure: mapping written where a map of settings belongs", async () => {
    const path = stackFile(
      edited(DEV, "    userPools:\n", "    userPools: { secure: AAABAPoolCipher== }\n    otherPools:\n"),
    );
    const result = await validate(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `  - ${path}: azlab:aks.userPools.secure: must be an object (got "[secure]"; allowed: an object)\n`,
    );
    expect(result.stderr).not.toContain("AAABA");
  });
});

describe("values the program or `expired` would refuse", () => {
  it.each([
    [
      "a made-up time zone",
      "    timeZone: Europe/Amsterdam",
      "    timeZone: Mars/Olympus",
      'azlab:class.timeZone: is not an IANA time zone name (got "Mars/Olympus"; allowed: an IANA time zone name such as "Europe/Amsterdam", "America/New_York" or "UTC")',
    ],
    [
      "a Windows time zone id",
      "    timeZone: Europe/Amsterdam",
      "    timeZone: W. Europe Standard Time",
      'azlab:class.timeZone: is a Windows time zone id, not an IANA time zone name (got "W. Europe Standard Time"; allowed: an IANA time zone name such as "Europe/Amsterdam", "America/New_York" or "UTC")',
    ],
    [
      "30 February",
      '    expiresOn: "2027-01-31"',
      "    expiresOn: 2026-02-30",
      'azlab:class.expiresOn: is not a day in the calendar (got "2026-02-30"; allowed: a real date as YYYY-MM-DD, such as 2027-02-28)',
    ],
    [
      "a student id with capitals and an email",
      "      bob: {}",
      "      Bob.Smith@uni.edu: {}",
      'azlab:class.students.Bob.Smith@uni.edu: is not a valid student id (try "bob-smith") (got "Bob.Smith@uni.edu"; allowed: 1–31 lowercase letters, digits and hyphens, starting with a letter or digit; lowercase it (Alice → alice) or derive it from the email (Alice.Smith@uni.edu → alice-smith))',
    ],
  ])("refuses %s at the key the user wrote", async (_name, from, to, problem) => {
    const path = stackFile(edited(CLASS, from, to), "Pulumi.class-demo.yaml");
    const result = await validate(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`azlab: ${path}: 1 problem in the stack config:\n  - ${path}: ${problem}\n`);
  });
});

describe("repeated problems", () => {
  it("summarises 748 students who do not fit the supernet in four lines", async () => {
    const roster = Array.from({ length: 1000 }, (_, i) => `      s${String(i).padStart(4, "0")}: {}\n`).join(
      "",
    );
    const start = CLASS.indexOf("    students:\n");
    const end = CLASS.indexOf("  azlab:network:");
    const path = stackFile(
      `${CLASS.slice(0, start)}    students:\n${roster}${CLASS.slice(end)}`,
      "Pulumi.class-demo.yaml",
    );
    const result = await validate(path);
    expect(result.code).toBe(1);
    const line = (id: string) =>
      `  - ${path}: azlab:class.students.${id}: no free /24 block (256 addresses) is left for ${id} (got 24; allowed: a larger parent range: no free addresses are left in 10.128.0.0/16)`;
    expect(result.stderr).toBe(
      [
        `azlab: ${path}: 748 problems in the stack config:`,
        line("s0252"),
        line("s0253"),
        line("s0254"),
        `  - ${path}: azlab:class.students.*: 745 more with the same problem: s0255, s0256, s0257, s0258, s0259, …`,
        "",
      ].join("\n"),
    );
  });
});

describe("problems with values azlab derives from the user's settings", () => {
  it("reports a source CIDR with host bits at azlab:class.sourceCidrs, not at the NSG rule made from it", async () => {
    const path = stackFile(
      edited(CLASS, "      - 203.0.113.7/32 # instructor", "      - 203.0.113.7/24 # instructor"),
    );
    const result = await validate(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`  - ${path}: azlab:class.sourceCidrs.1: `);
    expect(result.stderr).toContain('(got "203.0.113.7/24"; allowed: 203.0.113.0/24)');
    expect(result.stderr).not.toContain("azlab:nsg.rules");
  });

  it("reports a negative node count at azlab:aks.systemPool.maxCount, not at a derived total", async () => {
    const path = stackFile(
      edited(DEV, "      minCount: 1\n      maxCount: 2\n", "      minCount: 1\n      maxCount: -2\n"),
    );
    const result = await validate(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`  - ${path}: azlab:aks.systemPool.maxCount: `);
    expect(result.stderr).toContain("(got -2; ");
    expect(result.stderr).not.toContain("azlab:aks.maxNodes");
  });
});
