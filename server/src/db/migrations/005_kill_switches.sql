-- Kill switches (docs/contracts.md#http-api `PUT/GET /v1/kill-switches`, requirements R7). PostgreSQL is the
-- truth; Redis only caches the active ones (server/src/killswitch/) and is rebuilt from here.
-- One row per (tenant, scope): the switch's current state, who set it, when and why.
CREATE TABLE IF NOT EXISTS kill_switches (
  tenant_id    text NOT NULL,
  scope_type   text NOT NULL CHECK (scope_type IN ('tenant', 'channel', 'agent', 'role', 'segment', 'domain', 'template', 'provider')),
  -- '' for the tenant scope, which names no value.
  scope_value  text NOT NULL DEFAULT '',
  state        text NOT NULL CHECK (state IN ('on', 'off')),
  reason       text NOT NULL,
  -- Who: the API key's name, the CLI user, or `tollgate` for an automatic trigger.
  actor_type   text NOT NULL CHECK (actor_type IN ('human', 'system')),
  actor_id     text NOT NULL,
  actor_role   text,
  set_at       timestamptz NOT NULL,
  -- The audit event that recorded this change.
  event_id     text,
  PRIMARY KEY (tenant_id, scope_type, scope_value)
);
CREATE INDEX IF NOT EXISTS kill_switches_on ON kill_switches (tenant_id) WHERE state = 'on';

-- Every change ever made, append-only: the switch's history, and what it prevented while on.
CREATE TABLE IF NOT EXISTS kill_switch_history (
  id           bigserial PRIMARY KEY,
  tenant_id    text NOT NULL,
  scope_type   text NOT NULL,
  scope_value  text NOT NULL,
  state        text NOT NULL CHECK (state IN ('on', 'off')),
  reason       text NOT NULL,
  actor_type   text NOT NULL,
  actor_id     text NOT NULL,
  actor_role   text,
  set_at       timestamptz NOT NULL,
  event_id     text,
  -- On `off`: {decisions, heldWrites} refused and held while the switch was on.
  prevented    jsonb
);
CREATE INDEX IF NOT EXISTS kill_switch_history_scope ON kill_switch_history (tenant_id, scope_type, scope_value, set_at DESC);
