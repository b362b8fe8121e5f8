import type { SettingsView } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import type { ExceptionQueue } from "../exceptions/index.js";
import type { SetupRunner } from "../install/index.js";
import type { KillSwitchService } from "../killswitch/index.js";
import type { PolicyRegistry } from "../policy/index.js";
import { loadSql } from "./load-sql.js";

export interface SettingsViewOptions {
  /** Reads the audit (policy changes, reverts); read-only. */
  db: Sql;
  killSwitches: Pick<KillSwitchService, "list">;
  policies: Pick<PolicyRegistry, "current">;
  exceptions: Pick<ExceptionQueue, "list">;
  setup?: Pick<SetupRunner, "progress"> | undefined;
}

/** Who may pull which switch (docs/operations.md, role × action table). */
const TENANT_SWITCHERS = new Set(["owner", "revops_admin"]);
const SCOPE_SWITCHERS = new Set(["owner", "revops_admin", "operator"]);
const RECENT = 10;

type AuditRow = {
  occurred_at: string | Date;
  object_type: string | null;
  object_id: string | null;
  agent_id: string | null;
  event: { actor?: { id?: string }; diff_summary?: string; field_diffs?: { after?: unknown }[]; reason?: string };
};

/**
 * The RevOps settings page's data for one tenant (docs/contracts.md#http-api `GET /v1/settings`):
 * kill switches and what the caller's role may do with them, the policy version and its latest
 * changes, recent reverts, open exceptions with owner and SLA, and setup progress.
 */
export function createSettingsView(options: SettingsViewOptions) {
  const recent = async (tenantId: string, action: string): Promise<AuditRow[]> =>
    (await options.db.query<AuditRow>(loadSql("select-recent-actions"), [tenantId, action, RECENT])).rows;
  const iso = (v: string | Date) => new Date(v).toISOString();

  return async function view(tenantId: string, role: string): Promise<SettingsView> {
    const policy = options.policies.current(tenantId);
    const [switches, changes, reverts, exceptions] = await Promise.all([
      options.killSwitches.list(tenantId),
      recent(tenantId, "policy_change"),
      recent(tenantId, "revert"),
      options.exceptions.list(tenantId, { limit: 50 }),
    ]);
    return {
      tenantId,
      you: { role, mayPullTenant: TENANT_SWITCHERS.has(role), mayPullScoped: SCOPE_SWITCHERS.has(role) },
      killSwitches: switches.map((s) => ({
        scope: s.scope,
        state: s.state,
        reason: s.reason,
        who: s.who,
        when: s.when,
      })),
      scopes: { agents: [...policy.compiled.agents.keys()], roles: [...policy.compiled.roles.keys()] },
      policy: {
        version: policy.version,
        updatedAt: policy.updatedAt ?? null,
        updatedBy: policy.updatedBy ?? null,
        changes: changes.map((r) => ({
          at: iso(r.occurred_at),
          by: r.event.actor?.id ?? "unknown",
          version: stringOrNull(r.event.field_diffs?.[0]?.after),
          summary: r.event.diff_summary ?? "",
        })),
      },
      reverts: reverts.map((r) => ({
        at: iso(r.occurred_at),
        objectType: r.object_type,
        objectId: r.object_id,
        summary: r.event.diff_summary ?? r.event.reason ?? "",
        agentId: r.agent_id,
      })),
      exceptions: exceptions
        .filter((e) => e.state !== "closed")
        .slice(0, 20)
        .map((e) => ({
          id: e.id,
          kind: e.kind,
          state: e.state,
          owner: e.owner,
          objectType: e.objectType,
          objectId: e.objectId,
          reviewDueAt: e.reviewDueAt,
          remediateDueAt: e.remediateDueAt,
          overdue: e.overdue,
        })),
      setup: options.setup?.progress(tenantId) ?? null,
    };
  };
}

export type SettingsViewReader = ReturnType<typeof createSettingsView>;

function stringOrNull(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}
