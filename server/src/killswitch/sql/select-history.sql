-- A tenant's switch changes, newest first.
-- $1 tenant_id, $2 limit (int)
SELECT tenant_id, scope_type, scope_value, state, reason, actor_type, actor_id, actor_role, set_at, event_id, prevented
FROM kill_switch_history WHERE tenant_id = $1 ORDER BY set_at DESC, id DESC LIMIT $2
