import type { RecordWrite, WriteResult } from "../connector.js";
import { CrmError } from "../errors.js";
import { fitFieldLength } from "./fit-field-length.js";
import type { SalesforceTransport } from "./create-salesforce-transport.js";
import { soqlName } from "./soql.js";
import { crmCodeOf } from "./to-crm-error.js";
import type { SalesforceSaveResult } from "./types.js";

/** "The request can contain up to 200 records." (sObject Collections) */
export const COLLECTION_UPDATE_LIMIT = 200;

interface MergedWrite {
  type: string;
  id: string;
  fields: Record<string, string | null>;
}
type Outcome = { ok: true } | { ok: false; error: { code: string; message: string } };

/**
 * `PATCH /composite/sobjects` with `allOrNone: false`, at most 200 records a call, one result per
 * record in request order. Writes to one record are merged (later fields win: a collection may not
 * name an id twice); `""` clears a field (JSON `null`); a value too long for one of Tollgate's own
 * Text fields is cut to fit, with a marker (`fitFieldLength`). Records are sorted by type so a call holds
 * few type runs (Salesforce allows ten). A failed record fails alone; a failed call (allocation
 * spent, 5xx, session) throws, so the write queue retries it whole.
 */
export async function writeRecords(
  transport: SalesforceTransport,
  writes: readonly RecordWrite[],
): Promise<WriteResult[]> {
  const merged = new Map<string, MergedWrite>();
  for (const write of writes) {
    const key = keyOf(write.objectType, write.objectId);
    const entry = merged.get(key) ?? { type: soqlName(write.objectType), id: String(write.objectId), fields: {} };
    for (const [field, value] of Object.entries(write.properties))
      entry.fields[soqlName(field)] = value === "" ? null : fitFieldLength(field, value);
    merged.set(key, entry);
  }
  const records = [...merged.values()].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  const outcomes = new Map<string, Outcome>();
  for (let i = 0; i < records.length; i += COLLECTION_UPDATE_LIMIT) {
    const batch = records.slice(i, i + COLLECTION_UPDATE_LIMIT);
    const results = await transport.send<SalesforceSaveResult[]>({
      method: "PATCH",
      path: "/composite/sobjects",
      body: { allOrNone: false, records: batch.map((r) => ({ attributes: { type: r.type }, id: r.id, ...r.fields })) },
    });
    if (!Array.isArray(results) || results.length !== batch.length)
      throw new CrmError("server_error", { detail: "composite/sobjects answered a result count that does not match" });
    batch.forEach((r, j) => outcomes.set(keyOf(r.type, r.id), toOutcome(results[j]!)));
  }
  return writes.map((w) => ({
    objectType: w.objectType,
    objectId: w.objectId,
    ...(outcomes.get(keyOf(w.objectType, w.objectId)) ?? {
      ok: false,
      error: { code: "bad_request", message: "no result" },
    }),
  }));
}

function toOutcome(result: SalesforceSaveResult): Outcome {
  if (result.success) return { ok: true };
  const first = result.errors[0];
  const sfCode = first?.statusCode ?? first?.errorCode;
  return {
    ok: false,
    error: { code: crmCodeOf(sfCode), message: `${sfCode ?? "ERROR"}: ${first?.message ?? "failed"}` },
  };
}

function keyOf(type: string, id: string): string {
  return `${type}\u0000${String(id)}`;
}
