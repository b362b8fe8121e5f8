-- The CRM write queue's system of record (server/src/writes/). One row per intended property
-- write: reverts, applies, provenance stamps, shadow clears, rollbacks and executed agent
-- actions. A row is inserted in the same transaction as the audit event that decided it
-- (docs/contracts.md#rules-that-never-bend: intent before execution); Redis only carries the "flush this tenant" jobs
-- and
-- is rebuilt from the pending rows on start (docs/architecture.md#storage-and-services).
CREATE TABLE IF NOT EXISTS crm_writes (
  id               text PRIMARY KEY,
  -- Claim order: rows of one tenant are sent in the order they were planned.
  seq              bigint GENERATED ALWAYS AS IDENTITY,
  tenant_id        text NOT NULL,
  crm              text NOT NULL CHECK (crm IN ('hubspot', 'salesforce')),
  object_type      text NOT NULL,
  object_id        text NOT NULL,
  -- {property: value}; "" clears a value.
  properties       jsonb NOT NULL,
  purpose          text NOT NULL CHECK (purpose IN ('revert', 'apply', 'provenance', 'clear_shadow', 'rollback', 'agent_action')),
  -- The agent whose action this write serves; NULL for Tollgate's protective writes.
  agent_id         text,
  -- Audit event id of the decision or intent this write carries out.
  caused_by        text NOT NULL,
  -- {property: value} the record must still hold when the write is sent (conflict check).
  expected         jsonb,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_flight', 'done', 'failed', 'skipped')),
  -- Sends that counted: a rate-limited call is not an attempt.
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text,
  -- The audit event recording this row's outcome; set once, so a row's result is audited
  -- exactly once even when a flush runs twice.
  result_event_id  text UNIQUE,
  -- Backoff after a retryable failure: the row is not claimed before this time.
  not_before       timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  done_at          timestamptz
);

-- Claiming a tenant's unsettled rows in order, and finding the tenants with work on start.
CREATE INDEX IF NOT EXISTS crm_writes_unsettled ON crm_writes (tenant_id, seq) WHERE status IN ('pending', 'in_flight');
-- Provenance and rollback look writes up by the event that caused them and by record.
CREATE INDEX IF NOT EXISTS crm_writes_caused_by ON crm_writes (caused_by);
CREATE INDEX IF NOT EXISTS crm_writes_record ON crm_writes (tenant_id, object_type, object_id, seq);
