import type { DrillContext, DrillEvidence, DrillStep } from "./types.js";

/** A step's outcome before its timing is added. */
export type StepOutcome = Omit<DrillStep, "title" | "ms">;

/** Runs one step, timing it; a step that throws fails with the error as what Tollgate did. */
export async function runStep(title: string, tried: string, fn: () => Promise<Omit<StepOutcome, "tried">>) {
  const started = performance.now();
  try {
    const out = await fn();
    return { title, tried, ...out, ms: Math.round(performance.now() - started) } satisfies DrillStep;
  } catch (err) {
    return {
      title,
      tried,
      observed: `error: ${(err as Error).message}`,
      evidence: [],
      passed: false,
      ms: Math.round(performance.now() - started),
    } satisfies DrillStep;
  }
}

interface EventLike {
  event_id: string;
  action: string;
  actor: { type: string; id: string };
  decision: { outcome: string; rule_id: string | null } | null;
  diff_summary?: string | null;
}

/** An audit event as a step's proof. */
export function evidenceOf(e: EventLike): DrillEvidence {
  const rule = e.decision?.rule_id ? ` under ${e.decision.rule_id}` : "";
  return {
    eventId: e.event_id,
    action: e.action,
    outcome: e.decision?.outcome ?? null,
    summary: `${e.actor.type} ${e.actor.id}: ${e.action}${e.diff_summary ? ` (${e.diff_summary})` : ""}${rule}`,
  };
}

/** The audit events matching a query, newest first, as an auditor reads them. */
export async function auditEvents(ctx: DrillContext, query: Record<string, string>): Promise<EventLike[]> {
  const qs = new URLSearchParams({ limit: "200", ...query }).toString();
  const res = await ctx.call("auditor", "GET", `/v1/audit?${qs}`);
  if (res.status !== 200) throw new Error(`GET /v1/audit answered ${res.status}`);
  return res.body.events as EventLike[];
}

/** One audit event by id (the auditor's query, filtered). */
export async function auditEvent(ctx: DrillContext, eventId: string, query: Record<string, string>) {
  const found = (await auditEvents(ctx, query)).find((e) => e.event_id === eventId);
  if (!found) throw new Error(`audit event ${eventId} not found`);
  return found;
}
