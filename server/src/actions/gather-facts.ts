import type { ActionRequest } from "../../../shared/index.js";
import type { ActionGateOptions } from "./types.js";
import type { SendDedupe } from "./send-dedupe.js";

/** What the gate reads before deciding, beyond the policy, the counters and the switches. */
export interface ActionFacts {
  /** `update_field`: the field's value now (`undefined` when it could not be read). */
  before?: string | null | undefined;
  beforeError?: string | undefined;
  /** `send_email`: the contact's opt-out flag in the CRM (`"unknown"`: the read failed). */
  optedOut?: boolean | "unknown" | undefined;
  /** `send_email`: the event that permitted an identical send inside the dedupe window. */
  duplicateOf?: string | undefined;
}

const OPT_OUT = "hs_email_optout";

/**
 * Reads the facts one request needs, at most one CRM call: the value an update would replace
 * (its `before`, and what an approver is shown), or a HubSpot contact's opt-out flag before a
 * send, plus the send-dedupe memory. A failed opt-out read is `"unknown"`, which refuses the send
 * (fail closed); a failed `before` read only leaves the before-value unknown.
 */
export async function gatherFacts(
  deps: Pick<ActionGateOptions, "readRecords">,
  dedupe: SendDedupe,
  tenantId: string,
  r: ActionRequest,
  objectType: string | undefined,
): Promise<ActionFacts> {
  const read = deps.readRecords;
  if (r.action === "update_field") {
    if (!read || !objectType || !r.objectId) return {};
    try {
      const [record] = await read(tenantId, r.crm, objectType, [r.objectId], [r.field!]);
      return { before: record?.properties[r.field!] ?? null };
    } catch (err) {
      return { beforeError: (err as Error).message };
    }
  }
  if (r.action !== "send_email" || !r.payload) return {};
  const facts: ActionFacts = { duplicateOf: await dedupe.find(tenantId, r.payload) };
  // The caller's own flag settles it; otherwise ask the CRM when the recipient is a HubSpot contact.
  if (
    r.payload.optedOut !== true &&
    read &&
    r.crm === "hubspot" &&
    r.object === "contact" &&
    objectType &&
    r.objectId
  ) {
    try {
      const [record] = await read(tenantId, r.crm, objectType, [r.objectId], [OPT_OUT]);
      facts.optedOut = record ? record.properties[OPT_OUT] === "true" : false;
    } catch {
      facts.optedOut = "unknown";
    }
  }
  return facts;
}
