import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadsPulumi, runtimeImports, testProjects } from "./projects.ts";

// Spelled so that this file's own source does not import the SDK in the classifier's eyes.
const SDK = ["@pulumi", "pulumi"].join("/");

describe("runtimeImports", () => {
  it("finds static, re-exported, side-effect, lazy and required modules, and skips type-only imports", () => {
    const source = [
      `import * as pulumi from "${SDK}";`,
      'import type { Problem } from "../errors.ts";',
      'import { type A, b } from "./b.ts";',
      'export { c } from "./c.ts";',
      'import "./side.ts";',
      'const d = await import("./d.ts");',
      `const e = require("${SDK}/proto/analyzer_pb.js");`,
      "import {",
      "  f,",
      "  g,",
      '} from "./fg.ts";',
    ].join("\n");
    expect(runtimeImports(source)).toEqual([
      SDK,
      "./b.ts",
      "./c.ts",
      "./side.ts",
      "./d.ts",
      `${SDK}/proto/analyzer_pb.js`,
      "./fg.ts",
    ]);
  });
});

describe("testProjects", () => {
  it("puts a file in the Pulumi project when any import chain reaches @pulumi, and vi.mock files apart", () => {
    const root = mkdtempSync(join(tmpdir(), "azlab-projects-"));
    mkdirSync(join(root, "src"));
    mkdirSync(join(root, "tests", "a"), { recursive: true });
    writeFileSync(
      join(root, "src", "pure.ts"),
      'import { z } from "zod";\nimport type { X } from "./sdk.ts";\n',
    );
    writeFileSync(join(root, "src", "cycle.ts"), 'import "./lazy.ts";\n');
    writeFileSync(
      join(root, "src", "lazy.ts"),
      'import "./cycle.ts";\nexport const m = () => import("./sdk.ts");\n',
    );
    writeFileSync(join(root, "src", "sdk.ts"), `import * as pulumi from "${SDK}";\n`);
    writeFileSync(join(root, "tests", "a", "pure.test.ts"), 'import "../../src/pure.ts";\n');
    writeFileSync(join(root, "tests", "a", "lazy.test.ts"), 'import "../../src/cycle.ts";\n');
    writeFileSync(
      join(root, "tests", "mocked.test.ts"),
      'import "../src/pure.ts";\nvi.mock("../src/pure.ts");\n',
    );
    expect(testProjects(root)).toEqual({
      unit: ["tests/a/pure.test.ts"],
      pulumi: ["tests/a/lazy.test.ts"],
      isolated: ["tests/mocked.test.ts"],
    });
    expect(loadsPulumi(join(root, "src", "pure.ts"))).toBe(false);
  });
});
