-- Where the last sweep of one object type stopped.
-- $1 tenant_id, $2 crm, $3 object_type
SELECT swept_until FROM reconcile_state WHERE tenant_id = $1 AND crm = $2 AND object_type = $3
