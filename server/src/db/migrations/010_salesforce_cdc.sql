-- Salesforce Change Data Capture: the replay position of each channel of each org, durably.
-- It is the receipt of the CDC path (docs/salesforce.md): written in the same transaction-free
-- step right after a batch of events is enforced, so a restart resumes exactly after the last
-- processed event. last_event_at is the commit time of that event: where a reconciliation read
-- starts when the position has fallen out of Salesforce's 72-hour retention.
CREATE TABLE IF NOT EXISTS salesforce_replay_positions (
  tenant_id     text        NOT NULL,
  channel       text        NOT NULL,
  replay_id     bigint      NOT NULL,
  last_event_at timestamptz,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, channel)
);
