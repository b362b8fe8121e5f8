import { ACTION_VERBS } from "../../../shared/index.js";
import type { AuditEvent } from "../../../shared/index.js";
import { POLICY_OBJECTS, toPolicyObject, type PolicyObject } from "../../../shared/index.js";
import type { DecisionAttributes, DecisionInput } from "../policy/index.js";

const GATE_VERBS = new Set<string>(ACTION_VERBS);
const TRANSPORTS = /^(hubspot|salesforce):/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The decision input an audited agent action was decided from, rebuilt from its audit event
 * alone (docs/operations.md "Replay"): the agent, the object, the field or verb, confidence,
 * source, the gate's attributes, and when it happened. Events that are not an agent's decided
 * action (observations, people, Tollgate's own writes, approvals) give `undefined`.
 */
export function toReplayInput(event: AuditEvent): DecisionInput | undefined {
  if (event.actor.type !== "agent" || event.decision === null || event.decision.outcome === "observed")
    return undefined;
  const evidence = isObject(event.evidence) ? event.evidence : {};
  const request = isObject(evidence.request) ? evidence.request : {};
  const object = objectOf(event, request);
  if (object === undefined) return undefined;
  const base = {
    agentId: event.actor.id,
    object,
    at: new Date(event.occurred_at),
    ...(event.confidence === null ? {} : { confidence: event.confidence }),
    ...(event.source_signal && !TRANSPORTS.test(event.source_signal) ? { source: event.source_signal } : {}),
    ...(event.object_id === null ? {} : { recordId: event.object_id }),
  };
  const attributes = isObject(evidence.attributes) ? (evidence.attributes as DecisionAttributes) : undefined;
  const field = event.field_diffs[0]?.field;
  if (event.action === "proposal" || event.action === "field_write" || event.action === "update_field") {
    if (field === undefined) return undefined;
    return {
      ...base,
      kind: "field_write",
      field,
      viaShadow: event.action === "proposal",
      ...(attributes ? { attributes } : {}),
    };
  }
  if (!GATE_VERBS.has(event.action)) return undefined;
  const template = typeof request.template === "string" ? request.template : undefined;
  const domain = typeof request.domain === "string" ? request.domain : undefined;
  return {
    ...base,
    kind: "action",
    action: event.action,
    attributes: {
      ...(template ? { template } : {}),
      ...(domain ? { domain } : {}),
      ...attributes,
    },
  };
}

function objectOf(event: AuditEvent, request: Record<string, unknown>): PolicyObject | undefined {
  const asked = request.object;
  if (typeof asked === "string" && (POLICY_OBJECTS as readonly string[]).includes(asked)) return asked as PolicyObject;
  if (event.crm === null || event.object_type === null) return undefined;
  return toPolicyObject(event.crm, event.object_type);
}
