-- How many rows are unsettled, of one tenant or of all (drain without `hold`).
-- $1 tenant_id (text, NULL for all)
SELECT count(*)::integer AS n FROM crm_writes
 WHERE status IN ('pending', 'in_flight') AND ($1::text IS NULL OR tenant_id = $1)
