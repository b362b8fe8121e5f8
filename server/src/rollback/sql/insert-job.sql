-- A new rollback job. $1 id, $2 tenant_id, $3 requested_by (JSON text), $4 request (JSON text),
-- $5 total integer, $6 conflicts (JSON text), $7 at timestamptz, $8 state text
INSERT INTO rollback_jobs (id, tenant_id, requested_by, request, total, conflicts, created_at, updated_at, state, finished_at)
VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6::jsonb, $7, $7, $8, CASE WHEN $8 = 'done' THEN $7::timestamptz END)
