import { randomBytes } from "node:crypto";
import type { Request, Response, Router } from "express";
import type { ChangeEventLog } from "./change-event-log.js";
import type { RecordStore, StoreChange } from "./record-store.js";
import { SandboxError } from "./sandbox-error.js";
import { parseSoql, runSoql } from "./soql.js";

/** Rows in one query answer; the rest follow through `nextRecordsUrl`. */
export const QUERY_PAGE_SIZE = 2000;
/** "The request can contain up to 200 records." */
export const COLLECTION_LIMIT = 200;

export interface RestContext {
  store: RecordStore;
  log: ChangeEventLog;
  version: string;
}

/** Tollgate's own writes are recognised by this in `changeOrigin` (`…;client=tollgate`). */
function changeOrigin(ctx: RestContext, res: Response): string {
  const client = res.locals["client"] as string | undefined;
  return `com/salesforce/api/rest/${ctx.version}${client ? `;client=${client}` : ""}`;
}

/** One API call is one transaction: its changes are published together once it committed. */
function commit(ctx: RestContext, res: Response, changes: StoreChange[]): void {
  ctx.log.publishTransaction(changes, res.locals["userId"] as string, changeOrigin(ctx, res));
}

/** sObject rows, describe, sObject Collections, SOQL with paging, limits — under `/services/data/vXX.X`. */
export function registerRestRoutes(router: Router, ctx: RestContext, usage: { used: number; limit: number }): void {
  const cursors = new Map<string, { rows: Record<string, unknown>[]; offset: number }>();
  const page = (rows: Record<string, unknown>[], offset: number) => {
    const slice = rows.slice(offset, offset + QUERY_PAGE_SIZE);
    const done = offset + QUERY_PAGE_SIZE >= rows.length;
    let nextRecordsUrl: string | undefined;
    if (!done) {
      const id = `01g${randomBytes(6).toString("hex")}`;
      cursors.set(id, { rows, offset: offset + QUERY_PAGE_SIZE });
      nextRecordsUrl = `/services/data/v${ctx.version}/query/${id}-${offset + QUERY_PAGE_SIZE}`;
    }
    return { totalSize: rows.length, done, records: slice, ...(nextRecordsUrl ? { nextRecordsUrl } : {}) };
  };

  router.get("/limits", (_req, res) => {
    res.json({ DailyApiRequests: { Max: usage.limit, Remaining: Math.max(0, usage.limit - usage.used) } });
  });
  router.get(["/query", "/queryAll"], (req, res) => {
    const q = typeof req.query["q"] === "string" ? req.query["q"] : "";
    res.json(page(runSoql(ctx.store, parseSoql(q)), 0));
  });
  router.get("/query/:cursor", (req, res) => {
    const cursor = cursors.get(String(req.params["cursor"]).split("-")[0]!);
    if (!cursor) throw new SandboxError(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    res.json(page(cursor.rows, cursor.offset));
  });
  router.get("/sobjects/:type/describe", (req, res) => {
    const type = String(req.params["type"]);
    res.json({
      name: type,
      custom: type.endsWith("__c"),
      fields: ctx.store.describe(type).map((f) => ({
        name: f.name,
        label: f.label,
        type: f.type,
        custom: f.custom,
        updateable: f.updateable,
        length: f.length ?? (f.type === "string" ? 255 : 0),
        calculated: false,
        picklistValues: (f.picklistValues ?? []).map((v) => ({ label: v, value: v, active: true })),
      })),
    });
  });
  router.get("/sobjects/:type/:id", (req, res) => {
    const row = ctx.store.get(String(req.params["type"]), String(req.params["id"]));
    if (!row) throw new SandboxError(404, "NOT_FOUND", "The requested resource does not exist");
    res.json({ attributes: { type: req.params["type"] }, ...row });
  });
  router.post("/sobjects/:type", (req, res) => {
    const { row, change } = ctx.store.create(
      String(req.params["type"]),
      req.body as Record<string, unknown>,
      res.locals["userId"] as string,
    );
    commit(ctx, res, [change]);
    res.status(201).json({ id: row.Id, success: true, errors: [] });
  });
  router.patch("/sobjects/:type/:id", (req, res) => {
    const change = ctx.store.update(
      String(req.params["type"]),
      String(req.params["id"]),
      req.body as Record<string, unknown>,
      res.locals["userId"] as string,
    );
    commit(ctx, res, [change]);
    res.status(204).end();
  });
  // No Change Data Capture event for a delete: Tollgate's consumer governs field changes only.
  router.delete("/sobjects/:type/:id", (req, res) => {
    ctx.store.delete(String(req.params["type"]), String(req.params["id"]));
    res.status(204).end();
  });
  router.patch("/composite/sobjects", (req, res) => collection(ctx, req, res, "update"));
  router.post("/composite/sobjects", (req, res) => collection(ctx, req, res, "create"));
}

function collection(ctx: RestContext, req: Request, res: Response, mode: "update" | "create"): void {
  const body = req.body as {
    allOrNone?: boolean;
    records?: (Record<string, unknown> & { attributes?: { type?: string }; id?: string })[];
  };
  const records = body.records ?? [];
  if (records.length > COLLECTION_LIMIT)
    throw new SandboxError(
      400,
      "EXCEEDED_ID_LIMIT",
      `record limit reached. cannot submit more than ${COLLECTION_LIMIT} records into this call`,
    );
  const userId = res.locals["userId"] as string;
  const seen = new Set<string>();
  // Validate everything first, so allOrNone can refuse the whole call without half-writing it.
  const problems = records.map((r) => {
    try {
      const type = r.attributes?.type;
      if (!type) throw new SandboxError(400, "INVALID_TYPE", "No SObject Type defined in record");
      ctx.store.coerce(type, r);
      if (mode === "update") {
        if (!r.id || !ctx.store.get(type, r.id))
          throw new SandboxError(400, "INVALID_CROSS_REFERENCE_KEY", `invalid cross reference id`);
        if (seen.has(r.id)) throw new SandboxError(400, "INVALID_FIELD", "Duplicate id in list");
        seen.add(r.id);
      }
      return undefined;
    } catch (err) {
      if (err instanceof SandboxError) return err;
      throw err;
    }
  });
  const anyFailed = problems.some((p) => p !== undefined);
  const changes: StoreChange[] = [];
  const results = records.map((r, i) => {
    const problem = problems[i];
    if (problem)
      return {
        id: r.id ?? null,
        success: false,
        errors: [{ statusCode: problem.errorCode, message: problem.message, fields: problem.fields }],
      };
    if (body.allOrNone && anyFailed)
      return {
        id: r.id ?? null,
        success: false,
        errors: [
          {
            statusCode: "ALL_OR_NONE_OPERATION_ROLLED_BACK",
            message: "Record rolled back because not all records were valid and the request was using AllOrNone header",
            fields: [],
          },
        ],
      };
    if (mode === "update") {
      changes.push(ctx.store.update(r.attributes!.type!, r.id!, r, userId));
      return { id: r.id, success: true, errors: [] };
    }
    const { row, change } = ctx.store.create(r.attributes!.type!, r, userId);
    changes.push(change);
    return { id: row.Id, success: true, errors: [] };
  });
  commit(ctx, res, changes);
  res.json(results);
}
