import type { Sql } from "../db/index.js";
import { loadSql } from "./load-sql.js";

/** Brings unfinished jobs up to date with their writes (items first, then counters and state). */
export async function refreshJobs(sql: Sql, jobIds: readonly string[], now: Date): Promise<void> {
  if (jobIds.length === 0) return;
  await sql.query(loadSql("settle-items"), [jobIds]);
  await sql.query(loadSql("refresh-jobs"), [jobIds, now.toISOString()]);
}
