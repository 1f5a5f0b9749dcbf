/**
 * `pulumi up` reads config from the engine, not from the stack file: the program must refuse what
 * `validate` refuses, in the same words, with the ciphertext of a secure value nowhere.
 */
import { describe, expect, it } from "vitest";
import { loadStackFile, PROJECT_NAME } from "../../src/config/stackFile.ts";
import { runOffline } from "../../src/engine/mockEngine.ts";
import { azlabProgram } from "../../src/program/program.ts";

const FILE = "stacks/Pulumi.dev.yaml";

/** The dev stack's config as the engine holds it, with some keys replaced. */
async function runWith(changes: Record<string, string>, secretKeys: string[]): Promise<string> {
  const loaded = loadStackFile(FILE, "dev");
  try {
    await runOffline({
      project: PROJECT_NAME,
      stack: "dev",
      config: { ...loaded.engineConfig, ...changes },
      secretKeys,
      program: () => azlabProgram({ lockPath: loaded.lockPath, configFile: FILE }),
    });
    return "ran";
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

describe("the program reading engine config", () => {
  it("refuses a secret owner, as validate does, without its value", async () => {
    const message = await runWith({ "azlab:owner": "decrypted-owner@example.edu" }, ["azlab:owner"]);
    expect(message).toContain(
      `${FILE}: azlab:owner: cannot be a secure value: it is not a secret, and secure values are not checked ` +
        "(allowed: a plain value; only azlab:adminSshPublicKey, azlab:windowsAdminPassword may be secure)",
    );
    expect(message).not.toContain("decrypted-owner");
  });

  it("refuses a Windows class time zone, as validate does", async () => {
    const loaded = loadStackFile("stacks/Pulumi.class-demo.yaml", "class-demo");
    const cls = JSON.parse(loaded.engineConfig["azlab:class"]!) as Record<string, unknown>;
    let message = "ran";
    try {
      await runOffline({
        project: PROJECT_NAME,
        stack: "class-demo",
        config: {
          ...loaded.engineConfig,
          "azlab:class": JSON.stringify({ ...cls, timeZone: "W. Europe Standard Time" }),
        },
        secretKeys: [],
        program: () => azlabProgram({ lockPath: loaded.lockPath, configFile: loaded.path }),
      });
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).toContain(
      'stacks/Pulumi.class-demo.yaml: azlab:class.timeZone: is a Windows time zone id, not an IANA time zone name (got "W. Europe Standard Time"',
    );
  });

  it("accepts a secret SSH key", async () => {
    expect(await runWith({}, ["azlab:adminSshPublicKey"])).toBe("ran");
  });
});
