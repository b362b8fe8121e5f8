-- What every cap and automatic-trigger counter has counted, one row per counted event, so the
-- Redis counters can be rebuilt for their current windows after Redis is lost (a flush, a
-- failover to an empty replica): docs/operations.md, "What survives losing Redis".
CREATE TABLE IF NOT EXISTS counter_ledger (
  tenant_id   text NOT NULL,
  -- The counter and its window: `cap:d2026-12-04:role:enrichment:day`, `trg:<metric>:<subject>:<bucket>`.
  counter     text NOT NULL,
  event_key   text NOT NULL,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, counter, event_key)
);
CREATE INDEX IF NOT EXISTS counter_ledger_expires ON counter_ledger (expires_at);
