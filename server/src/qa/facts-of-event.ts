import type { AuditEvent } from "../../../shared/index.js";
import type { QaFacts } from "./types.js";

const str = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);
const num = (v: unknown) => {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};

/**
 * What an audit event itself says about the segment, data source, sequence, account size and
 * industry: its evidence bundle first, then the values it wrote. `hubspot:webhook`-style
 * signals name a transport, not a data source, and are ignored.
 */
export function factsOfEvent(event: AuditEvent): QaFacts {
  const ev = (event.evidence && typeof event.evidence === "object" ? event.evidence : {}) as Record<string, unknown>;
  const wrote = (field: string) => event.field_diffs.find((d) => d.field.toLowerCase() === field)?.after;
  const signal = str(event.source_signal);
  return {
    segment: str(ev.segment),
    source: signal && !/^(hubspot|salesforce):/.test(signal) ? signal : str(ev.source),
    sequence: str(ev.sequence) ?? str(ev.sequenceId) ?? str(ev.template),
    employees: num(ev.employees) ?? num(ev.numberofemployees) ?? num(wrote("numberofemployees")),
    industry: str(ev.industry) ?? str(wrote("industry")),
  };
}

/** Agent actions with a decision: what QA samples. Observations, people and Tollgate's own writes are not. */
export function isQaCandidate(event: AuditEvent): boolean {
  return event.actor.type === "agent" && event.decision !== null && event.decision.outcome !== "observed";
}
