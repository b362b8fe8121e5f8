-- One receipt, for the job that names it.
-- $1 id
SELECT id, tenant_id, status, job FROM webhook_receipts WHERE id = $1
