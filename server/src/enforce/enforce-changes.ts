import { withPendingSnapshots, type ObservedValue } from "../snapshots/index.js";
import { attributeChange } from "./attribute-change.js";
import { auditDecision, changeEventBase } from "./audit-inputs.js";
import { classifyChange, type ChangeStep } from "./classify-change.js";
import { decideProposals, provenanceAudit, readProvenance, type Provenance } from "./decide-proposals.js";
import { findRestoreValues } from "./find-restore-values.js";
import { guardBatch } from "./guard-batch.js";
import { withRecordFacts } from "./with-record-facts.js";
import { readStatedProvenance, withProviderOnboarding } from "./stated-provenance.js";
import { planProposal } from "./plan-proposal.js";
import { createBatchPlan, commitBatch, type BatchPlan } from "./batch-plan.js";
import { keyOf, planRevert } from "./plan-direct-revert.js";
import { agentOf, provenanceStamp, writeTarget } from "./provenance-stamp.js";
import type { Sql } from "../db/index.js";
import type { Actor, CrmChange, EnforcementDeps } from "./types.js";

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
  const summary = emptySummary();
  const fresh = await dropProcessed(deps, tenantId, incoming);
  summary.skippedDuplicates = incoming.length - fresh.length;
  if (fresh.length === 0) {
    await options.inTransaction?.(deps.db);
    return summary;
  }
  const { policy, guard, classified, proposals, stated } = await decideBatch(deps, tenantId, fresh);
  // The batch's values (and history read for its reverts) are planned with as if written, and
  // written with its decisions, in one transaction.
  const snapshots = withPendingSnapshots(deps.snapshots);
  await snapshots.record(classified.flatMap(toObservedValue));
  const planning: EnforcementDeps = { ...deps, snapshots };

  const reverts = latestPerProperty(classified.filter((c) => c.step.kind === "revert"));
  const restore = await findRestoreValues(planning, policy, tenantId, reverts);
  const beforeOf = await replacedValues(planning, tenantId, classified);
  const plan = createBatchPlan(summary, policy.approvalTtlMs(), deps.now());
  // Allowed direct writes keep the agent's reason, confidence, source and versions (read beside them).
  const allowed = classified.filter((c) => c.step.kind === "allowed_write" && !stated.has(c.change.eventKey));
  const direct = new Map([
    ...stated,
    ...(await readProvenance(
      deps,
      tenantId,
      allowed.map((c) => ({ change: c.change, field: c.change.property! })),
    )),
  ]);
  const revertCarriers = new Set(reverts.map((r) => r.change));
  for (const c of classified) {
    if (c.step.kind === "revert")
      planRevert(c, c.step, {
        plan,
        policy,
        restore,
        carries: revertCarriers.has(c.change),
        provenance: stated.get(c.change.eventKey)?.provenance,
      });
    else if (c.step.kind === "proposal") planProposal(c, proposals.get(c.change.eventKey)!, plan);
    else planOther(c, plan, policy.version, beforeOf, direct.get(c.change.eventKey)?.provenance);
  }
  const processedKeys = fresh.flatMap((c) => [c.eventKey, ...identityKeys(c)]);
  const approvalIds = await commitBatch(deps, tenantId, processedKeys, plan, async (tx) => {
    await snapshots.commit(tx);
    await options.inTransaction?.(tx);
  });
  if (plan.writes.length) await deps.writes.kick([tenantId]);
  if (approvalIds.length) await deps.approvals.scheduled(tenantId, approvalIds);
  await guard.settled(classified, proposals);
  return summary;
}

/** Attribution, record facts, the guard (switches, triggers, caps) and each change's step, in time order. */
async function decideBatch(deps: EnforcementDeps, tenantId: string, fresh: readonly CrmChange[]) {
  const declared = deps.policyFor(tenantId);
  // HubSpot does not deliver in order: decide in the order things happened.
  const ordered = [...fresh].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const attributed = ordered.map((change) => ({ change, actor: attributeChange(change, declared, deps.self) }));
  // Named accounts, regulated industries and exec personas: what the CRM says, read once per batch.
  const withFacts = await withRecordFacts(deps, declared, tenantId, attributed);
  // What the agent stated beside its changes (confidence, source): decided as the gate decides it.
  const stated = await readStatedProvenance(deps, withFacts, tenantId, attributed);
  const policy = await withProviderOnboarding(deps, withFacts, tenantId, stated);
  // Kill switches, automatic triggers and caps: each write is decided in the state it arrived in.
  const guard = await guardBatch(deps, policy, tenantId, attributed);
  const classified: Classified[] = attributed.map(({ change, actor }, i) => ({
    change,
    actor,
    step: classifyChange(change, actor, guard.portFor(i), stated.get(change.eventKey)?.provenance),
  }));
  const proposals = await decideProposals(
    deps,
    policy,
    tenantId,
    classified.flatMap((c, i) => (c.step.kind === "proposal" ? [{ ...c, port: guard.portFor(i) }] : [])),
    stated,
  );
  await guard.consume(classified, proposals);
  return { policy, guard, classified, proposals, stated };
}

/** Own writes, provenance and observed changes, and allowed writes (stamped with provenance). */
function planOther(
  c: Classified,
  plan: BatchPlan,
  policyVersion: string,
  beforeOf: (c: CrmChange) => string | null,
  provenance: Provenance | undefined,
) {
  const { change, actor, step } = c;
  const base = changeEventBase(change, actor);
  const { summary } = plan;
  if (step.kind === "own_write") summary.ownWrites++;
  if (step.kind === "observe" || step.kind === "record_event") {
    summary.observed++;
    plan.addEvent({
      ...base,
      action: step.kind === "observe" ? "field_write" : `record_${change.kind}`,
      field_diffs: change.property
        ? [{ field: change.property, before: beforeOf(change), after: change.value ?? null }]
        : [],
      decision: { outcome: "observed", tier: null, rule_id: null, policy_version: policyVersion },
    });
  }
  if (step.kind === "allowed_write") {
    summary.allowed++;
    const i = plan.addEvent({
      ...base,
      field_diffs: [{ field: change.property!, before: beforeOf(change), after: change.value ?? null }],
      decision: auditDecision(step.decision),
      ...(provenance ? provenanceAudit(provenance, base.source_signal ?? `${change.crm}:webhook`) : {}),
      reason: provenance?.reason ?? step.decision.reasons.join("; "),
    });
    plan.addWrite(i, (eventId) => ({
      ...writeTarget(change),
      properties: provenanceStamp(change, eventId),
      purpose: "provenance",
      agentId: agentOf(actor),
      causedBy: eventId,
    }));
  }
}

function emptySummary(): EnforcementSummary {
  return {
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
}

/** Only the newest disallowed write of each property needs a revert; earlier ones are audited. */
function latestPerProperty(items: readonly Classified[]): Classified[] {
  const last = new Map<string, Classified>();
  for (const c of items) last.set(keyOf(c.change), c);
  return [...last.values()];
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
      // A value HubSpot marks sensitive is kept sealed (docs/operations.md#security).
      sensitive: change.sensitive,
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
