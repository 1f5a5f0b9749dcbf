/**
 * The TypeScript program the reference is read from: components/ and only what they import for types,
 * over a stand-in lib, so that building it stays cheap (the staleness test builds it on every run).
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import type * as TS from "typescript";
import { ts } from "./typescript.ts";

function* typeScriptFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) yield* typeScriptFiles(full);
    else if (entry.endsWith(".ts") && !entry.endsWith(".d.ts")) yield full;
  }
}

/** The names a file uses in type positions: `Foo` in `x: Foo`, `ns` in `ns.Foo`, `X` in `typeof X`. */
const typeNamesCache = new WeakMap<TS.SourceFile, Set<string>>();
function namesUsedAsTypes(file: TS.SourceFile): Set<string> {
  let names = typeNamesCache.get(file);
  if (names !== undefined) return names;
  const found = new Set<string>();
  const leftmost = (name: TS.Node): void => {
    if (ts.isIdentifier(name)) found.add(name.text);
    else if (ts.isQualifiedName(name)) leftmost(name.left);
    else if (ts.isPropertyAccessExpression(name)) leftmost(name.expression);
  };
  const visit = (node: TS.Node): void => {
    if (ts.isTypeReferenceNode(node)) leftmost(node.typeName);
    else if (ts.isTypeQueryNode(node)) leftmost(node.exprName);
    else if (ts.isExpressionWithTypeArguments(node)) leftmost(node.expression);
    ts.forEachChild(node, visit);
  };
  visit(file);
  names = found;
  typeNamesCache.set(file, names);
  return names;
}

/**
 * Whether an import can bring in a type the reference reads: a type-only import, or one binding a name
 * the file uses as a type (a class, or a value behind `typeof`). Imports of values only (validators,
 * helpers) stay unresolved: following them pulled most of src/ into the program for nothing.
 */
function carriesTypes(literal: TS.StringLiteralLike): boolean {
  const statement = literal.parent;
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (clause === undefined) return false;
    if (clause.isTypeOnly) return true;
    const usedAsTypes = namesUsedAsTypes(statement.getSourceFile());
    const bindings = clause.namedBindings;
    const bound = [
      ...(clause.name ? [clause.name.text] : []),
      ...(bindings && ts.isNamespaceImport(bindings) ? [bindings.name.text] : []),
    ];
    if (bound.some((name) => usedAsTypes.has(name))) return true;
    return (
      bindings !== undefined &&
      ts.isNamedImports(bindings) &&
      bindings.elements.some((e) => e.isTypeOnly || usedAsTypes.has(e.name.text))
    );
  }
  // Re-exports are followed: an importer elsewhere may use what passes through as a type.
  return true;
}

/**
 * The few global types the reference needs instead of a real lib: lib.es5.d.ts alone was a third of
 * the parse. The checker wants its global interfaces to exist; the utility types are what the option
 * types use (an interface extending `Omit<…>` needs the real mapping to list its members).
 */
const LIB_FILE = "azlab-reference-lib.d.ts";
const LIB_TEXT = `
interface Array<T> { [n: number]: T; length: number }
interface ReadonlyArray<T> { readonly [n: number]: T; readonly length: number }
interface Boolean {}
interface Function {}
interface CallableFunction extends Function {}
interface NewableFunction extends Function {}
interface IArguments {}
interface Number {}
interface Object {}
interface RegExp {}
interface String {}
interface Promise<T> { then(onfulfilled: (value: T) => unknown): Promise<unknown> }
interface PromiseLike<T> { then(onfulfilled: (value: T) => unknown): PromiseLike<unknown> }
type Partial<T> = { [K in keyof T]?: T[K] };
type Required<T> = { [K in keyof T]-?: T[K] };
type Readonly<T> = { readonly [K in keyof T]: T[K] };
type Pick<T, K extends keyof T> = { [P in K]: T[P] };
type Record<K extends keyof any, T> = { [P in K]: T };
type Exclude<T, U> = T extends U ? never : T;
type Extract<T, U> = T extends U ? T : never;
type Omit<T, K extends keyof any> = Pick<T, Exclude<keyof T, K>>;
type NonNullable<T> = T & {};
type Parameters<T extends (...args: any) => any> = T extends (...args: infer P) => any ? P : never;
type ReturnType<T extends (...args: any) => any> = T extends (...args: any) => infer R ? R : any;
type Awaited<T> = T extends null | undefined ? T : T extends object & { then(onfulfilled: infer F, ...args: infer _): any } ? F extends (value: infer V, ...args: infer _) => any ? Awaited<V> : never : T;
type Uppercase<S extends string> = intrinsic;
type Lowercase<S extends string> = intrinsic;
type Capitalize<S extends string> = intrinsic;
type Uncapitalize<S extends string> = intrinsic;
`;

/**
 * A program over components/ and what they import for types (see carriesTypes); package imports stay
 * unresolved.
 */
export function createProgram(root: string): TS.Program {
  const options: TS.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    types: [],
    noLib: true,
  };
  const host = ts.createCompilerHost(options, true);
  const readSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, ...rest) =>
    fileName === LIB_FILE
      ? ts.createSourceFile(LIB_FILE, LIB_TEXT, language, true)
      : readSourceFile(fileName, language, ...rest);
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, opts) => {
    // The program keeps one resolution per module name and file, so a module imported twice (values
    // once, types once) is followed when either import carries types.
    const typed = new Set(literals.filter(carriesTypes).map((literal) => literal.text));
    return literals.map((literal) =>
      literal.text.startsWith(".") && typed.has(literal.text)
        ? ts.resolveModuleName(literal.text, containingFile, opts, host, undefined, redirected)
        : { resolvedModule: undefined },
    );
  };
  const roots = [LIB_FILE, ...typeScriptFiles(path.join(root, "components"))];
  return ts.createProgram(roots, options, host);
}
