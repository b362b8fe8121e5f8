import type { AuditLog } from "../audit/index.js";
import { createTokenCipher } from "../install/index.js";
import { createConflictGuard } from "../enforce/index.js";
import {
  createAlerter,
  createEnforcementGuard,
  createKillSwitchService,
  createTriggerCounter,
  failingWorkAlert,
} from "../killswitch/index.js";
import { createCounterLedger, createCounterStore } from "../limits/index.js";
import { createSignalService } from "../signals/index.js";
import { createSnapshotStore } from "../snapshots/index.js";
import { createCrmWriteQueue, createSettledListeners } from "../writes/index.js";
import type { BaseParts } from "./parts.js";

/**
 * What stops and paces writes: kill switches and their triggers, caps, the CRM write queue
 * (whose planners are told how writes ended through `settled`), and delivery signals.
 */
export async function assembleSafeguards(p: BaseParts & { audit: AuditLog }) {
  const { config, db, redis, prefix, audit, policies, crms, logger, now } = p;
  const policyOf = (tenantId: string) => policies.current(tenantId).compiled;
  const roleOf = (tenantId: string, agentId: string) => policyOf(tenantId).agents.get(agentId)?.role;
  // Observed values the CRM marks sensitive are sealed at rest with the OAuth tokens' cipher and
  // keys (docs/operations.md#security); sensitivity is the gate's cached property lookup.
  const cipher = config.encryptionKey
    ? createTokenCipher({ key: config.encryptionKey, previousKeys: config.previousEncryptionKeys })
    : undefined;
  const sealing = cipher && {
    cipher,
    isSensitive: (tenantId: string, objectType: string, property: string) =>
      crms.properties.isSensitive(tenantId, objectType, property),
  };
  const snapshots = createSnapshotStore(db, { sealing });
  const alert = createAlerter({ logger, webhookUrl: config.alertWebhookUrl });
  // Caps and triggers are kept in PostgreSQL too, and rebuilt from it when Redis loses them.
  const ledger = createCounterLedger(db, { now });
  const triggers = createTriggerCounter({ redis, prefix, ledger });
  const killSwitches = createKillSwitchService({ db, redis, prefix, audit, now, roleOf, logger, triggers });
  const settled = createSettledListeners();
  const writes = await createCrmWriteQueue({
    db,
    redis,
    prefix,
    audit,
    logger,
    connectorFor: crms.connectorFor,
    onSettled: settled.onSettled,
    // Protective writes retry until they are this old; every tenant with work is re-driven each sweep.
    retry: {
      baseDelayMs: config.reliability.retryBaseMs,
      maxDelayMs: config.reliability.retryMaxMs,
      protectiveMaxAgeMs: config.reliability.protectiveWriteMaxAgeMs,
    },
    sweepIntervalMs: config.reliability.sweepIntervalMs,
    lockDurationMs: config.reliability.jobLockMs,
    guard: createConflictGuard(snapshots),
    // A switch cancels the agent writes it covers; protective writes never
    // (docs/contracts.md#rules-that-never-bend, docs/operations.md#containment).
    cancel: {
      active: (tenantId) => killSwitches.cached(tenantId).active.size > 0,
      causeOf: (row) => killSwitches.cancelWrite(row),
    },
    onFailing: (f) => alert(failingWorkAlert("crm_write", { ...f, ids: f.rowIds }, now())),
  });
  killSwitches.onChange((tenantId) => void writes.kick([tenantId]).catch(() => undefined));
  // One counter store for both paths: caps span webhooks and the pre-write gate.
  const counters = createCounterStore({ redis, prefix, now, ledger });
  const guard = createEnforcementGuard({ killSwitches, counters, triggers, policyOf, alert, now, logger });
  // Delivery signals from the sending system: bounce and complaint triggers, suppression, metrics.
  const signals = createSignalService({ db, audit, killSwitches, policyOf, alert, now });
  return { policyOf, roleOf, snapshots, alert, killSwitches, writes, settled, counters, guard, signals };
}
