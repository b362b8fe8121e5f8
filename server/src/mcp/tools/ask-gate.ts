import type { ActionResponse } from "../../../../shared/index.js";
import type { CrmFieldChangeInput, RequestActionInput } from "../../../../shared/index.js";
import { resolveObject } from "../resolve-object.js";
import { refusal, type ToolContext, type ToolOutcome } from "../tool-outcome.js";

/** Outcomes where nothing was done and nothing waits for a person: the call is refused. */
function isRefused(response: ActionResponse): boolean {
  const { outcome } = response.decision;
  return outcome !== "allow" && outcome !== "needs_approval" && response.approvalId === undefined;
}

/** What the agent reads: the gate's answer, and one sentence saying where that leaves it. */
function toOutcome(response: ActionResponse, replayed: boolean): ToolOutcome {
  const d = response.decision;
  const status = isRefused(response)
    ? `refused (${d.outcome}): ${d.reasons.join("; ")}`
    : response.executed
      ? "allowed: Tollgate is writing it to the CRM"
      : response.permit
        ? `allowed: perform it yourself before ${response.permit.expiresAt} and cite eventId ${response.permit.eventId}`
        : response.approvalId
          ? `waiting for a person: approval ${response.approvalId}; ask get_decision for where it stands`
          : d.outcome === "allow"
            ? "allowed"
            : d.outcome;
  // The gate audited the decision itself (actor.via "mcp", tool_name): no second event.
  return { isError: isRefused(response), body: { status, ...response, ...(replayed ? { replayed } : {}) } };
}

const gateCaller = (ctx: ToolContext) => ({
  role: "agent",
  name: ctx.caller.name,
  via: "api_key",
  agentId: ctx.caller.agentId,
  auditVia: "mcp",
});

/**
 * `crm_propose_change` (`proposal: true`) and `crm_update_field`: one field through the pre-write
 * gate — the same decide(), caps, triggers, kill switches, approvals and audit as
 * `POST /v1/actions` `update_field`; a proposal is recorded as the backstop records a
 * shadow-field write (actions/ `ActionHandleOptions.proposal`).
 */
export async function changeField(
  ctx: ToolContext,
  input: CrmFieldChangeInput,
  proposal: boolean,
): Promise<ToolOutcome> {
  const resolved = resolveObject(input.crm, input.objectType);
  if (!resolved)
    return refusal("unknown_object", `${input.objectType} is not a ${input.crm} object Tollgate governs`, {
      policyVersion: ctx.policy.version,
      crm: input.crm,
      object_type: input.objectType,
    });
  const { response, replayed } = await ctx.deps.gate.handle(
    ctx.caller.tenantId,
    gateCaller(ctx),
    {
      action: "update_field",
      crm: input.crm,
      object: resolved.object,
      objectType: resolved.crmObjectType,
      objectId: input.objectId,
      field: input.field,
      value: input.value,
      confidence: input.confidence,
      source: input.source,
      reason: input.reason,
      ...(input.evidence === undefined ? {} : { evidence: input.evidence }),
      ...(input.runId ? { runId: input.runId } : {}),
      ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
      toolName: ctx.toolName,
    },
    { proposal },
  );
  return toOutcome(response, replayed);
}

/** `request_action`: a verb through the gate — its decision, and a permit or an approval. */
export async function requestAction(ctx: ToolContext, input: RequestActionInput): Promise<ToolOutcome> {
  const resolved = resolveObject(input.crm, input.objectType);
  if (!resolved)
    return refusal("unknown_object", `${input.objectType} is not a ${input.crm} object Tollgate governs`, {
      policyVersion: ctx.policy.version,
      crm: input.crm,
      object_type: input.objectType,
    });
  const { verb, objectType: _named, ...rest } = input;
  const { response, replayed } = await ctx.deps.gate.handle(ctx.caller.tenantId, gateCaller(ctx), {
    ...rest,
    action: verb,
    object: resolved.object,
    objectType: resolved.crmObjectType,
    toolName: ctx.toolName,
  });
  return toOutcome(response, replayed);
}
