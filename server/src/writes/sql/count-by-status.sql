-- Row counts by status for one tenant.
-- $1 tenant_id (text)
SELECT status, count(*)::integer AS n FROM crm_writes WHERE tenant_id = $1 GROUP BY status
