import { CrmError } from "../errors.js";
import type { SalesforceTransport } from "./create-salesforce-transport.js";
import { isSalesforceId } from "./soql.js";

/** sObject type names: letters, digits and underscores (`Lead`, `Invoice__c`). */
const SOBJECT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function sobject(objectType: string): string {
  if (!SOBJECT_NAME.test(objectType))
    throw new CrmError("bad_request", { detail: `not an sObject type: ${JSON.stringify(objectType)}` });
  return objectType;
}

/** `POST /sobjects/{type}` with the field values; Salesforce answers 201 `{ id, success }`. */
export async function createRecord(
  transport: SalesforceTransport,
  objectType: string,
  properties: Record<string, string>,
): Promise<string> {
  const created = await transport.send<{ id?: string; success?: boolean }>({
    method: "POST",
    path: `/sobjects/${sobject(objectType)}`,
    body: properties,
  });
  if (!created?.id) throw new CrmError("server_error", { detail: `create ${objectType}: no id in the answer` });
  return created.id;
}

/** `DELETE /sobjects/{type}/{id}` (to the Recycle Bin); a record already gone (404) is not an error. */
export async function archiveRecord(
  transport: SalesforceTransport,
  objectType: string,
  objectId: string,
): Promise<void> {
  if (!isSalesforceId(objectId))
    throw new CrmError("bad_request", { detail: `not a Salesforce record id: ${JSON.stringify(objectId)}` });
  try {
    await transport.send({ method: "DELETE", path: `/sobjects/${sobject(objectType)}/${objectId}` });
  } catch (err) {
    if (err instanceof CrmError && err.crmCode === "not_found") return;
    throw err;
  }
}
