import type { RecordWrite, WriteResult } from "../connector.js";
import { crmErrorCodeForStatus, type CrmErrorCode } from "../errors.js";
import { chunk } from "./chunk.js";
import type { HubSpotTransport } from "./create-hubspot-transport.js";
import { asErrorBody, crmErrorFromResponse, isCallLevelFailure } from "./crm-error-from-response.js";
import { toHubSpotObjectName } from "./object-types.js";
import type { HubSpotBatchResponse, HubSpotErrorBody, HubSpotSimplePublicObject } from "./types.js";

/** "Batch requests to CRM object endpoints are limited to 100 records per request." */
export const BATCH_UPDATE_LIMIT = 100;

interface MergedWrite {
  objectType: string;
  objectId: string;
  properties: Record<string, string>;
}
type Outcome = { ok: true } | { ok: false; error: { code: string; message: string } };
type Outcomes = Map<string, Outcome>;

/**
 * `POST /crm/v3/objects/{type}/batch/update`, at most 100 inputs a call. Writes are grouped by
 * object type, and writes to one record are merged into one input (later properties win):
 * HubSpot rejects a batch that names an id twice.
 *
 * Per-input failures (a 207's `errors[]`, a 4xx for the batch) mark inputs failed. A 4xx that
 * names no input is narrowed by splitting the batch, within a small call budget, so one bad value
 * does not fail 99 good writes. 429, 423, 5xx, 401/403 and network failures throw.
 */
export async function writeRecords(
  transport: HubSpotTransport,
  writes: readonly RecordWrite[],
): Promise<WriteResult[]> {
  const byType = new Map<string, Map<string, MergedWrite>>();
  for (const write of writes) {
    const type = toHubSpotObjectName(write.objectType);
    const records = byType.get(type) ?? new Map<string, MergedWrite>();
    byType.set(type, records);
    const id = String(write.objectId);
    const merged = records.get(id) ?? { objectType: type, objectId: id, properties: {} };
    Object.assign(merged.properties, write.properties);
    records.set(id, merged);
  }

  const outcomes: Outcomes = new Map();
  for (const [type, records] of byType) {
    for (const batch of chunk([...records.values()], BATCH_UPDATE_LIMIT)) {
      await sendIsolating(transport, type, batch, outcomes, { calls: 2 * Math.ceil(Math.log2(batch.length + 1)) + 1 });
    }
  }
  return writes.map((write) => {
    const outcome =
      outcomes.get(keyOf(toHubSpotObjectName(write.objectType), String(write.objectId))) ?? unknownFailure();
    return { objectType: write.objectType, objectId: write.objectId, ...outcome };
  });
}

async function sendIsolating(
  transport: HubSpotTransport,
  type: string,
  batch: MergedWrite[],
  outcomes: Outcomes,
  budget: { calls: number },
): Promise<void> {
  if (batch.length === 0) return;
  budget.calls -= 1;
  const response = await transport.send({
    method: "POST",
    path: `/crm/v3/objects/${encodeURIComponent(type)}/batch/update`,
    body: { inputs: batch.map((w) => ({ id: w.objectId, properties: w.properties })) },
  });
  if (isCallLevelFailure(response.status)) throw crmErrorFromResponse(response, `batch update ${type}`);

  if (response.status >= 200 && response.status < 300) {
    const body = response.body as HubSpotBatchResponse<HubSpotSimplePublicObject> | undefined;
    const okIds = new Set((body?.results ?? []).map((r) => String(r.id)));
    markNamedFailures(type, batch, body?.errors ?? [], outcomes);
    const leftover = body?.errors?.[0];
    for (const w of batch) {
      const key = keyOf(type, w.objectId);
      if (outcomes.has(key)) continue;
      // A 200 means every input was applied; a 207 names its failures, and anything it neither
      // returned nor named is reported failed rather than assumed written.
      outcomes.set(
        key,
        response.status === 200 || okIds.has(w.objectId)
          ? { ok: true }
          : failure("bad_request", leftover?.message ?? "not in the batch response"),
      );
    }
    return;
  }

  const error = asErrorBody(response.body) ?? {};
  const named = new Set(idsOf(error).filter((id) => batch.some((w) => w.objectId === id)));
  const code = codeOf(error, crmErrorCodeForStatus(response.status));
  const message = error.message ?? `HTTP ${response.status}`;
  if (named.size > 0 && named.size < batch.length) {
    for (const w of batch) if (named.has(w.objectId)) outcomes.set(keyOf(type, w.objectId), failure(code, message));
    return sendIsolating(
      transport,
      type,
      batch.filter((w) => !named.has(w.objectId)),
      outcomes,
      budget,
    );
  }
  if (named.size === 0 && batch.length > 1 && budget.calls >= 2) {
    const half = Math.ceil(batch.length / 2);
    await sendIsolating(transport, type, batch.slice(0, half), outcomes, budget);
    if (budget.calls >= 1) return sendIsolating(transport, type, batch.slice(half), outcomes, budget);
    for (const w of batch.slice(half)) outcomes.set(keyOf(type, w.objectId), failure(code, message));
    return;
  }
  for (const w of batch) outcomes.set(keyOf(type, w.objectId), failure(code, message));
}

function markNamedFailures(type: string, batch: MergedWrite[], errors: HubSpotErrorBody[], outcomes: Outcomes): void {
  const inBatch = new Set(batch.map((w) => w.objectId));
  for (const error of errors) {
    for (const id of idsOf(error)) {
      if (inBatch.has(id))
        outcomes.set(keyOf(type, id), failure(codeOf(error, "bad_request"), error.message ?? "failed"));
    }
  }
}

/** HubSpot names the inputs an error is about in `context.ids` (batch read/update errors). */
function idsOf(error: HubSpotErrorBody): string[] {
  const ids = error.context?.["ids"];
  return Array.isArray(ids) ? ids.map(String) : [];
}

function codeOf(error: HubSpotErrorBody, fallback: CrmErrorCode): CrmErrorCode {
  if (error.category === "OBJECT_NOT_FOUND") return "not_found";
  if (error.category === "VALIDATION_ERROR") return "bad_request";
  return fallback;
}

function failure(code: string, message: string): Outcome {
  return { ok: false, error: { code, message } };
}

function unknownFailure(): Outcome {
  return failure("bad_request", "no result for this input");
}

function keyOf(type: string, id: string): string {
  return `${type}\u0000${id}`;
}
