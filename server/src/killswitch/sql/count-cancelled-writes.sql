-- Queued agent writes a switch cancelled. $1 tenant_id, $2 the switch's `on` audit event id
SELECT count(*)::int AS n FROM crm_writes WHERE tenant_id = $1 AND cancelled_by = $2
