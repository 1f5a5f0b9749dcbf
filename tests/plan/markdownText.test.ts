import { describe, expect, it } from "vitest";
import { cellCode, code, mdText } from "../../src/plan/markdownText.ts";
import { studentKeys } from "../../src/plan/students.ts";
import type { PlanResource } from "../../src/plan/document.ts";

describe("code", () => {
  it("fences with one backtick more than the longest run inside, padding a value that starts or ends with one", () => {
    expect(code("alice-vnet")).toBe("`alice-vnet`");
    expect(code("a`b")).toBe("``a`b``");
    expect(code("a``b")).toBe("```a``b```");
    expect(code("`x`")).toBe("`` `x` ``");
    expect(code("")).toBe("` `");
  });

  it("keeps a value on one line", () => {
    expect(code("a\nb\r\nc")).toBe("`a b c`");
  });
});

describe("cellCode", () => {
  it("escapes pipes, which GitHub reads as cell borders even inside a code span", () => {
    expect(cellCode("a|b")).toBe("`a\\|b`");
  });
});

describe("mdText", () => {
  it("leaves ordinary plan text as it is", () => {
    expect(mdText("subnet web of VNet alice-vnet moves from 10.1.0.0/26 to 10.1.0.128/26")).toBe(
      "subnet web of VNet alice-vnet moves from 10.1.0.0/26 to 10.1.0.128/26",
    );
  });

  it("escapes Markdown and HTML, and breaks mentions, issue references and links", () => {
    expect(mdText("**x** <img src=x> [a](b) ![i](j) ~~s~~ a|b &amp; `c` _e_")).toBe(
      "\\*\\*x\\*\\* \\<img src=x\\> \\[a\\](b) \\!\\[i\\](j) \\~\\~s\\~\\~ a\\|b \\&amp; \\`c\\` \\_e\\_",
    );
    expect(mdText("cc @admin, see #12, https://e.vil and www.e.vil")).toBe(
      "cc @\u200badmin, see \\#\u200b12, https://\u200be.vil and www\u200b.e.vil",
    );
    expect(mdText("line\nbreak")).toBe("line break");
  });
});

function resource(
  urn: string,
  parent: string | null,
  tags?: Record<string, string>,
  dependencies: string[] = [],
) {
  return {
    urn,
    type: "azure-native:network:Subnet",
    name: urn.split("::").pop()!,
    custom: true,
    parent,
    dependencies,
    protect: false,
    retainOnDelete: false,
    ignoreChanges: [],
    inputs: tags ? { tags } : {},
    secretInputs: [],
  } satisfies PlanResource;
}

describe("studentKeys", () => {
  const U = "urn:pulumi:t::p::a:b:C::";

  it("takes the nearest tagged ancestor, the one key of tagged descendants, then the one key of dependencies", () => {
    const keys = studentKeys([
      resource(`${U}env`, null),
      resource(`${U}vnet`, `${U}env`, { student: "alice" }),
      resource(`${U}child`, `${U}vnet`),
      // Depends on a resource that only gets its key in the same pass, later in URN order.
      resource(`${U}a-rule`, null, undefined, [`${U}z-subnet`]),
      resource(`${U}z-subnet`, null, undefined, [`${U}vnet`]),
      resource(`${U}shared`, null, undefined, [`${U}vnet`, `${U}other`]),
      resource(`${U}other`, null, { student: "bob" }),
    ]);
    expect(Object.fromEntries(keys)).toEqual({
      [`${U}env`]: "alice",
      [`${U}vnet`]: "alice",
      [`${U}child`]: "alice",
      [`${U}a-rule`]: "alice",
      [`${U}z-subnet`]: "alice",
      [`${U}shared`]: null,
      [`${U}other`]: "bob",
    });
  });

  it("returns on a parent cycle instead of looping", () => {
    const keys = studentKeys([resource(`${U}a`, `${U}b`), resource(`${U}b`, `${U}a`)]);
    expect(Object.fromEntries(keys)).toEqual({ [`${U}a`]: null, [`${U}b`]: null });
  });
});
