import type { AuditEvent, AuditEventInput } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import type { QaSampler } from "./types.js";

interface Appender {
  append(input: AuditEventInput, opts?: { tx?: Sql }): Promise<AuditEvent>;
  appendMany(inputs: readonly AuditEventInput[], opts?: { tx?: Sql }): Promise<AuditEvent[]>;
}

/**
 * Wraps an audit log so every event appended — one at a time (the action gate) or in batches
 * (enforcement) — also goes through QA sampling, in the same transaction when there is one: a
 * sampled item commits (or rolls back) with its event. Both paths that record agent decisions
 * append through it, so a send through the gate is sampled exactly like a webhook proposal.
 */
export function withQaSampling<A extends Appender>(
  audit: A,
  qa: Pick<QaSampler, "recordDecisionForQa">,
): Pick<A, "append" | "appendMany"> {
  return {
    async append(input: AuditEventInput, opts: { tx?: Sql } = {}) {
      const event = await audit.append(input, opts);
      await qa.recordDecisionForQa([event], opts);
      return event;
    },
    async appendMany(inputs: readonly AuditEventInput[], opts: { tx?: Sql } = {}) {
      const events = await audit.appendMany(inputs, opts);
      await qa.recordDecisionForQa(events, opts);
      return events;
    },
  } as Pick<A, "append" | "appendMany">;
}
