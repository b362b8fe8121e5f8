-- Records a switch's new state (one row per tenant and scope).
-- $1 tenant_id, $2 scope_type, $3 scope_value, $4 state, $5 reason, $6 actor_type, $7 actor_id,
-- $8 actor_role, $9 set_at (timestamptz), $10 event_id
INSERT INTO kill_switches (tenant_id, scope_type, scope_value, state, reason, actor_type, actor_id, actor_role, set_at, event_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (tenant_id, scope_type, scope_value) DO UPDATE SET
  state = EXCLUDED.state, reason = EXCLUDED.reason, actor_type = EXCLUDED.actor_type, actor_id = EXCLUDED.actor_id,
  actor_role = EXCLUDED.actor_role, set_at = EXCLUDED.set_at, event_id = EXCLUDED.event_id
