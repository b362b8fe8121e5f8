-- Unsettled rows, of one tenant or of all (drain).
-- $1 tenant_id (text, NULL for all)
SELECT * FROM crm_writes
 WHERE status IN ('pending', 'in_flight') AND ($1::text IS NULL OR tenant_id = $1)
 ORDER BY seq
