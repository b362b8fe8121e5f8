import { randomUUID } from "node:crypto";
import { type AuditEvent, durationToMs, type PolicyQa } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import { ConflictError, NotFoundError, ValidationError } from "../errors/index.js";
import { factsOfEvent, isQaCandidate } from "./facts-of-event.js";
import { loadSql } from "./load-sql.js";
import { qaReviewSchema } from "./scorecard.js";
import { shouldSample } from "./should-sample.js";
import { toQaItem } from "./to-qa-item.js";
import type { QaAction, QaFacts, QaSampler, QaSamplerOptions } from "./types.js";

const DEFAULT_NEW_FOR = "14d";
const DEFAULT_LARGE_ACCOUNT = 1000;
const DEFAULT_REGULATED = ["banking", "financial services", "insurance", "healthcare", "pharmaceuticals", "government"];
const NOVEL_KINDS = ["segment", "source", "sequence"] as const;

/**
 * QA sampling (requirements R9): picks agent actions for a person to review — every restricted
 * one, `sample_rate` of safe ones, more of what is new, large or regulated — and records the
 * reviews with their scorecards, audited.
 *
 * @example
 * const qa = createQaSampler({ db, audit, policyFor: (t) => policies.current(t).compiled.manifest.qa });
 * await qa.recordDecisionForQa(events, { tx });
 */
export function createQaSampler(options: QaSamplerOptions): QaSampler {
  const { db } = options;
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => new Date());

  /** Which of these facts are new to the tenant (first seen within `new_for`); remembers the unseen. */
  async function novelty(
    sql: Sql,
    tenantId: string,
    facts: readonly QaFacts[],
    policy: PolicyQa,
    at: Date,
  ): Promise<Set<string>> {
    const pairs = new Map<string, [string, string]>();
    for (const f of facts)
      for (const kind of NOVEL_KINDS) if (f[kind]) pairs.set(`${kind}\u0000${f[kind]}`, [kind, f[kind]!]);
    if (pairs.size === 0) return new Set();
    const kinds = [...pairs.values()].map((p) => p[0]);
    const values = [...pairs.values()].map((p) => p[1]);
    await sql.query(loadSql("insert-seen"), [tenantId, kinds, values, at.toISOString()]);
    const { rows } = await sql.query<{ kind: string; value: string; first_seen_at: Date | string }>(
      loadSql("select-seen"),
      [tenantId, kinds, values],
    );
    const since = at.getTime() - durationToMs(policy.new_for ?? DEFAULT_NEW_FOR);
    return new Set(
      rows.filter((r) => new Date(r.first_seen_at).getTime() > since).map((r) => `${r.kind}\u0000${r.value}`),
    );
  }

  async function sampleTenant(sql: Sql, tenantId: string, events: AuditEvent[]) {
    const policy = options.policyFor(tenantId);
    const at = now();
    const facts = await Promise.all(
      events.map(async (e) => ({ ...factsOfEvent(e), ...(options.facts ? definedOnly(await options.facts(e)) : {}) })),
    );
    const fresh = await novelty(sql, tenantId, facts, policy, at);
    const regulated = new Set((policy.regulated_industries ?? DEFAULT_REGULATED).map((s) => s.toLowerCase()));
    const isNew = (kind: string, value: string | null | undefined) => !!value && fresh.has(`${kind}\u0000${value}`);
    const picked = events.flatMap((e, i) => {
      const f = facts[i]!;
      const action: QaAction = {
        action: e.action,
        tier: e.decision?.tier ?? null,
        outcome: e.decision!.outcome,
        newSegment: isNew("segment", f.segment),
        newSource: isNew("source", f.source),
        newSequence: isNew("sequence", f.sequence),
        largeAccount: (f.employees ?? 0) >= (policy.large_account_employees ?? DEFAULT_LARGE_ACCOUNT),
        regulatedIndustry: !!f.industry && regulated.has(f.industry.toLowerCase()),
      };
      const d = shouldSample(policy, action, random());
      return d.sampled ? [{ e, d }] : [];
    });
    if (picked.length === 0) return [];
    const { rows } = await sql.query<Record<string, unknown>>(loadSql("insert-items"), [
      picked.map(() => randomUUID()),
      picked.map(() => tenantId),
      picked.map(({ e }) => e.event_id),
      picked.map(({ e }) => e.actor.id),
      picked.map(({ e }) => e.action),
      picked.map(({ e }) => e.crm),
      picked.map(({ e }) => e.object_type),
      picked.map(({ e }) => e.object_id),
      picked.map(({ e }) => e.decision?.tier ?? null),
      picked.map(({ e }) => e.decision?.outcome ?? null),
      picked.map(({ d }) => d.reason),
      picked.map(({ d }) => d.rate),
      picked.map(() => at.toISOString()),
    ]);
    return rows.map(toQaItem);
  }

  return {
    async recordDecisionForQa(events, opts = {}) {
      const byTenant = new Map<string, AuditEvent[]>();
      for (const e of events)
        if (isQaCandidate(e)) byTenant.set(e.tenant_id, [...(byTenant.get(e.tenant_id) ?? []), e]);
      const out = [];
      for (const [tenantId, list] of byTenant) out.push(...(await sampleTenant(opts.tx ?? db, tenantId, list)));
      return out;
    },

    async list(tenantId, filter = {}) {
      const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
      const { rows } = await db.query<Record<string, unknown>>(loadSql("list-items"), [
        tenantId,
        filter.state ?? null,
        filter.agentId ?? null,
        limit,
      ]);
      return rows.map(toQaItem);
    },

    async get(tenantId, id) {
      const { rows } = await db.query<Record<string, unknown>>(
        "SELECT * FROM qa_items WHERE tenant_id = $1 AND id = $2",
        [tenantId, id],
      );
      return rows[0] ? toQaItem(rows[0]) : undefined;
    },

    async review(tenantId, id, input, reviewer) {
      const parsed = qaReviewSchema.safeParse(input);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
        throw new ValidationError(
          `invalid QA review: ${issues[0]!.path ? `${issues[0]!.path}: ` : ""}${issues[0]!.message}`,
          { issues },
        );
      }
      const review = parsed.data;
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<Record<string, unknown>>(
          "SELECT * FROM qa_items WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
          [tenantId, id],
        );
        if (!rows[0]) throw new NotFoundError(`no QA item ${id}`);
        const item = toQaItem(rows[0]);
        if (item.state === "reviewed")
          throw new ConflictError(`QA item ${id} was already reviewed by ${item.reviewer}`, {
            reviewEventId: item.reviewEventId,
          });
        const at = now();
        const event = await options.audit.append(
          {
            tenant_id: tenantId,
            actor: reviewer,
            action: "qa_review",
            crm: item.crm as "hubspot" | "salesforce" | null,
            object_type: item.objectType,
            object_id: item.objectId,
            reason: review.notes ?? null,
            evidence: {
              qaItemId: id,
              verdict: review.verdict,
              scorecard: review.scorecard,
              sampledBecause: item.reason,
              agentId: item.agentId,
            },
            risk_flags: review.verdict === "fail" ? ["qa_failed"] : [],
            caused_by: item.eventId,
            result: "ok",
          },
          { tx },
        );
        const updated = await tx.query<Record<string, unknown>>(loadSql("review-item"), [
          tenantId,
          id,
          review.verdict,
          JSON.stringify(review.scorecard),
          reviewer.id,
          review.notes ?? null,
          event.event_id,
          at.toISOString(),
        ]);
        return toQaItem(updated.rows[0]!);
      });
    },
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}
