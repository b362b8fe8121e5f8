-- Appends one change to a switch's history.
-- $1 tenant_id, $2 scope_type, $3 scope_value, $4 state, $5 reason, $6 actor_type, $7 actor_id,
-- $8 actor_role, $9 set_at (timestamptz), $10 event_id, $11 prevented (jsonb or null)
INSERT INTO kill_switch_history (tenant_id, scope_type, scope_value, state, reason, actor_type, actor_id, actor_role, set_at, event_id, prevented)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
