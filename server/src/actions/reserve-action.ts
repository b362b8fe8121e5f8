import { randomUUID } from "node:crypto";
import { checkSendCompliance } from "./check-send-compliance.js";
import { decideAction, type ActionVerdict } from "./decide-action.js";
import type { ActionContext, GateParts } from "./evaluate-action.js";

/** What an allowed action holds until its decision is recorded. */
export interface Reservation {
  verdict: ActionVerdict;
  /** The send's dedupe slot is held under `ref` (settled or released after recording). */
  heldSend: boolean;
  ref: string;
}

/**
 * Reservations for an allowed action, each undone if a later one fails: the send's dedupe slot,
 * then the caps — atomically, so N parallel requests never exceed a cap (a lost race is over_cap).
 * The verdict is decided again when a reservation is refused.
 */
export async function reserveAction(g: GateParts, c: ActionContext, decided: ActionVerdict): Promise<Reservation> {
  const { policy, input, counters, switches, approval, r, tenantId } = c;
  let verdict = decided;
  const ref = `pending:${randomUUID()}`;
  let heldSend = false;
  if (verdict.decision.outcome === "allow" && r.action === "send_email") {
    heldSend = await g.dedupe.claim(tenantId, r.payload!, ref);
    if (!heldSend) {
      const duplicateOf = (await g.dedupe.find(tenantId, r.payload!)) ?? "a concurrent request";
      verdict = decideAction(policy, input, counters, switches, {
        approval,
        compliance: checkSendCompliance(r.payload!, { ...c.facts, duplicateOf }),
      });
    }
  }
  if (verdict.decision.outcome === "allow" && c.keys.length > 0) {
    // An approved exception to a held cap still counts the action, past the limit.
    const limited = verdict.capWaived ? c.keys.map((k) => ({ ...k, limit: Number.MAX_SAFE_INTEGER })) : c.keys;
    const consumed = await g.options.counters.consume(tenantId, limited, c.window);
    if (!consumed.ok) {
      verdict = decideAction(policy, input, { ...counters, ...consumed.counters }, switches, {
        approval,
        compliance: c.compliance,
      });
      if (heldSend) await g.dedupe.release(tenantId, r.payload!, ref);
      heldSend = false;
    }
  }
  return { verdict, heldSend, ref };
}
