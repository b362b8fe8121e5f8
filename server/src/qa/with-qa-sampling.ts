import type { AuditEvent, AuditEventInput } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import type { QaSampler } from "./types.js";

/**
 * Wraps an audit log so every batch appended also goes through QA sampling, in the same
 * transaction when there is one: a sampled item commits (or rolls back) with its event. Give
 * the wrapper to enforcement (`EnforcementDeps.audit`) or any other path that records agent
 * decisions.
 */
export function withQaSampling<
  A extends { appendMany(inputs: readonly AuditEventInput[], opts?: { tx?: Sql }): Promise<AuditEvent[]> },
>(audit: A, qa: Pick<QaSampler, "recordDecisionForQa">): Pick<A, "appendMany"> {
  return {
    async appendMany(inputs: readonly AuditEventInput[], opts: { tx?: Sql } = {}) {
      const events = await audit.appendMany(inputs, opts);
      await qa.recordDecisionForQa(events, opts);
      return events;
    },
  } as Pick<A, "appendMany">;
}
