import { randomUUID } from "node:crypto";
import type { Sql } from "../db/index.js";
import { loadSql } from "./load-sql.js";
import type { ParsedPlannedWrite } from "./planned-write.js";

/** Inserts validated planned writes as pending rows; returns their ids in input order. */
export async function insertWrites(sql: Sql, writes: readonly ParsedPlannedWrite[]): Promise<string[]> {
  if (writes.length === 0) return [];
  const ids = writes.map(() => randomUUID());
  await sql.query(loadSql("insert-writes"), [
    ids,
    writes.map((w) => w.tenantId),
    writes.map((w) => w.crm),
    writes.map((w) => w.objectType),
    writes.map((w) => w.objectId),
    writes.map((w) => JSON.stringify(w.properties)),
    writes.map((w) => w.purpose),
    writes.map((w) => w.agentId),
    writes.map((w) => w.causedBy),
    writes.map((w) => (w.expected === null ? null : JSON.stringify(w.expected))),
    writes.map((w) => JSON.stringify(w.sensitiveFields)),
  ]);
  return ids;
}
