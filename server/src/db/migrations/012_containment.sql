-- Containment (docs/operations.md, containment; docs/contracts.md `GET /v1/kill-switches`): what a
-- kill switch turned on or off did at each containment point, and when each point confirmed.
-- One row per switch change, keyed by the change's audit event.
CREATE TABLE IF NOT EXISTS containment_reports (
  event_id     text PRIMARY KEY,
  tenant_id    text NOT NULL,
  scope_type   text NOT NULL,
  scope_value  text NOT NULL DEFAULT '',
  state        text NOT NULL CHECK (state IN ('on', 'off')),
  -- The report as `GET /v1/kill-switches` shows it (shared/containment.ts).
  report       jsonb NOT NULL,
  updated_at   timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS containment_reports_tenant ON containment_reports (tenant_id, updated_at DESC);

-- CRM users Tollgate froze for a switch, so lifting that switch unfreezes exactly those (never a
-- user an admin froze, never one another switch still covers).
CREATE TABLE IF NOT EXISTS containment_frozen_users (
  tenant_id    text NOT NULL,
  user_id      text NOT NULL,
  agent_id     text NOT NULL,
  -- The switch's key (`agent:enrichment-bot`, `role:enrichment`, `tenant`).
  switch_key   text NOT NULL,
  frozen_at    timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, user_id, switch_key)
);
