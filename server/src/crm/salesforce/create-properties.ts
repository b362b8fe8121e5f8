import type { PropertyDefinition } from "../connector.js";
import { CrmError } from "../errors.js";
import type { SalesforceTransport } from "./create-salesforce-transport.js";
import { listProperties } from "./list-properties.js";
import { toCustomField } from "./to-custom-field.js";

/** Components per `createMetadata` call. */
export const METADATA_CREATE_LIMIT = 10;

interface SaveResult {
  fullName: string;
  success: boolean;
  errors?: { statusCode?: string; message?: string } | { statusCode?: string; message?: string }[];
}

/**
 * Creates the custom fields an object lacks through the Metadata API (`createMetadata`, ten a
 * call). Fields that exist are left as they are (install is idempotent and never rewrites a
 * field holding data); a name another install created meanwhile (`DUPLICATE_DEVELOPER_NAME`)
 * counts as done.
 */
export async function createProperties(
  transport: SalesforceTransport,
  objectType: string,
  properties: readonly PropertyDefinition[],
): Promise<void> {
  const existing = new Set((await listProperties(transport, objectType)).map((p) => p.name.toLowerCase()));
  const missing = properties.filter((p) => !existing.has(p.name.toLowerCase()));
  for (let i = 0; i < missing.length; i += METADATA_CREATE_LIMIT) {
    const fields = missing.slice(i, i + METADATA_CREATE_LIMIT).map((p) => toCustomField(objectType, p));
    const results = await transport.call(`createMetadata CustomField ${objectType}`, async (conn) => {
      const answer = (await conn.metadata.create("CustomField", fields as never)) as unknown as
        SaveResult | SaveResult[];
      return Array.isArray(answer) ? answer : [answer];
    });
    const failed = results.filter((r) => !isSuccess(r));
    if (failed.length > 0)
      throw new CrmError("bad_request", {
        detail: failed
          .map(
            (r) =>
              `${r.fullName}: ${errorsOf(r)
                .map((e) => e.message)
                .join("; ")}`,
          )
          .join(" | "),
      });
  }
}

function errorsOf(r: SaveResult): { statusCode?: string; message?: string }[] {
  return r.errors === undefined ? [] : Array.isArray(r.errors) ? r.errors : [r.errors];
}

function isSuccess(r: SaveResult): boolean {
  return String(r.success) === "true" || errorsOf(r).every((e) => e.statusCode === "DUPLICATE_DEVELOPER_NAME");
}
