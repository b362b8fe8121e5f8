import type {
  AuditActor,
  AuditEvent,
  AuditEventInput,
  GoldenBreak,
  GoldenOverride,
  GoldenRecord,
  GoldenRecordInput,
  KillSwitchRequest,
} from "../../../shared/index.js";
import type { Database } from "../db/index.js";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors/index.js";
import { loadPolicy, type CompiledPolicy } from "../policy/index.js";
import { redecide } from "../replay/index.js";
import { checkGolden, type StoredGoldenRecord } from "./check-golden.js";
import { GoldenRecordsChangedError } from "./golden-errors.js";
import { parseGoldenYaml } from "./parse-golden-yaml.js";

export interface GoldenServiceOptions {
  db: Database;
  audit: { append(input: AuditEventInput): Promise<{ event_id: string }> };
  policyOf: (tenantId: string) => CompiledPolicy;
  now?: () => Date;
}

export interface GoldenService {
  /**
   * Adds (or replaces) golden records: each names a recorded agent action by its audit event and
   * the decision it must keep. Audited. Answers each with the decision the active policy gives it now.
   * @throws ValidationError (400) for an event that is not an agent's decided action; NotFoundError (404) for an
   * unknown event.
   */
  add(
    tenantId: string,
    records: readonly GoldenRecordInput[],
    actor: AuditActor,
  ): Promise<{ added: GoldenRecord[]; failingNow: GoldenBreak[] }>;
  /** The same from a YAML file (`records: [{eventId, expect, note?}]`). */
  importYaml(
    tenantId: string,
    yaml: string,
    actor: AuditActor,
  ): Promise<{ added: GoldenRecord[]; failingNow: GoldenBreak[] }>;
  list(tenantId: string): Promise<GoldenRecord[]>;
  /** @throws NotFoundError (404) when the tenant has no such record. */
  remove(tenantId: string, eventId: string, actor: AuditActor): Promise<void>;
  /** The records `policy` would decide differently (all of them, or one agent's). */
  check(tenantId: string, policy: CompiledPolicy, agentIds?: ReadonlySet<string>): Promise<GoldenBreak[]>;
  /**
   * Runs the set against a candidate policy before `PUT /v1/policy` stores it.
   * @throws GoldenRecordsChangedError (409) naming each changed record, unless an owner overrides
   *   with a reason (then the override is audited and the change may go ahead).
   * @throws PolicyValidationError for a policy that does not load (nothing is checked).
   */
  assertPolicyChange(tenantId: string, yaml: string, actor: AuditActor, override?: GoldenOverride): Promise<void>;
  /**
   * Runs the set under the active policy before an agent (or role, or the tenant) is resumed; the same refusal and
   * override.
   */
  assertResume(tenantId: string, request: KillSwitchRequest, actor: AuditActor): Promise<void>;
}

interface Row {
  event_id: string;
  expected: string;
  note: string | null;
  event: AuditEvent;
  created_by: string;
  created_at: string | Date;
}

const toWire = (r: Row): GoldenRecord => ({
  eventId: r.event_id,
  agentId: r.event.actor.id,
  action: r.event.action,
  expected: r.expected,
  note: r.note,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
});
const toStored = (r: Row): StoredGoldenRecord => ({
  eventId: r.event_id,
  expected: r.expected,
  note: r.note,
  event: r.event,
});

/**
 * Golden records (docs/operations.md "Golden records"): a tenant's regression set, run before a policy change or a
 * resume.
 */
