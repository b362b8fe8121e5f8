import { propertyKey, type ObservedValue } from "../snapshots/index.js";
import { attributeChange } from "./attribute-change.js";
import { summarizeDiff, type AuditEventInput } from "../../../shared/index.js";
import { auditDecision, changeEventBase } from "./audit-inputs.js";
import { classifyChange, type ChangeStep } from "./classify-change.js";
import { decideProposals, provenanceAudit, readProvenance, routeOf } from "./decide-proposals.js";
import { findRestoreValues, type RestoreValue } from "./find-restore-values.js";
import { guardBatch } from "./guard-batch.js";
import { withRecordFacts } from "./with-record-facts.js";
import { planProposal } from "./plan-proposal.js";
import { directWriteApproval, exceptionFor } from "./plan-revert.js";
import { agentOf, provenanceStamp, writeTarget } from "./provenance-stamp.js";
import type { Sql } from "../db/index.js";
import type { Actor, CrmChange, EnforcementDeps, NewApproval, NewException, PlannedCrmWrite } from "./types.js";

export interface EnforcementSummary {
  skippedDuplicates: number;
  ownWrites: number;
  observed: number;
  allowed: number;
  reverted: number;
  conflicts: number;
  proposalsApplied: number;
  approvalsOpened: number;
  proposalsDenied: number;
  unknownPrior: number;
}

export interface EnforceOptions {
  /**
   * Runs inside the enforcement transaction (or alone, when every change was already
   * processed): the caller's own bookkeeping that must commit with it, e.g. marking the
   * webhook receipt done.
   */
  inTransaction?: (tx: Sql) => Promise<void>;
}

interface Classified {
  change: CrmChange;
  actor: Actor;
  step: ChangeStep;
}

/**
 * Enforces one batch of changes of one tenant (docs/architecture.md#the-flow, the worker): attribute, decide,
 * then in ONE transaction write the audit events, the CRM write intents, approvals and
 * exceptions — so a crash leaves either all of it or none, and a retried job finds its events
 * already processed.
 */
