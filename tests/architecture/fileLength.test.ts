import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkFileLengths } from "../../scripts/check-architecture.mjs";

const roots: string[] = [];

/** A scratch tree holding the given files, each of `lines` lines. */
function tree(files: Record<string, { lines: number; trailingNewline?: boolean }>): string {
  const root = mkdtempSync(join(tmpdir(), "azlab-length-"));
  roots.push(root);
  for (const [rel, { lines, trailingNewline = true }] of Object.entries(files)) {
    const text = Array.from({ length: lines }, (_, i) => `export const v${i} = ${i};`).join("\n");
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), trailingNewline && lines > 0 ? `${text}\n` : text);
  }
  return root;
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe("the source file length check (scripts/check-architecture.mjs)", () => {
  it("refuses a 401-line source file and names it, its length and the limit", () => {
    const root = tree({ "src/policy/big.ts": { lines: 401 }, "scripts/tool.mjs": { lines: 401 } });
    expect(checkFileLengths(root)).toEqual([
      "src/policy/big.ts: 401 lines, over the limit of 400; split it along its seams (docs/architecture.md)",
      "scripts/tool.mjs: 401 lines, over the limit of 400; split it along its seams (docs/architecture.md)",
    ]);
  });

  it("accepts a 400-line file, with or without a final newline", () => {
    const root = tree({
      "src/policy/ok.ts": { lines: 400 },
      "components/ok.ts": { lines: 400, trailingNewline: false },
    });
    expect(checkFileLengths(root)).toEqual([]);
  });

  it("counts a last line without a newline", () => {
    const root = tree({ "bin/cli.js": { lines: 401, trailingNewline: false } });
    expect(checkFileLengths(root)).toEqual([
      "bin/cli.js: 401 lines, over the limit of 400; split it along its seams (docs/architecture.md)",
    ]);
  });

  it("leaves tests/ alone", () => {
    const root = tree({
      "tests/big.test.ts": { lines: 900 },
      "src/schedule/other.ts": { lines: 401 },
    });
    expect(checkFileLengths(root)).toEqual([
      "src/schedule/other.ts: 401 lines, over the limit of 400; split it along its seams (docs/architecture.md)",
    ]);
  });
});
