import { PROVENANCE_FIELDS } from "../../../shared/index.js";
import type { Actor, CrmChange } from "./types.js";

/** The agent an actor is, or null. */
export const agentOf = (a: Actor): string | null => (a.type === "agent" ? a.agentId : null);

/** Where a planned CRM write goes. */
export const writeTarget = (c: CrmChange) => ({
  tenantId: c.tenantId,
  crm: c.crm,
  objectType: c.objectType,
  objectId: c.objectId,
});

/** Provenance stamped on a record an agent changed (docs/contracts.md#fields-the-app-installs). */
export function provenanceStamp(change: CrmChange, eventId: string): Record<string, string> {
  const names =
    change.crm === "hubspot"
      ? { at: PROVENANCE_FIELDS.lastActionAt.hubspot, id: PROVENANCE_FIELDS.eventId.hubspot }
      : { at: PROVENANCE_FIELDS.lastActionAt.salesforce, id: PROVENANCE_FIELDS.eventId.salesforce };
  // HubSpot datetime properties take epoch milliseconds; Salesforce takes ISO-8601.
  const at = change.crm === "hubspot" ? String(change.occurredAt.getTime()) : change.occurredAt.toISOString();
  return { [names.at]: at, [names.id]: eventId };
}