export async function enforceChanges(
  deps: EnforcementDeps,
  tenantId: string,
  incoming: readonly CrmChange[],
  options: EnforceOptions = {},
): Promise<EnforcementSummary> {
  const summary: EnforcementSummary = {
    skippedDuplicates: 0,
    ownWrites: 0,
    observed: 0,
    allowed: 0,
    reverted: 0,
    conflicts: 0,
    proposalsApplied: 0,
    approvalsOpened: 0,
    proposalsDenied: 0,
    unknownPrior: 0,
  };
  const fresh = await dropProcessed(deps, tenantId, incoming);
  summary.skippedDuplicates = incoming.length - fresh.length;
  if (fresh.length === 0) {
    await options.inTransaction?.(deps.db);
    return summary;
  }

  const declared = deps.policyFor(tenantId);
  // HubSpot does not deliver in order: decide in the order things happened.
  const ordered = [...fresh].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const attributed = ordered.map((change) => ({ change, actor: attributeChange(change, declared, deps.self) }));
  // Named accounts, regulated industries and exec personas: what the CRM says, read once per batch.
  const policy = await withRecordFacts(deps, declared, tenantId, attributed);
  // Kill switches, automatic triggers and caps: each write is decided in the state it arrived in.
  const guard = await guardBatch(deps, policy, tenantId, attributed);
  const classified: Classified[] = attributed.map(({ change, actor }, i) => ({
    change,
    actor,
    step: classifyChange(change, actor, guard.portFor(i)),
  }));
  const proposals = await decideProposals(
    deps,
    policy,
    tenantId,
    classified.flatMap((c, i) => (c.step.kind === "proposal" ? [{ ...c, port: guard.portFor(i) }] : [])),
  );
  await guard.consume(classified, proposals);
  // Allowed direct writes keep the agent's reason, confidence, source and versions (read beside them).
  const direct = await readProvenance(
    deps,
    tenantId,
    classified.flatMap((c) =>
      c.step.kind === "allowed_write" ? [{ change: c.change, field: c.change.property! }] : [],
    ),
  );

  await deps.snapshots.record(classified.flatMap(toObservedValue));

  const reverts = latestPerProperty(classified.filter((c) => c.step.kind === "revert"));
  const restore = await findRestoreValues(deps, policy, tenantId, reverts);
  const beforeOf = await replacedValues(deps, tenantId, classified);

  const events: AuditEventInput[] = [];
  const writes: ((eventIds: string[]) => PlannedCrmWrite)[] = [];
  const writeEventIndex: number[] = [];
  const approvals: NewApproval[] = [];
  const exceptions: ((eventIds: string[]) => NewException)[] = [];
  const addEvent = (e: AuditEventInput) => events.push(e) - 1;
  const addWrite = (eventIndex: number, make: (eventId: string) => PlannedCrmWrite) => {
    writeEventIndex.push(eventIndex);
    writes.push((ids) => make(ids[eventIndex]!));
  };

  const revertCarriers = new Set(reverts.map((r) => r.change));
  for (const c of classified) {
    const { change, actor, step } = c;
    const base = changeEventBase(change, actor);
    switch (step.kind) {
      case "own_write":
        summary.ownWrites++;
        break;
      case "provenance":
      case "shadow_cleared":
        break;
      case "observe":
      case "record_event":
        summary.observed++;
        addEvent({
          ...base,
          action: step.kind === "observe" ? "field_write" : `record_${change.kind}`,
          field_diffs: change.property
            ? [{ field: change.property, before: beforeOf(change), after: change.value ?? null }]
            : [],
          decision: { outcome: "observed", tier: null, rule_id: null, policy_version: policy.version },
        });
        break;
      case "allowed_write": {
        summary.allowed++;
        const i = addEvent({
          ...base,
          field_diffs: [{ field: change.property!, before: beforeOf(change), after: change.value ?? null }],
          decision: auditDecision(step.decision),
          ...provenanceAudit(direct.get(change.eventKey)!.provenance, base.source_signal ?? `${change.crm}:webhook`),
          reason: direct.get(change.eventKey)!.provenance.reason ?? step.decision.reasons.join("; "),
        });
        addWrite(i, (eventId) => ({
          ...writeTarget(change),
          properties: provenanceStamp(change, eventId),
          purpose: "provenance",
          agentId: agentOf(actor),
          causedBy: eventId,
        }));
        break;
      }
      case "revert": {
        const key = keyOf(change);
        const target = restore.get(key);
        const isLatest = revertCarriers.has(change);
        const diff = {
          field: change.property!,
          before: target?.state === "restore" ? target.value : null,
          after: change.value ?? null,
        };
        // A direct write a person could have approved is not lost: it is reverted AND waits for a
        // person as an approval, exactly as if the agent had proposed it through the shadow field.
        const held =
          isLatest &&
          target?.state === "restore" &&
          actor.type === "agent" &&
          routeOf(step.decision, policy) === "approval";
        const approval = held
          ? directWriteApproval(
              change,
              actor,
              step.decision,
              target.value,
              deps.now(),
              policy.approvalTtlMs(),
              events.length,
            )
          : undefined;
        if (approval) {
          approvals.push(approval);
          summary.approvalsOpened++;
        }
        const i = addEvent({
          ...base,
          field_diffs: [diff],
          diff_summary: summarizeDiff(diff.field, diff.before, diff.after),
          decision: auditDecision(step.decision),
          reason: step.decision.reasons.join("; "),
          ...(approval
            ? {
                approval: { id: approval.id, approvers: [], expires_at: approval.expiresAt.toISOString() },
                risk_flags: approval.riskFlags,
              }
            : {}),
          result: target?.state === "restore" || !isLatest ? "ok" : "failed",
          error:
            isLatest && target?.state === "conflict"
              ? `conflict: ${target.changedBy} changed ${diff.field} since; not reverted`
              : isLatest && target?.state === "unknown"
                ? target.error
                : null,
        });
        if (!isLatest) break; // a later write of the same field by the same agent carries the revert
        outcomeOfRevert(target, summary);
        if (target?.state === "restore") {
          addWrite(i, (eventId) => ({
            ...writeTarget(change),
            properties: { [change.property!]: target.value ?? "" },
            purpose: "revert",
            agentId: null,
            causedBy: eventId,
            expected: { [change.property!]: change.value ?? null },
          }));
        }
        exceptions.push((ids) => exceptionFor(change, actor, step.decision.ruleId, ids[i]!, target));
        break;
      }
      case "proposal":
        planProposal(c, proposals.get(c.change.eventKey)!, {
          addEvent,
          addWrite,
          approvals,
          exceptions,
          summary,
          policyTtl: policy.approvalTtlMs(),
          now: deps.now(),
        });
        break;
    }
  }

  const approvalIds = await deps.db.transaction(async (tx) => {
    await tx.query(
      "INSERT INTO processed_events (tenant_id, event_key) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING",
      [tenantId, fresh.flatMap((c) => [c.eventKey, ...identityKeys(c)])],
    );
    const ids = events.length ? (await deps.audit.appendMany(events, { tx })).map((e) => e.event_id) : [];
    if (writes.length)
      await deps.writes.enqueue(
        writes.map((w) => w(ids)),
        { tx },
      );
    const created: string[] = [];
    for (const a of approvals) {
      const eventIndex = Number(a.proposalEventId);
      created.push(await deps.approvals.create({ ...a, proposalEventId: ids[eventIndex]! }, { tx }));
    }
    if (exceptions.length)
      await deps.exceptions.open(
        exceptions.map((e) => e(ids)),
        { tx },
      );
    await options.inTransaction?.(tx);
    return created;
  });
  if (writes.length) await deps.writes.kick([tenantId]);
  if (approvalIds.length) await deps.approvals.scheduled(tenantId, approvalIds);
  await guard.settled(classified, proposals);
  return summary;
}

