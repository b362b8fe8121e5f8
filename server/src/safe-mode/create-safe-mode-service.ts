import { durationToMs, safeModeRequestSchema, type AuditActor, type AuditEventInput } from "../../../shared/index.js";
import type { Database, Sql } from "../db/index.js";
import { ValidationError } from "../errors/index.js";
import type { CompiledPolicy } from "../policy/index.js";

/** An agent in safe mode: its tier-2 writes are held for a person until `until`. */
export interface SafeMode {
  agentId: string;
  until: string;
  reason: string;
  setBy: string;
  setAt: string;
}

export interface SafeModeServiceOptions {
  db: Database;
  audit: { append(input: AuditEventInput, options?: { tx?: Sql }): Promise<{ event_id: string }> };
  policyOf: (tenantId: string) => CompiledPolicy;
  now?: () => Date;
}

export interface SafeModeService {
  /**
   * `PUT /v1/safe-modes`: puts an agent in safe mode until a time (or for a duration), or ends it
   * (`state: "off"`). Committed with its audit event.
   * @throws ValidationError (400) on a bad body or an agent the policy does not declare; nothing changes.
   */
  set(tenantId: string, body: unknown, actor: AuditActor): Promise<SafeMode | { agentId: string; state: "off" }>;
  /** The tenant's agents in safe mode now. */
  list(tenantId: string): Promise<SafeMode[]>;
  /** Until when the agent is in safe mode, read from PostgreSQL (the gate asks per request). */
  untilOf(tenantId: string, agentId: string): Promise<Date | undefined>;
  /** Agent → until, from this process's copy (the webhook path decides whole batches synchronously). */
  activeFor(tenantId: string): ReadonlyMap<string, Date>;
  /** Re-reads every tenant's safe modes (another process may have set one). */
  refresh(): Promise<void>;
}

interface Row {
  tenant_id: string;
  agent_id: string;
  until: string | Date;
  reason: string;
  set_by: string;
  set_at: string | Date;
}

const toSafeMode = (r: Row): SafeMode => ({
  agentId: r.agent_id,
  until: new Date(r.until).toISOString(),
  reason: r.reason,
  setBy: r.set_by,
  setAt: new Date(r.set_at).toISOString(),
});

/**
 * Safe mode (docs/operations.md "Safe mode"): a time-boxed hold on an agent's tier-2 writes, after
 * an incident or for a new client. It is an input of the decision (`DecisionInput.safeModeUntil`),
 * so the decision stays pure and both paths hold the same writes.
 */
export function createSafeModeService(options: SafeModeServiceOptions): SafeModeService {
  const { db, audit } = options;
  const now = options.now ?? (() => new Date());
  let cache = new Map<string, Map<string, Date>>();

  const remember = (tenantId: string, agentId: string, until: Date | undefined) => {
    const next = new Map(cache.get(tenantId));
    if (until) next.set(agentId, until);
    else next.delete(agentId);
    cache = new Map(cache).set(tenantId, next);
  };

  return {
    async set(tenantId, body, actor) {
      const parsed = safeModeRequestSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new ValidationError(`invalid safe mode: ${issue.path.join(".") || "body"}: ${issue.message}`, {
          issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
        });
      }
      const r = parsed.data;
      const policy = options.policyOf(tenantId);
      if (!policy.agents.has(r.agentId))
        throw new ValidationError(`invalid safe mode: agentId: agent ${JSON.stringify(r.agentId)} is not declared`, {
          known: [...policy.agents.keys()],
        });
      const at = now();
      const until =
        r.state === "off" ? undefined : r.until ? new Date(r.until) : new Date(at.getTime() + durationToMs(r.for!));
      if (until && until <= at) throw new ValidationError("invalid safe mode: until: must be in the future");
      await db.transaction(async (tx) => {
        const { rows } = await tx.query<Row>(
          "SELECT * FROM safe_modes WHERE tenant_id = $1 AND agent_id = $2 FOR UPDATE",
          [tenantId, r.agentId],
        );
        if (until)
          await tx.query(
            `INSERT INTO safe_modes (tenant_id, agent_id, until, reason, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (tenant_id, agent_id) DO UPDATE SET until = EXCLUDED.until, reason = EXCLUDED.reason,
               set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at`,
            [tenantId, r.agentId, until.toISOString(), r.reason, actor.id, at.toISOString()],
          );
        else await tx.query("DELETE FROM safe_modes WHERE tenant_id = $1 AND agent_id = $2", [tenantId, r.agentId]);
        const previous = rows[0] && new Date(rows[0].until) > at ? new Date(rows[0].until).toISOString() : null;
        await audit.append(
          {
            tenant_id: tenantId,
            occurred_at: at.toISOString(),
            actor,
            action: "safe_mode",
            field_diffs: [{ field: `safe_mode:${r.agentId}`, before: previous, after: until?.toISOString() ?? null }],
            diff_summary: until
              ? `safe mode for ${r.agentId} until ${until.toISOString()}`
              : `safe mode for ${r.agentId} ended`,
            reason: r.reason,
            decision: { outcome: "allow", tier: null, rule_id: "safe_mode", policy_version: policy.version },
          },
          { tx },
        );
      });
      remember(tenantId, r.agentId, until);
      if (!until) return { agentId: r.agentId, state: "off" };
      return {
        agentId: r.agentId,
        until: until.toISOString(),
        reason: r.reason,
        setBy: actor.id,
        setAt: at.toISOString(),
      };
    },
    async list(tenantId) {
      const { rows } = await db.query<Row>(
        "SELECT * FROM safe_modes WHERE tenant_id = $1 AND until > $2 ORDER BY agent_id",
        [tenantId, now().toISOString()],
      );
      return rows.map(toSafeMode);
    },
    async untilOf(tenantId, agentId) {
      const { rows } = await db.query<Row>(
        "SELECT * FROM safe_modes WHERE tenant_id = $1 AND agent_id = $2 AND until > $3",
        [tenantId, agentId, now().toISOString()],
      );
      const until = rows[0] ? new Date(rows[0].until) : undefined;
      remember(tenantId, agentId, until);
      return until;
    },
    activeFor: (tenantId) => cache.get(tenantId) ?? new Map(),
    async refresh() {
      const { rows } = await db.query<Row>("SELECT * FROM safe_modes WHERE until > $1", [now().toISOString()]);
      const next = new Map<string, Map<string, Date>>();
      for (const r of rows)
        next.set(r.tenant_id, (next.get(r.tenant_id) ?? new Map()).set(r.agent_id, new Date(r.until)));
      cache = next;
    },
  };
}
