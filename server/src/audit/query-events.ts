import { auditQuerySchema, type AuditEvent, type AuditQuery } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import { ValidationError } from "../errors/index.js";
import type { AuditPage } from "./types.js";

export type QueryOrder = "newest_first" | "oldest_first";

/**
 * One page of events matching `q`. Paging follows the recorded order (`id`: a tenant's events
 * are recorded in seq order), so pages never overlap or skip, whatever the timestamps say.
 * `from` is inclusive and `to` exclusive, both against occurred_at.
 */
export async function queryEvents(sql: Sql, q: AuditQuery, order: QueryOrder): Promise<AuditPage> {
  const parsed = auditQuerySchema.safeParse(q);
  if (!parsed.success) {
    throw new ValidationError(
      "invalid audit query",
      parsed.error.issues.map(({ code, path, message }) => ({ code, path, message })),
    );
  }
  const f = parsed.data;
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace("?", `$${params.length}`));
  };
  if (f.tenantId !== undefined) add("tenant_id = ?", f.tenantId);
  if (f.objectType !== undefined) add("object_type = ?", f.objectType);
  if (f.objectId !== undefined) add("object_id = ?", f.objectId);
  if (f.agentId !== undefined) add("agent_id = ?", f.agentId);
  if (f.runId !== undefined) add("run_id = ?", f.runId);
  if (f.outcome !== undefined) add("outcome = ?", f.outcome);
  if (f.from !== undefined) add("occurred_at >= ?::timestamptz", f.from);
  if (f.to !== undefined) add("occurred_at < ?::timestamptz", f.to);
  if (f.cursor !== undefined)
    add(order === "newest_first" ? "id < ?::bigint" : "id > ?::bigint", decodeCursor(f.cursor, order));
  params.push(f.limit + 1);
  const { rows } = await sql.query<{ id: string | number; event: AuditEvent }>(
    `SELECT id, event FROM audit_events ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY id ${order === "newest_first" ? "DESC" : "ASC"} LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    events: page.map((r) => r.event),
    nextCursor: rows.length > f.limit && last ? encodeCursor(String(last.id), order) : null,
  };
}

// Opaque to clients; it names the direction so a cursor from one order is refused by the other.
function encodeCursor(id: string, order: QueryOrder): string {
  return Buffer.from(JSON.stringify({ id, order }), "utf8").toString("base64url");
}

function decodeCursor(cursor: string, order: QueryOrder): string {
  try {
    const c = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { id?: unknown; order?: unknown };
    if (typeof c.id === "string" && /^\d{1,19}$/.test(c.id) && c.order === order) return c.id;
  } catch {
    // fall through to the error below
  }
  throw new ValidationError("invalid audit cursor", [{ path: ["cursor"], message: "not a cursor this query issued" }]);
}
