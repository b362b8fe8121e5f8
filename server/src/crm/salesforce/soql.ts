import { CrmError } from "../errors.js";

/**
 * Salesforce answers `414`/`431` for request lines past about 16 KB; a query URL is kept well
 * under that (the `IN (…)` lists are what grows), so one long id list becomes several calls.
 * @see docs/salesforce.md (reads)
 */
export const MAX_QUERY_URL_CHARS = 6000;

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const ID = /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/;

/** An object or field API name, checked so it can sit in SOQL (names cannot be quoted in SOQL). */
export function soqlName(name: string): string {
  if (!NAME.test(name))
    throw new CrmError("bad_request", { detail: `not a Salesforce API name: ${JSON.stringify(name)}` });
  return name;
}

export function isSalesforceId(id: string): boolean {
  return ID.test(id);
}

/** A string literal: backslash and quote escaped, as SOQL wants. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/**
 * `/query?q=…` for a statement, encoded as it goes on the wire: the URL parser under fetch
 * escapes `'` (and SOQL is full of them), which `encodeURIComponent` leaves alone, so they are
 * escaped here and the length measured is the length sent.
 */
export function queryPath(soql: string): string {
  const q = encodeURIComponent(soql).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `/query?q=${q}`;
}

/**
 * Splits `values` into runs whose statement — `build(run)` — stays within the URL budget. Each
 * run holds at least one value.
 */
export function chunkForUrl<T>(values: readonly T[], build: (run: readonly T[]) => string): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  for (const value of values) {
    const candidate = [...run, value];
    if (run.length > 0 && queryPath(build(candidate)).length > MAX_QUERY_URL_CHARS) {
      runs.push(run);
      run = [value];
    } else run = candidate;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** A field value as the connector reports it: text, or null when empty. */
export function asText(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
