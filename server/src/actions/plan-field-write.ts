import { type ActionRequest, PROVENANCE_FIELDS, type ProvenanceKey } from "../../../shared/index.js";
import type { PlannedCrmWrite } from "../enforce/index.js";

/**
 * The CRM write that carries out an allowed `update_field`: the value plus its provenance
 * (docs/contracts.md#fields-the-app-installs) — the deciding event, when, and the agent's confidence, source and
 * reason. It is
 * an `agent_action` write with the agent named, so a kill switch covering the agent holds it in
 * the queue (killswitch/ `holdWrite`), and Tollgate's own app id marks its echo as Tollgate's.
 */
export function planFieldWrite(
  tenantId: string,
  agentId: string,
  r: ActionRequest,
  objectType: string,
  eventId: string,
  at: Date,
  sensitive = false,
): PlannedCrmWrite {
  const name = (key: ProvenanceKey) =>
    r.crm === "hubspot" ? PROVENANCE_FIELDS[key].hubspot : PROVENANCE_FIELDS[key].salesforce;
  const properties: Record<string, string> = {
    // HubSpot clears a value with "", and takes datetimes as epoch milliseconds.
    [r.field!]: r.value ?? "",
    [name("eventId")]: eventId,
    [name("lastActionAt")]: r.crm === "hubspot" ? String(at.getTime()) : at.toISOString(),
  };
  if (r.confidence !== undefined) properties[name("confidence")] = String(r.confidence);
  if (r.source !== undefined) properties[name("source")] = r.source;
  if (r.reason !== undefined) properties[name("reason")] = r.reason;
  return {
    tenantId,
    crm: r.crm,
    objectType,
    objectId: r.objectId!,
    properties,
    purpose: "agent_action",
    agentId,
    causedBy: eventId,
    // The write's own audit event hashes the value, as the gate's did; the provenance stays readable.
    ...(sensitive ? { sensitiveFields: [r.field!] } : {}),
  };
}
