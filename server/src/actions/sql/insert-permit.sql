-- $1 permit_id, $2 tenant_id, $3 agent_id, $4 event_id, $5 action, $6 digest, $7 kill_keys (text[]),
-- $8 issued_at, $9 expires_at
INSERT INTO permits (permit_id, tenant_id, agent_id, event_id, action, digest, kill_keys, issued_at, expires_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (permit_id) DO NOTHING
