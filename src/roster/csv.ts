/**
 * A CSV reader for class rosters as spreadsheets export them: RFC 4180 fields (quoted fields may hold
 * commas, doubled quotes and line breaks), CRLF or LF line ends, and the UTF-8 byte-order mark Excel
 * writes. Pure; every row keeps the line it starts on, so a problem can name `file:line`.
 */

export interface CsvRow {
  /** 1-based line of the file on which the row starts. */
  readonly line: number;
  readonly cells: readonly string[];
}

export interface CsvProblem {
  readonly line: number;
  readonly message: string;
}

/** Splits CSV text into rows (RFC 4180, section 2). Rows of only empty cells are dropped. */
export function parseCsv(text: string): { rows: CsvRow[]; problems: CsvProblem[] } {
  const source = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  let cells: string[] = [];
  let cell = "";
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let quoteLine = 1;
  /** True once the current cell had a closing quote: only a separator may follow it. */
  let closed = false;

  const endRow = () => {
    cells.push(cell);
    if (cells.some((c) => c.trim() !== "")) rows.push({ line: rowLine, cells });
    cells = [];
    cell = "";
    closed = false;
  };

  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (quoted) {
      if (ch === '"') {
        if (source[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          quoted = false;
          closed = true;
        }
      } else {
        if (ch === "\n") line++;
        // A CRLF inside a quoted field is one line break in the value.
        if (!(ch === "\r" && source[i + 1] === "\n")) cell += ch;
      }
      continue;
    }
    if (ch === ",") {
      cells.push(cell);
      cell = "";
      closed = false;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && source[i + 1] === "\n") i++;
      endRow();
      line++;
      rowLine = line;
    } else if (ch === '"' && cell.trim() === "" && !closed) {
      // Spaces before an opening quote are common in hand-written files; the quote starts the field.
      cell = "";
      quoted = true;
      quoteLine = line;
    } else if (closed) {
      if (ch !== " " && ch !== "\t") {
        problems.push({ line, message: "has text after a closing quote; quote the whole field" });
        closed = false;
        cell += ch;
      }
    } else if (ch === '"') {
      problems.push({
        line,
        message: 'has a quote inside an unquoted field; write it as "" inside a quoted field',
      });
      cell += ch;
    } else {
      cell += ch;
    }
  }
  if (quoted) {
    problems.push({ line: quoteLine, message: "has a quoted field that is never closed" });
  }
  endRow();
  return { rows, problems };
}
