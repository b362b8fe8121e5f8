import { type AuditQuery, canonicalJson } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import { queryEvents } from "./query-events.js";

/**
 * Streams the events matching `q`, oldest first, as canonical-JSON lines ending in "\n",
 * fetching `pageSize` rows at a time so an export of any size holds one page in memory.
 * Each line is exactly what computeEventHash() hashes, plus `hash`.
 */
export async function* exportJsonl(sql: Sql, q: AuditQuery, pageSize: number): AsyncGenerator<string> {
  let cursor = q.cursor;
  do {
    const page = await queryEvents(sql, { ...q, limit: pageSize, cursor }, "oldest_first");
    for (const event of page.events) yield `${canonicalJson(event)}\n`;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
