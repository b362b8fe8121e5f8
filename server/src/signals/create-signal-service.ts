import type { AuditEvent, AuditEventInput } from "../../../shared/index.js";
import { canonicalJson, sha256Hex } from "../../../shared/index.js";
import type { KillSwitchTrigger } from "../../../shared/index.js";
import {
  SIGNAL_TRIGGER_METRICS,
  signalBodySchema,
  type Signal,
  type SignalTriggerMetric,
} from "../../../shared/index.js";
import type { Database, Sql } from "../db/index.js";
import { ValidationError } from "../errors/index.js";
import { tripTrigger, type KillSwitchAlert, type KillSwitchService, type TriggerSubject } from "../killswitch/index.js";
import type { CompiledPolicy } from "../policy/index.js";
import { loadSql } from "./load-sql.js";
import { measureSignalMetric, type SignalFilter } from "./measure-signal-metric.js";

export interface SignalServiceOptions {
  db: Database;
  audit: { appendMany(inputs: AuditEventInput[], options?: { tx?: Sql }): Promise<AuditEvent[]> };
  killSwitches: Pick<KillSwitchService, "set">;
  policyOf: (tenantId: string) => CompiledPolicy;
  alert?: ((alert: KillSwitchAlert) => unknown) | undefined;
  now?: () => Date;
}

/** Who reported: the sending system's operator key. */
export interface SignalReporter {
  name: string;
  role: string;
  via: string;
}

export interface SignalReceipt {
  /** Signals stored now; a retried report of the same signal is accepted but not stored again. */
  accepted: number;
  duplicates: number;
  /** Switches the report tripped: the metric, its scope, and the value that crossed. */
  tripped: { metric: string; scope: string; measured: number; above: number }[];
}

export interface SignalService {
  /**
   * `POST /v1/signals`: stores and audits the signals (one transaction), then measures every
   * delivery-signal trigger of the policy for the agents, domains and channel they concern and
   * trips what crossed.
   * @throws ValidationError (400) on a bad body; nothing is stored.
   */
  receive(tenantId: string, reporter: SignalReporter, body: unknown): Promise<SignalReceipt>;
  /** Whether the recipient unsubscribed or complained: the gate refuses sends to them. */
  isSuppressed(tenantId: string, recipient: string): Promise<boolean>;
}

const isSignalMetric = (m: string): m is SignalTriggerMetric =>
  (SIGNAL_TRIGGER_METRICS as readonly string[]).includes(m);
/** The metric each signal type moves; a reply moves none. */
const METRIC_OF: Partial<Record<Signal["type"], SignalTriggerMetric>> = {
  bounce: "bounce_rate_percent",
  complaint: "complaints_per_day",
  unsubscribe: "unsubscribes_per_day",
};
/** The same report twice is one signal: its identity is its content. */
const signalId = (tenantId: string, s: Signal) =>
  sha256Hex(
    canonicalJson({
      tenantId,
      ...s,
      recipient: s.recipient.toLowerCase(),
      occurredAt: new Date(s.occurredAt).toISOString(),
    }),
  );

