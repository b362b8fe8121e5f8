import type { QaItem } from "./types.js";

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

/** A `qa_items` row as the API shows it. */
export function toQaItem(r: Record<string, unknown>): QaItem {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    eventId: r.event_id as string,
    agentId: (r.agent_id as string | null) ?? null,
    action: r.action as string,
    crm: (r.crm as string | null) ?? null,
    objectType: (r.object_type as string | null) ?? null,
    objectId: (r.object_id as string | null) ?? null,
    tier: r.tier === null || r.tier === undefined ? null : Number(r.tier),
    outcome: (r.outcome as string | null) ?? null,
    reason: r.reason as QaItem["reason"],
    rate: Number(r.rate),
    state: r.state as QaItem["state"],
    verdict: (r.verdict as QaItem["verdict"]) ?? null,
    scorecard: (r.scorecard as QaItem["scorecard"]) ?? null,
    reviewer: (r.reviewer as string | null) ?? null,
    notes: (r.notes as string | null) ?? null,
    reviewEventId: (r.review_event_id as string | null) ?? null,
    createdAt: iso(r.created_at)!,
    reviewedAt: iso(r.reviewed_at),
  };
}
