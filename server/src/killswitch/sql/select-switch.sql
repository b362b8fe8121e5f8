-- One switch, current state.
-- $1 tenant_id, $2 scope_type, $3 scope_value ('' for tenant)
SELECT tenant_id, scope_type, scope_value, state, reason, actor_type, actor_id, actor_role, set_at, event_id
FROM kill_switches WHERE tenant_id = $1 AND scope_type = $2 AND scope_value = $3
