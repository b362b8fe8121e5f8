-- The pre-write gate's idempotency keys (docs/contracts.md#http-api `POST /v1/actions`): one row per
-- (tenant, agent, key, approval) an agent sent. A request claims its row before it decides
-- (state 'pending'); the answer is stored in the same transaction as the decision's audit event
-- (state 'done'), so a retry with the same key gets the same answer and nothing happens twice.
-- A retry carrying an approval is a new request: approval_id is part of the key ('' for none).
CREATE TABLE IF NOT EXISTS action_requests (
  tenant_id        text NOT NULL,
  agent_id         text NOT NULL,
  idempotency_key  text NOT NULL,
  approval_id      text NOT NULL DEFAULT '',
  -- SHA-256 of the request's canonical JSON: the same key with another request is refused.
  request_hash     text NOT NULL,
  state            text NOT NULL CHECK (state IN ('pending', 'done')),
  response         jsonb,
  event_id         text,
  claimed_at       timestamptz NOT NULL,
  completed_at     timestamptz,
  PRIMARY KEY (tenant_id, agent_id, idempotency_key, approval_id)
);
-- Retention sweeps old answers by age.
CREATE INDEX IF NOT EXISTS action_requests_completed ON action_requests (completed_at);
