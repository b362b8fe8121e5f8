import type { AuditEvent, AuditQuery } from "../../../shared/index.js";
import { replayRequestSchema, type ReplayResponse } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import { NotFoundError, ValidationError } from "../errors/index.js";
import { loadPolicy, type CompiledPolicy } from "../policy/index.js";
import { replayDecisions } from "./replay-decisions.js";

export interface ReplayServiceOptions {
  db: Sql;
  audit: { query(q: AuditQuery): Promise<{ events: AuditEvent[]; nextCursor: string | null }> };
  policies: { current(tenantId: string): { compiled: CompiledPolicy } };
  /** Most events one replay reads. @defaultValue 50_000 */
  maxEvents?: number;
}

export interface ReplayService {
  /**
   * `POST /v1/replay`: the recorded agent actions of `[from, to)` whose decision the candidate
   * (YAML or stored version) would change. Reads only: nothing reaches the CRM or the audit.
   * @throws ValidationError (400) on a bad request or an invalid candidate.
   * @throws NotFoundError (404) for a version the tenant never stored.
   */
  replay(tenantId: string, body: unknown): Promise<ReplayResponse>;
}

/** docs/operations.md "Replay and what-if". */
export function createReplayService(options: ReplayServiceOptions): ReplayService {
  const maxEvents = options.maxEvents ?? 50_000;

  /** Stored versions by version id; the tenant's active policy (maybe the shipped file) included. */
  async function versions(tenantId: string, wanted: readonly string[]): Promise<Map<string, CompiledPolicy>> {
    const out = new Map<string, CompiledPolicy>();
    const current = options.policies.current(tenantId).compiled;
    out.set(current.version, current);
    const missing = wanted.filter((v) => !out.has(v));
    if (missing.length === 0) return out;
    const { rows } = await options.db.query<{ version: string; source_yaml: string }>(
      "SELECT version, source_yaml FROM policy_versions WHERE tenant_id = $1 AND version = ANY($2::text[])",
      [tenantId, missing],
    );
    for (const r of rows) out.set(r.version, loadPolicy(r.source_yaml, { filename: `policy ${r.version}` }));
    return out;
  }

  async function eventsIn(tenantId: string, from: string, to: string, agentId: string | undefined) {
    const events: AuditEvent[] = [];
    let cursor: string | undefined;
    do {
      const page = await options.audit.query({
        tenantId,
        from,
        to,
        limit: 1000,
        ...(agentId ? { agentId } : {}),
        ...(cursor ? { cursor } : {}),
      });
      events.push(...page.events);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && events.length < maxEvents);
    return { events: events.slice(0, maxEvents).reverse(), truncated: cursor !== undefined };
  }

  return {
    async replay(tenantId, body) {
      const parsed = replayRequestSchema.safeParse(body);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
        throw new ValidationError(
          `invalid replay: ${issues[0]!.path ? `${issues[0]!.path}: ` : ""}${issues[0]!.message}`,
          {
            issues,
          },
        );
      }
      const r = parsed.data;
      const { events, truncated } = await eventsIn(tenantId, r.from, r.to, r.agentId);
      const recorded = [
        ...new Set(events.flatMap((e) => (e.decision?.policy_version ? [e.decision.policy_version] : []))),
      ];
      const known = await versions(tenantId, r.version ? [...recorded, r.version] : recorded);
      let candidate: CompiledPolicy;
      if (r.policy !== undefined) candidate = loadPolicy(r.policy, { filename: "candidate policy" });
      else {
        const stored = known.get(r.version!);
        if (!stored) throw new NotFoundError(`policy version ${r.version} is not stored for this tenant`);
        candidate = stored;
      }
      const result = replayDecisions(events, candidate, (v) => (v ? known.get(v) : undefined));
      return { version: candidate.version, ...result, truncated };
    },
  };
}
