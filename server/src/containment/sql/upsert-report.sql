-- Records (or replaces) the containment report of one switch change.
-- $1 event_id, $2 tenant_id, $3 scope_type, $4 scope_value ('' for tenant), $5 state, $6 report (jsonb), $7 updated_at
INSERT INTO containment_reports (event_id, tenant_id, scope_type, scope_value, state, report, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (event_id) DO UPDATE SET report = EXCLUDED.report, updated_at = EXCLUDED.updated_at
