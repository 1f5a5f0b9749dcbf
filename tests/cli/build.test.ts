/**
 * The compiled CLI build (scripts/build.mjs) and the launcher's freshness check (bin/dist.js): a build
 * runs only while every source it was made from is unchanged, so an edit never runs stale code.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { freshEntry } from "../../bin/dist.js";
import { buildCli, stopBuilds } from "../../scripts/build.mjs";

/** A project with the CLI's entry point and one module it imports. */
function project(greeting: string): string {
  const root = mkdtempSync(join(tmpdir(), "azlab-build-"));
  mkdirSync(join(root, "src", "cli"), { recursive: true });
  writeFileSync(
    join(root, "src", "cli", "main.ts"),
    'import { greeting } from "./greeting.ts";\nexport async function main(): Promise<string> {\n  return greeting;\n}\n',
  );
  writeFileSync(join(root, "src", "cli", "greeting.ts"), `export const greeting: string = "${greeting}";\n`);
  return root;
}

const builds = (root: string) =>
  readdirSync(join(root, "dist"))
    .filter((f) => f !== "manifest.json")
    .sort();
const run = async (entry: string) =>
  ((await import(`${pathToFileURL(entry).href}?t=${Date.now()}`)) as { main(): Promise<string> }).main();

describe("the compiled CLI build", () => {
  // The builds below share one esbuild service process (scripts/build.mjs).
  afterAll(() => stopBuilds());

  it("builds once, then reuses the build while its inputs are unchanged", async () => {
    const root = project("hello");
    const first = await buildCli(root);
    expect(first.built).toBe(true);
    expect(freshEntry(root)).toBe(first.entry);
    expect(await run(first.entry)).toBe("hello");
    expect(await buildCli(root)).toEqual({ entry: first.entry, built: false });
    rmSync(root, { recursive: true, force: true });
  });

  it("is stale after an imported module changes, and a rebuild runs the new code", async () => {
    const root = project("hello");
    const first = await buildCli(root);
    writeFileSync(join(root, "src", "cli", "greeting.ts"), 'export const greeting: string = "hallo";\n');
    expect(freshEntry(root)).toBeUndefined();
    const second = await buildCli(root);
    expect(second.built).toBe(true);
    expect(second.entry).not.toBe(first.entry);
    expect(await run(second.entry)).toBe("hallo");
    rmSync(root, { recursive: true, force: true });
  });

  it("is stale when only a modification time moves, and rebuilds into the same content-named folder", async () => {
    const root = project("hello");
    const first = await buildCli(root);
    utimesSync(join(root, "src", "cli", "main.ts"), new Date(2001, 0, 1), new Date(2001, 0, 1));
    expect(freshEntry(root)).toBeUndefined();
    expect(await buildCli(root)).toEqual({ entry: first.entry, built: true });
    expect(freshEntry(root)).toBe(first.entry);
    rmSync(root, { recursive: true, force: true });
  });

  it("keeps the previous build for processes still loading it, and removes older ones", async () => {
    const root = project("one");
    const ids: string[] = [];
    for (const greeting of ["one", "two", "three"]) {
      writeFileSync(
        join(root, "src", "cli", "greeting.ts"),
        `export const greeting: string = "${greeting}";\n`,
      );
      ids.push((await buildCli(root)).entry.split("/").at(-2)!);
    }
    expect(new Set(ids).size).toBe(3);
    expect(builds(root)).toEqual([ids[1], ids[2]].sort());
    rmSync(root, { recursive: true, force: true });
  });

  it("answers no build for a deleted input, a damaged manifest or no build at all", async () => {
    const root = project("hello");
    expect(freshEntry(root)).toBeUndefined();
    await buildCli(root);
    writeFileSync(join(root, "dist", "manifest.json"), "{ not json");
    expect(freshEntry(root)).toBeUndefined();
    await buildCli(root);
    rmSync(join(root, "src", "cli", "greeting.ts"));
    expect(freshEntry(root)).toBeUndefined();
    rmSync(root, { recursive: true, force: true });
  });

  it("runs the same CLI from the build and from the source", () => {
    const help = (env: Record<string, string>) =>
      spawnSync(process.execPath, ["bin/azlab.js", "cidr", "subnet", "10.0.0.0/16", "8", "2"], {
        encoding: "utf8",
        env: { ...process.env, ...env },
      });
    // The test setup built the CLI; the source run needs no build.
    expect(existsSync(freshEntry(process.cwd()) ?? "")).toBe(true);
    const compiled = help({});
    const source = help({ AZLAB_FROM_SOURCE: "1" });
    expect({ status: compiled.status, stdout: compiled.stdout, stderr: compiled.stderr }).toEqual({
      status: 0,
      stdout: "10.0.2.0/24\n",
      stderr: "",
    });
    expect({ status: source.status, stdout: source.stdout, stderr: source.stderr }).toEqual({
      status: 0,
      stdout: "10.0.2.0/24\n",
      stderr: "",
    });
  });
});
