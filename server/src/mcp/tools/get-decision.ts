import type { GetDecisionInput } from "../../../../shared/index.js";
import { toApprovalWire } from "../../approvals/index.js";
import { refusal, type ToolContext, type ToolOutcome } from "../tool-outcome.js";

/**
 * `get_decision`: where one of the calling agent's own decisions or approvals stands. Another
 * agent's (or another tenant's) is "not found", exactly like one that does not exist.
 */
export async function getDecision(ctx: ToolContext, input: GetDecisionInput): Promise<ToolOutcome> {
  const { tenantId, agentId } = ctx.caller;
  const audit = { action: "get_decision", evidence: { ...input } };
  const notFound = () =>
    refusal(
      "not_found",
      input.approvalId ? `no approval ${input.approvalId} of yours` : `no decision ${input.eventId} of yours`,
      { policyVersion: ctx.policy.version, ...audit },
    );

  let approvalId = input.approvalId;
  let decision: Record<string, unknown> | undefined;
  if (input.eventId) {
    const event = await ctx.deps.audit.get(tenantId, input.eventId);
    if (!event || event.actor.type !== "agent" || event.actor.id !== agentId) return notFound();
    decision = {
      eventId: event.event_id,
      action: event.action,
      occurredAt: event.occurred_at,
      objectType: event.object_type,
      objectId: event.object_id,
      fieldDiffs: event.field_diffs,
      decision: event.decision,
      error: event.error,
    };
    approvalId = event.approval?.id;
  }
  const stored = approvalId ? await ctx.deps.approvals.get(tenantId, approvalId) : undefined;
  if (input.approvalId && (!stored || stored.agentId !== agentId)) return notFound();
  const approval = stored && stored.agentId === agentId ? toApprovalWire(stored) : undefined;
  return {
    isError: false,
    body: { ...(decision ? { event: decision } : {}), ...(approval ? { approval } : {}) },
    audit: {
      ...audit,
      object_type: approval?.objectType ?? null,
      object_id: approval?.objectId ?? null,
      decision: { outcome: "allow", tier: null, rule_id: "mcp.get_decision", policy_version: ctx.policy.version },
    },
  };
}
