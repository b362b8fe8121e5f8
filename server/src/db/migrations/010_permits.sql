-- Permits (docs/contracts.md `POST /v1/permits/verify`): the gate's answer to an allowed action Tollgate
-- cannot perform itself. Bound to the action's digest, usable once, short-lived, and revoked by
-- any kill switch turned on over one of `kill_keys` after it was issued.
CREATE TABLE IF NOT EXISTS permits (
  permit_id   text PRIMARY KEY,
  tenant_id   text NOT NULL,
  agent_id    text NOT NULL,
  -- The audit event of the decision that issued it.
  event_id    text NOT NULL,
  action      text NOT NULL,
  digest      text NOT NULL,
  -- The switch keys that would have stopped the action (`tenant`, `channel:email`, `agent:x`…).
  kill_keys   text[] NOT NULL,
  issued_at   timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  used_by     text
);
CREATE INDEX IF NOT EXISTS permits_open ON permits (tenant_id, expires_at) WHERE used_at IS NULL;
