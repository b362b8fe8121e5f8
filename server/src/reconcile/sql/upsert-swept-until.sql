-- Records how far a sweep looked (never backwards).
-- $1 tenant_id, $2 crm, $3 object_type, $4 swept_until
INSERT INTO reconcile_state (tenant_id, crm, object_type, swept_until) VALUES ($1, $2, $3, $4)
ON CONFLICT (tenant_id, crm, object_type) DO UPDATE SET swept_until = GREATEST(reconcile_state.swept_until, EXCLUDED.swept_until)
