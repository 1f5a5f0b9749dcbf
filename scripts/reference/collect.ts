/**
 * Reads the component reference out of components/: each component class, its type token, its arguments
 * (the exported `*Args` interface, inherited members included), the option interfaces those arguments
 * reference, and its outputs, with their TSDoc. scripts/gen-reference.ts renders it.
 *
 * Only relative imports that can bring in a type are followed, and a few lines stand in for the standard
 * lib, so the Pulumi SDK and most of src/ are never parsed: that keeps the staleness test cheap.
 */
import path from "node:path";
import type * as TS from "typescript";
import { ts } from "./typescript.ts";
import { createProgram } from "./program.ts";

/** One row of an input or output table. */
export interface MemberDoc {
  readonly name: string;
  readonly type: string;
  /** "required", a default value, or "" when neither is known (outputs, or an optional input without one). */
  readonly default: string;
  readonly description: string;
}

export interface InterfaceDoc {
  readonly name: string;
  readonly file: string;
  readonly description: string;
  readonly members: readonly MemberDoc[];
}

export interface ComponentDoc {
  readonly className: string;
  readonly file: string;
  readonly typeToken: string | undefined;
  readonly description: string;
  readonly args: InterfaceDoc | undefined;
  /** Option interfaces reachable from the args, in first-use order. */
  readonly nested: readonly InterfaceDoc[];
  readonly outputs: readonly MemberDoc[];
}

const squash = (text: string): string => text.replace(/\s+/g, " ").trim();

function commentText(comment: string | readonly TS.JSDocComment[] | undefined): string {
  if (comment === undefined) return "";
  if (typeof comment === "string") return comment;
  return comment.map((part) => part.text).join("");
}

/** The JSDoc blocks written directly on a declaration (not those inherited from an enclosing statement). */
function jsDocsOf(node: TS.Node): TS.JSDoc[] {
  return ts
    .getJSDocCommentsAndTags(node)
    .filter((doc): doc is TS.JSDoc => ts.isJSDoc(doc) && doc.parent === node);
}

/** "a (b; c); d" → ["a (b; c)", "d"]: a semicolon inside parentheses belongs to the value. */
function splitAtTopLevelSemicolon(text: string): [string, string] {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "(") depth++;
    else if (ch === ")") depth = Math.max(0, depth - 1);
    else if (ch === ";" && depth === 0) return [text.slice(0, i).trim(), text.slice(i + 1).trim()];
  }
  return [text.trim(), ""];
}

/**
 * Splits a TSDoc block into description and default. An explicit `@default` wins; otherwise the house style
 * "Defaults to X." (or "Default: X.", "Defaults: X.") is lifted out of the prose, and "Required." marks a
 * required input. Text after a ";" in the default sentence stays in the description.
 */
