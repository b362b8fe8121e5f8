import type { RecordWrite } from "../crm/index.js";
import type { CrmWriteRow } from "./types.js";

export interface MergedWrites {
  /** One input per record, in the order each record first appears. */
  inputs: RecordWrite[];
  /** For each row (same order as given), the index of the input that carries it. */
  inputOf: number[];
}

/**
 * Merges rows for the same record into one CRM input, so one record is one batch input (HubSpot
 * rejects a batch naming an id twice). Rows are applied in the order given — claim order — so
 * a later value for a property wins, as it would had the rows been sent one by one.
 */
export function mergeWrites(rows: readonly CrmWriteRow[]): MergedWrites {
  const inputs: RecordWrite[] = [];
  const indexOfRecord = new Map<string, number>();
  const inputOf = rows.map((row) => {
    const key = `${row.objectType}\u0000${row.objectId}`;
    let index = indexOfRecord.get(key);
    if (index === undefined) {
      index = inputs.push({ objectType: row.objectType, objectId: row.objectId, properties: {} }) - 1;
      indexOfRecord.set(key, index);
    }
    Object.assign(inputs[index]!.properties, row.properties);
    return index;
  });
  return { inputs, inputOf };
}
