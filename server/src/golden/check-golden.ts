import type { AuditEvent, GoldenBreak } from "../../../shared/index.js";
import type { CompiledPolicy } from "../policy/index.js";
import { redecide } from "../replay/index.js";

/** A golden record as stored: the recorded event and the decision it must keep. */
export interface StoredGoldenRecord {
  eventId: string;
  expected: string;
  note: string | null;
  event: AuditEvent;
}

/**
 * The golden records whose decision `policy` would change (docs/operations.md "Golden records").
 * Pure. Each record is re-decided by the replay engine (one re-decision for replay, what-if and
 * golden records); a record whose event is no longer an agent's decided action counts as broken.
 */
export function checkGolden(records: readonly StoredGoldenRecord[], policy: CompiledPolicy): GoldenBreak[] {
  const broken: GoldenBreak[] = [];
  for (const r of records) {
    const d = redecide(r.event, policy);
    if (d !== undefined && d.outcome === r.expected) continue;
    broken.push({
      eventId: r.eventId,
      agentId: r.event.actor.id,
      action: r.event.action,
      objectType: r.event.object_type,
      objectId: r.event.object_id,
      field: r.event.field_diffs[0]?.field ?? null,
      note: r.note,
      expected: r.expected,
      actual: d
        ? { outcome: d.outcome, tier: d.tier, ruleId: d.ruleId, reasons: d.reasons }
        : {
            outcome: "not_replayable",
            tier: null,
            ruleId: null,
            reasons: ["the event is not an agent's decided action"],
          },
    });
  }
  return broken;
}

/**
 * One line per broken record: `<eventId> (<agent> <action> <target>): expected allow, now needs_approval (rule;
 * reasons)`.
 */
export function describeBreaks(broken: readonly GoldenBreak[]): string {
  return broken
    .map((b) => {
      const target = `${b.objectType ?? "-"}/${b.objectId ?? "-"}${b.field ? ` ${b.field}` : ""}`;
      return `${b.eventId} (${b.agentId} ${b.action} ${target}): expected ${b.expected}, now ${b.actual.outcome} (${b.actual.ruleId ?? "-"}: ${b.actual.reasons.join("; ")})`;
    })
    .join("\n");
}