/** Delivery signals (requirements R7, R9; docs/operations.md "Delivery signals"). */
export function createSignalService(options: SignalServiceOptions): SignalService {
  const { db } = options;
  const now = options.now ?? (() => new Date());

  /** Fills in the agent and domain from the send's own audit event when the report leaves them out. */
  async function complete(tenantId: string, signals: Signal[]): Promise<Signal[]> {
    const ids = [...new Set(signals.flatMap((s) => (s.eventId && (!s.agentId || !s.domain) ? [s.eventId] : [])))];
    if (ids.length === 0) return signals;
    const { rows } = await db.query<{ event_id: string; agent_id: string | null; domain: string | null }>(
      loadSql("select-send-events"),
      [tenantId, ids],
    );
    const byId = new Map(rows.map((r) => [r.event_id, r]));
    return signals.map((s) => {
      const send = s.eventId ? byId.get(s.eventId) : undefined;
      return {
        ...s,
        ...(s.agentId === undefined && send?.agent_id ? { agentId: send.agent_id } : {}),
        ...(s.domain === undefined && send?.domain ? { domain: send.domain } : {}),
      };
    });
  }

  function subjectsOf(t: KillSwitchTrigger, signals: Signal[], policy: CompiledPolicy) {
    const out = new Map<string, { subject: TriggerSubject; filter: SignalFilter }>();
    const all = { agentIds: null, domain: null };
    for (const s of signals) {
      if (t.scope === "tenant")
        out.set("tenant", { subject: { type: "tenant", value: null, key: "tenant" }, filter: all });
      else if (t.scope === "channel")
        out.set("channel:email", { subject: { type: "channel", value: "email", key: "channel:email" }, filter: all });
      else if (t.scope === "agent" && s.agentId)
        out.set(`agent:${s.agentId}`, {
          subject: { type: "agent", value: s.agentId, key: `agent:${s.agentId}` },
          filter: { agentIds: [s.agentId], domain: null },
        });
      else if (t.scope === "domain" && s.domain) {
        const d = s.domain.toLowerCase();
        out.set(`domain:${d}`, {
          subject: { type: "domain", value: d, key: `domain:${d}` },
          filter: { agentIds: null, domain: d },
        });
      } else if (t.scope === "role" && s.agentId) {
        const role = policy.agents.get(s.agentId)?.role;
        if (!role) continue;
        const agentIds = [...policy.agents.values()].filter((a) => a.role === role).map((a) => a.id);
        out.set(`role:${role}`, {
          subject: { type: "role", value: role, key: `role:${role}` },
          filter: { agentIds, domain: null },
        });
      }
    }
    return [...out.values()];
  }

  return {
    async receive(tenantId, reporter, body) {
      const parsed = signalBodySchema.safeParse(body);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
        throw new ValidationError(
          `invalid signal: ${issues[0]!.path ? `${issues[0]!.path}: ` : ""}${issues[0]!.message}`,
          {
            issues,
          },
        );
      }
      const signals = await complete(tenantId, "signals" in parsed.data ? parsed.data.signals : [parsed.data]);
      const at = now();
      const ids = signals.map((s) => signalId(tenantId, s));
      const stored = await db.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: string }>(loadSql("insert-signals"), [
          ids,
          tenantId,
          signals.map((s) => s.type),
          signals.map((s) => s.eventId ?? null),
          signals.map((s) => s.agentId ?? null),
          signals.map((s) => s.recipient),
          signals.map((s) => s.domain ?? null),
          signals.map((s) => new Date(s.occurredAt).toISOString()),
          at.toISOString(),
          reporter.name,
        ]);
        const fresh = new Set(rows.map((r) => r.id));
        const events = signals.flatMap((s, i) => (fresh.has(ids[i]!) ? [toAuditEvent(tenantId, reporter, s)] : []));
        if (events.length) await options.audit.appendMany(events, { tx });
        return signals.filter((_, i) => fresh.has(ids[i]!));
      });

      const policy = options.policyOf(tenantId);
      const tripped: SignalReceipt["tripped"] = [];
      for (const t of policy.manifest.kill_switch_triggers) {
        if (!isSignalMetric(t.metric)) continue;
        // Only what this report moved is measured: a resumed switch is not re-tripped by old complaints.
        const moving = stored.filter((s) => METRIC_OF[s.type] === t.metric);
        for (const { subject, filter } of subjectsOf(t, moving, policy)) {
          const measured = await measureSignalMetric(db, tenantId, t.metric, filter, at);
          if (measured <= t.above) continue;
          if (await tripTrigger(options, tenantId, t, subject, measured, at))
            tripped.push({ metric: t.metric, scope: subject.key, measured, above: t.above });
        }
      }
      return { accepted: stored.length, duplicates: signals.length - stored.length, tripped };
    },

    async isSuppressed(tenantId, recipient) {
      const { rows } = await db.query<{ suppressed: boolean }>(loadSql("is-suppressed"), [tenantId, recipient]);
      return rows[0]?.suppressed === true;
    },
  };
}

function toAuditEvent(tenantId: string, reporter: SignalReporter, s: Signal): AuditEventInput {
  return {
    tenant_id: tenantId,
    occurred_at: new Date(s.occurredAt).toISOString(),
    actor: { type: "system", id: reporter.name, role: reporter.role, via: reporter.via },
    action: `signal_${s.type}`,
    source_signal: `signal:${s.type}`,
    source_signal_ref: s.eventId ?? null,
    caused_by: s.eventId ?? null,
    evidence: { recipient: s.recipient, domain: s.domain ?? null, agentId: s.agentId ?? null },
    diff_summary: `${s.type} from ${s.recipient}${s.agentId ? ` (sent by ${s.agentId})` : ""}`,
  };
}