export function splitDoc(
  prose: string,
  tags: Readonly<Record<string, string>>,
): { description: string; default: string } {
  const sentences = squash(prose)
    // A sentence ends at ". " before a capital, digit, quote or code span, except after "e.g." and "i.e.".
    .split(/(?<!\b[ei]\.[ge]\.)(?<=[.!?])\s+(?=[A-Z0-9`"'(])/)
    .filter((sentence) => sentence !== "");
  let found = tags["default"] !== undefined ? squash(tags["default"]) : "";
  const kept: string[] = [];
  for (const sentence of sentences) {
    const match = /^(?:Defaults? to|Defaults?:)\s+(.*?)\.?$/.exec(sentence);
    if (match && found === "") {
      const [value, tail] = splitAtTopLevelSemicolon(match[1] ?? "");
      found = value;
      if (tail !== "") kept.push(`${tail.charAt(0).toUpperCase()}${tail.slice(1)}.`);
    } else if (/^Required\.?$/.test(sentence)) {
      if (found === "") found = "required";
    } else if (/^Required; /.test(sentence)) {
      // "Required; its CIDR goes in …": the rest is description.
      if (found === "") found = "required";
      const rest = sentence.slice("Required; ".length);
      kept.push(`${rest.charAt(0).toUpperCase()}${rest.slice(1)}`);
    } else {
      kept.push(sentence);
    }
  }
  const remarks = tags["remarks"] !== undefined ? squash(tags["remarks"]) : "";
  return { description: [...kept, remarks].filter((part) => part !== "").join(" "), default: found };
}

function docOf(node: TS.Node): { prose: string; tags: Record<string, string> } {
  const prose: string[] = [];
  const tags: Record<string, string> = {};
  for (const doc of jsDocsOf(node)) {
    prose.push(commentText(doc.comment));
    for (const tag of doc.tags ?? []) tags[tag.tagName.text] = commentText(tag.comment);
  }
  return { prose: prose.join(" "), tags };
}

function typeText(node: TS.TypeNode | undefined, checker: TS.TypeChecker): string {
  if (node === undefined) return "";
  // A named union of literals (e.g. RegistrySku) says more spelled out than by name.
  if (ts.isTypeReferenceNode(node) && node.typeArguments === undefined) {
    const symbol = checker.getSymbolAtLocation(node.typeName);
    const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    if (target && target.flags & ts.SymbolFlags.TypeAlias) {
      const alias = target.declarations?.find(ts.isTypeAliasDeclaration);
      if (alias && ts.isUnionTypeNode(alias.type) && alias.type.types.every(ts.isLiteralTypeNode)) {
        return squash(alias.type.getText());
      }
      const type = checker.getTypeAtLocation(node);
      if (type.isUnion() && type.types.every((member) => member.isLiteral())) {
        return type.types.map((member) => checker.typeToString(member)).join(" | ");
      }
    }
  }
  return squash(node.getText());
}

/**
 * Interfaces declared in the repository (not in a package) that a type node names, looking through the
 * repository's own type aliases (`NsgRules = Record<string, NsgRule>` leads to `NsgRule`).
 */
function referencedInterfaces(
  node: TS.TypeNode | undefined,
  checker: TS.TypeChecker,
): TS.InterfaceDeclaration[] {
  const found: TS.InterfaceDeclaration[] = [];
  const aliasesSeen = new Set<TS.TypeAliasDeclaration>();
  const visit = (child: TS.Node): void => {
    if (ts.isTypeReferenceNode(child)) {
      const symbol = checker.getSymbolAtLocation(child.typeName);
      const target =
        symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      for (const declaration of target?.declarations ?? []) {
        if (declaration.getSourceFile().isDeclarationFile) continue;
        if (ts.isInterfaceDeclaration(declaration)) found.push(declaration);
        else if (ts.isTypeAliasDeclaration(declaration) && !aliasesSeen.has(declaration)) {
          aliasesSeen.add(declaration);
          visit(declaration.type);
        }
      }
    }
    ts.forEachChild(child, visit);
  };
  if (node !== undefined) visit(node);
  return found;
}

function relativeFile(root: string, node: TS.Node): string {
  return path.relative(root, node.getSourceFile().fileName).split(path.sep).join("/");
}

function interfaceDoc(
  root: string,
  declaration: TS.InterfaceDeclaration,
  checker: TS.TypeChecker,
  onReference: (found: TS.InterfaceDeclaration) => void,
): InterfaceDoc {
  const type = checker.getTypeAtLocation(declaration.name);
  const members: MemberDoc[] = [];
  for (const property of checker.getPropertiesOfType(type)) {
    const member = property.declarations?.find(ts.isPropertySignature);
    if (member === undefined) continue;
    const { prose, tags } = docOf(member);
    const split = splitDoc(prose, tags);
    const optional = member.questionToken !== undefined;
    members.push({
      name: property.name,
      type: typeText(member.type, checker),
      default: split.default !== "" ? split.default : optional ? "" : "required",
      description: split.description,
    });
    for (const found of referencedInterfaces(member.type, checker)) onReference(found);
  }
  return {
    name: declaration.name.text,
    file: relativeFile(root, declaration),
    description: squash(docOf(declaration).prose),
    members,
  };
}

function extendsComponentResource(declaration: TS.ClassDeclaration): boolean {
  return (declaration.heritageClauses ?? []).some(
    (clause) =>
      clause.token === ts.SyntaxKind.ExtendsKeyword &&
      clause.types.some((base) => /(^|\.)ComponentResource$/.test(base.expression.getText())),
  );
}

function superTypeToken(declaration: TS.ClassDeclaration): string | undefined {
  let token: string | undefined;
  const visit = (node: TS.Node): void => {
    if (token !== undefined) return;
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
      const first = node.arguments[0];
      if (first !== undefined && ts.isStringLiteralLike(first)) token = first.text;
      return;
    }
    ts.forEachChild(node, visit);
  };
  const constructor = declaration.members.find(ts.isConstructorDeclaration);
  if (constructor !== undefined) visit(constructor);
  return token;
}

/** The file's opening `/** ... *\/` block, when it documents the module rather than its first statement. */
function moduleDoc(file: TS.SourceFile): string {
  const first = file.statements[0];
  if (first === undefined || !ts.isImportDeclaration(first)) return "";
  return squash(
    jsDocsOf(first)
      .map((doc) => commentText(doc.comment))
      .join(" "),
  );
}

/** Reads every component under `root`/components. Sorted by file, then class name. */
export function collectComponents(root: string): ComponentDoc[] {
  const program = createProgram(root);
  const checker = program.getTypeChecker();
  const componentsDir = `${path.join(root, "components").split(path.sep).join("/")}/`;
  const docs: ComponentDoc[] = [];
  const argsUsed = new Set<TS.InterfaceDeclaration>();
  const files = program
    .getSourceFiles()
    .filter((file) => file.fileName.startsWith(componentsDir))
    .sort((a, b) => a.fileName.localeCompare(b.fileName));

  const describe = (args: TS.InterfaceDeclaration | undefined) => {
    const nested: InterfaceDoc[] = [];
    const seen = new Set<TS.InterfaceDeclaration>(args ? [args] : []);
    const queue: TS.InterfaceDeclaration[] = [];
    const onReference = (found: TS.InterfaceDeclaration) => {
      if (!seen.has(found)) {
        seen.add(found);
        queue.push(found);
      }
    };
    const argsDoc = args ? interfaceDoc(root, args, checker, onReference) : undefined;
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      nested.push(interfaceDoc(root, next, checker, onReference));
    }
    return { argsDoc, nested };
  };

  for (const file of files) {
    for (const statement of file.statements) {
      if (
        !ts.isClassDeclaration(statement) ||
        statement.name === undefined ||
        !extendsComponentResource(statement)
      ) {
        continue;
      }
      const constructor = statement.members.find(ts.isConstructorDeclaration);
      const argsType = constructor?.parameters[1]?.type;
      const args = referencedInterfaces(argsType, checker)[0];
      if (args !== undefined) argsUsed.add(args);
      const { argsDoc, nested } = describe(args);
      const outputs: MemberDoc[] = statement.members
        .filter(ts.isPropertyDeclaration)
        .filter(
          (member) =>
            !(
              ts.getCombinedModifierFlags(member) &
              (ts.ModifierFlags.Private | ts.ModifierFlags.Protected | ts.ModifierFlags.Static)
            ) && !ts.isPrivateIdentifier(member.name),
        )
        .map((member) => ({
          name: member.name.getText(),
          type: typeText(member.type, checker),
          default: "",
          description: squash(docOf(member).prose),
        }));
      docs.push({
        className: statement.name.text,
        file: relativeFile(root, statement),
        typeToken: superTypeToken(statement),
        description: [moduleDoc(file), squash(docOf(statement).prose)]
          .filter((part) => part !== "")
          .join(" "),
        args: argsDoc,
        nested,
        outputs,
      });
    }
  }

  // Exported *Args interfaces that no component constructor takes still get a section.
  for (const file of files) {
    for (const statement of file.statements) {
      if (
        ts.isInterfaceDeclaration(statement) &&
        statement.name.text.endsWith("Args") &&
        !argsUsed.has(statement) &&
        ts.getCombinedModifierFlags(statement) & ts.ModifierFlags.Export
      ) {
        const { argsDoc, nested } = describe(statement);
        docs.push({
          className: statement.name.text,
          file: relativeFile(root, statement),
          typeToken: undefined,
          description: squash(docOf(statement).prose),
          args: argsDoc,
          nested,
          outputs: [],
        });
      }
    }
  }
  return docs;
}
