-- The switches that are on: of one tenant, or of every tenant when $1 is null.
-- $1 tenant_id (text or null)
SELECT tenant_id, scope_type, scope_value, state, reason, actor_type, actor_id, actor_role, set_at, event_id
FROM kill_switches WHERE state = 'on' AND ($1::text IS NULL OR tenant_id = $1) ORDER BY tenant_id, set_at
