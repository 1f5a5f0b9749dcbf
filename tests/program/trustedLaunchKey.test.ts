/** `azlab:scaleSet.trustedLaunch` from the stack file through pre-flight to the ScaleSet's arguments. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatProblem } from "../../src/errors.ts";
import { loadStackFile } from "../../src/config/stackFile.ts";
import { preflight } from "../../src/program/preflight.ts";

function devWith(from: string, to: string) {
  const text = readFileSync("stacks/Pulumi.dev.yaml", "utf8");
  if (!text.includes(from)) throw new Error(`the dev stack no longer contains ${JSON.stringify(from)}`);
  const path = join(mkdtempSync(join(tmpdir(), "azlab-tl-")), "Pulumi.dev.yaml");
  writeFileSync(path, text.replace(from, to));
  const loaded = loadStackFile(path, "dev");
  return { result: preflight(loaded.stack, loaded.config, undefined) };
}

describe("azlab:scaleSet.trustedLaunch", () => {
  it("reports a forced Trusted Launch on a Dv3 size at the key the user wrote", () => {
    const { result } = devWith(
      "    vmSize: Standard_B1s\n",
      "    vmSize: Standard_D2_v3\n    trustedLaunch: true\n",
    );
    expect(result.problems.map((p) => formatProblem(p))).toEqual([
      `azlab:scaleSet.trustedLaunch: cannot be on for Standard_D2_v3: Microsoft lists the Dv3-series as not supporting Trusted Launch (got true; allowed: false, or a size that supports it such as Standard_B2s or Standard_D2s_v5)`,
    ]);
  });

  it("accepts the opt-out on the shipped size", () => {
    const { result } = devWith(
      "    vmSize: Standard_B1s\n",
      "    vmSize: Standard_B1s\n    trustedLaunch: false\n",
    );
    expect(result.problems).toEqual([]);
    expect(result.plan?.config.scaleSet?.trustedLaunch).toBe(false);
  });
});
