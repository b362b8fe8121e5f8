-- Delivery signals and golden records (requirements R7, R9, R11; docs/operations.md).
--
-- delivery_signals  one row per bounce, complaint, unsubscribe or reply the sending system
--                   reported (POST /v1/signals). Stored before it is acknowledged; the bounce
--                   and complaint triggers and the governance metrics read from here and from
--                   the trigger counters it feeds.
-- golden_records    a tenant's regression set: a recorded agent action (its audit event) and
--                   the decision it must keep. A policy change or an agent's resume that would
--                   change one is refused unless an owner overrides it with a reason.
-- safe_modes        an agent whose tier-2 writes are held for a person until `until`.

CREATE TABLE IF NOT EXISTS delivery_signals (
  id           text PRIMARY KEY,
  tenant_id    text NOT NULL,
  type         text NOT NULL CHECK (type IN ('bounce', 'complaint', 'unsubscribe', 'reply')),
  event_id     text,
  agent_id     text,
  recipient    text NOT NULL,
  domain       text,
  occurred_at  timestamptz NOT NULL,
  received_at  timestamptz NOT NULL,
  received_by  text NOT NULL
);
CREATE INDEX IF NOT EXISTS delivery_signals_tenant ON delivery_signals (tenant_id, occurred_at);
CREATE INDEX IF NOT EXISTS delivery_signals_recipient ON delivery_signals (tenant_id, lower(recipient), type);

CREATE TABLE IF NOT EXISTS golden_records (
  tenant_id    text NOT NULL,
  event_id     text NOT NULL,
  expected     text NOT NULL,
  note         text,
  -- The recorded event itself, so the set survives audit retention and reads without a join.
  event        jsonb NOT NULL,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, event_id)
);

CREATE TABLE IF NOT EXISTS safe_modes (
  tenant_id    text NOT NULL,
  agent_id     text NOT NULL,
  until        timestamptz NOT NULL,
  reason       text NOT NULL,
  set_by       text NOT NULL,
  set_at       timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, agent_id)
);
