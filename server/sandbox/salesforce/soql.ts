import type { RecordStore, SandboxRow, SandboxValue } from "./record-store.js";
import { SandboxError } from "./sandbox-error.js";

type Literal = string | number | boolean | null;
interface Condition {
  field: string;
  op: "=" | "!=" | "<" | "<=" | ">" | ">=" | "IN" | "NOT IN";
  values: Literal[];
}
export interface SoqlQuery {
  fields: string[];
  object: string;
  where: Condition[];
  orderBy: { field: string; desc: boolean }[];
  limit: number | undefined;
}

const TOKEN =
  /\s*('(?:[^'\\]|\\.)*'|\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})|[A-Za-z_][\w.]*|-?\d+(?:\.\d+)?|!=|<=|>=|[=<>(),*])/y;

function tokenize(soql: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < soql.length && (m = TOKEN.exec(soql))) tokens.push(m[1]!);
  if (soql.slice(TOKEN.lastIndex).trim() !== "")
    malformed(`unexpected token near '${soql.slice(TOKEN.lastIndex, TOKEN.lastIndex + 20)}'`);
  return tokens;
}

function malformed(message: string): never {
  throw new SandboxError(400, "MALFORMED_QUERY", message);
}

/**
 * The SOQL the connector and the tests send: `SELECT a, b.c FROM X [WHERE c AND c …]
 * [ORDER BY f [ASC|DESC], …] [LIMIT n]`, conditions `=, !=, <, <=, >, >=, IN (…), NOT IN (…)`
 * over strings, numbers, booleans, null and datetime literals.
 */
export function parseSoql(soql: string): SoqlQuery {
  const t = tokenize(soql);
  let i = 0;
  const peek = () => t[i]?.toUpperCase();
  const expect = (word: string) =>
    peek() === word ? t[i++] : malformed(`expecting '${word}', found '${t[i] ?? "end"}'`);
  expect("SELECT");
  const fields: string[] = [];
  do fields.push(t[i++] ?? malformed("missing field"));
  while (t[i] === "," && ++i);
  expect("FROM");
  const object = t[i++] ?? malformed("missing object");
  const where: Condition[] = [];
  if (peek() === "WHERE") {
    i++;
    do where.push(condition());
    while (peek() === "AND" && ++i);
  }
  const orderBy: SoqlQuery["orderBy"] = [];
  if (peek() === "ORDER") {
    i++;
    expect("BY");
    do {
      const field = t[i++]!;
      let desc = false;
      if (peek() === "DESC" || peek() === "ASC") desc = t[i++]!.toUpperCase() === "DESC";
      orderBy.push({ field, desc });
    } while (t[i] === "," && ++i);
  }
  let limit: number | undefined;
  if (peek() === "LIMIT") {
    i++;
    limit = Number(t[i++]);
  }
  if (i < t.length) malformed(`unexpected token: '${t[i]}'`);
  return { fields, object, where, orderBy, limit };

  function condition(): Condition {
    const field = t[i++] ?? malformed("missing field in WHERE");
    let op = t[i++]?.toUpperCase();
    if (op === "NOT") {
      expect("IN");
      op = "NOT IN";
    }
    if (op === "IN" || op === "NOT IN") {
      if (t[i++] !== "(") malformed("expecting '('");
      const values: Literal[] = [];
      do values.push(literal(t[i++]));
      while (t[i] === "," && ++i);
      if (t[i++] !== ")") malformed("expecting ')'");
      return { field, op, values };
    }
    if (!op || !["=", "!=", "<", "<=", ">", ">="].includes(op)) malformed(`unknown operator '${op}'`);
    return { field, op: op as Condition["op"], values: [literal(t[i++])] };
  }
}

function literal(token: string | undefined): Literal {
  if (token === undefined) malformed("missing value");
  if (token.startsWith("'")) return token.slice(1, -1).replace(/\\(.)/g, "$1");
  const upper = token.toUpperCase();
  if (upper === "NULL") return null;
  if (upper === "TRUE" || upper === "FALSE") return upper === "TRUE";
  if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
  if (/^\d{4}-\d{2}-\d{2}T/.test(token)) return token;
  return malformed(`bind variables are not supported: ${token}`);
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function compare(a: SandboxValue | undefined, b: Literal): number {
  if (a === null || a === undefined) return b === null ? 0 : -1;
  if (b === null) return 1;
  if (typeof a === "string" && typeof b === "string" && DATETIME.test(a) && DATETIME.test(b))
    return Date.parse(a.replace("+0000", "Z")) - Date.parse(b.replace("+0000", "Z"));
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function matches(
  row: SandboxRow,
  c: Condition,
  value: (row: SandboxRow, f: string) => SandboxValue | undefined,
): boolean {
  const v = value(row, c.field);
  const isId = c.field === "Id" || c.field.endsWith("Id");
  const eq = (b: Literal) =>
    isId && typeof v === "string" && typeof b === "string" ? v.slice(0, 15) === b.slice(0, 15) : compare(v, b) === 0;
  switch (c.op) {
    case "IN":
      return c.values.some(eq);
    case "NOT IN":
      return !c.values.some(eq);
    case "=":
      return eq(c.values[0]!);
    case "!=":
      return !eq(c.values[0]!);
    case "<":
      return compare(v, c.values[0]!) < 0;
    case "<=":
      return compare(v, c.values[0]!) <= 0;
    case ">":
      return compare(v, c.values[0]!) > 0;
    case ">=":
      return compare(v, c.values[0]!) >= 0;
  }
}

/** Runs a parsed query; `Parent.Field` reads the record named by `ParentId`. */
export function runSoql(store: RecordStore, q: SoqlQuery): Record<string, unknown>[] {
  if (!store.hasType(q.object)) malformed(`sObject type '${q.object}' is not supported.`);
  const value = (row: SandboxRow, f: string): SandboxValue | undefined => {
    if (!f.includes(".")) return row[f];
    const [parent, field] = f.split(".") as [string, string];
    const parentId = row[`${parent}Id`];
    return typeof parentId === "string" ? store.get(parent, parentId)?.[field] : undefined;
  };
  const known = new Set(q.object.endsWith("History") ? [] : store.describe(q.object).map((f) => f.name));
  for (const f of q.fields)
    if (known.size > 0 && !f.includes(".") && !known.has(f))
      throw new SandboxError(400, "INVALID_FIELD", `No such column '${f}' on entity '${q.object}'.`);
  let rows = [...store.table(q.object).values()].filter((r) => q.where.every((c) => matches(r, c, value)));
  if (q.orderBy.length > 0)
    rows = rows.sort((a, b) => {
      for (const o of q.orderBy) {
        const d = compare(value(a, o.field), value(b, o.field) as Literal);
        if (d !== 0) return o.desc ? -d : d;
      }
      return 0;
    });
  if (q.limit !== undefined) rows = rows.slice(0, q.limit);
  return rows.map((row) => {
    const out: Record<string, unknown> = {
      attributes: { type: q.object, url: `/services/data/v62.0/sobjects/${q.object}/${row.Id}` },
    };
    for (const f of q.fields) {
      if (!f.includes(".")) out[f] = row[f] ?? null;
      else {
        const [parent, field] = f.split(".") as [string, string];
        out[parent] = {
          ...((out[parent] as object) ?? { attributes: { type: parent } }),
          [field]: value(row, f) ?? null,
        };
      }
    }
    return out;
  });
}
