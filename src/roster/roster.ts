/**
 * Reads a class roster from CSV into student entries, checked against the stack-file schema, so
 * that every bad row is reported before anything is merged. Pure: text in, entries and problems out.
 */
import { formatProblem, type Problem } from "../errors.ts";
import { studentSchema } from "../config/schema.ts";
import { suggestStudentId } from "../config/parse.ts";
import { parseCsv } from "./csv.ts";

/** The roster fields a CSV column can fill. */
export type RosterField = "id" | "displayName" | "email" | "upn" | "sshPublicKeys";

/**
 * Header spellings accepted for each field, compared after lowercasing and dropping everything but
 * letters and digits (so `E-mail`, `e_mail` and `EMAIL` are one spelling).
 */
const HEADERS: Readonly<Record<RosterField, readonly string[]>> = {
  id: ["id", "studentid", "student", "username"],
  displayName: ["name", "displayname", "fullname", "studentname"],
  email: ["email", "emailaddress", "mail"],
  upn: ["upn", "userprincipalname", "signinname", "login"],
  sshPublicKeys: ["sshkey", "sshkeys", "sshpublickey", "sshpublickeys", "publickey"],
};

/** What "allowed" says for a header row that names no usable column. */
const ALLOWED_HEADERS = "a header row with id, name, email or upn, and ssh key columns (any case)";

/** Student ids are stack-file keys: the same pattern as `azlab:class.students`. */
const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,30}$/;
const ID_ALLOWED = "1–31 lowercase letters, digits and hyphens, starting with a letter or digit";

/** One student as the CSV gives it. Empty cells are left out. */
export interface RosterEntry {
  /** Line of the CSV the row starts on. */
  readonly line: number;
  /** The id column, lowercased; undefined when the CSV has no id for this row. */
  readonly id?: string;
  readonly displayName?: string;
  readonly email?: string;
  readonly upn?: string;
  readonly sshPublicKeys: readonly string[];
}

export interface ReadRoster {
  readonly entries: RosterEntry[];
  /** Header cells that map to no field, as written; they are ignored. */
  readonly ignoredColumns: string[];
  /** Every problem, formatted as `FILE:LINE: COLUMN: message (got …; allowed: …)`. */
  readonly problems: string[];
}

function normalizeHeader(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function fieldOf(header: string): RosterField | undefined {
  const key = normalizeHeader(header);
  return (Object.keys(HEADERS) as RosterField[]).find((field) => HEADERS[field].includes(key));
}

/** A student id as an email or a name could become one: `Alice.Smith@uni.edu` → `alice-smith`. */
export const deriveStudentId = suggestStudentId;

/** One cell may hold several keys, one per line (a quoted field) or separated by semicolons. */
function splitKeys(cell: string): string[] {
  return cell
    .split(/[\n;]/)
    .map((key) => key.trim())
    .filter((key) => key !== "");
}

/**
 * Reads roster CSV text. `file` names the CSV in problems. Every row is checked with the schema a
 * stack file's student is checked with, and an id that fails the key pattern gets a suggestion.
 */
export function readRosterCsv(text: string, file: string): ReadRoster {
  const { rows, problems: csvProblems } = parseCsv(text);
  const problems: string[] = csvProblems.map((p) => `${file}:${p.line}: ${p.message}`);
  const [header, ...body] = rows;
  if (!header) {
    return {
      entries: [],
      ignoredColumns: [],
      problems: [`${file}: has no header row (allowed: ${ALLOWED_HEADERS})`],
    };
  }

  const columns = new Map<RosterField, { index: number; name: string }>();
  const ignoredColumns: string[] = [];
  header.cells.forEach((cell, index) => {
    const name = cell.trim();
    const field = fieldOf(name);
    if (!field) {
      if (name !== "") ignoredColumns.push(name);
      return;
    }
    const earlier = columns.get(field);
    if (earlier) {
      problems.push(
        formatProblem(
          {
            path: `column ${JSON.stringify(name)}`,
            message: `fills ${field} like column ${JSON.stringify(earlier.name)}`,
            allowed: "one column per field",
          },
          `${file}:${header.line}`,
        ),
      );
      return;
    }
    columns.set(field, { index, name });
  });
  if (!columns.has("id") && !columns.has("email") && !columns.has("upn")) {
    problems.push(
      formatProblem(
        {
          path: "header",
          message: "has no id, email or upn column, so no student can get an id",
          value: header.cells.join(","),
          allowed: ALLOWED_HEADERS,
        },
        `${file}:${header.line}`,
      ),
    );
    return { entries: [], ignoredColumns, problems };
  }

  const entries: RosterEntry[] = [];
  for (const row of body) {
    const where = `${file}:${row.line}`;
    const cell = (field: RosterField) => {
      const column = columns.get(field);
      const value = column === undefined ? undefined : row.cells[column.index]?.trim();
      return value === "" ? undefined : value;
    };
    const columnName = (field: RosterField) => `column ${JSON.stringify(columns.get(field)?.name ?? field)}`;
    const rowProblems: Problem[] = [];
    if (row.cells.length > header.cells.length) {
      rowProblems.push({
        path: "row",
        message: `has ${row.cells.length} cells but the header has ${header.cells.length}`,
        allowed: "one cell per header column; quote a value that holds a comma",
      });
    }

    const rawId = cell("id");
    let id: string | undefined;
    if (rawId !== undefined) {
      // Spreadsheets capitalise; case carries no meaning in an id, so `Alice` is `alice`.
      const lower = rawId.toLowerCase();
      if (ID_PATTERN.test(lower)) {
        id = lower;
      } else {
        rowProblems.push({
          path: columnName("id"),
          message: `is not a valid student id (try "${deriveStudentId(rawId)}")`,
          value: rawId,
          allowed: ID_ALLOWED,
        });
      }
    }
    const fields = {
      displayName: cell("displayName"),
      email: cell("email"),
      upn: cell("upn"),
      sshPublicKeys: splitKeys(cell("sshPublicKeys") ?? ""),
    };
    const checked = studentSchema.safeParse(
      Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
    );
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        const field = issue.path[0] as RosterField;
        const index = typeof issue.path[1] === "number" ? issue.path[1] : undefined;
        const value =
          index === undefined ? fields[field as keyof typeof fields] : fields.sshPublicKeys[index];
        const own = /^(?:(.*?);?\s*)?allowed: (.*)$/.exec(issue.message);
        rowProblems.push({
          path: columnName(field),
          message: own?.[1] || (issue.code === "too_big" ? "is too long" : "is not valid"),
          value,
          ...(own?.[2] ? { allowed: own[2] } : {}),
        });
      }
    }
    if (id === undefined && rawId === undefined && !fields.email && !fields.upn) {
      rowProblems.push({
        path: "row",
        message: "has no id, email or upn, so it cannot become a student",
        allowed: "an id, or an email or upn to derive one from",
      });
    }
    problems.push(...rowProblems.map((p) => formatProblem(p, where)));
    if (rowProblems.length > 0) continue;
    entries.push({
      line: row.line,
      ...(id === undefined ? {} : { id }),
      ...(fields.displayName === undefined ? {} : { displayName: fields.displayName }),
      ...(fields.email === undefined ? {} : { email: fields.email }),
      ...(fields.upn === undefined ? {} : { upn: fields.upn }),
      sshPublicKeys: fields.sshPublicKeys,
    });
  }
  return { entries, ignoredColumns, problems };
}
