import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/roster/csv.ts";

const cells = (text: string) => parseCsv(text).rows.map((r) => [r.line, ...r.cells]);

describe("parseCsv (RFC 4180)", () => {
  it("splits rows on LF and CRLF and drops a UTF-8 byte-order mark", () => {
    expect(cells("\uFEFFid,name\r\nalice,Alice\nbob,Bob\r\n")).toEqual([
      [1, "id", "name"],
      [2, "alice", "Alice"],
      [3, "bob", "Bob"],
    ]);
  });

  it("reads quoted fields with commas, doubled quotes and line breaks, keeping the row's first line", () => {
    const { rows, problems } = parseCsv(
      'id,key\r\n"a,b","say ""hi"""\r\n"c","line one\r\nline two"\r\nd,e\r\n',
    );
    expect(problems).toEqual([]);
    expect(rows.map((r) => [r.line, ...r.cells])).toEqual([
      [1, "id", "key"],
      [2, "a,b", 'say "hi"'],
      [3, "c", "line one\nline two"],
      [5, "d", "e"],
    ]);
  });

  it("drops blank rows and keeps empty cells", () => {
    expect(cells("id,name\n\n,,\n,Bob\nlast")).toEqual([
      [1, "id", "name"],
      [4, "", "Bob"],
      [5, "last"],
    ]);
  });

  it("reports a field that is never closed, a stray quote and text after a closing quote, with lines", () => {
    expect(parseCsv('id\nab"c\n"x"y\n"open\nstill open').problems).toEqual([
      { line: 2, message: 'has a quote inside an unquoted field; write it as "" inside a quoted field' },
      { line: 3, message: "has text after a closing quote; quote the whole field" },
      { line: 4, message: "has a quoted field that is never closed" },
    ]);
  });
});
