import { PROVENANCE_FIELDS } from "../../../shared/index.js";
import type { PlannedCrmWrite } from "../enforce/index.js";
import type { StoredApproval } from "./approval-store.js";

const prop = (a: StoredApproval, key: keyof typeof PROVENANCE_FIELDS) =>
  a.crm === "hubspot" ? PROVENANCE_FIELDS[key].hubspot : PROVENANCE_FIELDS[key].salesforce;

const target = (a: StoredApproval) => ({
  tenantId: a.tenantId,
  crm: a.crm,
  objectType: a.objectType,
  objectId: a.objectId,
});

/**
 * The ONE write that carries out an approved proposal: the canonical field takes the proposed
 * value, the shadow is emptied and the provenance names the approving event
 * (docs/contracts.md#fields-the-app-installs). It
 * expects the field to still hold the value the approvers were shown; the write queue's guard
 * skips it otherwise (docs/contracts.md#rules-that-never-bend), which settles the approval as `conflict`.
 */
export function applyWrite(a: StoredApproval, eventId: string, now: Date): PlannedCrmWrite {
  // HubSpot datetime properties take epoch milliseconds; Salesforce takes ISO-8601.
  const at = a.crm === "hubspot" ? String(now.getTime()) : now.toISOString();
  return {
    ...target(a),
    properties: {
      [a.field]: a.proposedValue ?? "",
      ...(a.shadowField ? { [a.shadowField]: "" } : {}),
      [prop(a, "eventId")]: eventId,
      [prop(a, "lastActionAt")]: at,
    },
    purpose: "apply",
    agentId: a.agentId,
    causedBy: eventId,
    expected: { [a.field]: a.currentValue },
    ...(a.sensitive ? { sensitiveFields: a.shadowField ? [a.field, a.shadowField] : [a.field] } : {}),
  };
}

/**
 * Empties the shadow field of a proposal that will never be applied (rejected, expired,
 * conflicting, failed). It expects the shadow to still hold this proposal, so a newer proposal
 * the agent wrote since is left alone. `extra` adds properties (the rejection reason).
 */
export function clearShadowWrite(
  a: StoredApproval,
  eventId: string,
  extra: Record<string, string> = {},
): PlannedCrmWrite | undefined {
  if (!a.shadowField) return undefined;
  return {
    ...target(a),
    properties: { [a.shadowField]: "", ...extra },
    purpose: "clear_shadow",
    agentId: null,
    causedBy: eventId,
    expected: { [a.shadowField]: a.proposedValue },
    ...(a.sensitive ? { sensitiveFields: [a.shadowField] } : {}),
  };
}

/**
 * A rejection, where the agent reads its record: `ai_sdr_change_reason` becomes
 * "Rejected by <name>: <reason>". The agent's next proposal overwrites it, so the approval
 * itself (`GET …/approvals`, `rejectReason`) stays the lasting record.
 */
export function rejectWrite(
  a: StoredApproval,
  eventId: string,
  approverName: string,
  reason: string,
): PlannedCrmWrite | undefined {
  const text = `Rejected by ${approverName}: ${reason}`;
  // HubSpot single-line text holds 65,536 characters; a Salesforce text field often 255.
  const limit = a.crm === "hubspot" ? 2000 : 255;
  return clearShadowWrite(a, eventId, {
    [prop(a, "reason")]: text.length > limit ? `${text.slice(0, limit - 1)}…` : text,
  });
}