const keyOf = (c: CrmChange) => propertyKey({ objectType: c.objectType, objectId: c.objectId, property: c.property! });

/** Only the newest disallowed write of each property needs a revert; earlier ones are audited. */
function latestPerProperty(items: readonly Classified[]): Classified[] {
  const last = new Map<string, Classified>();
  for (const c of items) last.set(keyOf(c.change), c);
  return [...last.values()];
}

function outcomeOfRevert(target: RestoreValue | undefined, summary: EnforcementSummary): void {
  if (target?.state === "restore") summary.reverted++;
  else if (target?.state === "conflict") summary.conflicts++;
  else summary.unknownPrior++;
}

function toObservedValue(c: Classified): ObservedValue[] {
  const { change, actor, step } = c;
  if (change.kind !== "property_change" || change.property === undefined) return [];
  return [
    {
      tenantId: change.tenantId,
      crm: change.crm,
      objectType: change.objectType,
      objectId: change.objectId,
      property: change.property,
      value: change.value ?? null,
      occurredAt: change.occurredAt,
      actorType: actor.type,
      actorId: actor.type === "agent" ? actor.agentId : actor.type === "tollgate" ? null : actor.id,
      trusted: step.kind !== "revert",
      eventKey: change.eventKey,
    },
  ];
}

/**
 * The change itself, whichever way it reached us: a property change is the same change whether
 * its webhook or the reconciliation sweep's history read brought it (same record, property and
 * instant), so either arriving second is a duplicate.
 */
function identityKeys(c: CrmChange): string[] {
  if (c.kind !== "property_change" || c.property === undefined) return [];
  return [`change|${c.crm}|${c.objectType}|${c.objectId}|${c.property}|${c.occurredAt.getTime()}`];
}

async function dropProcessed(
  deps: EnforcementDeps,
  tenantId: string,
  changes: readonly CrmChange[],
): Promise<CrmChange[]> {
  const unique: CrmChange[] = [];
  const keys = new Set<string>();
  for (const c of changes) {
    const own = [c.eventKey, ...identityKeys(c)];
    if (own.some((k) => keys.has(k))) continue;
    for (const k of own) keys.add(k);
    unique.push(c);
  }
  const { rows } = await deps.db.query<{ event_key: string }>(
    "SELECT event_key FROM processed_events WHERE tenant_id = $1 AND event_key = ANY($2::text[])",
    [tenantId, unique.flatMap((c) => [c.eventKey, ...identityKeys(c)])],
  );
  const seen = new Set(rows.map((r) => r.event_key));
  return unique.filter((c) => !seen.has(c.eventKey) && !identityKeys(c).some((k) => seen.has(k)));
}

/**
 * What each change replaced, as far as Tollgate saw it (null when never seen): the value before
 * the first change of a property in the batch comes from the snapshots, and each later change
 * of it replaced the one before it in the batch (the batch is in time order).
 */
async function replacedValues(
  deps: EnforcementDeps,
  tenantId: string,
  classified: readonly Classified[],
): Promise<(change: CrmChange) => string | null> {
  const first = new Map<string, CrmChange>();
  for (const { change } of classified)
    if (change.property !== undefined && !first.has(keyOf(change))) first.set(keyOf(change), change);
  const known = await deps.snapshots.valuesBefore(
    tenantId,
    [...first.values()].map((c) => ({
      objectType: c.objectType,
      objectId: c.objectId,
      property: c.property!,
      before: c.occurredAt,
    })),
  );
  const before = new Map<CrmChange, string | null>();
  const running = new Map<string, string | null>();
  for (const { change } of classified) {
    if (change.property === undefined) continue;
    const key = keyOf(change);
    before.set(change, running.has(key) ? running.get(key)! : (known.get(key)?.value ?? null));
    running.set(key, change.value ?? null);
  }
  return (change) => before.get(change) ?? null;
}