export function createGoldenService(options: GoldenServiceOptions): GoldenService {
  const { db, audit } = options;
  const now = options.now ?? (() => new Date());

  const rows = async (tenantId: string) =>
    (
      await db.query<Row>(
        "SELECT event_id, expected, note, event, created_by, created_at FROM golden_records WHERE tenant_id = $1 ORDER BY created_at, event_id",
        [tenantId],
      )
    ).rows;

  async function check(tenantId: string, policy: CompiledPolicy, agentIds?: ReadonlySet<string>) {
    const set = (await rows(tenantId)).filter((r) => !agentIds || agentIds.has(r.event.actor.id));
    return checkGolden(set.map(toStored), policy);
  }

  /** Refuses on a change, or lets an owner through with a reason — audited with every record it overrides. */
  async function gate(tenantId: string, what: string, broken: GoldenBreak[], actor: AuditActor, o?: GoldenOverride) {
    if (broken.length === 0) return;
    if (!o) throw new GoldenRecordsChangedError(what, broken);
    if (actor.role !== "owner")
      throw new ForbiddenError(`only an owner may override golden records (${what})`, { broken });
    await audit.append({
      tenant_id: tenantId,
      occurred_at: now().toISOString(),
      actor,
      action: "golden_override",
      diff_summary: `${what}: ${broken.length} golden record(s) overridden`,
      reason: o.reason,
      evidence: { what, broken },
      decision: { outcome: "allow", tier: null, rule_id: "golden.override", policy_version: null },
    });
  }

  async function add(tenantId: string, records: readonly GoldenRecordInput[], actor: AuditActor) {
    const ids = [...new Set(records.map((r) => r.eventId))];
    const { rows: found } = await db.query<{ event_id: string; event: AuditEvent }>(
      "SELECT event_id, event FROM audit_events WHERE tenant_id = $1 AND event_id = ANY($2::text[])",
      [tenantId, ids],
    );
    const events = new Map(found.map((r) => [r.event_id, r.event]));
    const missing = ids.filter((id) => !events.has(id));
    if (missing.length > 0) throw new NotFoundError(`no audit event ${missing.join(", ")} in this tenant`, { missing });
    for (const id of ids)
      if (redecide(events.get(id)!, options.policyOf(tenantId)) === undefined)
        throw new ValidationError(`event ${id} is not an agent's decided action: it cannot be a golden record`);
    const at = now().toISOString();
    await db.transaction(async (tx) => {
      for (const r of records)
        await tx.query(
          `INSERT INTO golden_records (tenant_id, event_id, expected, note, event, created_by, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (tenant_id, event_id) DO UPDATE SET expected = EXCLUDED.expected, note = EXCLUDED.note,
             created_by = EXCLUDED.created_by, created_at = EXCLUDED.created_at`,
          [tenantId, r.eventId, r.expect, r.note ?? null, JSON.stringify(events.get(r.eventId)), actor.id, at],
        );
    });
    await audit.append({
      tenant_id: tenantId,
      occurred_at: at,
      actor,
      action: "golden_record_add",
      diff_summary: records.map((r) => `${r.eventId} → ${r.expect}`).join(", "),
      evidence: { records },
    });
    const all = await rows(tenantId);
    const added = all.filter((r) => ids.includes(r.event_id));
    return { added: added.map(toWire), failingNow: checkGolden(added.map(toStored), options.policyOf(tenantId)) };
  }

  return {
    add,
    importYaml: (tenantId, yaml, actor) => add(tenantId, parseGoldenYaml(yaml), actor),
    list: async (tenantId) => (await rows(tenantId)).map(toWire),
    async remove(tenantId, eventId, actor) {
      const { rows: gone } = await db.query<{ event_id: string }>(
        "DELETE FROM golden_records WHERE tenant_id = $1 AND event_id = $2 RETURNING event_id",
        [tenantId, eventId],
      );
      if (gone.length === 0) throw new NotFoundError(`no golden record for event ${eventId}`);
      await audit.append({
        tenant_id: tenantId,
        occurred_at: now().toISOString(),
        actor,
        action: "golden_record_remove",
        diff_summary: `golden record ${eventId} removed`,
      });
    },
    check,
    async assertPolicyChange(tenantId, yaml, actor, override) {
      const candidate = loadPolicy(yaml, { filename: "uploaded policy" });
      await gate(tenantId, "policy change", await check(tenantId, candidate), actor, override);
    },
    async assertResume(tenantId, request, actor) {
      if (request.state !== "off") return;
      const policy = options.policyOf(tenantId);
      const { type, value } = request.scope;
      const agents =
        type === "agent"
          ? new Set([value!])
          : type === "role"
            ? new Set([...policy.agents.values()].filter((a) => a.role === value).map((a) => a.id))
            : undefined;
      const what = `resuming ${type === "tenant" ? "the tenant" : `${type} ${value}`}`;
      await gate(tenantId, what, await check(tenantId, policy, agents), actor, request.goldenOverride);
    },
  };
}
