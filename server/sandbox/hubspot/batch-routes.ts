import type { Response } from "express";
import { SandboxApiError } from "./sandbox-api-error.js";
import { bodyOf, listParam, stringProperties, tokenOf, type Route, type SandboxContext } from "./sandbox-context.js";
import type { StoreChange } from "./record-store.js";

/** "Batch requests to CRM object endpoints are limited to 100 records per request." */
const BATCH_LIMIT = 100;
/** The connector asks for 50 with history; the sandbox holds it to that so batching is exercised. */
const HISTORY_BATCH_LIMIT = 50;

/** `POST /crm/v3/objects/:type/batch/{read,update,create}`, 207 when some inputs fail. */
export function registerBatchRoutes(route: Route, ctx: SandboxContext): void {
  route("post", "/crm/v3/objects/:type/batch/read", (req, res) => {
    const type = ctx.store.resolveType(String(req.params["type"]));
    const body = bodyOf(req);
    const ids = inputs(body).map((i) => String(i["id"]));
    const withHistory = listParam(body["propertiesWithHistory"]);
    assertSize(ids.length, withHistory ? HISTORY_BATCH_LIMIT : BATCH_LIMIT);
    const properties = listParam(body["properties"]);
    const found = ids.filter((id) => ctx.store.has(type, id));
    const missing = ids.filter((id) => !ctx.store.has(type, id));
    const results = [...new Set(found)].map((id) => ctx.store.toPublicObject(type, id, properties, withHistory));
    sendBatch(res, results, missing.length === 0 ? [] : [notFound(type, missing)], 200);
  });

  route("post", "/crm/v3/objects/:type/batch/update", (req, res) => {
    const type = ctx.store.resolveType(String(req.params["type"]));
    const items = inputs(bodyOf(req)).map((i) => ({
      id: String(i["id"]),
      properties: stringProperties(i["properties"]),
    }));
    assertSize(items.length, BATCH_LIMIT);
    const seen = new Set<string>();
    const duplicates = [...new Set(items.map((i) => i.id).filter((id) => seen.size === seen.add(id).size))];
    if (duplicates.length > 0) {
      throw new SandboxApiError(
        400,
        "VALIDATION_ERROR",
        `Duplicate IDs found in batch input: [${duplicates.join(", ")}]. IDs must be unique`,
        { context: { ids: duplicates } },
      );
    }
    // HubSpot validates the whole batch before writing any of it.
    for (const item of items) ctx.store.assertValid(type, item.properties);
    const missing = items.filter((i) => !ctx.store.has(type, i.id)).map((i) => i.id);
    const changes: StoreChange[] = [];
    const results = items
      .filter((i) => ctx.store.has(type, i.id))
      .map((i) => {
        const { record, changes: c } = ctx.store.update(type, i.id, i.properties, tokenOf(res).actor);
        changes.push(...c);
        return ctx.store.toPublicObject(type, record.id, [...Object.keys(i.properties), "hs_object_id"], undefined);
      });
    ctx.emit(changes);
    sendBatch(res, results, missing.length === 0 ? [] : [notFound(type, missing)], 200);
  });

  route("post", "/crm/v3/objects/:type/batch/create", (req, res) => {
    const type = ctx.store.resolveType(String(req.params["type"]));
    const items = inputs(bodyOf(req)).map((i) => stringProperties(i["properties"]));
    assertSize(items.length, BATCH_LIMIT);
    for (const properties of items) ctx.store.assertValid(type, properties);
    const changes: StoreChange[] = [];
    const results = items.map((properties) => {
      const { record, changes: c } = ctx.store.create(type, properties, tokenOf(res).actor);
      changes.push(...c);
      return ctx.store.toPublicObject(
        type,
        record.id,
        [...Object.keys(properties), "hs_object_id", "createdate"],
        undefined,
      );
    });
    ctx.emit(changes);
    sendBatch(res, results, [], 201);
  });
}

/** HubSpot's batch envelope; a 207 Multi-Status when some inputs failed. */
export function sendBatch(
  res: Response,
  results: unknown[],
  errors: Record<string, unknown>[],
  okStatus: number,
): void {
  const at = new Date().toISOString();
  res.status(errors.length > 0 ? 207 : okStatus).json({
    status: "COMPLETE",
    results,
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
    startedAt: at,
    completedAt: at,
  });
}

function notFound(type: string, ids: string[]): Record<string, unknown> {
  const label = (type === "companies" ? "company" : type.replace(/s$/, "")).toUpperCase();
  return {
    status: "error",
    category: "OBJECT_NOT_FOUND",
    message: `Could not get some ${label} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids },
    links: {},
    errors: [],
  };
}

function inputs(body: Record<string, unknown>): Record<string, unknown>[] {
  const list = body["inputs"];
  if (!Array.isArray(list))
    throw new SandboxApiError(400, "VALIDATION_ERROR", "Invalid input JSON: inputs is required");
  return list.map((i) => (i !== null && typeof i === "object" ? (i as Record<string, unknown>) : {}));
}

function assertSize(count: number, limit: number): void {
  if (count > limit)
    throw new SandboxApiError(400, "VALIDATION_ERROR", `Batch input contains ${count} items; the limit is ${limit}.`);
}
