import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseStackConfig } from "../../src/config/parse.ts";
import { planStack } from "../../src/stack/planStack.ts";
import type { NetworkLock } from "../../src/planner/types.ts";

/** The shipped class-demo config and lock, as the loader would hand them to planStack. */
function classDemo(): {
  config: NonNullable<ReturnType<typeof parseStackConfig>["config"]>;
  lock: NetworkLock;
} {
  const raw = (
    parse(readFileSync("stacks/Pulumi.class-demo.yaml", "utf8")) as { config: Record<string, unknown> }
  ).config;
  const { config, problems } = parseStackConfig(raw, []);
  expect(problems).toEqual([]);
  const lock = JSON.parse(readFileSync("stacks/Pulumi.class-demo.lock.json", "utf8")) as NetworkLock;
  return { config: config!, lock };
}

describe("lock entries of a class's students", () => {
  it("names the student whose lock entry is wrong, since every student shares azlab:network", () => {
    const { config, lock } = classDemo();
    const vnets = {
      ...lock.vnets,
      bob: { ...lock.vnets["bob"]!, subnets: { ...lock.vnets["bob"]!.subnets, app: "10.128.4.0/26" } },
    };
    const result = planStack("class-demo", config, { ...lock, vnets });
    expect(result.problems).toEqual([
      {
        path: "azlab:network.subnets.app",
        value: "10.128.4.0/26",
        message:
          "the locked block lies outside 10.128.5.0/24; delete its lock entry to re-address it (student bob's lock entry: vnets.bob.subnets)",
        allowed: "a block inside 10.128.5.0/24",
      },
    ]);
  });
});
