import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const pages = [
  "README.md",
  "CONTRIBUTING.md",
  ...readdirSync(path.join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

/** GitHub's heading anchor: lowercase, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

function anchorsIn(markdown: string): Set<string> {
  const outsideCode = markdown.replace(/```[\s\S]*?```/g, "");
  return new Set([...outsideCode.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1] ?? "")));
}

/** Relative links `[text](target)` outside code blocks, with their page. */
function relativeLinks(page: string): string[] {
  const markdown = readFileSync(path.join(root, page), "utf8").replace(/```[\s\S]*?```/g, "");
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1] ?? "")
    .filter((target) => !/^[a-z]+:/.test(target));
}

describe("documentation links", () => {
  it("computes GitHub's anchors", () => {
    expect(anchorOf("What was exercised only through fakes")).toBe("what-was-exercised-only-through-fakes");
    expect(anchorOf("The JSON plan (`azlab.plan/v1`)")).toBe("the-json-plan-azlabplanv1");
    expect(anchorOf("Never deployed: what is and is not verified")).toBe(
      "never-deployed-what-is-and-is-not-verified",
    );
  });

  it.each(pages)("every relative link in %s points to an existing file and heading", (page) => {
    const broken: string[] = [];
    for (const target of relativeLinks(page)) {
      const [file = "", anchor] = target.split("#");
      const resolved =
        file === "" ? path.join(root, page) : path.resolve(path.dirname(path.join(root, page)), file);
      if (!existsSync(resolved)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (
        anchor !== undefined &&
        resolved.endsWith(".md") &&
        !anchorsIn(readFileSync(resolved, "utf8")).has(anchor)
      ) {
        broken.push(`${target}: no heading with anchor #${anchor}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("keeps the README at most about 10 KB, opening with the two set-up commands", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(10_240);
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(firstBlock.split("\n").filter((line) => line !== "" && !line.startsWith("#"))).toEqual([
      "npm ci && npx azlab plan --stack class-demo",
      "npm ci && npm test",
    ]);
  });
});
